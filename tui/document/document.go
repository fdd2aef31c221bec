// Package document holds the settings the wizard edits, in one place: the
// whole settings file (proxy and LDAP), the save target, what was last
// loaded or saved (to say "modified" and to ask before quitting), the
// validation of all of it, and the undo history. Every screen edits this one
// value through its field descriptors; no screen keeps a copy that must be
// kept in step.
package document

import (
	"reflect"
	"slices"
	"time"

	"frontdoor/config"
	"frontdoor/finding"
	"frontdoor/install"
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
	// Target is where and how the snippet is saved; the review step edits
	// it. TargetEdited: the user changed it, so a provider change keeps it.
	Target       Target
	TargetEdited bool

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

	savedProxy render.Settings
	savedLDAP  ldapcheck.Config
	dirty      bool // proxy settings differ from savedProxy

	// targets are the detected targets per provider (nil until detected);
	// provider is the one Target was chosen for.
	targets  map[render.Provider]install.Target
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

// LDAPDirty reports whether the LDAP settings differ from the file.
func (d *Document) LDAPDirty() bool { return !reflect.DeepEqual(d.File.LDAP, d.savedLDAP) }

// Dirty reports whether anything differs from the file: quitting would
// drop it.
func (d *Document) Dirty() bool { return d.dirty || d.LDAPDirty() }

// SavedProxy is the proxy section as on disk (or as loaded).
func (d *Document) SavedProxy() render.Settings { return d.savedProxy.Clone() }

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
	if s.HTTPS.Enabled && d.CertsCurrent() && !fs.For("proxy.https.certificate").HasErrors() && !fs.For("proxy.https.key").HasErrors() {
		certs = d.Certs
		fs = append(fs, render.CheckCertificates(s, certs, d.now())...)
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

// Saved records a save of the whole file: these are now the settings on disk.
func (d *Document) Saved(f config.File) {
	d.savedProxy = f.Proxy.Clone()
	d.savedLDAP = f.LDAP
	d.dirty = !reflect.DeepEqual(d.File.Proxy, d.savedProxy)
}

// LDAPSaved records a save of the LDAP section (the proxy section on disk
// is unchanged).
func (d *Document) LDAPSaved(c ldapcheck.Config) { d.savedLDAP = c }

// ForSave is the file a save writes: the settings as edited, copied so the
// save can marshal it on another goroutine while editing goes on.
func (d *Document) ForSave() config.File {
	f := d.File
	f.Proxy = d.File.Proxy.Clone()
	return f
}

// ForLDAPSave is the file an LDAP save writes: these LDAP settings and the
// proxy settings as last saved, so the file keeps describing the snippet
// that is installed, whatever is being edited on the HTTP screens.
func (d *Document) ForLDAPSave() config.File {
	f := d.File
	f.Proxy = d.savedProxy.Clone()
	return f
}

// Snapshot is a copy of the settings for a command's goroutine (the
// preview job): the proxy settings deep, the rest as it is (immutable).
func (d *Document) Snapshot() Document {
	return Document{File: d.ForSave(), Target: d.Target, now: d.now}
}

// SetDetected takes the targets detected for each provider (once, at
// start) and puts the current provider's in place unless the user edited it.
func (d *Document) SetDetected(targets map[render.Provider]install.Target) {
	d.targets = targets
	d.followTarget()
}

// Detected reports whether the targets were detected.
func (d *Document) Detected() bool { return d.targets != nil }

func (d *Document) followTarget() {
	if d.targets == nil || d.TargetEdited {
		return
	}
	if t, ok := d.targets[d.provider]; ok {
		d.Target = TargetFrom(t)
	}
}
