package document

import "frontdoor/install"

// Target is where and how the snippet is saved: it starts from
// install.DetectTarget and the wizard's flags, and the review step edits it.
type Target struct {
	Path, Link, Check, Reload string
	ReloadOn                  bool

	DefaultCheck string // the detected check: a missing program only skips it
	CheckChosen  bool   // --check was given
	Layout       install.Layout
	Detected     bool
	Note         string
	ApacheCtl    string
}

// TargetFrom describes a detected target.
func TargetFrom(t install.Target) Target {
	return Target{
		Path: t.Path, Link: t.EnableLink,
		Check: install.FormatCommand(t.CheckCmd), Reload: install.FormatCommand(t.ReloadCmd),
		DefaultCheck: install.FormatCommand(t.CheckCmd), CheckChosen: t.CheckChosen,
		Layout: t.Layout, Detected: t.Detected, Note: t.Note, ApacheCtl: t.ApacheCtl,
	}
}
