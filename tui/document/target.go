package document

import (
	"frontdoor/app"
	"frontdoor/install"
	"frontdoor/render"
)

// Target is where and how the snippet is saved: app's target (each choice
// with where it came from: a flag, the save: section, detection, an edit,
// the default), as the review step edits it, and the review step's two
// switches. App is what a save gets.
type Target struct {
	app.Target

	// ReloadOn runs Reload after a passing check. While it is off,
	// Reload.Value is only offered (the detected suggestion, or the command
	// typed before the reload was switched off).
	ReloadOn bool
	// Verify checks after the reload that the new configuration is the one
	// serving (app.Request.Verify); only with ReloadOn. Never remembered:
	// each save asks, as `frontdoor save --verify` does.
	Verify bool
	// Err says why the target cannot be saved to as resolved (app.Resolve's
	// usage error for this provider); the save says it again.
	Err string

	offOrigin app.Origin // where "no reload" came from: the default, or the user switching a reload off
}

// NewTarget is the review step's view of a resolved target: a reload that
// came from a flag or the save: section is on; otherwise the detected
// reload command is offered, off.
func NewTarget(t app.Target, err error) Target {
	d := Target{Target: t, offOrigin: app.OriginDefault}
	if err != nil {
		d.Err = err.Error()
	}
	switch {
	case t.Reload.Value != "":
		d.ReloadOn = true
	case t.Reload.Origin == app.OriginDefault && len(t.Detected.ReloadCmd) > 0:
		d.Reload = app.Setting[string]{Value: install.FormatCommand(t.Detected.ReloadCmd), Origin: app.OriginDetected}
	default:
		d.offOrigin = t.Reload.Origin
	}
	return d
}

// DetectedTarget is a target whose every choice is the layout detect found,
// for callers that detect the layout themselves (tests with fixed paths);
// app.Resolve is the rule for everyone else.
func DetectedTarget(p render.Provider, it install.Target) app.Target {
	root := it.Root
	if root == "" {
		root = "/"
	}
	it.Root = root
	t := app.Target{Provider: p, Detected: it, Root: app.Setting[string]{Value: root, Origin: app.OriginDefault}}
	t.Keep = app.Setting[int]{Value: install.DefaultKeep, Origin: app.OriginDefault}
	t.BackupDir = app.Setting[string]{Origin: app.OriginDefault}
	t.Reload = app.Setting[string]{Origin: app.OriginDefault}
	if !t.Snippet() {
		return t
	}
	check := app.OriginDetected
	if it.CheckChosen {
		check = app.OriginFlag
	}
	t.Path = app.Setting[string]{Value: it.Path, Origin: app.OriginDetected}
	t.Link = app.Setting[string]{Value: it.EnableLink, Origin: app.OriginDetected}
	t.Check = app.Setting[string]{Value: install.FormatCommand(it.CheckCmd), Origin: check}
	return t
}

// App is the target a save uses: the reload only when switched on.
func (t Target) App() app.Target {
	a := t.Target
	if !t.ReloadOn {
		a.Reload = app.Setting[string]{Origin: t.offOrigin}
	}
	return a
}

// VerifyOn reports whether the save verifies after the reload.
func (t Target) VerifyOn() bool { return t.ReloadOn && t.Verify }

// SetReload switches the reload on or off: a person's choice either way,
// so it is remembered by the next save (app.Target.Remember).
func (t *Target) SetReload(on bool) {
	if on == t.ReloadOn {
		return
	}
	t.ReloadOn = on
	if on {
		if t.Reload.Origin == app.OriginDetected || t.Reload.Origin == app.OriginDefault {
			t.Reload.Origin = app.OriginEdited
		}
		return
	}
	t.offOrigin = app.OriginEdited
}

// SetReloadCommand is the reload command as typed.
func (t *Target) SetReloadCommand(v string) { t.Reload.Edit(v) }

// From says where the value on the review step's row came from, in app's
// words ("detected", "from --to", "remembered (save.target)", "edited",
// "default"). label is the row's: "Target", "Enable link", "Check",
// "Reload", "Backups kept", "Backup dir", "Root".
func (t Target) From(label string) string {
	for _, r := range t.App().Rows() {
		if r.Label == label {
			return r.From
		}
	}
	return "default" // app lists keep, the backup directory and the root only when not the default
}

// edited reports whether a person changed any choice in the wizard.
func (t Target) edited() bool {
	for _, o := range []app.Origin{t.Path.Origin, t.Link.Origin, t.Check.Origin, t.Reload.Origin, t.BackupDir.Origin, t.Keep.Origin, t.offOrigin} {
		if o == app.OriginEdited {
			return true
		}
	}
	return false
}

// follow is the target resolved for another provider with the choices the
// user made here kept (app.Target.WithEdits): detected values follow the
// provider, typed ones stay, and so do the switches.
func (t Target) follow(next Target) Target {
	if !t.edited() {
		next.Verify = t.Verify
		return next
	}
	suggested := t.Reload.Value == install.FormatCommand(t.Detected.ReloadCmd)
	next.Target = next.Target.WithEdits(t.Target)
	if suggested && t.Reload.Origin == app.OriginEdited {
		// Switched on as offered: the new provider's command, still a choice.
		next.Reload = app.Setting[string]{Value: install.FormatCommand(next.Detected.ReloadCmd), Origin: app.OriginEdited}
	}
	if t.offOrigin == app.OriginEdited || t.Reload.Origin == app.OriginEdited {
		next.ReloadOn, next.offOrigin = t.ReloadOn, t.offOrigin
	}
	next.Verify = t.Verify
	return next
}
