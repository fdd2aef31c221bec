package app

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"frontdoor/config"
	"frontdoor/install"
	"frontdoor/render"
)

// How the wizard drives the pipeline from Bubble Tea: the save runs in a
// goroutine started by a tea.Cmd; each step comes back as a message (the
// report fills in live); the last message is the Report. These are the
// shapes the wizard's save page is meant to use.
type (
	stepMsg  install.Step // one step, as it happens
	savedMsg struct{ Report Report }
)

// startSave begins a save; the returned Cmd delivers the first message and
// each message's handler asks for the next one with next(ch).
func startSave(ctx context.Context, req Request) (ch chan tea.Msg, first tea.Cmd) {
	ch = make(chan tea.Msg, 16)
	req.Progress = func(s install.Step) { ch <- stepMsg(s) } // on the save's goroutine
	go func() {
		ch <- savedMsg{Save(ctx, req)}
		close(ch)
	}()
	return ch, next(ch)
}

func next(ch <-chan tea.Msg) tea.Cmd { return func() tea.Msg { return <-ch } }

// saveModel is the part of a wizard model that shows a save.
type saveModel struct {
	ch     chan tea.Msg
	live   []string // the steps so far, as the report draws them
	report *Report
	// running: the last of live says a command is running; the step that
	// ends it takes its place, as a front-end shows it.
	running bool
}

func (m *saveModel) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case stepMsg:
		if m.running {
			m.live = m.live[:len(m.live)-1]
		}
		m.live = append(m.live, install.Step(msg).Mark.Symbol()+" "+msg.Detail)
		m.running = install.Step(msg).Running()
		return next(m.ch)
	case savedMsg:
		m.report = &msg.Report
	}
	return nil
}

// run plays the program's part: run each Cmd, hand its message to Update.
func (m *saveModel) run(cmd tea.Cmd) {
	for cmd != nil {
		cmd = m.Update(cmd())
	}
}

// The whole wizard cycle on the pipeline: start (Resolve with the flags),
// edit the target on the review step, save with live steps, find the
// settings file edited behind the wizard's back, take theirs (reload) and
// save again, then "save settings and quit".
func TestWizardCycle(t *testing.T) {
	root, _, _ := layoutRoot(t, "nginx")
	path, doc := settingsFile(t, plainHTTP)

	// Start: the target for the loaded provider, from the wizard's flags.
	flags := Flags{Command: "frontdoor wizard", Root: Given(root)}
	tgt, err := Resolve(render.Nginx, doc.Settings(), flags)
	if err != nil {
		t.Fatal(err)
	}
	// The review step: a check typed by the user (it must run), shown with its origin.
	tgt.Check.Edit("test -d " + root)
	if rows := tgt.Rows(); rows[2].From != "edited" || rows[0].From != "detected" {
		t.Errorf("rows: %+v", rows)
	}
	edited := doc.Settings()
	edited.Proxy.ServerName = "mine.example.com"

	// Someone edits frontdoor.yaml while the wizard is open.
	writeFile(t, path, strings.Replace(plainHTTP, "# the admin's own words", "# the admin's own words\n# and a colleague's", 1))

	m := &saveModel{}
	var first tea.Cmd
	m.ch, first = startSave(context.Background(), Request{Doc: doc, Settings: edited, Target: tgt, Remember: true})
	m.run(first)
	if m.report == nil || m.report.Conflict == nil || m.report.Install != nil {
		t.Fatalf("no conflict before the install: %+v", m.report)
	}
	if got := strings.Join(m.live, "\n"); !strings.Contains(got, "✗ "+path+" changed on disk") {
		t.Errorf("the live steps miss the conflict:\n%s", got)
	}

	// The dialog: reload (take theirs) is config.Open again; the user's
	// edits are applied again to the new document, then saved.
	doc, err = config.Open(path, true)
	if err != nil {
		t.Fatal(err)
	}
	edited = doc.Settings()
	edited.Proxy.ServerName = "mine.example.com"
	m = &saveModel{}
	m.ch, first = startSave(context.Background(), Request{Doc: doc, Settings: edited, Target: tgt, Remember: true})
	m.run(first)
	rep := m.report
	if rep.ExitCode() != 0 || rep.Headline() != "saved and checked" || rep.Settings != SettingsWritten {
		t.Fatalf("exit %d %q:\n%s", rep.ExitCode(), rep.Headline(), rep)
	}
	if len(m.live) != len(rep.Steps) {
		t.Errorf("%d steps streamed, %d in the report", len(m.live), len(rep.Steps))
	}
	got := readFile(t, path)
	for _, want := range []string{"# and a colleague's", "# the public name", "mine.example.com", "save:", "check: test -d " + root} {
		if !strings.Contains(got, want) {
			t.Errorf("settings file lacks %q:\n%s", want, got)
		}
	}

	// Save settings and quit: the next baseline is the report's Document.
	doc = rep.Document
	f := doc.Settings()
	f.Proxy.HTTP.Port = 8080
	quit := SaveSettings(Request{Doc: doc, Settings: f, Target: tgt})
	if quit.ExitCode() != 0 || quit.Settings != SettingsWritten || quit.Install != nil {
		t.Fatalf("settings only: exit %d:\n%s", quit.ExitCode(), quit)
	}
	if !strings.Contains(readFile(t, path), "# and a colleague's") {
		t.Error("settings only lost a comment")
	}

	// Cancelled from the wizard (ctrl+c during the check): rolled back, exit 130.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	check, marker := startedCheck(t, root)
	slow := tgt
	slow.Check.Edit(check)
	m = &saveModel{}
	f2 := quit.Document.Settings()
	f2.Proxy.ServerName = "cancelled.example.com"
	m.ch, first = startSave(ctx, Request{Doc: quit.Document, Settings: f2, Target: slow, Remember: true})
	for cmd := first; cmd != nil; {
		msg := cmd()
		if s, ok := msg.(stepMsg); ok && s.Kind == install.StepLink {
			waitFor(t, marker)
			cancel()
		}
		cmd = m.Update(msg)
	}
	if m.report.ExitCode() != 130 || !strings.HasPrefix(m.report.Headline(), "cancelled, rolled back") || m.report.Settings != SettingsUntouched && m.report.stepWith("not written") == nil {
		t.Errorf("cancelled: exit %d %q:\n%s", m.report.ExitCode(), m.report.Headline(), m.report)
	}
	if strings.Contains(readFile(t, filepath.Join(root, "etc/nginx/sites-available/artifactory.conf")), "cancelled.example.com") {
		t.Error("the cancelled save was not rolled back")
	}
}

// Settings from the vendor's JSON saved beside an existing frontdoor.yaml:
// the save stops before touching the server and says what writing them
// there changes (the edits and the save: section used included); taking
// mine writes what the JSON carries into the file and keeps its ldap:,
// save: keep and comments.
func TestWizardSaveOfVendorJSONIntoAnExistingFile(t *testing.T) {
	root, file, _ := layoutRoot(t, "nginx")
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "webserver.json"), `{"webServerType":"NGINX","serverName":"j.example.com","artifactoryServerName":"127.0.0.1","useHttp":true,"httpPort":80}`)
	theirs := "# the admin's own words\nproxy:\n  serverName: prod.corp.example  # the public name\n  nodes: [127.0.0.2]\nldap:\n  settings:\n    - {key: corp, url: \"ldaps://dc.corp.example/dc=corp\"}\nsave: {keep: 3}\n"
	path := writeFile(t, filepath.Join(dir, "frontdoor.yaml"), theirs)
	doc := open(t, filepath.Join(dir, "webserver.json"))
	tgt, err := Resolve(render.Nginx, doc.Settings(), Flags{Command: "frontdoor wizard", Root: Given(root)})
	if err != nil {
		t.Fatal(err)
	}
	tgt.Check.Edit("test -d " + root)
	edited := doc.Settings()
	edited.Proxy.ServerName = "mine.example.com"

	rep := Save(context.Background(), Request{Doc: doc, Settings: edited, Target: tgt, Remember: true})
	if rep.Conflict == nil || rep.Install != nil || readFile(t, path) != theirs {
		t.Fatalf("no conflict before the install:\n%s", rep)
	}
	if want := "not saved: " + path + " already holds settings that were not loaded (these came from webserver.json)"; rep.Headline() != want {
		t.Errorf("headline %q, want %q", rep.Headline(), want)
	}
	var writes []string
	for _, c := range rep.Conflict.Writes {
		writes = append(writes, c.String())
	}
	for _, want := range []string{"proxy.serverName: prod.corp.example → mine.example.com", "proxy.nodes: [127.0.0.2] → [127.0.0.1]", "save.target: \"\" → " + root} {
		if !strings.Contains(strings.Join(writes, "\n"), want) {
			t.Errorf("the conflict does not say %q:\n%s", want, strings.Join(writes, "\n"))
		}
	}
	if strings.Contains(strings.Join(writes, "\n"), "ldap") {
		t.Errorf("the conflict says ldap: changes:\n%s", strings.Join(writes, "\n"))
	}

	rep = Save(context.Background(), Request{Doc: doc, Settings: edited, Target: tgt, Remember: true, Overwrite: true})
	if rep.ExitCode() != 0 || rep.Settings != SettingsWritten {
		t.Fatalf("overwrite: exit %d:\n%s", rep.ExitCode(), rep)
	}
	got := readFile(t, path)
	for _, want := range []string{"# the admin's own words", "serverName: mine.example.com  # the public name", "- {key: corp, url: \"ldaps://dc.corp.example/dc=corp\"}", "keep: 3", "target: " + file} {
		if !strings.Contains(got, want) {
			t.Errorf("frontdoor.yaml lacks %q:\n%s", want, got)
		}
	}
	if !strings.Contains(readFile(t, file), "mine.example.com") {
		t.Error("the snippet installed is not the settings written")
	}
}
