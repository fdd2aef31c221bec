package document

import (
	"frontdoor/ldapcheck"
	"frontdoor/render"
)

// Section is a part of the document with its own undo history: ctrl+z on
// the HTTP screens undoes HTTP edits, on the LDAP screen LDAP edits.
type Section int

const (
	SectionProxy Section = iota // the proxy settings and the save target
	SectionLDAP                 // the LDAP and group settings
	sectionCount
)

// maxUndo bounds each history. A proxy snapshot of 1,000 Docker
// repositories is about 24 KB (the strings are shared), so the history
// stays under 3 MB.
const maxUndo = 100

type undoStack struct {
	entries []snapshot
	open    string // group of the edit the newest entry was taken before
}

type snapshot struct {
	where string // what the edit was on (a settings path), to show it again

	proxy  render.Settings
	target Target
	ldap   ldapcheck.Config
}

// Checkpoint is called before an edit: it keeps the settings of the section
// as they are, so Undo can bring them back. Edits of one group (typing in
// one field) make one step; where is the settings path of the edit, which
// Undo returns so the screen can show the field again.
func (d *Document) Checkpoint(sec Section, group, where string) {
	u := &d.undo[sec]
	if group != "" && group == u.open {
		return
	}
	s := snapshot{where: where}
	switch sec {
	case SectionProxy:
		s.proxy = d.File.Proxy.Clone()
		s.target = d.Target
	case SectionLDAP:
		s.ldap = d.File.LDAP // copy on write: the slices are never written into
	}
	if len(u.entries) == maxUndo {
		u.entries = append(u.entries[:0:0], u.entries[1:]...)
	}
	u.entries = append(u.entries, s)
	u.open = group
}

// EndGroup ends the current group of edits (the focus moved): the next edit
// is a step of its own even in the same field.
func (d *Document) EndGroup(sec Section) { d.undo[sec].open = "" }

// CanUndo reports whether there is an edit to undo in the section.
func (d *Document) CanUndo(sec Section) bool { return len(d.undo[sec].entries) > 0 }

// Undo puts the section back as it was before its last edit and validates
// again; where is the settings path of that edit.
func (d *Document) Undo(sec Section) (where string, ok bool) {
	u := &d.undo[sec]
	if len(u.entries) == 0 {
		return "", false
	}
	s := u.entries[len(u.entries)-1]
	u.entries = u.entries[:len(u.entries)-1]
	u.open = ""
	switch sec {
	case SectionProxy:
		d.File.Proxy = s.proxy
		d.Target = s.target
		d.ProxyChanged()
	case SectionLDAP:
		d.File.LDAP = s.ldap
		d.revalidateLDAP()
	}
	return s.where, true
}
