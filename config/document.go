package config

import (
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/aymanbagabas/go-udiff"
	"go.yaml.in/yaml/v3"

	"frontdoor/finding"
)

// Document is what one load of the settings produced, and what a later write
// must respect: the file, the bytes as read (and their hash and time), where
// they came from, the settings decoded from them, and the parsed YAML tree a
// write edits in place. A Document never changes: Settings returns a copy to
// edit, and Write returns the Document of the file it wrote.
//
//	doc, err := config.Open(path, explicit)   // *config.Error: exit 2
//	f := doc.Settings()                        // edit f
//	doc, err = doc.Write(f, config.WriteOptions{})
//	var c *config.Conflict
//	if errors.As(err, &c) {
//		// show c.Summary(), then one of:
//		doc, err = doc.Reload()                                        // take theirs
//		doc, err = doc.Write(f, config.WriteOptions{Overwrite: true})  // take mine (their comments stay)
//		both, clashes, err := doc.Merge(c, f)                          // keep both, then write both with Overwrite
//	}
type Document struct {
	path       string
	source     Source
	disk       diskState  // path as read (absent for the example and a new file)
	target     string     // where Write writes
	targetDisk diskState  // target as it was at Open: a write refuses when it is not any more
	file       *File      // the settings as loaded; never changed
	doc        *yaml.Node // the parsed YAML of disk.data; nil for JSON or an empty file
	reformat   bool       // the last write could not keep the layout (see Reformatted)
}

// Open loads the settings at path. explicit says the user named the path
// (--config): then a missing file is a new one (FromNew, all defaults),
// otherwise the built-in example stands in (FromExample). A file that cannot
// be used (not a regular file, too large, binary, not valid settings) is an
// *Error; a file that cannot be read at all (permissions) is the os error.
//
// The YAML is parsed once into a tree; the settings are decoded from that
// tree, which Write later edits. The vendor's REST JSON is read too
// (FromVendorJSON); it is never overwritten: Write writes frontdoor.yaml
// beside it.
func Open(path string, explicit bool) (*Document, error) {
	if path == "" {
		path = DefaultPath
	}
	st, err := readFile(path)
	if err != nil {
		return nil, err
	}
	d := &Document{path: path, source: FromFile, disk: st, target: path, targetDisk: st}
	if !st.exists {
		d.source, d.file = FromNew, NewFile()
		if !explicit {
			d.source, d.file = FromExample, example()
		}
		return d, nil
	}
	if d.file, d.doc, err = decode(st.data); err != nil {
		return nil, withPath(err, path)
	}
	if d.doc == nil && isVendorJSON(st.data) {
		d.source = FromVendorJSON
		d.target = filepath.Join(filepath.Dir(path), DefaultPath)
		// The baseline is "no frontdoor.yaml": one already there holds
		// settings this document did not load, so writing it is a conflict.
		d.targetDisk = diskState{}
	}
	return d, nil
}

// Reload opens the file Write writes, as it is on disk now: "take theirs"
// after a Conflict. For the vendor's JSON that is the frontdoor.yaml beside
// it once one exists (its settings were never loaded); without one, the JSON
// is read again.
func (d *Document) Reload() (*Document, error) {
	if d.source == FromVendorJSON {
		now, err := readFile(d.target)
		if err != nil {
			return nil, err
		}
		if now.exists {
			return Open(d.target, true)
		}
	}
	return Open(d.path, d.source != FromExample)
}

// Path is the file the settings were read from (or, for the example and a
// new file, the file they will be written to).
func (d *Document) Path() string { return d.path }

// Source says where the settings came from.
func (d *Document) Source() Source { return d.source }

// Exists reports whether Path existed when it was opened.
func (d *Document) Exists() bool { return d.disk.exists }

// Bytes is the content of Path as read (nil when it did not exist). Do not
// modify it.
func (d *Document) Bytes() []byte { return d.disk.data }

// Hash is the SHA-256 of Bytes.
func (d *Document) Hash() [sha256.Size]byte { return d.disk.hash }

// ModTime is Path's modification time when it was read.
func (d *Document) ModTime() time.Time { return d.disk.modTime }

// Target is the file Write writes: Path, except for the vendor's JSON
// (frontdoor.yaml in the same directory).
func (d *Document) Target() string { return d.target }

// Settings returns a copy of the settings as loaded, to edit and pass to Write.
func (d *Document) Settings() *File { return d.file.Clone() }

// Changes lists what writing f would change, by settings path.
func (d *Document) Changes(f *File) []Change { return Diff(d.file, f) }

// Reformatted reports that the write which produced this Document could not
// keep the file's layout and comments and wrote a clean rendering instead
// (only for layouts the editor does not know how to splice, such as an edit
// inside an &anchor that *aliases elsewhere share).
func (d *Document) Reformatted() bool { return d.reformat }

// Changed re-reads the file Write would write and tells whether it changed
// since it was opened (by content hash, never only the modification time):
// nil when it did not; a Conflict saying what changed when it did.
func (d *Document) Changed() (*Conflict, error) { return d.ChangedFor(d.file) }

// ChangedFor is Changed before a write of mine: a Conflict over settings
// that were not loaded from the file (the vendor's JSON beside an existing
// frontdoor.yaml) lists what writing mine there would change (Writes).
func (d *Document) ChangedFor(mine *File) (*Conflict, error) {
	now, err := readFile(d.target)
	if err != nil {
		return nil, err
	}
	if now.sameFile(d.targetDisk) {
		return nil, nil
	}
	return d.conflict(now, mine), nil
}

// Conflict is a file that changed on disk since it was opened: someone
// edited, created, replaced or deleted it. errors.Is(c, ErrChangedOnDisk)
// holds. Reload (take theirs) is Document.Reload; overwrite (take mine) is
// Write with WriteOptions{Overwrite: true}; keep both is Document.Merge, then
// that Write.
type Conflict struct {
	Path    string
	Exists  bool     // false: it was deleted
	Theirs  []byte   // its content now
	Changes []Change // the settings on disk that differ from what was loaded, by path
	Diff    string   // a unified line diff, when settings could not be compared or only comments and layout changed
	// From is set when the settings were never loaded from Path (the
	// vendor's JSON, named here, beside an existing frontdoor.yaml): then
	// Writes lists what writing them there changes, by path, Sections says
	// in a sentence which sections that touches and what stays (the other
	// sections, the comments), and Unreadable why their file
	// cannot be written into (it is not valid settings). Overwrite and
	// Merge are then the same write: the values the JSON carries, and those
	// edited since, into the file; the rest of it stays.
	From       string
	Writes     []Change
	Sections   string
	Unreadable string
	what       string // "changed on disk since it was loaded", "was deleted since it was loaded", …
}

func (c *Conflict) Is(target error) bool { return target == ErrChangedOnDisk }

// Error is one line naming the file and what happened to it.
func (c *Conflict) Error() string {
	detail := ""
	switch {
	case len(c.Changes) == 1:
		detail = " (" + c.Changes[0].String() + ")"
	case len(c.Changes) > 1:
		detail = fmt.Sprintf(" (%d settings, first %s)", len(c.Changes), c.Changes[0])
	case c.Diff != "" && c.Exists:
		detail = " (comments or layout only)"
	case c.From != "" && len(c.Writes) > 0:
		detail = fmt.Sprintf(" (writing would change %s)", countChanges(len(c.Writes)))
	}
	return fmt.Sprintf("%s %s%s: not written; reload to take that version, or overwrite it with yours", c.Path, c.what, detail)
}

func countChanges(n int) string {
	if n == 1 {
		return "1 setting"
	}
	return fmt.Sprintf("%d settings", n)
}

// Summary says what changed on disk, for a person deciding between reload
// and overwrite: a line naming the file and what happened to it, then
// Details.
func (c *Conflict) Summary() string {
	head := fmt.Sprintf("%s %s.", c.Path, c.what)
	if d := c.Details(); d != "" {
		return head + "\n" + d
	}
	return head
}

// Details is Summary without its first line, for a dialog whose question
// says that already: one line per changed setting (or the line diff), or,
// for settings never loaded from the file, what writing them there changes;
// at most finding.Limit lines each.
func (c *Conflict) Details() string {
	var lines []string
	switch {
	case c.From != "" && c.Unreadable != "":
		lines = append(lines, "It is not valid settings ("+c.Unreadable+"): nothing can be written into it; correct it, or save these settings elsewhere (--config other.yaml).")
	case c.From != "" && len(c.Writes) == 0:
		lines = append(lines, c.Sections)
	case c.From != "":
		lines = append(lines, c.Sections)
		shown, more := finding.Cap(c.Writes, 0)
		for _, ch := range shown {
			lines = append(lines, "  "+ch.String())
		}
		if more > 0 {
			lines = append(lines, "  "+finding.More(more))
		}
	}
	if len(c.Changes) > 0 {
		lines = append(lines, "Changed there:")
		shown, more := finding.Cap(c.Changes, 0)
		for _, ch := range shown {
			lines = append(lines, "  "+ch.String())
		}
		if more > 0 {
			lines = append(lines, "  "+finding.More(more))
		}
	} else if c.Diff != "" {
		diff := strings.Split(strings.TrimSuffix(c.Diff, "\n"), "\n")
		shown, more := finding.Cap(diff, 0)
		lines = append(lines, shown...)
		if more > 0 {
			lines = append(lines, finding.More(more)+" lines")
		}
	}
	return strings.Join(lines, "\n")
}

func (d *Document) conflict(now diskState, mine *File) *Conflict {
	c := &Conflict{Path: d.target, Exists: now.exists, Theirs: now.data, what: "changed on disk since it was loaded"}
	switch {
	case !now.exists:
		c.what = "was deleted since it was loaded"
		return c
	case d.source == FromVendorJSON:
		c.From = filepath.Base(d.path)
		c.what = fmt.Sprintf("already holds settings, and they were not loaded (these came from %s)", c.From)
		theirs, err := decodeSettings(now.data)
		if err != nil {
			c.Unreadable = err.Error()
			return c
		}
		merged, _ := vendorOnto(d.file, mine, theirs)
		c.Writes = Diff(theirs, merged)
		c.Sections = sections(c.Writes, theirs)
		return c
	case !d.targetDisk.exists:
		c.what = "was created since the settings were loaded"
		return c
	}
	if d.target == d.path {
		if theirs, _, err := decode(now.data); err == nil {
			c.Changes = Diff(d.file, theirs)
		}
	}
	if len(c.Changes) == 0 {
		c.Diff = udiff.Unified(d.target+" (loaded)", d.target+" (on disk now)", string(d.targetDisk.data), string(now.data))
	}
	return c
}

// WriteOptions tune Document.Write.
type WriteOptions struct {
	// Overwrite writes even when the file changed on disk since it was opened
	// (take mine): the settings become f, and the comments and layout of the
	// file as it is now are kept where possible.
	Overwrite bool
}

// Write writes the settings f to Target and returns the Document of what
// it wrote. It refuses, writing nothing:
//   - with a *Conflict (errors.Is ErrChangedOnDisk) when the file changed on
//     disk since it was opened, unless opts.Overwrite;
//   - with a *finding.InvalidError when f has an error that the settings as
//     loaded did not have (a value validation rejects never reaches disk).
//
// Only the values that changed are rewritten, in place; comments, key order,
// blank lines and the quoting of other values stay as they were. A file that
// does not exist yet gets a clean rendering (Marshal). An existing file keeps
// its mode and owner; a new one is 0600 when it references secrets
// (File.ReferencesSecrets), 0644 otherwise. The write is atomic. When f holds
// what the file already says, nothing is written and d is returned.
func (d *Document) Write(f *File, opts WriteOptions) (*Document, error) {
	return d.write(f, opts, true)
}

func (d *Document) write(f *File, opts WriteOptions, validate bool) (*Document, error) {
	if d.source == FromVendorJSON && samePath(d.target, d.path) {
		return nil, fmt.Errorf("%s holds the vendor's JSON, which frontdoor never overwrites: rename it, or save the settings with --config other.yaml", d.path)
	}
	now, err := readFile(d.target)
	if err != nil {
		return nil, err
	}
	changed := !now.sameFile(d.targetDisk)
	if changed && !opts.Overwrite {
		return nil, d.conflict(now, f)
	}
	before := d.file
	if d.source == FromVendorJSON && now.exists {
		// Their file was never loaded: the JSON's values go into it, the
		// rest of it stays (vendorOnto).
		theirs, err := decodeSettings(now.data)
		if err != nil {
			return nil, fmt.Errorf("%s: not written: it is not valid settings, and writing %s's settings there would replace it whole: %w", d.target, filepath.Base(d.path), err)
		}
		f, _ = vendorOnto(d.file, f, theirs)
		before = theirs.Clone()
		before.Proxy = d.file.Proxy.Clone() // an error either already had does not block the write
	}
	if validate {
		if errs := newErrors(before, f); len(errs) > 0 {
			return nil, &finding.InvalidError{What: "settings (nothing written)", Findings: errs}
		}
	}
	// The text to edit: the file as loaded, or as it is now when overwriting.
	var base *File
	var baseDoc *yaml.Node
	var src []byte
	switch {
	case !now.exists:
	case !changed && d.source == FromFile:
		base, baseDoc, src = d.file, d.doc, d.disk.data
	default:
		if theirs, doc, err := decode(now.data); err == nil && !isVendorJSON(now.data) {
			base, baseDoc, src = theirs, doc, now.data
		}
	}
	if base != nil && !changed && base.Equal(f) {
		return d, nil // nothing to write
	}
	// Read back what would be written: it must hold exactly f. When the
	// splice does not (or could not be made), a clean rendering does.
	var out []byte
	var wrote *File
	var wroteDoc *yaml.Node
	reformat := false
	if src != nil {
		edited, ok := edit(src, baseDoc, base, f)
		if ok {
			out = edited
			if wrote, wroteDoc, err = decode(out); err != nil || !wrote.Equal(f) {
				ok = false
			}
		}
		reformat = !ok
	}
	if src == nil || reformat {
		out, _ = Marshal(f)
		wrote, wroteDoc, err = decode(out)
	}
	if err != nil || !wrote.Equal(f) {
		return nil, fmt.Errorf("%s: not written: the settings do not read back as written (%v); please report this", d.target, err)
	}
	st, err := writeAtomic(d.target, out, NewFileMode(f))
	if err != nil {
		return nil, err
	}
	return &Document{path: d.target, source: FromFile, disk: st, target: d.target, targetDisk: st, file: wrote, doc: wroteDoc, reformat: reformat}, nil
}

func samePath(a, b string) bool {
	ia, err1 := os.Stat(a)
	ib, err2 := os.Stat(b)
	if err1 == nil && err2 == nil {
		return os.SameFile(ia, ib)
	}
	return filepath.Clean(a) == filepath.Clean(b)
}

// newErrors returns the errors in the settings after that the settings
// before did not have: an error already on disk does not block saving
// something else, but no write adds one.
func newErrors(before, after *File) finding.Findings {
	had := map[string]int{}
	for _, f := range Validate(before).Errors() {
		had[shape(f)]++
	}
	var out finding.Findings
	for _, f := range Validate(after).Errors() {
		if had[shape(f)] > 0 {
			had[shape(f)]--
			continue
		}
		out = append(out, f)
	}
	return out
}

func shape(f finding.Finding) string {
	return finding.WithoutIndexes(f.Path) + "\x00" + finding.WithoutIndexes(f.Message)
}
