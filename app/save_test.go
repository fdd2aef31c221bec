package app

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"frontdoor/config"
	"frontdoor/install"
	"frontdoor/render"
)

// Invalid settings stop the save before anything is written: not the
// snippet, not its link, not the settings file, from the command line and
// from the wizard (Remember) alike.
func TestInvalidSettingsWriteNothing(t *testing.T) {
	tests := []struct {
		name string
		body string
		want string // a finding the report shows
	}{
		{"proxy: two repositories on one port", "proxy:\n  serverName: a.example.com\n  docker:\n    method: ports\n    repositories: [{key: a, port: 5001}, {key: b, port: 5001}]\n",
			"proxy.docker.repositories[1].port: error:"},
		{"proxy: a certificate file that is not a certificate", "proxy:\n  serverName: a.example.com\n  https: {enabled: true, certificate: CERT, key: CERT}\n  docker: {method: repositoryPath}\n",
			"proxy.https.certificate: error:"},
		{"ldap: a URL with a password in it", plainHTTP + "ldap:\n  settings:\n    - {key: corp, url: \"ldap://admin:secret@ldap.example.com/dc=example,dc=com\", search: {filter: \"(uid={0})\"}}\n",
			"ldap.settings[0].url"},
		{"save: a relative target", plainHTTP + "save:\n  target: relative/artifactory.conf\n", "save.target"},
	}
	for _, tt := range tests {
		for _, remember := range []bool{false, true} {
			t.Run(tt.name, func(t *testing.T) {
				root, file, link := layoutRoot(t, "nginx")
				body := strings.ReplaceAll(tt.body, "CERT", writeFile(t, filepath.Join(root, "not-a.pem"), "not a certificate\n"))
				path, doc := settingsFile(t, body)
				f := doc.Settings()
				f.Proxy.Provider = render.Nginx
				tgt, err := Resolve(render.Nginx, f, Flags{Root: Given(root), NoCheck: true, To: Given(file), Link: Given(link)})
				if err != nil {
					t.Fatal(err)
				}
				var streamed []install.Step
				rep := Save(context.Background(), Request{Doc: doc, Target: tgt, Remember: remember, Progress: func(s install.Step) { streamed = append(streamed, s) }})
				if rep.ExitCode() != 2 || rep.Install != nil {
					t.Fatalf("exit %d, installed %v:\n%s", rep.ExitCode(), rep.Install != nil, rep)
				}
				out := rep.String()
				if !strings.Contains(out, tt.want) || !strings.Contains(out, "nothing written") || !strings.Contains(out, "✗ settings invalid") {
					t.Errorf("report lacks %q:\n%s", tt.want, out)
				}
				if len(streamed) != len(rep.Steps) {
					t.Errorf("streamed %d steps, the report has %d", len(streamed), len(rep.Steps))
				}
				assertMissing(t, file)
				assertMissing(t, link)
				if got := readFile(t, path); got != body {
					t.Errorf("settings file changed:\n%s", got)
				}
			})
		}
	}
}

// The settings file changed on disk after it was loaded: the save stops
// before the server is touched, names the file and says what changed. The
// wizard can then take theirs (open again) or overwrite with its own, which
// keeps their comments.
func TestConflictBeforeInstall(t *testing.T) {
	root, file, _ := layoutRoot(t, "nginx")
	for _, remember := range []bool{false, true} {
		path, doc := settingsFile(t, plainHTTP)
		edited := doc.Settings()
		edited.Proxy.ServerName = "mine.example.com"
		// Someone else edits the file behind our back.
		theirs := strings.Replace(plainHTTP, "artifactory.example.com", "theirs.example.com", 1) + "# their note\n"
		writeFile(t, path, theirs)

		tgt, err := Resolve(render.Nginx, doc.Settings(), Flags{Root: Given(root), NoCheck: true})
		if err != nil {
			t.Fatal(err)
		}
		req := Request{Doc: doc, Settings: edited, Target: tgt, Remember: remember}
		rep := Save(context.Background(), req)
		out := rep.String()
		if rep.ExitCode() != 1 || rep.Install != nil || !errors.Is(rep.Err, config.ErrChangedOnDisk) || rep.Settings != SettingsConflict {
			t.Fatalf("remember=%v: exit %d, err %v:\n%s", remember, rep.ExitCode(), rep.Err, out)
		}
		if !strings.Contains(out, path+" changed on disk since it was loaded") || !strings.Contains(out, "proxy.serverName: artifactory.example.com → theirs.example.com") {
			t.Errorf("the report does not name the file and the change:\n%s", out)
		}
		// Said once: the step, then what changed under it (the result
		// line sums up, as for every failure).
		if steps := rep.RenderSteps(0); strings.Count(steps, "changed on disk") != 1 {
			t.Errorf("the steps say it %d times, want once:\n%s", strings.Count(steps, "changed on disk"), steps)
		}
		assertMissing(t, file)
		if readFile(t, path) != theirs {
			t.Error("their version was overwritten")
		}
		if !remember {
			if !strings.Contains(out, "run the command again") {
				t.Errorf("the command line offers no dialog, it says what to do:\n%s", out)
			}
			continue
		}
		if rep.Conflict == nil || !strings.Contains(out, "reload to take that version, overwrite it with yours, merge both, or cancel") {
			t.Fatalf("no conflict for the dialog:\n%s", out)
		}

		// Overwrite (take mine): installed, and the file says mine with their comment kept.
		req.Overwrite = true
		rep = Save(context.Background(), req)
		if rep.ExitCode() != 0 || rep.Settings != SettingsWritten {
			t.Fatalf("overwrite: exit %d:\n%s", rep.ExitCode(), rep)
		}
		got := readFile(t, path)
		if !strings.Contains(got, "mine.example.com") || !strings.Contains(got, "# their note") || !strings.Contains(got, "# the admin's own words") {
			t.Errorf("overwrite lost a comment or the value:\n%s", got)
		}
		if rep.Document == nil || rep.Document.Settings().Proxy.ServerName != "mine.example.com" {
			t.Error("the report's Document is not the file as written")
		}
		// The next save from that Document sees no conflict.
		rep = Save(context.Background(), Request{Doc: rep.Document, Settings: rep.Document.Settings(), Target: tgt, Remember: true})
		if rep.ExitCode() != 0 || rep.Settings != SettingsUnchanged {
			t.Errorf("the save after: exit %d, settings %q:\n%s", rep.ExitCode(), rep.Settings, rep)
		}
	}
}

// Save settings only: no snippet, only the values that changed rewritten,
// comments kept; a file that does not exist yet (--config new.yaml) is
// created; a value validation rejects is not written; a conflict is one.
func TestSaveSettingsOnly(t *testing.T) {
	root, file, _ := layoutRoot(t, "nginx")
	path, doc := settingsFile(t, plainHTTP)
	f := doc.Settings()
	f.Proxy.ServerName = "other.example.com"
	rep := SaveSettings(Request{Doc: doc, Settings: f})
	got := readFile(t, path)
	if rep.ExitCode() != 0 || rep.Settings != SettingsWritten || rep.Headline() != "settings saved to "+path {
		t.Fatalf("exit %d, %q:\n%s", rep.ExitCode(), rep.Headline(), rep)
	}
	if got != strings.Replace(plainHTTP, "artifactory.example.com", "other.example.com", 1) {
		t.Errorf("more than the value changed:\n%s", got)
	}
	assertMissing(t, file)

	// Again, the same settings: unchanged, not rewritten.
	rep = SaveSettings(Request{Doc: rep.Document, Settings: f})
	if rep.Settings != SettingsUnchanged || !strings.HasPrefix(rep.Headline(), "settings unchanged") {
		t.Errorf("second save: %q", rep.Headline())
	}

	// A rejected value never reaches disk.
	bad := f.Clone()
	bad.Proxy.ServerName = "a.example.com;\n  proxy_pass http://evil"
	rep = SaveSettings(Request{Doc: rep.Document, Settings: bad})
	if rep.ExitCode() != 2 || rep.Settings != SettingsFailed || strings.Contains(readFile(t, path), "evil") {
		t.Errorf("invalid value: exit %d:\n%s", rep.ExitCode(), rep)
	}
	// The count is of the errors the edits add, and says so: the wizard
	// counts every error of the settings, those already in the file too.
	if want := "not saved: the edits add 1 error (nothing written)"; rep.Headline() != want {
		t.Errorf("headline %q, want %q", rep.Headline(), want)
	}

	// A new file: created, with the save: section the wizard used.
	newPath := filepath.Join(t.TempDir(), "new.yaml")
	doc, err := config.Open(newPath, true)
	if err != nil || doc.Source() != config.FromNew {
		t.Fatalf("open %s: %v, %v", newPath, err, doc.Source())
	}
	tgt, err := Resolve(render.Nginx, doc.Settings(), Flags{Root: Given(root), To: Given(filepath.Join(root, "dry-run.conf"))})
	if err != nil {
		t.Fatal(err)
	}
	nf := doc.Settings()
	nf.Proxy.ServerName = "new.example.com"
	rep = SaveSettings(Request{Doc: doc, Settings: nf, Target: tgt})
	if rep.ExitCode() != 0 {
		t.Fatalf("new file: exit %d:\n%s", rep.ExitCode(), rep)
	}
	reopened := open(t, newPath).Settings()
	if reopened.Proxy.ServerName != "new.example.com" || reopened.Save.Target != filepath.Join(root, "dry-run.conf") {
		t.Errorf("new file holds %+v / %+v", reopened.Proxy.ServerName, reopened.Save)
	}

	// Changed on disk: a conflict, nothing written.
	_, doc = settingsFile(t, plainHTTP)
	writeFile(t, doc.Path(), plainHTTP+"# edited meanwhile\n")
	rep = SaveSettings(Request{Doc: doc, Settings: f})
	if rep.ExitCode() != 1 || rep.Conflict == nil || !strings.Contains(readFile(t, doc.Path()), "edited meanwhile") {
		t.Errorf("conflict: exit %d:\n%s", rep.ExitCode(), rep)
	}
}

// The wizard's save writes the settings and the save: section it used, so
// a dry run into a copy is what a restarted wizard (or `frontdoor save`)
// saves to next, not the real server. The command line never rewrites the
// file: one-off flags (--provider, --to) apply to the run and say so.
func TestWhatTheSettingsFileRemembers(t *testing.T) {
	root, _, _ := layoutRoot(t, "nginx")
	mkdir(t, filepath.Join(root, "etc/apache2/sites-available"))
	dryRun := filepath.Join(root, "dry-run/artifactory.conf")
	mkdir(t, filepath.Dir(dryRun))

	// The command line: --provider apache and --to for this run only.
	path, doc := settingsFile(t, plainHTTP)
	req := request(t, doc, Flags{Command: "frontdoor save", Provider: Given("apache"), To: Given(dryRun), NoCheck: true})
	rep := Save(context.Background(), req)
	if rep.ExitCode() != 0 || readFile(t, dryRun) != rendered(t, plainHTTP, render.Apache) {
		t.Fatalf("exit %d:\n%s", rep.ExitCode(), rep)
	}
	if readFile(t, path) != plainHTTP || rep.Settings != SettingsUntouched {
		t.Errorf("the command line rewrote %s", path)
	}
	if s := rep.stepWith("for this run only"); s == nil || !strings.Contains(s.Detail, "--provider apache, --to, --no-check") {
		t.Errorf("the report does not say the flags were one-off:\n%s", rep)
	}

	// The wizard: the same dry run, remembered.
	tgt, err := Resolve(render.Nginx, doc.Settings(), Flags{To: Given(dryRun), Check: Given("test -d " + root)})
	if err != nil {
		t.Fatal(err)
	}
	rep = Save(context.Background(), Request{Doc: doc, Target: tgt, Remember: true})
	if rep.ExitCode() != 0 || rep.Settings != SettingsWritten {
		t.Fatalf("wizard: exit %d:\n%s", rep.ExitCode(), rep)
	}
	written := readFile(t, path)
	if !strings.Contains(written, "# the admin's own words") || !strings.Contains(written, "# the public name") {
		t.Errorf("comments lost:\n%s", written)
	}
	next, err := Resolve(render.Nginx, open(t, path).Settings(), Flags{})
	if err != nil {
		t.Fatal(err)
	}
	if next.Path.Value != dryRun || next.Path.Origin != OriginRemembered || next.Link.Value != "" || next.Check.Value != "test -d "+root || !next.CheckRequired() {
		t.Errorf("after a restart: %+v %+v %+v", next.Path, next.Link, next.Check)
	}
}

// The steps reach the caller as they happen, app's and install's in one
// stream, in the report's order; the headline, mark and exit code agree.
func TestProgressAndReport(t *testing.T) {
	root, file, link := layoutRoot(t, "nginx")
	_, doc := settingsFile(t, plainHTTP)
	var mu sync.Mutex
	var kinds []string
	req := request(t, doc, Flags{Root: Given(root), Check: Given("test -d " + root), Keep: Given(2)})
	req.Progress = func(s install.Step) {
		mu.Lock()
		kinds = append(kinds, string(s.Kind))
		mu.Unlock()
	}
	for i, server := range []string{"v1.example.com", "v2.example.com", "v3.example.com"} {
		f := doc.Settings()
		f.Proxy.ServerName = server
		req.Settings = f
		kinds = nil
		rep := Save(context.Background(), req)
		if rep.ExitCode() != 0 || rep.Headline() != "saved and checked" || rep.Mark() != install.MarkOK || rep.Installed() != file {
			t.Fatalf("save %d: exit %d %q:\n%s", i, rep.ExitCode(), rep.Headline(), rep)
		}
		got := " " + strings.Join(kinds, " ") + " "
		if !strings.HasPrefix(got, " validate write ") || !strings.Contains(got, " replace link check ") || !strings.HasSuffix(got, " settings ") {
			t.Errorf("save %d: streamed%s", i, got)
		}
		if i == 2 {
			out := rep.Render(0)
			for _, w := range []string{"target:       " + file + " (detected)", "enable link:  " + link + " (detected)", "check:        test -d " + root + " (from --check)", "backups kept: 2 (from --keep)",
				"backups kept (newest first, up to 2):", "restore one: frontdoor restore --check 'test -d " + root + "' --to " + file + " --keep 2 --root " + root + " " + rep.Install.Backups[0].Path, "result: saved and checked"} {
				if !strings.Contains(out, w) {
					t.Errorf("report lacks %q:\n%s", w, out)
				}
			}
			assertWrapped(t, rep.Render(80), 80, file, link)
			if len(rep.Install.Backups) != 2 {
				t.Errorf("%d backups kept, want 2", len(rep.Install.Backups))
			}
		}
	}
}

// Exit codes: one table for every outcome.
func TestExitCodes(t *testing.T) {
	tests := []struct {
		err  error
		want int
	}{
		{nil, 0},
		{&UsageError{Message: "x"}, 2},
		{&config.Error{Path: "f"}, 2},
		{render.ErrNoSnippet, 2},
		{install.ErrCheckFailed, 1},
		{install.ErrReloadFailed, 1},
		{install.ErrBusy, 1},
		{config.ErrChangedOnDisk, 1},
		{os.ErrPermission, 1},
		{errors.Join(install.ErrCancelled, &SignalError{Signal: os.Interrupt}), 130},
		{errors.Join(install.ErrCancelled, &SignalError{Signal: syscall.SIGTERM}), 143},
		{errors.Join(install.ErrCancelled, context.Canceled), 130},
	}
	for _, tt := range tests {
		if got := ExitCode(tt.err); got != tt.want {
			t.Errorf("ExitCode(%v) = %d, want %d", tt.err, got, tt.want)
		}
	}
}

// assertWrapped checks a report drawn at width: no line is longer, except a
// line holding one word too long for it (a path) after its short prefix;
// and every path appears whole.
func assertWrapped(t *testing.T, out string, width int, paths ...string) {
	t.Helper()
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		n := len([]rune(line))
		if n <= width {
			continue
		}
		longest := ""
		for _, f := range strings.Fields(line) {
			if len(f) > len(longest) {
				longest = f
			}
		}
		if n-len([]rune(longest)) > 16 {
			t.Errorf("line of %d columns: %q", n, line)
		}
	}
	for _, p := range paths {
		if !strings.Contains(out, p) {
			t.Errorf("%s is not whole in the report:\n%s", p, out)
		}
	}
}

// A target whose directory does not exist fails with one message before
// anything is touched: the layout's own note (what to create, and the line
// that makes the server load it) or, for a chosen file, what to create;
// never that note, then an I/O error saying the same again.
func TestSaveIntoMissingDirectory(t *testing.T) {
	haproxy := strings.Replace(plainHTTP, "proxy:\n", "proxy:\n  provider: haproxy\n", 1)
	tests := []struct {
		name  string
		flags func(root string) Flags
		dir   string // under root
		want  string // the failed step, ROOT for the root
	}{
		{"HAProxy's conf.d on stock Debian", func(root string) Flags { return Flags{Root: Given(root)} }, "etc/haproxy/conf.d",
			`ROOT/etc/haproxy/conf.d does not exist: create it (install -d ROOT/etc/haproxy/conf.d), and have haproxy load it: ` +
				`add EXTRAOPTS="-S /run/haproxy-master.sock -f /etc/haproxy/conf.d" to ROOT/etc/default/haproxy, then systemctl restart haproxy`},
		{"a chosen file", func(root string) Flags {
			return Flags{Root: Given(root), To: Given(filepath.Join(root, "nowhere/artifactory.cfg")), NoCheck: true}
		}, "nowhere", "ROOT/nowhere does not exist: create it (install -d ROOT/nowhere), or choose another target (--to PATH)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			writeFile(t, filepath.Join(root, "etc/haproxy/haproxy.cfg"), "global\n")
			_, doc := settingsFile(t, haproxy)
			rep := Save(context.Background(), request(t, doc, tt.flags(root)))
			dir := filepath.Join(root, tt.dir)
			var mentions []string
			for _, s := range rep.Steps {
				if strings.Contains(s.Detail, dir+" does not exist") {
					mentions = append(mentions, s.Mark.Symbol()+" "+s.Detail)
				}
			}
			want := "✗ " + strings.ReplaceAll(tt.want, "ROOT", root)
			if len(mentions) != 1 || mentions[0] != want {
				t.Errorf("the missing directory said %d times:\n%s\nwant once:\n%s", len(mentions), strings.Join(mentions, "\n"), want)
			}
			if rep.ExitCode() != 1 || rep.Headline() != "not saved: "+dir+" does not exist" {
				t.Errorf("exit %d, headline %q", rep.ExitCode(), rep.Headline())
			}
			assertMissing(t, dir)
		})
	}
}

// Invalid settings are invalid input wherever they would go: a save into a
// missing directory with settings `frontdoor validate` refuses exits 2 with
// the settings' error first (the order the docs promise: validation, then
// the target), and says the directory is missing too, once.
func TestInvalidSettingsBeforeMissingDirectory(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "etc/haproxy/haproxy.cfg"), "global\n")
	// HAProxy reads the certificate and its key from one PEM file.
	body := "proxy:\n  provider: haproxy\n  serverName: artifactory.example.com\n" +
		"  https: {enabled: true, certificate: /etc/ssl/certs/a.pem, key: /etc/ssl/private/a.key}\n"
	_, doc := settingsFile(t, body)
	rep := Save(context.Background(), request(t, doc, Flags{Root: Given(root)}))
	out := rep.String()
	if rep.ExitCode() != 2 || rep.Install != nil {
		t.Fatalf("exit %d, installed %v, want 2 for the settings:\n%s", rep.ExitCode(), rep.Install != nil, out)
	}
	dir := filepath.Join(root, "etc/haproxy/conf.d")
	invalid := strings.Index(out, "✗ settings invalid")
	missing := strings.Index(out, "✗ "+dir+" does not exist")
	if invalid < 0 || missing < invalid || strings.Count(out, dir+" does not exist") != 1 {
		t.Errorf("want the settings' error, then the missing directory once:\n%s", out)
	}
	if !strings.Contains(out, "proxy.https.key: error:") || !strings.HasPrefix(rep.Headline(), "not saved: the settings have 1 error") {
		t.Errorf("headline %q; report:\n%s", rep.Headline(), out)
	}
	assertMissing(t, dir)
}
