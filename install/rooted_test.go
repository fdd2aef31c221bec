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
	"frontdoor/internal/testenv"
)

func appendTo(t *testing.T, path, text string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(text); err != nil {
		t.Fatal(err)
	}
}

// --root means it: the default check of a target detected under a root
// tests the configuration there with the real nginx, never this machine's
// /etc/nginx (which must not be touched: instead the copy is made to differ
// from it, and the outcome follows the copy).
func TestRootedNginxCheckReadsTheCopy(t *testing.T) {
	t.Parallel() // the real server checks copies of its own
	only := fmt.Sprintf("frontdoor-only-in-copy-%d.conf", os.Getpid())
	if _, err := os.Stat(filepath.Join("/etc/nginx/conf.d", only)); err == nil {
		t.Fatalf("/etc/nginx/conf.d/%s exists on this machine", only)
	}
	tests := []struct {
		name    string
		prepare func(t *testing.T, root string) // changes the copy
		content func(port int) []byte
		wantErr error
		want    Result
		why     string
		outside string // the file under root the report says holds the error ("" none: the snippet may be at fault)
	}{
		{name: "copy fine, site needing an upstream only the copy has: checked", prepare: func(t *testing.T, root string) {
			writeFile(t, filepath.Join(root, "etc/nginx/conf.d", only), []byte("upstream only_in_copy { server 127.0.0.1:8082; }\n"), 0o644)
		}, content: func(port int) []byte {
			return fmt.Appendf(nil, "server {\n    listen 127.0.0.1:%d;\n    location / { proxy_pass http://only_in_copy; }\n}\n", port)
		}, want: ResultChecked},
		{name: "copied main config broken: check fails, rolled back", prepare: func(t *testing.T, root string) {
			appendTo(t, filepath.Join(root, "etc/nginx/nginx.conf"), "frontdoor_broken_main on;\n")
		}, content: nginxSnippet, wantErr: ErrCheckFailed, want: ResultCheckFailed, why: `unknown directive "frontdoor_broken_main"`, outside: "etc/nginx/nginx.conf"},
		{name: "a broken site only the copy has: check fails, rolled back", prepare: func(t *testing.T, root string) {
			writeFile(t, filepath.Join(root, "etc/nginx/conf.d", only), []byte("frontdoor_broken_site on;\n"), 0o644)
		}, content: nginxSnippet, wantErr: ErrCheckFailed, want: ResultCheckFailed, why: `unknown directive "frontdoor_broken_site"`, outside: "etc/nginx/conf.d/" + only},
		{name: "the snippet broken: no other file blamed", prepare: func(*testing.T, string) {}, content: func(port int) []byte {
			return fmt.Appendf(nil, "server {\n    listen 127.0.0.1:%d;\n    frontdoor_broken_snippet on;\n}\n", port)
		}, wantErr: ErrCheckFailed, want: ResultCheckFailed, why: `unknown directive "frontdoor_broken_snippet"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := servertest.NginxRoot(t, servertest.PathsIntoCopy)
			tt.prepare(t, root)
			target := DetectTarget("nginx", root)
			port := servertest.FreePort(t)
			rep, err := Save(context.Background(), target.Plan(tt.content(port)))
			if tt.wantErr == nil && err != nil || tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v\n%s", err, tt.wantErr, rep)
			}
			if rep.Result != tt.want || !strings.Contains(rep.Check.Output, tt.why) || !strings.Contains(rep.Check.Output, root) {
				t.Fatalf("result %s, want %s with %q in the output of a check of %s:\n%s", rep.Result, tt.want, tt.why, root, rep)
			}
			if tt.outside != "" {
				where := "the error is in " + filepath.Join(root, tt.outside) + ":"
				if !strings.HasPrefix(rep.Reason, where) || !strings.HasSuffix(rep.Reason, ", outside frontdoor's file") || !strings.Contains(rep.String(), "result: check failed, rolled back: "+where) {
					t.Errorf("reason %q, want %q…, outside frontdoor's file:\n%s", rep.Reason, where, rep)
				}
			} else if strings.Contains(rep.String(), "outside frontdoor's file") {
				t.Errorf("another file blamed:\n%s", rep)
			}
			if tt.wantErr != nil {
				assertMissing(t, target.Path)
				assertMissing(t, target.EnableLink)
				return
			}
			assertFile(t, target.Path, tt.content(port), 0o644)
			if !rep.Scope.Rooted || rep.Headline() != "saved and checked" {
				t.Errorf("scope %+v, headline %q", rep.Scope, rep.Headline())
			}
		})
	}
}

// Where the check cannot be re-rooted, a passing check is "not checked
// against ROOT", with why, and the file stays (as an unchecked save does).
func TestRootedCheckThatReadsThisMachine(t *testing.T) {
	t.Parallel() // the real server checks copies of its own
	testenv.Binary(t, "nginx")
	testenv.Dir(t, "/etc/nginx", "nginx-light")
	if out, err := runOut("nginx", "-t"); err != nil {
		testenv.Unavailable(t, "this machine's own nginx configuration does not pass nginx -t (%v): %s", err, out)
	}
	tests := []struct {
		name  string
		setup func(t *testing.T, root string) Plan
		why   string
	}{
		{"a plain copy: its nginx.conf includes /etc/nginx/...", func(t *testing.T, root string) Plan {
			servertest.CopyNginxUnder(t, root, servertest.PathsAsTheyAre)
			return DetectTarget("nginx", root).Plan(nginxSnippet(servertest.FreePort(t)))
		}, "includes /etc/nginx/"},
		{"a check the user typed that reads /etc/nginx/nginx.conf", func(t *testing.T, root string) Plan {
			for _, d := range []string{"etc/nginx/sites-available", "etc/nginx/sites-enabled"} {
				os.MkdirAll(filepath.Join(root, d), 0o755)
			}
			plan := DetectTarget("nginx", root).Plan(nginxSnippet(servertest.FreePort(t)))
			plan.CheckCmd, plan.CheckRequired = []string{"nginx", "-t"}, true
			return plan
		}, "the check reads /etc/nginx/nginx.conf, outside " + "ROOT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			plan := tt.setup(t, root)
			rep, err := Save(context.Background(), plan)
			if err != nil {
				t.Fatalf("%v\n%s", err, rep)
			}
			why := strings.ReplaceAll(tt.why, "ROOT", root)
			if rep.Result != ResultNotRooted || !strings.Contains(rep.Reason, why) {
				t.Fatalf("result %s (%s), want not-rooted because %q:\n%s", rep.Result, rep.Reason, why, rep)
			}
			if h := rep.Headline(); !strings.HasPrefix(h, "saved, not checked against "+root+": ") {
				t.Errorf("headline %q", h)
			}
			if s := rep.String(); strings.Contains(s, "saved and checked") {
				t.Errorf("says checked:\n%s", s)
			}
			assertFile(t, plan.Target, plan.Content, 0o644)
		})
	}
}

// A check that passes without ever loading the file vouches for nothing:
// "NOT checked", naming what it read.
func TestCheckThatDoesNotLoadTheFile(t *testing.T) {
	t.Parallel() // the real server checks copies of its own
	nginx := testenv.Binary(t, "nginx")
	dir := t.TempDir()
	avail, enabled := filepath.Join(dir, "sites-available"), filepath.Join(dir, "sites-enabled")
	os.MkdirAll(avail, 0o755)
	os.MkdirAll(enabled, 0o755)
	conf := filepath.Join(dir, "nginx.conf")
	writeFile(t, conf, fmt.Appendf(nil, "pid %s/nginx.pid;\nerror_log %s/error.log;\nevents {}\nhttp {\n    access_log off;\n    include %s/*;\n}\n", dir, dir, enabled), 0o644)
	check := []string{nginx, "-t", "-c", conf, "-e", "stderr"}
	file := filepath.Join(avail, FileName)

	rep, err := Save(context.Background(), Plan{Target: file, Content: nginxSnippet(servertest.FreePort(t)), CheckCmd: check})
	if err != nil || rep.Result != ResultNotChecked || !strings.Contains(rep.Reason, "does not load "+file) {
		t.Fatalf("without the enable link: %v, result %s (%s)\n%s", err, rep.Result, rep.Reason, rep)
	}
	rep, err = Save(context.Background(), Plan{Target: file, Content: nginxSnippet(servertest.FreePort(t)), EnableLink: filepath.Join(enabled, FileName), CheckCmd: check})
	if err != nil || rep.Result != ResultChecked {
		t.Fatalf("with the enable link: %v, result %s (%s)\n%s", err, rep.Result, rep.Reason, rep)
	}
}

func TestRootedApacheCheck(t *testing.T) {
	t.Parallel() // the real server checks copies of its own
	root := servertest.ApacheRoot(t)
	target := DetectTarget("apache", root)
	port := servertest.FreePort(t)
	site := fmt.Appendf(nil, "<VirtualHost 127.0.0.1:%d>\n    ServerName artifactory.test\n</VirtualHost>\n", port)
	rep, err := Save(context.Background(), target.Plan(site))
	if err != nil || rep.Result != ResultChecked || !rep.Scope.Rooted {
		t.Fatalf("copy fine: %v\n%s", err, rep)
	}

	// Break the copied main configuration: the check reads it, fails, and
	// the new version is rolled back.
	appendTo(t, filepath.Join(root, "etc/apache2/apache2.conf"), "FrontdoorBrokenMain on\n")
	rep, err = Save(context.Background(), target.Plan(append(site, "# second version\n"...)))
	if !errors.Is(err, ErrCheckFailed) || !rep.RolledBack || !strings.Contains(rep.Check.Output, "FrontdoorBrokenMain") {
		t.Fatalf("broken copy: %v\n%s", err, rep)
	}
	assertFile(t, target.Path, site, 0o644)
	assertBackups(t, target.Path, "", 0o644)
}

func runOut(name string, args ...string) (string, error) {
	var b strings.Builder
	res := runCommand(context.Background(), append([]string{name}, args...), nil)
	b.WriteString(res.Output)
	if res.Status != StatusPassed {
		return b.String(), fmt.Errorf("%s: %v", res.Status, res.Err)
	}
	return b.String(), nil
}
