package install

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"frontdoor/internal/servertest"
)

// Saves into copies of this machine's /etc/haproxy and /etc/caddy, checked
// by the real haproxy and caddy through the targets' re-rooted default
// checks: a good save is checked (only when the server as started loads
// it), a broken one is rolled back, and the check reads the copy only.

// haproxySnippet is a small valid site: its frontend's name makes a second
// copy of it loaded (a backup, say) an error.
func haproxySnippet(port int) []byte {
	return fmt.Appendf(nil, "frontend artifactory_test\n    bind 127.0.0.1:%d\n    mode http\n    default_backend artifactory_test\n\n"+
		"backend artifactory_test\n    mode http\n    server node1 127.0.0.1:8082\n", port)
}

func brokenHAProxySnippet(port int) []byte {
	return fmt.Appendf(nil, "frontend artifactory_test\n    bind 127.0.0.1:%d\n    proxy_pass_everything on\n", port)
}

func TestSaveWithRealHAProxy(t *testing.T) {
	t.Parallel() // the real server checks copies of its own
	tests := []struct {
		name     string
		service  bool                            // the service loads conf.d
		prepare  func(t *testing.T, root string) // changes the copy
		previous func(port int) []byte           // installed first; nil: nothing
		content  func(port int) []byte
		wantErr  error
		want     Result
		why      string // part of the check's output or the reason
	}{
		{name: "loaded by the service: checked", service: true, content: haproxySnippet, want: ResultChecked},
		{name: "second save: the hidden backup is not loaded", service: true, previous: haproxySnippet,
			content: func(port int) []byte { return append(haproxySnippet(port), "# second version\n"...) }, want: ResultChecked},
		{name: "broken over a valid one: restored byte for byte", service: true, previous: haproxySnippet, content: brokenHAProxySnippet,
			wantErr: ErrCheckFailed, want: ResultCheckFailed, why: "unknown keyword 'proxy_pass_everything'"},
		{name: "broken first save: removed", service: true, content: brokenHAProxySnippet,
			wantErr: ErrCheckFailed, want: ResultCheckFailed, why: "unknown keyword 'proxy_pass_everything'"},
		{name: "Debian's stock service does not load conf.d: not checked, says the line", content: haproxySnippet,
			want: ResultNotChecked, why: `haproxy does not load /etc/haproxy/conf.d: add EXTRAOPTS="-S /run/haproxy-master.sock -f /etc/haproxy/conf.d" to ROOT/etc/default/haproxy`},
		{name: "--root: a backend only the copy has: checked", service: true, prepare: func(t *testing.T, root string) {
			appendTo(t, filepath.Join(root, "etc/haproxy/haproxy.cfg"), "\nbackend only_in_copy\n    mode http\n    server n 127.0.0.1:8082\n")
		}, content: func(port int) []byte {
			return fmt.Appendf(nil, "frontend artifactory_test\n    bind 127.0.0.1:%d\n    mode http\n    default_backend only_in_copy\n", port)
		}, want: ResultChecked},
		{name: "--root: the copy's haproxy.cfg broken: check fails, rolled back", service: true, prepare: func(t *testing.T, root string) {
			appendTo(t, filepath.Join(root, "etc/haproxy/haproxy.cfg"), "\nfrontdoor_broken_main on\n")
		}, content: haproxySnippet, wantErr: ErrCheckFailed, want: ResultCheckFailed, why: "frontdoor_broken_main"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := servertest.HAProxyRoot(t, tt.service)
			if tt.prepare != nil {
				tt.prepare(t, root)
			}
			port := servertest.FreePort(t)
			target := DetectTarget("haproxy", root)
			if target.Path != filepath.Join(root, "etc/haproxy/conf.d/artifactory.cfg") || !target.Detected || tt.service != (target.Note == "") {
				t.Fatalf("target %+v", target)
			}
			var before []byte
			if tt.previous != nil {
				before = tt.previous(port)
				if rep, err := Save(context.Background(), target.Plan(before)); err != nil || rep.Result != ResultChecked {
					t.Fatalf("installing the previous version: %v\n%s", err, rep)
				}
			}
			rep, err := Save(context.Background(), target.Plan(tt.content(port)))
			if tt.wantErr == nil && err != nil || tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v\n%s", err, tt.wantErr, rep)
			}
			why := strings.ReplaceAll(tt.why, "ROOT", root)
			if rep.Result != tt.want || !strings.Contains(rep.Check.Output+rep.Reason, why) || !rep.Scope.Rooted {
				t.Fatalf("result %s (%s), want %s with %q:\n%s", rep.Result, rep.Headline(), tt.want, why, rep)
			}
			switch {
			case tt.wantErr == nil:
				assertFile(t, target.Path, tt.content(port), 0o644)
				if before != nil {
					assertBackups(t, target.Path, "", 0o644, before)
				}
			case before != nil:
				assertFile(t, target.Path, before, 0o644)
			default:
				assertMissing(t, target.Path)
			}
			assertNoScratch(t, filepath.Dir(target.Path))
			switch tt.want {
			case ResultChecked:
				if rep.Headline() != "saved and checked" || !strings.Contains(rep.Check.Output, "valid") && rep.Check.Status != StatusPassed {
					t.Errorf("headline %q\n%s", rep.Headline(), rep)
				}
			case ResultNotChecked:
				// The check passed: the file is fine, but what serves does not read it.
				if rep.Check.Status != StatusPassed || !strings.HasPrefix(rep.Headline(), "saved, NOT checked: haproxy does not load") ||
					!strings.Contains(rep.String(), "! checked, but haproxy does not load") || rep.Mark() != MarkWarning {
					t.Errorf("check %s, headline %q\n%s", rep.Check.Status, rep.Headline(), rep)
				}
			}
			if tt.prepare == nil || tt.wantErr == nil {
				runCheck(t, target.CheckCmd) // whatever happened, the configuration is valid afterwards
			}
		})
	}
}

// caddySnippet is a small valid site; a second copy of it loaded would be
// an ambiguous site definition.
func caddySnippet(port int) []byte {
	return fmt.Appendf(nil, "http://artifactory.test:%d {\n\treverse_proxy 127.0.0.1:8082\n}\n", port)
}

func brokenCaddySnippet(port int) []byte {
	return fmt.Appendf(nil, "http://artifactory.test:%d {\n\tproxy_pass_everything on\n}\n", port)
}

func TestSaveWithRealCaddy(t *testing.T) {
	tests := []struct {
		name     string
		imported bool
		prepare  func(t *testing.T, root string)
		previous func(port int) []byte
		content  func(port int) []byte
		wantErr  error
		want     Result
		why      string
	}{
		{name: "imported: checked", imported: true, content: caddySnippet, want: ResultChecked},
		{name: "second save: the backup is not imported", imported: true, previous: caddySnippet,
			content: func(port int) []byte { return append(caddySnippet(port), "# second version\n"...) }, want: ResultChecked},
		{name: "broken over a valid one: restored byte for byte", imported: true, previous: caddySnippet, content: brokenCaddySnippet,
			wantErr: ErrCheckFailed, want: ResultCheckFailed, why: "unrecognized directive: proxy_pass_everything"},
		{name: "broken first save: removed", imported: true, content: brokenCaddySnippet,
			wantErr: ErrCheckFailed, want: ResultCheckFailed, why: "unrecognized directive: proxy_pass_everything"},
		{name: "stock Caddyfile imports nothing: not checked, says the line", content: brokenCaddySnippet,
			want: ResultNotChecked, why: "add the line `import conf.d/*.caddyfile` to ROOT/etc/caddy/Caddyfile"},
		{name: "--root: a snippet only the copy defines: checked", imported: true, prepare: func(t *testing.T, root string) {
			appendTo(t, filepath.Join(root, "etc/caddy/Caddyfile"), "\n(only_in_copy) {\n\treverse_proxy 127.0.0.1:8082\n}\n")
			// Caddy needs a snippet defined before it is imported: the import line goes last.
			data, _ := os.ReadFile(filepath.Join(root, "etc/caddy/Caddyfile"))
			text := strings.Replace(string(data), "\nimport conf.d/*.caddyfile\n", "\n", 1) + "\nimport conf.d/*.caddyfile\n"
			writeFile(t, filepath.Join(root, "etc/caddy/Caddyfile"), []byte(text), 0o644)
		}, content: func(port int) []byte {
			return fmt.Appendf(nil, "http://artifactory.test:%d {\n\timport only_in_copy\n}\n", port)
		}, want: ResultChecked},
		{name: "--root: the copy's Caddyfile broken: check fails, rolled back", imported: true, prepare: func(t *testing.T, root string) {
			appendTo(t, filepath.Join(root, "etc/caddy/Caddyfile"), "\n:1 {\n\tfrontdoor_broken_main\n}\n")
		}, content: caddySnippet, wantErr: ErrCheckFailed, want: ResultCheckFailed, why: "frontdoor_broken_main"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := servertest.CaddyRoot(t, tt.imported)
			if tt.prepare != nil {
				tt.prepare(t, root)
			}
			port := servertest.FreePort(t)
			target := DetectTarget("caddy", root)
			if target.Path != filepath.Join(root, "etc/caddy/conf.d/artifactory.caddyfile") || !target.Detected || tt.imported != (target.Note == "") {
				t.Fatalf("target %+v", target)
			}
			var before []byte
			if tt.previous != nil {
				before = tt.previous(port)
				if rep, err := Save(context.Background(), target.Plan(before)); err != nil || rep.Result != ResultChecked {
					t.Fatalf("installing the previous version: %v\n%s", err, rep)
				}
			}
			rep, err := Save(context.Background(), target.Plan(tt.content(port)))
			if tt.wantErr == nil && err != nil || tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v\n%s", err, tt.wantErr, rep)
			}
			why := strings.ReplaceAll(tt.why, "ROOT", root)
			if rep.Result != tt.want || !strings.Contains(rep.Check.Output+rep.Reason, why) || !rep.Scope.Rooted {
				t.Fatalf("result %s (%s), want %s with %q:\n%s", rep.Result, rep.Headline(), tt.want, why, rep)
			}
			switch {
			case tt.wantErr == nil:
				assertFile(t, target.Path, tt.content(port), 0o644)
				if before != nil {
					assertBackups(t, target.Path, "", 0o644, before)
				}
			case before != nil:
				assertFile(t, target.Path, before, 0o644)
			default:
				assertMissing(t, target.Path)
			}
			assertNoScratch(t, filepath.Dir(target.Path))
			switch tt.want {
			case ResultChecked:
				if rep.Headline() != "saved and checked" {
					t.Errorf("headline %q\n%s", rep.Headline(), rep)
				}
			case ResultNotChecked:
				// Caddy validated the Caddyfile, which does not import the (broken) file: nothing vouches for it.
				if rep.Check.Status != StatusPassed || !strings.HasPrefix(rep.Headline(), "saved, NOT checked: "+root+"/etc/caddy/Caddyfile does not import "+target.Path) || rep.Mark() != MarkWarning {
					t.Errorf("check %s, headline %q\n%s", rep.Check.Status, rep.Headline(), rep)
				}
			}
			if tt.prepare == nil || tt.wantErr == nil {
				runCheck(t, target.CheckCmd)
			}
		})
	}
}

// A Kubernetes manifest is only written: no check, reload or link, and the
// report says how to apply it, never "checked".
func TestSaveManifest(t *testing.T) {
	root := t.TempDir()
	target := DetectTarget("gateway-api", root)
	rep, err := Save(context.Background(), target.Plan([]byte("apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\n")))
	if err != nil || rep.Result != ResultNotChecked || !rep.Saved {
		t.Fatalf("err %v, result %s\n%s", err, rep.Result, rep)
	}
	apply := "apply it with `kubectl apply -f " + target.Path + "`"
	if rep.Headline() != "saved, NOT checked: "+apply || !strings.Contains(rep.String(), "· not checked: "+apply) || strings.Contains(rep.String(), "without a check") {
		t.Errorf("headline %q\n%s", rep.Headline(), rep)
	}
}
