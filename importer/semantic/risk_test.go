package semantic

import "testing"

// Access rules and backup roles are facts like the others: the diff of two
// models says a path lost its rules and a standby became active.
func TestAccessAndBackupFacts(t *testing.T) {
	server := func(backup bool, access ...Access) *Model {
		return &Model{Servers: []*Server{{
			Listen: []Listener{{Port: 443, TLS: true}},
			Routes: []Route{{Path: "/", Backends: []Backend{{Addr: "a:8082"}, {Addr: "b:8082", Backup: backup}}}},
			Access: access,
		}}}
	}
	tests := []struct {
		name     string
		old, new *Model
		want     []string
	}{
		{"unchanged", server(true, Access{Path: "/x/", Rules: []string{"deny all"}}), server(true, Access{Path: "/x/", Rules: []string{"deny all"}}), nil},
		{"access dropped", server(false, Access{Path: "/artifactory/", Rules: []string{"allow 10.0.0.0/8", "deny all"}}), server(false),
			[]string{"- access control /artifactory/ (port 443): allow 10.0.0.0/8, deny all"}},
		{"whole server", server(false, Access{Rules: []string{"deny all"}}), server(false),
			[]string{"- access control every path (port 443): deny all"}},
		{"backup to active", server(true), server(false), []string{"± upstreams b:8082: backup → active"}},
		{"active node added", server(false), &Model{Servers: []*Server{{Listen: []Listener{{Port: 443, TLS: true}},
			Routes: []Route{{Path: "/", Backends: []Backend{{Addr: "a:8082"}, {Addr: "b:8082"}, {Addr: "c:8082"}}}}}}},
			[]string{"± routes / (port 443): to a:8082, b:8082 (load shared) → to a:8082, b:8082, c:8082 (load shared)", "+ upstreams c:8082"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, c := range Diff(tt.old, tt.new) {
				got = append(got, c.String())
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("got %q, want %q", got[i], tt.want[i])
				}
			}
		})
	}
}
