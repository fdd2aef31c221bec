package app

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"frontdoor/config"
	"frontdoor/install"
	"frontdoor/render"
)

// Origin says where a save option's value came from, so both front-ends
// can show it ("remembered in frontdoor.yaml", "from --to", "detected").
type Origin string

const (
	OriginDefault    Origin = "default"    // frontdoor's default (no reload, 5 backups, beside the file, /)
	OriginDetected   Origin = "detected"   // found in the web server's layout under the root
	OriginRemembered Origin = "remembered" // the save: section of the settings file
	OriginFlag       Origin = "flag"       // typed on the command line, for this run
	OriginEdited     Origin = "edited"     // changed in the wizard
)

// Chosen reports whether a person chose the value (a flag, the save:
// section, the wizard) rather than frontdoor: a chosen check must run.
func (o Origin) Chosen() bool {
	return o == OriginFlag || o == OriginRemembered || o == OriginEdited
}

// Setting is one save option and where it came from.
type Setting[T comparable] struct {
	Value  T
	Origin Origin
}

// Edit is the wizard's change of a setting: the value, marked as edited
// (unless it did not change).
func (s *Setting[T]) Edit(v T) {
	if s.Value != v {
		s.Value, s.Origin = v, OriginEdited
	}
}

// Target is where and how a snippet is saved, each choice with its origin.
// Resolve makes it; the wizard edits it (Setting.Edit); Plan and Restore use
// it. Command lines (Check, Reload) are text, split on spaces when run.
type Target struct {
	Provider  render.Provider
	Root      Setting[string] // "/" for this machine
	Path      Setting[string] // the snippet file; "" for tomcat (nothing to install)
	Link      Setting[string] // "" for none
	Check     Setting[string] // "" for no check (no rollback possible)
	Reload    Setting[string] // "" for no reload
	BackupDir Setting[string] // "" for beside the file
	Keep      Setting[int]    // backups kept
	// RequireCheck: a save that nothing checked is rolled back, exit 1
	// (--require-check; install.Plan.RequireCheck).
	RequireCheck bool
	// restore: the target of a restore (ResolveRestore), so the guard's
	// refusals say "restoring" (install.Destination.Restore).
	restore bool

	// Detected is what detection found under Root for Provider: the layout,
	// its note, the reload it suggests, the Apache module probe.
	Detected install.Target
	// Notes say why a remembered choice was not used, or that nothing was detected.
	Notes []string
}

// Resolve works out the target from the command line (flags win, for this
// run), the save: section of the settings as loaded (remembered), and the
// web server's layout detected under the root, in that order. provider is the
// one to save for (a --provider flag or the wizard's choice); loaded is the
// settings file as opened (nil: none), whose save: section was written for
// its own proxy.provider.
//
// The flags are validated first (a *UsageError); so is the combination (a
// reload needs a check, wherever each came from).
func Resolve(provider render.Provider, loaded *config.File, flags Flags) (Target, error) {
	return resolveChecked(provider, loaded, flags, false)
}

// resolveChecked is Resolve for a save, or for a restore when restore.
func resolveChecked(provider render.Provider, loaded *config.File, flags Flags, restore bool) (Target, error) {
	if err := flags.Validate(); err != nil {
		return Target{}, err
	}
	t := resolve(provider, loaded, flags)
	t.restore = restore
	if err := t.Validate(); err != nil {
		if u, ok := err.(*UsageError); ok {
			u.Command = flags.Command
		}
		return t, err
	}
	return t, nil
}

// resolve is Resolve without the checks: every choice and where it came
// from, whether or not a save could write there (ResolveListing reads only).
func resolve(provider render.Provider, loaded *config.File, flags Flags) Target {
	t := Target{Provider: provider, RequireCheck: flags.RequireCheck}
	t.Root = Setting[string]{"/", OriginDefault}
	if flags.Root.Given {
		t.Root = Setting[string]{abs(flags.Root.Value), OriginFlag}
	}
	t.Detected = install.DetectTarget(string(provider), t.Root.Value)
	det := t.Detected

	var mem config.SaveSettings
	if loaded != nil {
		mem = loaded.Save
		if usesServer(mem) && loaded.Proxy.Provider != provider {
			instead := fmt.Sprintf("using the %s layout detected instead", provider)
			if det.Manifest {
				instead = fmt.Sprintf("saving the %s manifest to %s instead", provider, det.Path)
			}
			t.Notes = append(t.Notes, fmt.Sprintf("the save: section of the settings file is for %s: %s", loaded.Proxy.Provider, instead))
			mem = config.SaveSettings{Keep: mem.Keep}
		}
		for _, r := range []struct{ key, path string }{{"target", mem.Target}, {"link", mem.Link}} {
			if r.path != "" && t.Root.Origin == OriginFlag && !install.UnderRoot(t.Root.Value, r.path) {
				// A save into a copy must never go to the real server because
				// the settings file remembers it, nor the other way round
				// (a chosen path outside the root is refused: Validate).
				t.Notes = append(t.Notes, fmt.Sprintf("save.%s %s is not under --root %s: using the layout detected there", r.key, r.path, t.Root.Value))
				mem = config.SaveSettings{Keep: mem.Keep}
				break
			}
		}
	}
	if !t.Snippet() {
		return t // tomcat: nothing to install, nothing to resolve (Detected.Note says so)
	}

	// The file, and its link: a chosen file (flag or remembered) has no link
	// unless one was chosen with it; the detected file has the detected link.
	switch {
	case flags.To.Given:
		t.Path = Setting[string]{abs(flags.To.Value), OriginFlag}
		t.Link = Setting[string]{"", OriginDefault}
	case mem.Target != "":
		t.Path = Setting[string]{mem.Target, OriginRemembered}
		t.Link = Setting[string]{mem.Link, OriginRemembered}
	default:
		t.Path = Setting[string]{det.Path, OriginDetected}
		t.Link = Setting[string]{det.EnableLink, OriginDetected}
		if det.Note != "" { // nothing detected, no sites-enabled/ for the link, a provider install does not know
			t.Notes = append(t.Notes, det.Note)
		}
		if mem.Link != "" { // a link remembered without a file: for the detected file
			t.Link = Setting[string]{mem.Link, OriginRemembered}
		}
	}
	if flags.Link.Given {
		t.Link = Setting[string]{abs(flags.Link.Value), OriginFlag}
	}

	switch {
	case flags.NoCheck:
		t.Check = Setting[string]{"", OriginFlag}
	case flags.Check.Given:
		t.Check = Setting[string]{normalCommand(flags.Check.Value), OriginFlag}
	case mem.NoCheck:
		t.Check = Setting[string]{"", OriginRemembered}
	case strings.TrimSpace(mem.Check) != "":
		t.Check = Setting[string]{normalCommand(mem.Check), OriginRemembered}
	default:
		t.Check = Setting[string]{install.FormatCommand(det.CheckCmd), OriginDetected}
	}

	switch {
	case flags.Reload.Given:
		t.Reload = Setting[string]{normalCommand(flags.Reload.Value), OriginFlag}
	case strings.TrimSpace(mem.Reload) != "":
		t.Reload = Setting[string]{normalCommand(mem.Reload), OriginRemembered}
	default:
		t.Reload = Setting[string]{"", OriginDefault} // never by default; Detected.ReloadCmd is the suggestion
	}

	t.BackupDir = Setting[string]{"", OriginDefault}
	if flags.BackupDir.Given {
		t.BackupDir = Setting[string]{abs(flags.BackupDir.Value), OriginFlag}
	}
	switch {
	case flags.Keep.Given:
		t.Keep = Setting[int]{flags.Keep.Value, OriginFlag}
	case mem.Keep > 0:
		t.Keep = Setting[int]{mem.Keep, OriginRemembered}
	default:
		t.Keep = Setting[int]{install.DefaultKeep, OriginDefault}
	}
	return t
}

// usesServer reports whether a save: section names anything of one web
// server (not only how many backups to keep).
func usesServer(s config.SaveSettings) bool {
	return s.Target != "" || s.Link != "" || s.Check != "" || s.Reload != "" || s.NoCheck
}

// Validate refuses a target that cannot be saved as it stands, whatever its
// values came from: a reload without a check, a link that is the file.
func (t Target) Validate() error {
	if !t.Snippet() {
		return nil
	}
	if err := t.needsPath(); err != nil {
		return err
	}
	if t.Provider.IsKubernetes() {
		for _, c := range []struct {
			s          Setting[string]
			what, flag string
		}{{t.Check, "check", "--check"}, {t.Reload, "reload", "--reload"}, {t.Link, "link", "--link"}} {
			if c.s.Value != "" {
				return fileOnly(t.Provider, fmt.Sprintf("leave out the %s (%s)", c.what, c.s.describe(c.what, c.flag)))
			}
		}
		if t.RequireCheck {
			return fileOnly(t.Provider, "leave out --require-check")
		}
	}
	if t.RequireCheck && t.Check.Value == "" {
		return &UsageError{Message: fmt.Sprintf("--require-check needs a check (the check is off: %s)", t.noCheckFrom())}
	}
	if t.Check.Value == "" && t.Reload.Value != "" {
		return &UsageError{Message: fmt.Sprintf("a reload (%s) needs a check (the check is off: %s): the server is reloaded only after the configuration passed it",
			t.Reload.describe("reload", "--reload"), t.noCheckFrom())}
	}
	if t.Link.Value != "" && abs(t.Link.Value) == abs(t.Path.Value) {
		return &UsageError{Message: fmt.Sprintf("the enable link %s is the target itself", t.Link.Value)}
	}
	// Outside --root, or over the server's main configuration: refused in every front-end.
	dest := install.Destination{Root: t.Root.Value, Path: t.Path.Value, Link: t.Link.Value, BackupDir: t.BackupDir.Value,
		Check: install.ParseCommand(t.Check.Value), Detected: t.Detected, Restore: t.restore}
	if err := dest.Guard(); err != nil {
		return &UsageError{Message: err.Error()}
	}
	return nil
}

// needsPath refuses a target without a file: nothing detected and none
// chosen (a save and a listing of backups alike).
func (t Target) needsPath() error {
	if strings.TrimSpace(t.Path.Value) != "" {
		return nil
	}
	msg := "no target file for " + string(t.Provider) + ": give one (--to PATH)"
	if t.Detected.Note != "" {
		msg = t.Detected.Note + "; give the target file (--to PATH)"
	}
	return &UsageError{Message: msg}
}

// missingDir is the directory the target file goes in when it does not
// exist, and the one message that says so: the detected layout's note when
// the file is the detected one (it says what to create, and what the server
// needs to load it), else what to create. "" when the directory is there.
func (t Target) missingDir() (dir, msg string) {
	if !t.Snippet() || t.Path.Value == "" {
		return "", ""
	}
	dir = filepath.Dir(t.Path.Value)
	if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
		return "", ""
	}
	if t.Path.Origin == OriginDetected && t.Detected.MissingDir == dir {
		return dir, t.Detected.Note
	}
	return dir, dir + " does not exist: create it (install -d " + dir + "), or choose another target (--to PATH)"
}

// fileOnly is the rule of the outputs that are only saved to a file here
// (Kubernetes manifests, applied with kubectl): nothing on this machine
// checks, reloads, enables or verifies them. fix says what to leave out.
func fileOnly(p render.Provider, fix string) *UsageError {
	return &UsageError{Message: fmt.Sprintf("%s writes Kubernetes manifests, which a save only writes to a file: nothing on this machine checks, reloads, enables or verifies them (apply the file with `kubectl apply -f FILE`); %s", p, fix)}
}

// Snippet reports whether the provider has a file to install (the embedded
// Tomcat has none: clients reach Artifactory directly).
func (t Target) Snippet() bool { return t.Provider != render.Tomcat && t.Provider != "" }

// CheckRequired reports whether the check was chosen by a person, so a
// check program that is not installed fails the save instead of leaving it
// "not checked" (the detected default may be absent: the server is not on
// this machine).
func (t Target) CheckRequired() bool { return t.Check.Value != "" && t.Check.Origin.Chosen() }

// plan is what install.Save is given for a save or a restore to t (the
// caller adds the content or the backup to restore).
func (t Target) plan(progress func(install.Step)) install.Plan {
	return install.Plan{
		Target:        t.Path.Value,
		EnableLink:    t.Link.Value,
		CheckCmd:      install.ParseCommand(t.Check.Value),
		CheckRequired: t.CheckRequired(),
		RequireCheck:  t.RequireCheck,
		ReloadCmd:     install.ParseCommand(t.Reload.Value),
		BackupDir:     t.BackupDir.Value,
		Keep:          t.Keep.Value,
		Root:          t.Root.Value,
		Manifest:      t.Provider.IsKubernetes(),
		Progress:      progress,
	}
}

// Install is the target as package install describes it, for callers that
// still take an install.Target (tui.Options.Target).
func (t Target) Install() install.Target {
	it := t.Detected
	it.Path, it.EnableLink = t.Path.Value, t.Link.Value
	it.CheckCmd, it.CheckChosen = install.ParseCommand(t.Check.Value), t.CheckRequired()
	if t.Reload.Value != "" {
		it.ReloadCmd = install.ParseCommand(t.Reload.Value)
	}
	it.Root = t.Root.Value
	return it
}

// Remember is the save: section a save to this target leaves in the
// settings file (the wizard's): every choice a person made, and under
// another root everything (detection there is not repeated without --root).
// What was detected on this machine is left out, so it follows the server.
// keep is the section as loaded; keys not chosen here keep its values.
func (t Target) Remember(keep config.SaveSettings) config.SaveSettings {
	s := keep
	if !t.Snippet() {
		return s
	}
	rooted := t.Root.Value != "/"
	if t.Path.Origin.Chosen() || t.Link.Origin.Chosen() || rooted {
		// The link goes with the file: a remembered file without a link has none.
		s.Target, s.Link = t.Path.Value, t.Link.Value
	}
	if t.Check.Origin.Chosen() || rooted {
		s.Check, s.NoCheck = t.Check.Value, t.Check.Value == ""
	}
	if t.Reload.Origin.Chosen() {
		s.Reload = t.Reload.Value
	}
	if t.Keep.Origin.Chosen() {
		s.Keep = t.Keep.Value
	}
	return s
}

// Row is one save option for display: "Target  /etc/…/artifactory.conf  detected".
type Row struct {
	Label  string // "Target"
	Value  string // "none" when empty
	Origin Origin
	From   string // the origin in words: "from --to", "remembered in save.target", "detected"
}

// Rows are the options as both front-ends show them, with where each came
// from. Backups, the backup directory and the root appear only when not the
// default.
func (t Target) Rows() []Row {
	if !t.Snippet() {
		return nil
	}
	rows := []Row{
		t.Path.row("Target", "target", "--to"),
		t.Link.row("Enable link", "link", "--link"),
		t.Check.row("Check", "check", "--check"),
		t.Reload.row("Reload", "reload", "--reload"),
	}
	if t.Provider.IsKubernetes() && t.Check.Value == "" {
		// A manifest is only written: no link, no reload; the check row says how it is applied.
		rows = []Row{rows[0], {Label: "Check", Value: "none: apply it with `kubectl apply -f " + t.Path.Value + "`", Origin: OriginDetected, From: "a Kubernetes manifest"}}
	} else if t.Check.Value == "" {
		rows[2].Value = "none: no rollback possible"
		rows[2].From = t.noCheckFrom()
	}
	if t.Link.Value == "" {
		// No link because a file was chosen without one, not because
		// anything said "none".
		switch {
		case t.Link.Origin == OriginRemembered && t.Path.Origin == OriginRemembered:
			rows[1].From = "save.target has no save.link"
		case t.Link.Origin == OriginDefault && t.Path.Origin == OriginFlag:
			rows[1].From = "--to without --link"
		}
	}
	if t.Keep.Origin != OriginDefault {
		r := Setting[string]{strconv.Itoa(t.Keep.Value), t.Keep.Origin}.row("Backups kept", "keep", "--keep")
		rows = append(rows, r)
	}
	if t.BackupDir.Origin != OriginDefault {
		rows = append(rows, t.BackupDir.row("Backup dir", "backupDir", "--backup-dir"))
	}
	if t.Root.Origin != OriginDefault {
		rows = append(rows, t.Root.row("Root", "root", "--root"))
	}
	return rows
}

func (s Setting[T]) row(label, key, flag string) Row {
	v := fmt.Sprint(s.Value)
	if v == "" {
		v = "none"
	}
	return Row{Label: label, Value: v, Origin: s.Origin, From: s.describe(key, flag)}
}

// describe says where a value came from, in words.
func (s Setting[T]) describe(key, flag string) string {
	switch s.Origin {
	case OriginFlag:
		return "from " + flag
	case OriginRemembered:
		return "remembered in save." + key
	case OriginEdited:
		return "edited"
	case OriginDetected:
		return "detected"
	}
	return "default"
}

// noCheckFrom says where "no check" came from: --no-check,
// save.noCheck, an edit, or (a Kubernetes manifest) nothing to check.
func (t Target) noCheckFrom() string {
	switch t.Check.Origin {
	case OriginFlag:
		return "from --no-check"
	case OriginRemembered:
		return "remembered in save.noCheck"
	case OriginEdited:
		return "edited to none"
	}
	return t.Check.describe("check", "--check")
}

// WithEdits is t (resolved again, e.g. for another provider) with the
// values edited in from kept: what the user typed in the wizard survives a
// change of provider; detected values follow it.
func (t Target) WithEdits(from Target) Target {
	keepEdited := func(dst *Setting[string], src Setting[string]) {
		if src.Origin == OriginEdited {
			*dst = src
		}
	}
	keepEdited(&t.Path, from.Path)
	keepEdited(&t.Link, from.Link)
	keepEdited(&t.Check, from.Check)
	keepEdited(&t.Reload, from.Reload)
	keepEdited(&t.BackupDir, from.BackupDir)
	if from.Keep.Origin == OriginEdited {
		t.Keep = from.Keep
	}
	return t
}

// normalCommand is a command line as it runs: words split on spaces, joined
// by one space (there is no shell and no quoting).
func normalCommand(line string) string { return install.FormatCommand(install.ParseCommand(line)) }

// under reports whether path lies under root.
func under(root, path string) bool {
	rel, err := filepath.Rel(root, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, "../")
}
