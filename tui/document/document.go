// Package document holds the settings the wizard edits, in one place: the
// whole settings file (proxy and LDAP), the save target, the settings file
// as last loaded or written (config.Document: the baseline every save
// compares the file on disk with, and what "modified" and the quit dialog
// compare the edits with), the validation of all of it, and the undo
// history. Every screen edits this one
// value through its field descriptors; no screen keeps a copy that must be
// kept in step.
package document

import (
	"reflect"
	"slices"
	"time"

	"frontdoor/config"
	"frontdoor/finding"
	"frontdoor/ldapcheck"
	"frontdoor/render"
	"frontdoor/tui/common"
)

// Document is the settings being edited.
type Document struct {
	// File is the settings file as edited: File.Proxy and File.LDAP. The
	// LDAP section is replaced, never written into (see EditLDAP): a running
	// save may be marshalling the previous value on another goroutine.
	File config.File
	// Target is where and how the snippet is saved (app's target, each
	// choice with its origin); the review step edits it. A provider change
	// resolves it again, keeping what the user typed.
	Target Target

	// Certs are the certificate files read for the paths in File.Proxy (by a
	// command, when the paths change); they may lag the settings.
	Certs *render.CertInfo

	// Proxy and LDAP are the validation of each section, run by
	// ProxyChanged and EditLDAP with the same validators as the CLI.
	Proxy, LDAP Check
	// DockerHosts are the subdomain of each Docker repository (subdomain
	// method), from render.DockerHosts.
	DockerHosts []string
	// verdicts are one mark per Docker repository row, agreeing with the
	// findings (render.RepositoryVerdicts); worked out when a table first
	// asks after a change (verdictsFor: the certificate they used).
	verdicts    []render.RepositoryVerdict
	verdictsOK  bool
	verdictCert *render.CertInfo

	// nodeFindings are render.CheckNodesResolve's warnings (node names that
	// do not resolve here), looked up in a command for nodesFor.
	nodeFindings finding.Findings
	nodesFor     []string
	nodesOf      render.Provider

	// base is the settings file as last loaded or written: its bytes and
	// hash decide whether the file changed on disk before a save writes.
	base       *config.Document
	fallback   string // the file a save opens when there is no base yet (SetFallback)
	savedProxy render.Settings
	savedLDAP  ldapcheck.Config
	dirty      bool // proxy settings differ from savedProxy
	// exampleLDAP is the built-in example's LDAP section when the session
	// started from the example (nil otherwise): while the LDAP settings
	// are still exactly it, they are a placeholder (ldap.example.com), shown
	// but never written by a save (ForSave), and not an unsaved change.
	exampleLDAP *ldapcheck.Config

	// targets are the resolved targets per provider (nil until resolved);
	// provider is the one Target was chosen for.
	targets  map[render.Provider]Target
	provider render.Provider

	now  func() time.Time
	undo [sectionCount]undoStack
}

// Check is the validation of one section, indexed for the fields.
type Check struct {
	Findings finding.Findings
	Index    common.FindingIndex
	Issues   common.IssueCount
}

func newCheck(fs finding.Findings) Check {
	return Check{Findings: fs, Index: common.NewFindingIndex(fs), Issues: common.CountIssues(fs)}
}

// New starts a document from loaded settings (nil: the defaults); what was
// loaded is what counts as saved. now dates certificate expiry.
func New(f *config.File, now func() time.Time) *Document {
	if f == nil {
		f = &config.File{Proxy: render.Defaults()}
	}
	if now == nil {
		now = time.Now
	}
	d := &Document{File: *f, now: now, provider: f.Proxy.Provider}
	d.File.Proxy = f.Proxy.Clone()
	d.savedProxy = f.Proxy.Clone()
	d.savedLDAP = f.LDAP
	d.revalidateProxy()
	d.revalidateLDAP()
	return d
}

// Settings are the proxy settings being edited.
func (d *Document) Settings() *render.Settings { return &d.File.Proxy }

// Now is the document's clock (certificate expiry).
func (d *Document) Now() time.Time { return d.now() }

// ProxyDirty reports whether the proxy settings differ from the file.
func (d *Document) ProxyDirty() bool { return d.dirty }

// LDAPDirty reports whether the LDAP settings differ from the file. The
// example's untouched placeholder is no change: a save does not write it.
func (d *Document) LDAPDirty() bool {
	return !d.LDAPPlaceholder() && !reflect.DeepEqual(d.File.LDAP, d.savedLDAP)
}

// LDAPPlaceholder reports whether the LDAP settings are the built-in
// example's, untouched, in a session started from the example: a save
// leaves them out of the file (the example's directory is not the user's);
// an edit (or the LDAP screen's own save) makes them the user's.
func (d *Document) LDAPPlaceholder() bool {
	return d.exampleLDAP != nil && len(d.File.LDAP.Settings)+len(d.File.LDAP.Groups) > 0 &&
		reflect.DeepEqual(d.File.LDAP, *d.exampleLDAP)
}

// Dirty reports whether anything differs from the file: quitting would
// drop it.
func (d *Document) Dirty() bool { return d.dirty || d.LDAPDirty() }

// SavedProxy is the proxy section as on disk (or as loaded).
func (d *Document) SavedProxy() render.Settings { return d.savedProxy.Clone() }

// SavedLDAP is the LDAP section as on disk (or as loaded).
func (d *Document) SavedLDAP() ldapcheck.Config { return d.savedLDAP }

// ProxyChanged follows every edit of the proxy settings: validation, the
// modified mark, and after a provider change the provider's defaults (the
// client-CA path) and the save target, unless the user typed them.
func (d *Document) ProxyChanged() {
	if p := d.File.Proxy.Provider; p != d.provider {
		d.provider = p
		render.FollowProvider(&d.File.Proxy)
		d.followTarget()
	}
	d.revalidateProxy()
	d.dirty = !reflect.DeepEqual(d.File.Proxy, d.savedProxy)
}

// Verdict is the one mark of Docker repository row (render.
// RepositoryVerdicts): never ✓ beside a ✗ for the same key. false when
// there is no such row.
func (d *Document) Verdict(row int) (render.RepositoryVerdict, bool) {
	if !d.verdictsOK {
		d.verdicts = render.RepositoryVerdicts(&d.File.Proxy, d.Proxy.Findings, d.verdictCert)
		d.verdictsOK = true
	}
	if row < 0 || row >= len(d.verdicts) {
		return render.RepositoryVerdict{}, false
	}
	return d.verdicts[row], true
}

// SetNodeFindings takes the lookups of the node names (render.
// CheckNodesResolve, for these nodes and provider); they count while the
// settings name the same.
func (d *Document) SetNodeFindings(p render.Provider, nodes []string, fs finding.Findings) bool {
	if p != d.File.Proxy.Provider || !slices.Equal(nodes, d.File.Proxy.Nodes) {
		return false
	}
	d.nodesOf, d.nodesFor, d.nodeFindings = p, slices.Clone(nodes), fs
	d.revalidateProxy()
	return true
}

// NodesLookedUp reports whether the node names were looked up as they are.
func (d *Document) NodesLookedUp() bool {
	return d.nodesFor != nil && d.nodesOf == d.File.Proxy.Provider && slices.Equal(d.nodesFor, d.File.Proxy.Nodes)
}

// SetCerts takes certificate files read for the current paths (a late
// answer for other paths is dropped) and validates again.
func (d *Document) SetCerts(ci *render.CertInfo) bool {
	s := &d.File.Proxy
	if ci == nil || ci.CertPath != s.HTTPS.Certificate || ci.KeyPath != s.HTTPS.Key {
		return false
	}
	d.Certs = ci
	d.revalidateProxy()
	return true
}

// CertsCurrent reports whether the loaded certificate files are the ones the
// settings name now.
func (d *Document) CertsCurrent() bool {
	s := &d.File.Proxy
	return d.Certs != nil && d.Certs.CertPath == s.HTTPS.Certificate && d.Certs.KeyPath == s.HTTPS.Key
}

// revalidateProxy runs the same validators as the CLI: Validate on every
// change, CheckCertificates when the certificate files for the current
// paths are loaded.
func (d *Document) revalidateProxy() {
	s := &d.File.Proxy
	fs := render.Validate(s)
	var certs *render.CertInfo
	switch {
	case !s.HTTPS.Enabled || !d.CertsCurrent():
	case !fs.For("proxy.https.certificate").HasErrors() && !fs.For("proxy.https.key").HasErrors():
		certs = d.Certs
		fs = append(fs, render.CheckCertificates(s, certs, d.now())...)
	default:
		// The pair's paths have an error (not read); the client CA was
		// read on its own and is judged on its own.
		fs = append(fs, render.CheckClientCA(s, d.Certs.ClientCA, d.now())...)
	}
	if d.NodesLookedUp() {
		fs = append(fs, d.nodeFindings...)
	}
	d.Proxy = newCheck(fs)
	d.DockerHosts = render.DockerHosts(s)
	d.verdictsOK, d.verdictCert = false, certs
}

// Revalidate validates both sections again (after the document was put
// back from outside, as accessible mode does after trying an answer).
func (d *Document) Revalidate() {
	d.revalidateProxy()
	d.revalidateLDAP()
}

func (d *Document) revalidateLDAP() { d.LDAP = newCheck(ldapcheck.Validate(d.File.LDAP)) }

// EditLDAP changes a copy of the LDAP settings and puts the copy in place
// (copy on write: see File), then validates again.
func (d *Document) EditLDAP(change func(c *ldapcheck.Config)) {
	c := ldapcheck.Config{
		Settings: slices.Clone(d.File.LDAP.Settings),
		Groups:   slices.Clone(d.File.LDAP.Groups),
	}
	change(&c)
	d.File.LDAP = c
	d.revalidateLDAP()
}

// SetBase takes the settings file as opened (config.Open) as the baseline
// of the next save; the settings being edited stay as they are.
func (d *Document) SetBase(base *config.Document) {
	d.base = base
	if base == nil {
		return
	}
	loaded := base.Settings()
	d.File.Save = loaded.Save
	if base.Source() == config.FromExample && d.exampleLDAP == nil {
		example := loaded.LDAP
		d.exampleLDAP = &example
	}
}

// Base is the settings file as last loaded or written (nil when the wizard
// was started without one).
func (d *Document) Base() *config.Document { return d.base }

// SetFallback names the file a save writes when the wizard was started
// without a baseline (callers that give settings but no config.Document,
// such as tests): it is opened when a save needs it, so only changes made
// to it after that are caught.
func (d *Document) SetFallback(path string) { d.fallback = path }

// BaseForSave is the baseline a save compares the file on disk with: Base,
// or the fallback file opened now.
func (d *Document) BaseForSave() *config.Document {
	if d.base != nil || d.fallback == "" {
		return d.base
	}
	b, err := config.Open(d.fallback, true)
	if err != nil {
		return nil // app then refuses to write, and says so
	}
	return b
}

// SettingsPath is the file saves write.
func (d *Document) SettingsPath() string {
	if d.base != nil {
		return d.base.Target()
	}
	return d.fallback
}

// Saved records a write of the settings file: base is the file as written
// (the next save's baseline), written the settings it was given, which are
// now the settings on disk.
func (d *Document) Saved(base *config.Document, written *config.File) {
	d.SetBase(base)
	d.savedProxy = written.Proxy.Clone()
	d.savedLDAP = written.LDAP
	d.dirty = !reflect.DeepEqual(d.File.Proxy, d.savedProxy)
	if len(written.LDAP.Settings)+len(written.LDAP.Groups) > 0 {
		d.exampleLDAP = nil // written on purpose: the file's now
	}
}

// Rebase replaces the settings with edited over a new baseline (the file as
// it is on disk now, after someone else changed it): edited is that file's
// settings (reload: take theirs) or both sides merged (keep both). The
// previous settings stay in the undo history of each section, moved onto
// the new baseline (rebaseUndo), so ctrl+z puts the user's edits back on
// top of it.
func (d *Document) Rebase(base *config.Document, edited *config.File) {
	d.Checkpoint(SectionProxy, "", "")
	d.Checkpoint(SectionLDAP, "", "")
	d.EndGroup(SectionProxy)
	d.EndGroup(SectionLDAP)
	old := &config.File{Proxy: d.savedProxy, LDAP: d.savedLDAP, HasProxy: true}
	saved := base.Settings()
	d.rebaseUndo(old, saved)
	d.base = base
	d.savedProxy = saved.Proxy.Clone()
	d.savedLDAP = saved.LDAP
	d.exampleLDAP = nil // the file as it is now: nothing in it is a placeholder
	e := edited.Clone()
	e.Proxy = edited.Proxy.Clone()
	e.Save = saved.Save
	d.File = *e
	d.revalidateLDAP()
	d.ProxyChanged()
	d.dropNoOpUndo()
}

// rebaseUndo moves each section's history onto a new baseline. An entry
// holds the user's settings over the old file; brought back as they were,
// they would put the old file's values back too, and the next save would
// silently revert what someone else changed in it. So each entry becomes
// their file with only the user's edits on top (config.Merge, what the
// conflict dialog's merge does), never the old base values.
func (d *Document) rebaseUndo(old, theirs *config.File) {
	for sec := range sectionCount {
		for i := range d.undo[sec].entries {
			e := &d.undo[sec].entries[i]
			mine := *old
			switch sec {
			case SectionProxy:
				mine.Proxy = e.proxy
				merged, _ := config.Merge(old, &mine, theirs)
				e.proxy = merged.Proxy
			case SectionLDAP:
				mine.LDAP = e.ldap
				merged, _ := config.Merge(old, &mine, theirs)
				e.ldap = merged.LDAP
			}
		}
	}
}

// dropNoOpUndo forgets a newest entry that holds what is on show (after a
// merge, the edits over their file are what the editor already holds):
// ctrl+z would otherwise seem to do nothing.
func (d *Document) dropNoOpUndo() {
	for sec := range sectionCount {
		u := &d.undo[sec]
		if len(u.entries) == 0 {
			continue
		}
		top := u.entries[len(u.entries)-1]
		same := false
		switch sec {
		case SectionProxy:
			same = reflect.DeepEqual(top.proxy, d.File.Proxy) && reflect.DeepEqual(top.target, d.Target)
		case SectionLDAP:
			same = reflect.DeepEqual(top.ldap, d.File.LDAP)
		}
		if same {
			u.entries = u.entries[:len(u.entries)-1]
		}
	}
}

// LDAPSaved records a save of the LDAP section (the proxy section on disk
// is unchanged).
func (d *Document) LDAPSaved(c ldapcheck.Config) {
	d.savedLDAP = c
	d.exampleLDAP = nil // saved on purpose from the LDAP screen: the user's now
}

// ForSave is the file a save writes: the settings as edited, copied so the
// save can marshal it on another goroutine while editing goes on. The
// example's untouched LDAP placeholder is left out (LDAPPlaceholder).
func (d *Document) ForSave() config.File {
	f := d.File
	f.Proxy = d.File.Proxy.Clone()
	if d.LDAPPlaceholder() {
		f.LDAP = ldapcheck.Config{}
	}
	return f
}

// ForLDAPSave is the file an LDAP save writes: these LDAP settings and the
// rest of the file as last loaded or written (the proxy section, the save:
// section), so the file keeps describing the snippet that is installed,
// whatever is being edited on the HTTP screens.
func (d *Document) ForLDAPSave() config.File {
	base := d.BaseForSave()
	if base == nil {
		f := d.File
		f.Proxy = d.savedProxy.Clone()
		return f
	}
	f := base.Settings()
	f.LDAP = d.File.LDAP
	return *f
}

// Snapshot is a copy of the settings for a command's goroutine (the
// preview job): the proxy settings deep, the rest as it is (immutable).
func (d *Document) Snapshot() Document {
	return Document{File: d.ForSave(), Target: d.Target, now: d.now}
}

// SetDetected takes the targets resolved for each provider (at start, and
// after the settings file was read again) and puts the current provider's
// in place, with the choices the user made kept.
func (d *Document) SetDetected(targets map[render.Provider]Target) {
	d.targets = targets
	d.followTarget()
}

// Detected reports whether the targets were resolved.
func (d *Document) Detected() bool { return d.targets != nil }

func (d *Document) followTarget() {
	if d.targets == nil {
		return
	}
	if t, ok := d.targets[d.provider]; ok {
		d.Target = d.Target.follow(t)
	}
}
