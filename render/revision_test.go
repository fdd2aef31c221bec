package render

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	crossplane "github.com/nginxinc/nginx-go-crossplane"
)

// TestRevisionMarkerStructure: every web server's output answers its own
// revision at RevisionPath to this machine only (127.0.0.1 and ::1; others
// denied), in every server that proxies; the Kubernetes outputs have none.
// The e2e tests ask the real servers (wantRevision); a denial from another
// address cannot be seen on loopback, so the directives are asserted here.
func TestRevisionMarkerStructure(t *testing.T) {
	for _, c := range matrixCases() {
		t.Run(c.name, func(t *testing.T) {
			out := mustRender(t, &c.s)
			rev := Revision(out)
			if c.s.Provider.IsKubernetes() {
				if rev != "" || bytes.Contains(out, []byte(RevisionPath)) {
					t.Errorf("a Kubernetes output has a revision marker (%q)", rev)
				}
				return
			}
			if len(rev) != revisionLen {
				t.Fatalf("revision %q", rev)
			}
			if bytes.Contains(out, []byte(revisionPlaceholder)) {
				t.Error("the placeholder is left in the output")
			}
			answer := "frontdoor revision " + rev
			switch c.s.Provider {
			case Nginx:
				checkNginxRevision(t, out, answer+`\n`)
			case HAProxy:
				lines := strings.Split(string(out), "\n")
				frontends, marked := 0, 0
				for i, l := range lines {
					if strings.HasPrefix(l, "frontend ") {
						frontends++
					}
					if strings.Contains(l, RevisionPath) && strings.HasPrefix(strings.TrimSpace(l), "http-request return") {
						marked++
						want := `    http-request return status 200 content-type text/plain string "` + answer + `" if { path ` + RevisionPath + ` } { src 127.0.0.1 ::1 }`
						if l != want || i+1 == len(lines) || lines[i+1] != "    http-request deny if { path "+RevisionPath+" }" {
							t.Errorf("line %d: %q (then %q), want %q then the deny for everyone else", i+1, l, lines[i+1], want)
						}
					}
				}
				if marked != frontends {
					t.Errorf("%d frontends, %d revision markers", frontends, marked)
				}
			case Caddy:
				want := "\t\t@frontdoor_revision {\n\t\t\tpath " + RevisionPath + "\n\t\t\tremote_ip 127.0.0.1 ::1\n\t\t}\n" +
					"\t\trespond @frontdoor_revision \"" + answer + "\" 200\n\t\trespond " + RevisionPath + " 403\n"
				if strings.Count(string(out), want) != 1 {
					t.Errorf("the shared proxy snippet lacks the marker:\n%s", want)
				}
			}
			// Apache: checkApacheRevision (TestApacheStructure).
		})
	}
}

// checkNginxRevision: each server with a location / has the marker, with
// exactly these directives.
func checkNginxRevision(t *testing.T, out []byte, answer string) {
	t.Helper()
	http, err := parseNginxSnippet(out)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"allow", "127.0.0.1"}, {"allow", "::1"}, {"deny", "all"}, {"default_type", "text/plain"}, {"return", "200", answer}}
	for _, srv := range named(http, "server") {
		var marker, root *crossplane.Directive
		for _, l := range named(srv.Block, "location") {
			switch {
			case slices.Equal(l.Args, []string{"=", RevisionPath}):
				marker = l
			case slices.Equal(l.Args, []string{"/"}):
				root = l
			}
		}
		if root == nil {
			continue // the redirecting server answers nothing itself
		}
		if marker == nil {
			t.Errorf("server line %d: no location = %s", srv.Line, RevisionPath)
			continue
		}
		var got [][]string
		for _, d := range marker.Block {
			got = append(got, append([]string{d.Directive}, d.Args...))
		}
		if !slices.EqualFunc(got, want, slices.Equal) {
			t.Errorf("location = %s (line %d): %v, want %v", RevisionPath, marker.Line, got, want)
		}
	}
}

// TestRevision: the revision is the output's own: the same settings give
// the same one, any change another; a marker that does not match the
// content (a file edited since) or is missing is no revision; an answer is
// read back as the server sends it.
func TestRevision(t *testing.T) {
	s := goldenSettings(Nginx, DockerNone, httpOnly, 1, false)
	out := mustRender(t, &s)
	rev := Revision(out)
	if rev == "" || Revision(mustRender(t, &s)) != rev {
		t.Fatalf("revision %q not stable", rev)
	}
	other := s.Clone()
	other.ServerName = "other.example.com"
	if r := Revision(mustRender(t, &other)); r == "" || r == rev {
		t.Errorf("another server name, revision %q (first %q)", r, rev)
	}
	edited := bytes.Replace(out, []byte("keepalive 16;"), []byte("keepalive 32;"), 1)
	if r := Revision(edited); r != "" {
		t.Errorf("an edited file still has revision %q", r)
	}
	if r := Revision([]byte("server {}\n")); r != "" {
		t.Errorf("no marker, revision %q", r)
	}
	for _, tc := range []struct {
		body string
		rev  string
		ok   bool
	}{
		{"frontdoor revision " + rev + "\n", rev, true},
		{"frontdoor revision " + rev, rev, true},
		{"frontdoor revision " + strings.ToUpper(rev), "", false},
		{"frontdoor revision 123", "", false},
		{`{"errors":[{"status":404}]}`, "", false},
		{"", "", false},
	} {
		if got, ok := RevisionAnswer([]byte(tc.body)); got != tc.rev || ok != tc.ok {
			t.Errorf("RevisionAnswer(%q) = %q, %v; want %q, %v", tc.body, got, ok, tc.rev, tc.ok)
		}
	}
}
