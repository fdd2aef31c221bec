package nearest

import "testing"

func TestDistance(t *testing.T) {
	cases := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"abc", "", 3},
		{"", "abc", 3},
		{"zhs", "zsh", 1},
		{"serverNmae", "serverName", 1},
		{"ngnix.conf.tmpl", "nginx.conf.tmpl", 1},
		{"kitten", "sitting", 3},
		{"frontdor.yaml", "frontdoor.yaml", 1},
		{"été", "ete", 2}, // runes, not bytes
		{"Name", "name", 1},
	}
	for _, c := range cases {
		if got := Distance(c.a, c.b); got != c.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

func TestClosest(t *testing.T) {
	known := []string{"serverName", "nodes", "nginx-proxy", "nginx-tls", "apache-proxy", "tls", "ac"}
	cases := []struct{ typed, want string }{
		{"servername", "serverName"}, // case alone
		{"serverNmae", "serverName"},
		{"nginx-proxi", "nginx-proxy"},
		{"ngnix-proxy", "nginx-proxy"},
		{"apache-prxy", "apache-proxy"},
		{"nodse", "nodes"},
		{"tsl", "tls"}, // one swap in a short name
		{"txt", ""},    // two edits from a short name is too far
		{"ab", ""},     // one edit is half a two-letter name
		{"caddy-upstream", ""},
		{"", ""},
	}
	for _, c := range cases {
		if got := Closest(c.typed, known); got != c.want {
			t.Errorf("Closest(%q) = %q, want %q", c.typed, got, c.want)
		}
	}
}
