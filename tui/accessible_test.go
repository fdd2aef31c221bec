package tui

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"frontdoor/app"
	"frontdoor/config"
	"frontdoor/install"
	"frontdoor/render"
)

// lineReader hands out one line per Read, as a terminal in line mode does:
// huh's accessible prompts read each answer with a new scanner.
type lineReader struct{ lines []string }

func (r *lineReader) Read(p []byte) (int, error) {
	if len(r.lines) == 0 {
		return 0, io.EOF
	}
	n := copy(p, r.lines[0]+"\n")
	r.lines = r.lines[1:]
	return n, nil
}

// hookReader is a lineReader that runs hook just before line at is read:
// something happens while the session waits for an answer.
type hookReader struct {
	lineReader
	at   int
	hook func()
	read int
}

func (r *hookReader) Read(p []byte) (int, error) {
	if r.read == r.at && r.hook != nil {
		r.hook()
		r.hook = nil
	}
	if len(r.lines) > 0 {
		r.read++
	}
	return r.lineReader.Read(p)
}

// saveWhileEdited runs accessible mode on the settings file at cfgPath
// (opened by open), installing into target, and writes theirs into that
// file just before answer at is read: a colleague saves it while the
// session waits. It returns the session's result and what it printed.
func saveWhileEdited(t *testing.T, open modelOption, cfgPath, target, theirs string, answers []string, at int) (Result, string) {
	t.Helper()
	o := Options{Now: func() time.Time { return fixedNow }, LoadCertificates: noCerts, LoadClientCA: noClientCA,
		Target: func(string) install.Target { return install.Target{Path: target, CheckCmd: []string{"true"}} }}
	open(&o)
	in := &hookReader{lineReader: lineReader{answers}, at: at, hook: func() {
		if err := os.WriteFile(cfgPath, []byte(theirs), 0o644); err != nil {
			t.Error(err)
		}
	}}
	var out bytes.Buffer
	res, err := RunAccessible(context.Background(), o, in, &out)
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	return res, out.String()
}

// Accessible mode saves through the same jobs as the full screen: the
// settings file edited behind its back stops the save before anything is
// installed, the changes and the choices are read out, and merge keeps both.
func TestAccessibleConflictIsReadOutAndMerged(t *testing.T) {
	cfgPath, open := settingsFile(t, "# the admin's words\n"+exampleYAML)
	target := filepath.Join(filepath.Dir(cfgPath), "artifactory.conf")
	theirs := strings.Replace("# the admin's words\n"+exampleYAML, "port: 80,", "port: 8080,", 1) + "# a colleague's note\n"
	answers := []string{
		"3",            // home: Save
		"",             // read the snippet? no
		"", "", "", "", // target, enable link, check, reload
		"3", // backups kept: 3 (edited: remembered by the save)
		"",  // backup dir
		"1", // Save
		"3", // the file changed on disk: merge
	}
	res, text := saveWhileEdited(t, open, cfgPath, target, theirs, answers, 8) // edited while Save waits
	for _, want := range []string{
		"changed on disk since it was loaded",
		"proxy.http.port: 80 → 8080",
		"Reload: take the file as it is now",
		"Merge: keep both",
		"kept both: " + cfgPath,
		"result: saved and checked",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	file := readText(t, cfgPath)
	for _, want := range []string{"# the admin's words", "# a colleague's note", "port: 8080", "keep: 3"} {
		if !strings.Contains(file, want) {
			t.Errorf("frontdoor.yaml lacks %q:\n%s", want, file)
		}
	}
	if !res.Saved || res.Target != target {
		t.Errorf("result %+v", res)
	}
	if t.Failed() {
		t.Log(text)
	}
}

// The walk ends in the same file whether the answers come one line per
// read (a terminal) or all in one write (typed ahead, or piped): huh reads
// each answer with a new scanner, which must not swallow the next ones.
func TestAccessibleWalkToASavedFile(t *testing.T) {
	for _, feed := range []struct {
		name string
		in   func([]string) io.Reader
	}{
		{"line by line", func(l []string) io.Reader { return &lineReader{l} }},
		{"all in one write", func(l []string) io.Reader { return strings.NewReader(strings.Join(l, "\n") + "\n") }},
	} {
		t.Run(feed.name, func(t *testing.T) { walkToASavedFile(t, feed.in) })
	}
}

func walkToASavedFile(t *testing.T, feed func([]string) io.Reader) {
	dir := t.TempDir()
	target := filepath.Join(dir, "artifactory.conf")
	cfgPath := filepath.Join(dir, "frontdoor.yaml")
	answers := []string{
		"",         // home menu: HTTP settings
		"",         // web server: keep nginx
		"",         // admin templates: the embedded ones
		"", "", "", // nodes, artifactory port, router port
		"bad name",                     // server name: refused with the validator's message
		"artifactory.example.org",      // accepted
		"", "", "", "", "", "", "", "", // HTTP, port, redirect, HTTPS, port, certificate, key, TLS profile
		"",     // load balancer: none
		"", "", // Docker method, repositories
		"", "", // mTLS, base-URL header
		"",                     // read the snippet? no
		"", "", "", "", "", "", // target, enable link, check, reload, backups kept, backup dir
		"1", // Save: the snippet, then the settings
	}
	var out bytes.Buffer
	res, err := RunAccessible(context.Background(), Options{
		File: parseFile(t, exampleYAML), ConfigPath: cfgPath,
		Target: func(string) install.Target { return install.Target{Path: target, CheckCmd: []string{"true"}} },
		Now:    func() time.Time { return fixedNow }, LoadCertificates: noCerts, LoadClientCA: noClientCA,
	}, feed(answers), &out)
	if err != nil {
		t.Fatal(err)
	}
	text := out.String()
	for _, want := range []string{
		"Step 1 of 6: Web server.",
		"1. nginx: nginx in front of Artifactory",
		`"bad name" has a space: a hostname holds letters, digits, '-' and '.' only`,
		"Warning at https.certificate:",
		"Step 6 of 6: Review and save.",
		"Target: detected.",
		"Check: detected.",
		"✓ check passed: true",
		"result: saved and checked",
		"✓ wrote the settings to " + cfgPath,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log(text)
	}
	if strings.Contains(text, "\x1b") {
		t.Error("escape sequences in accessible output")
	}
	// The report in the full screen's order: where it goes, the steps,
	// the result.
	head, step, result := strings.Index(text, "target: "), strings.Index(text, "✓ check passed: true"), strings.Index(text, "result: saved and checked")
	if head < 0 || !(head < step && step < result) {
		t.Errorf("the report is read out as target at %d, a step at %d, the result at %d; want that order", head, step, result)
	}
	if !res.Saved || res.Target != target {
		t.Fatalf("result %+v", res)
	}
	f, _, err := config.Load(cfgPath, true)
	if err != nil || f.Proxy.ServerName != "artifactory.example.org" {
		t.Fatalf("frontdoor.yaml: %v %+v", err, f)
	}
	want, _ := render.Render(&f.Proxy)
	if got, _ := os.ReadFile(target); !bytes.Equal(got, want) {
		t.Fatalf("target:\n%s", got)
	}
	if t.Failed() {
		t.Log(text)
	}
}

func TestAccessibleErrorsMustBeFixedBeforeSaving(t *testing.T) {
	yaml := strings.Replace(exampleYAML, "serverName: artifactory.example.com", "serverName: \"\"", 1)
	answers := []string{"", "", "", "", "", ""} // home menu, provider, templates, nodes, ports
	answers = append(answers, "")               // server name: empty, refused...
	answers = append(answers, "artifactory.example.com")
	for range 13 { // the rest of the steps (the load balancer too), the snippet question, the target
		answers = append(answers, "")
	}
	answers = append(answers, "n") // do not save
	var out bytes.Buffer
	res, err := RunAccessible(context.Background(), Options{
		File: parseFile(t, yaml), ConfigPath: filepath.Join(t.TempDir(), "frontdoor.yaml"),
		Target: fixedTarget, Now: func() time.Time { return fixedNow }, LoadCertificates: noCerts, LoadClientCA: noClientCA,
	}, &lineReader{answers}, &out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "set the public server name clients use") || !strings.Contains(out.String(), "Not saved.") || res.Saved {
		t.Fatalf("saved %v, output:\n%s", res.Saved, out.String())
	}
}

// Settings from the vendor's JSON beside an existing frontdoor.yaml:
// accessible mode reads out what writing into it changes and offers what
// the dialog offers (open it, write into it, cancel); writing keeps its
// ldap: section and comments.
func TestAccessibleVendorJSONIntoAnExistingFile(t *testing.T) {
	dir := t.TempDir()
	jsonPath, yamlPath := filepath.Join(dir, "webserver.json"), filepath.Join(dir, "frontdoor.yaml")
	theirs := "# by hand\nproxy:\n  serverName: prod.corp.example  # the public name\nldap:\n  settings:\n    - {key: corp, url: \"ldaps://dc.corp.example/dc=corp\", userDnPattern: \"uid={0},ou=people\"}\n"
	for path, body := range map[string]string{jsonPath: vendorJSON, yamlPath: theirs} {
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	target := filepath.Join(dir, "artifactory.conf")
	answers := []string{
		"3",            // home: Save
		"",             // read the snippet? no
		"", "", "", "", // target, enable link, check, reload
		"", "", // backups kept, backup dir
		"1", // Save
		"2", // frontdoor.yaml already holds settings: write into it
	}
	o := Options{Now: func() time.Time { return fixedNow }, LoadCertificates: noCerts, LoadClientCA: noClientCA,
		Doc:    openDoc(t, jsonPath, true),
		Target: func(string) install.Target { return install.Target{Path: target, CheckCmd: []string{"true"}} }}
	var out bytes.Buffer
	if _, err := RunAccessible(context.Background(), o, &lineReader{answers}, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	text := out.String()
	for _, want := range []string{
		"already holds settings that were not loaded (these came from webserver.json)",
		"proxy.serverName: prod.corp.example → a.example.com",
		"its ldap: section and its comments stay",
		"Write: the changes listed go into frontdoor.yaml",
		"result: saved and checked",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if strings.Contains(text, "Merge: keep both") {
		t.Error("a merge is offered beside the vendor's JSON")
	}
	file := readText(t, yamlPath)
	for _, want := range []string{"# by hand", "serverName: a.example.com  # the public name", "key: corp"} {
		if !strings.Contains(file, want) {
			t.Errorf("frontdoor.yaml lacks %q:\n%s", want, file)
		}
	}
	if t.Failed() {
		t.Log(text)
	}
}

// blockingReader hands out its lines, then, like a terminal where nobody
// types, blocks; just before blocking it runs atEnd (the user's Ctrl+C).
type blockingReader struct {
	lineReader
	atEnd func()
}

func (r *blockingReader) Read(p []byte) (int, error) {
	if len(r.lines) > 0 {
		return r.lineReader.Read(p)
	}
	if r.atEnd != nil {
		r.atEnd()
		r.atEnd = nil
	}
	select {} // the read a terminal would hold until Enter
}

// Ctrl+C at a question (SIGINT: accessible mode leaves the terminal in line
// mode) ends the session at once, without waiting for Enter, and as the
// full screen's ctrl+c does: no interruption, the changes dropped said in
// the last words. Leaving the LDAP menu with unsaved edits says they are
// not saved.
func TestAccessibleCtrlCAtAPromptQuits(t *testing.T) {
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	answers := []string{
		"2",           // home menu: LDAP settings
		"4", "1", "y", // delete a setting: corp, yes
		"4", // back to the menu (corp gone: add, add a group, save, back)
	}
	var out bytes.Buffer
	res, err := RunAccessible(ctx, Options{
		File: parseFile(t, exampleYAML), ConfigPath: filepath.Join(t.TempDir(), "frontdoor.yaml"), Target: fixedTarget,
		Now: func() time.Time { return fixedNow }, LoadCertificates: noCerts, LoadClientCA: noClientCA,
	}, &blockingReader{lineReader: lineReader{answers}, atEnd: func() { cancel(&app.SignalError{Signal: os.Interrupt}) }}, &out)
	if err != nil {
		t.Fatalf("ctrl+c at a prompt: %v\n%s", err, out.String())
	}
	if !res.Dropped || res.Last != nil {
		t.Fatalf("the session's result: %+v; want the changes dropped, no save", res)
	}
	if want := "The LDAP settings are not saved: corp (deleted)."; !strings.Contains(out.String(), want) {
		t.Fatalf("leaving the LDAP menu does not say %q:\n%s", want, out.String())
	}
}

// A colleague's change of layout only (a tab, spaces at the end of a line)
// is read out as the full screen's conflict dialog shows it
// (save.ConflictLines): the whitespace is marked, so the "changed" lines do
// not read the same.
func TestAccessibleConflictMarksWhitespace(t *testing.T) {
	cfgPath, open := settingsFile(t, exampleYAML)
	target := filepath.Join(filepath.Dir(cfgPath), "artifactory.conf")
	theirs := strings.Replace(exampleYAML, "  routerPort: 8082", "  routerPort: 8082   ", 1)
	theirs = strings.Replace(theirs, "proxy:", "proxy:\t", 1)
	answers := []string{
		"3",                // home: Save
		"",                 // read the snippet? no
		"", "", "", "", "", // target, enable link, check, reload, backups kept
		"",  // backup dir
		"1", // Save
		"",  // the file changed on disk: cancel
		"5", // quit
	}
	_, text := saveWhileEdited(t, open, cfgPath, target, theirs, answers, 8) // edited while Save waits
	for _, want := range []string{"+  routerPort: 8082···", "+proxy:→", "(→ a tab, · a space at the end of a line)"} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if strings.Contains(text, "proxy:\t") {
		t.Errorf("a tab read out unmarked")
	}
	if t.Failed() {
		t.Log(text)
	}
}
