package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"frontdoor/internal/servertest"
	"frontdoor/render"
)

// settingsFor is a small valid settings file for provider.
func settingsFor(provider render.Provider) string {
	return "proxy:\n  provider: " + string(provider) + "\n  serverName: artifactory.example.com\n  http: {port: 8480}\n  docker: {method: repositoryPath}\n"
}

// Every provider is a --provider, from the one list; an unknown one is
// told that list.
func TestProviderFlagTakesEveryProvider(t *testing.T) {
	for _, p := range render.Providers {
		if err := (Flags{Provider: Given(string(p))}).Validate(); err != nil {
			t.Errorf("--provider %s: %v", p, err)
		}
	}
	err := Flags{Command: "frontdoor save", Provider: Given("iis")}.Validate()
	if !IsUsage(err) || !strings.Contains(err.Error(), render.ProviderNames()) {
		t.Errorf("unknown provider: %v", err)
	}
}

// Resolve per provider: the detected file, check and link of each layout,
// with the note that says what the server still needs.
func TestResolveProviders(t *testing.T) {
	tests := []struct {
		provider render.Provider
		dirs     []string
		files    map[string]string
		path     string // relative to the root
		check    string // ROOT is replaced
		note     string // part of a note
	}{
		{provider: render.HAProxy, dirs: []string{"etc/haproxy/conf.d"}, files: map[string]string{"etc/haproxy/haproxy.cfg": "global\n"},
			path: "etc/haproxy/conf.d/artifactory.cfg", check: "haproxy -c -f ROOT/etc/haproxy/haproxy.cfg -f ROOT/etc/haproxy/conf.d",
			note: `haproxy does not load /etc/haproxy/conf.d: add EXTRAOPTS="-S /run/haproxy-master.sock -f /etc/haproxy/conf.d" to ROOT/etc/default/haproxy`},
		{provider: render.HAProxy, dirs: []string{"etc/haproxy/conf.d"}, files: map[string]string{"etc/haproxy/haproxy.cfg": "global\n", "etc/default/haproxy": "EXTRAOPTS=\"-f /etc/haproxy/conf.d\"\n"},
			path: "etc/haproxy/conf.d/artifactory.cfg", check: "haproxy -c -f ROOT/etc/haproxy/haproxy.cfg -f ROOT/etc/haproxy/conf.d"},
		{provider: render.Caddy, dirs: []string{"etc/caddy/conf.d"}, files: map[string]string{"etc/caddy/Caddyfile": ":80 {\n}\n"},
			path: "etc/caddy/conf.d/artifactory.caddyfile", check: "caddy validate --adapter caddyfile --config ROOT/etc/caddy/Caddyfile",
			note: "add the line `import conf.d/*.caddyfile` to ROOT/etc/caddy/Caddyfile"},
		{provider: render.Caddy, dirs: []string{"etc/caddy/conf.d"}, files: map[string]string{"etc/caddy/Caddyfile": ":80 {\n}\nimport conf.d/*.caddyfile\n"},
			path: "etc/caddy/conf.d/artifactory.caddyfile", check: "caddy validate --adapter caddyfile --config ROOT/etc/caddy/Caddyfile"},
		{provider: render.KubernetesIngress, path: "artifactory-ingress.yaml"},
		{provider: render.GatewayAPI, path: "artifactory-gateway.yaml"},
	}
	for _, tt := range tests {
		t.Run(string(tt.provider)+tt.note, func(t *testing.T) {
			root := t.TempDir()
			for _, d := range tt.dirs {
				mkdir(t, filepath.Join(root, d))
			}
			for rel, body := range tt.files {
				writeFile(t, filepath.Join(root, rel), body)
			}
			_, doc := settingsFile(t, settingsFor(tt.provider))
			tg, err := Resolve(tt.provider, doc.Settings(), Flags{Root: Given(root)})
			if err != nil {
				t.Fatal(err)
			}
			check := strings.ReplaceAll(tt.check, "ROOT", root)
			if tg.Path.Value != filepath.Join(root, tt.path) || tg.Path.Origin != OriginDetected || tg.Link.Value != "" ||
				tg.Check.Value != check || tg.Check.Origin != OriginDetected || tg.Reload.Value != "" {
				t.Errorf("target %+v, want %s checked by %q", tg, filepath.Join(root, tt.path), check)
			}
			notes := strings.Join(tg.Notes, "\n")
			if note := strings.ReplaceAll(tt.note, "ROOT", root); note != "" && !strings.Contains(notes, note) || note == "" && notes != "" {
				t.Errorf("notes %q, want %q", notes, note)
			}
		})
	}
}

// A save: section written for nginx is not used for another provider (only
// keep carries over), and the report says so.
func TestRememberedSaveForAnotherProvider(t *testing.T) {
	root := t.TempDir()
	mkdir(t, filepath.Join(root, "etc/haproxy/conf.d"))
	body := settingsFor(render.Nginx) + "save:\n  target: " + root + "/etc/nginx/sites-available/artifactory.conf\n  check: nginx -t\n  reload: systemctl reload nginx\n  keep: 3\n"
	_, doc := settingsFile(t, body)
	for _, tt := range []struct {
		provider render.Provider
		path     string
		note     string
	}{
		{render.HAProxy, root + "/etc/haproxy/conf.d/artifactory.cfg", "the save: section of the settings file is for nginx: using the haproxy layout detected instead"},
		{render.GatewayAPI, root + "/artifactory-gateway.yaml", "the save: section of the settings file is for nginx: saving the gateway-api manifest to " + root + "/artifactory-gateway.yaml instead"},
	} {
		req := request(t, doc, Flags{Provider: Given(string(tt.provider)), Root: Given(root)})
		tg := req.Target
		if tg.Path.Value != tt.path || strings.Contains(tg.Check.Value, "nginx") || tg.Reload.Value != "" || tg.Keep.Value != 3 || tg.Keep.Origin != OriginRemembered {
			t.Errorf("%s: target %+v", tt.provider, tg)
		}
		if !strings.Contains(strings.Join(tg.Notes, "\n"), tt.note) {
			t.Errorf("%s: notes %q", tt.provider, tg.Notes)
		}
	}
}

// Kubernetes outputs are only written to a file: a check, a reload, an
// enable link or a verify, wherever it comes from, is a usage error (exit
// 2) that says why; --no-check is merely redundant.
func TestManifestsAreOnlyWritten(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name     string
		remember string // the settings file's save: section
		flags    Flags
		want     string // "" for no error
	}{
		{name: "--check", flags: Flags{Check: Given("kubectl apply --dry-run=server -f x")}, want: "leave out the check (from --check)"},
		{name: "--reload", flags: Flags{NoCheck: false, Reload: Given("kubectl apply -f x")}, want: "leave out the reload (from --reload)"},
		{name: "--link", flags: Flags{To: Given(filepath.Join(dir, "a.yaml")), Link: Given(filepath.Join(dir, "b.yaml"))}, want: "leave out the link (from --link)"},
		{name: "--verify", flags: Flags{Verify: true}, want: "leave out --verify"},
		{name: "remembered save.check", remember: "save:\n  check: kubectl apply --dry-run=server -f x\n", want: "leave out the check (remembered in save.check)"},
		{name: "--no-check is fine", flags: Flags{NoCheck: true}},
		{name: "--to is fine", flags: Flags{To: Given(filepath.Join(dir, "gw.yaml"))}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, doc := settingsFile(t, settingsFor(render.GatewayAPI)+tt.remember)
			tt.flags.Command = "frontdoor save"
			_, err := CommandLine(doc, tt.flags)
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if ExitCode(err) != 2 || !strings.Contains(err.Error(), "gateway-api writes Kubernetes manifests") || !strings.Contains(err.Error(), tt.want) ||
				!strings.HasPrefix(err.Error(), "frontdoor save: ") {
				t.Errorf("err %v (exit %d), want %q", err, ExitCode(err), tt.want)
			}
		})
	}
}

// A Kubernetes save writes the rendered manifest to the file and says how
// to apply it: never "checked", exit 0, nothing reloaded.
func TestSaveManifestToAFile(t *testing.T) {
	for _, p := range []render.Provider{render.KubernetesIngress, render.GatewayAPI} {
		t.Run(string(p), func(t *testing.T) {
			root := t.TempDir()
			_, doc := settingsFile(t, settingsFor(p))
			req := request(t, doc, Flags{Root: Given(root)})
			rep := Save(context.Background(), req)
			file := filepath.Join(root, map[render.Provider]string{render.KubernetesIngress: "artifactory-ingress.yaml", render.GatewayAPI: "artifactory-gateway.yaml"}[p])
			apply := "apply it with `kubectl apply -f " + file + "`"
			if rep.ExitCode() != 0 || rep.Headline() != "saved, NOT checked: "+apply || rep.Installed() != file {
				t.Fatalf("exit %d %q:\n%s", rep.ExitCode(), rep.Headline(), rep)
			}
			text := rep.String()
			if strings.Contains(text, "checked,") || strings.Contains(text, "reload") || !strings.Contains(text, "check:  none: apply it with `kubectl apply -f "+file+"` (a Kubernetes manifest)") {
				t.Errorf("report:\n%s", text)
			}
			if got := readFile(t, file); got != rendered(t, settingsFor(p), "") {
				t.Error("the file is not the rendered manifest")
			}
			// Saved again: unchanged, the same words.
			if rep := Save(context.Background(), request(t, doc, Flags{Root: Given(root)})); rep.ExitCode() != 0 || !strings.HasPrefix(rep.Headline(), "unchanged, NOT checked: apply it") {
				t.Errorf("second save: %q", rep.Headline())
			}
		})
	}
}

// The rendered HAProxy and Caddy outputs saved through the one pipeline
// into copies of this machine's /etc/haproxy and /etc/caddy, checked by the
// real servers: checked only when what the server loads includes the file
// (else the report gives the line to add), rolled back when the check
// fails, and the re-rooted check reads the copy.
func TestSaveProvidersWithRealServers(t *testing.T) {
	tests := []struct {
		name     string
		provider render.Provider
		root     func(t *testing.T) string
		breakIt  func(t *testing.T, root string)
		code     int
		want     string // the headline starts so (ROOT replaced)
		file     bool   // the file stays
		reloaded bool
	}{
		{name: "haproxy loading conf.d: checked, reloaded", provider: render.HAProxy, root: func(t *testing.T) string { return servertest.HAProxyRoot(t, true) },
			want: "saved and checked, reloaded", file: true, reloaded: true},
		{name: "haproxy as Debian ships it: not checked, the EXTRAOPTS line", provider: render.HAProxy, root: func(t *testing.T) string { return servertest.HAProxyRoot(t, false) },
			want: `saved, NOT checked: haproxy does not load /etc/haproxy/conf.d: add EXTRAOPTS="-S /run/haproxy-master.sock -f /etc/haproxy/conf.d" to ROOT/etc/default/haproxy, then systemctl restart haproxy`, file: true},
		{name: "haproxy, the copy's haproxy.cfg broken: rolled back", provider: render.HAProxy, root: func(t *testing.T) string { return servertest.HAProxyRoot(t, true) },
			breakIt: func(t *testing.T, root string) {
				appendFile(t, filepath.Join(root, "etc/haproxy/haproxy.cfg"), "\nfrontdoor_broken on\n")
			},
			code: 1, want: "check failed, rolled back"},
		{name: "caddy importing conf.d: checked, reloaded", provider: render.Caddy, root: func(t *testing.T) string { return servertest.CaddyRoot(t, true) },
			want: "saved and checked, reloaded", file: true, reloaded: true},
		{name: "caddy as Debian ships it: not checked, the import line", provider: render.Caddy, root: func(t *testing.T) string { return servertest.CaddyRoot(t, false) },
			want: "saved, NOT checked: ROOT/etc/caddy/Caddyfile does not import ROOT/etc/caddy/conf.d/artifactory.caddyfile: add the line `import conf.d/*.caddyfile` to ROOT/etc/caddy/Caddyfile", file: true},
		{name: "caddy, the copy's Caddyfile broken: rolled back", provider: render.Caddy, root: func(t *testing.T) string { return servertest.CaddyRoot(t, true) },
			breakIt: func(t *testing.T, root string) {
				appendFile(t, filepath.Join(root, "etc/caddy/Caddyfile"), "\n:1 {\n\tfrontdoor_broken\n}\n")
			},
			code: 1, want: "check failed, rolled back"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := tt.root(t)
			if tt.breakIt != nil {
				tt.breakIt(t, root)
			}
			_, doc := settingsFile(t, settingsFor(tt.provider))
			reloaded := filepath.Join(root, "reloaded")
			req := request(t, doc, Flags{Root: Given(root), Reload: Given("touch " + reloaded)})
			if !strings.Contains(req.Target.Check.Value, root) {
				t.Fatalf("the detected check does not read the copy: %+v", req.Target.Check)
			}
			rep := Save(context.Background(), req)
			want := strings.ReplaceAll(tt.want, "ROOT", root)
			if rep.ExitCode() != tt.code || !strings.HasPrefix(rep.Headline(), want) {
				t.Fatalf("exit %d %q\nwant %d %q:\n%s", rep.ExitCode(), rep.Headline(), tt.code, want, rep)
			}
			if _, err := os.Stat(req.Target.Path.Value); (err == nil) != tt.file {
				t.Errorf("file there = %v, want %v", err == nil, tt.file)
			}
			if tt.file && readFile(t, req.Target.Path.Value) != rendered(t, settingsFor(tt.provider), "") {
				t.Error("the installed file is not the rendered output")
			}
			if _, err := os.Stat(reloaded); (err == nil) != tt.reloaded {
				t.Errorf("reloaded = %v, want %v:\n%s", err == nil, tt.reloaded, rep)
			}
		})
	}
}

// restore finds HAProxy's and Caddy's layouts from --to alone.
func TestRestoreFindsTheServerOfAFile(t *testing.T) {
	root := t.TempDir()
	for _, d := range []string{"etc/haproxy/conf.d", "etc/caddy/conf.d"} {
		mkdir(t, filepath.Join(root, d))
	}
	for p, rel := range map[render.Provider]string{render.HAProxy: "etc/haproxy/conf.d/artifactory.cfg", render.Caddy: "etc/caddy/conf.d/artifactory.caddyfile"} {
		tg, err := ResolveRestore(nil, Flags{Root: Given(root), To: Given(filepath.Join(root, rel))})
		if err != nil || tg.Provider != p || tg.Check.Origin != OriginDetected || !strings.HasPrefix(tg.Check.Value, string(p)) {
			t.Errorf("%s: %+v, %v", rel, tg, err)
		}
	}
	// A settings file for a Kubernetes output: its file, no check.
	_, doc := settingsFile(t, settingsFor(render.KubernetesIngress))
	tg, err := ResolveRestore(doc, Flags{Root: Given(root)})
	if err != nil || tg.Path.Value != filepath.Join(root, "artifactory-ingress.yaml") || tg.Check.Value != "" {
		t.Errorf("kubernetes-ingress: %+v, %v", tg, err)
	}
}

func appendFile(t *testing.T, path, text string) {
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
