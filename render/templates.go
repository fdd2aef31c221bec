package render

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"text/template"
	"text/template/parse"
	"time"
	"unicode"

	"frontdoor/assets"
	"frontdoor/finding"
	"frontdoor/internal/lazyregexp"
)

// Admin templates: a directory whose *.tmpl files replace the embedded
// templates of the same name (nginx.conf.tmpl, haproxy.cfg.tmpl, ... see
// ProviderInfo.Template). A file may hold a whole template, or only
// {{define "NAME"}} blocks that replace the embedded blocks of that name
// (e.g. "nginx-proxy"), leaving the rest embedded. Templates see the same
// values as the embedded ones (docs/providers.md lists them); every value
// has passed Validate, so an admin's template cannot be handed a directive
// through a setting either. text/template has no clock, randomness or IO,
// so the output stays a function of the settings and the files.

// maxTemplateFile bounds one template file: the embedded ones are ~10 KiB.
const maxTemplateFile = 1 << 20

// Templates is a parsed set of templates: the embedded ones, with an
// admin's directory over them (Dir "" for the embedded set alone).
type Templates struct {
	Dir   string
	Files []string // the admin's files that were loaded, sorted
	set   *template.Template
	stamp []fileStamp // of Dir's template files, to notice edits
}

type fileStamp struct {
	name  string
	size  int64
	mtime time.Time
}

// TemplateError is a template that fails to parse or to execute: the file
// and line say where. For an admin's template it is the admin's to fix
// (Admin true); in an embedded one it is a bug in frontdoor.
type TemplateError struct {
	File  string // the admin's file path, or the embedded file's name
	Line  int    // 0 when the error is about the whole file
	Admin bool
	Msg   string
}

func (e *TemplateError) Error() string {
	where := e.File
	if e.Line > 0 {
		where += ":" + strconv.Itoa(e.Line)
	}
	if e.Admin {
		return fmt.Sprintf("%s: %s (an admin template: fix it, or remove the file to use the embedded one)", where, e.Msg)
	}
	return fmt.Sprintf("frontdoor's embedded template %s: %s (a bug: please report it)", where, e.Msg)
}

var (
	embeddedOnce sync.Once
	embeddedSet  *Templates
	embeddedErr  error
)

// embeddedTemplates parses the embedded templates once per process.
func embeddedTemplates() (*Templates, error) {
	embeddedOnce.Do(func() {
		set, err := template.New("").ParseFS(assets.Templates, "templates/*.tmpl")
		embeddedSet, embeddedErr = &Templates{set: set}, err
	})
	return embeddedSet, embeddedErr
}

// LoadTemplates parses the embedded templates with the admin's *.tmpl files
// in dir over them. A file named after no provider's template, a file that
// does not parse or is not a readable regular file is a *TemplateError (or
// an error naming dir); other files in dir are ignored.
func LoadTemplates(dir string) (*Templates, error) {
	if msg := templatesDirProblem(dir); msg != "" {
		return nil, errors.New(msg)
	}
	base, err := embeddedTemplates()
	if err != nil {
		return nil, err
	}
	stamp, err := stampTemplates(dir)
	if err != nil {
		return nil, err
	}
	set, err := base.set.Clone()
	if err != nil {
		return nil, err
	}
	t := &Templates{Dir: dir, set: set, stamp: stamp}
	for _, st := range stamp {
		path := filepath.Join(dir, st.name)
		if err := t.parseFile(path, st.name); err != nil {
			return nil, err
		}
		t.Files = append(t.Files, path)
	}
	// Once all are parsed: a helper one file defines may be called by another.
	for _, st := range stamp {
		if err := t.checkDefines(filepath.Join(dir, st.name), st.name); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// stampTemplates lists dir's *.tmpl files, refusing unknown names.
func stampTemplates(dir string) ([]fileStamp, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("templates directory %s: %w", dir, err)
	}
	var out []fileStamp
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".tmpl") {
			continue
		}
		path := filepath.Join(dir, name)
		if !slices.Contains(templateFileNames(), name) {
			return nil, &TemplateError{File: path, Admin: true, Msg: unknownFileMsg(name)}
		}
		fi, err := os.Stat(path)
		if err != nil {
			return nil, &TemplateError{File: path, Admin: true, Msg: err.Error()}
		}
		if !fi.Mode().IsRegular() {
			return nil, &TemplateError{File: path, Admin: true, Msg: "not a regular file (" + fileKind(fi.Mode()) + ")"}
		}
		if fi.Size() > maxTemplateFile {
			return nil, &TemplateError{File: path, Admin: true, Msg: fmt.Sprintf("%d bytes is too large for a template (at most %d KiB)", fi.Size(), maxTemplateFile>>10)}
		}
		out = append(out, fileStamp{name: name, size: fi.Size(), mtime: fi.ModTime()})
	}
	return out, nil // ReadDir sorts by name
}

func templateFileNames() []string {
	var names []string
	for _, i := range providerInfos {
		if i.Template != "" {
			names = append(names, i.Template)
		}
	}
	return names
}

// parseFile parses one admin file into the set. It is parsed under its
// path, so errors name the admin's file; a body outside {{define}} blocks
// becomes the provider's whole template.
func (t *Templates) parseFile(path, name string) error {
	data, err := readTemplateFile(path)
	if err != nil {
		return &TemplateError{File: path, Admin: true, Msg: err.Error()}
	}
	if _, err := t.set.New(path).Parse(string(data)); err != nil {
		return t.explain(err)
	}
	if top := t.set.Lookup(path); top != nil && top.Tree != nil && !isEmptyTree(top.Tree.Root) {
		if own := t.set.Lookup(name); own != nil && own.Tree != nil && own.Tree.ParseName == path {
			// Both a {{define}} of the whole template and text around it
			// (a comment appended to an exported file): the text would
			// silently replace the whole template.
			return &TemplateError{File: path, Line: strayTextLine(top.Tree), Admin: true, Msg: fmt.Sprintf(
				"text outside {{define %q}} would replace the whole template: move it inside the block, or drop the {{define}} and its {{end}} to make the whole file the template", name)}
		}
		if _, err := t.set.AddParseTree(name, top.Tree); err != nil {
			return &TemplateError{File: path, Admin: true, Msg: err.Error()}
		}
	}
	return nil
}

func readTemplateFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxTemplateFile+1))
	if err == nil && len(data) > maxTemplateFile {
		err = fmt.Errorf("larger than %d KiB", maxTemplateFile>>10)
	}
	return data, err
}

// isEmptyTree reports whether a parsed body is only whitespace: a file of
// {{define}} blocks leaves such a body, which must not blank the template.
func isEmptyTree(n *parse.ListNode) bool {
	if n == nil {
		return true
	}
	for _, node := range n.Nodes {
		text, ok := node.(*parse.TextNode)
		if !ok || len(strings.TrimSpace(string(text.Text))) != 0 {
			return false
		}
	}
	return true
}

// strayTextLine is the line of the first thing in a file's body outside
// its {{define}} blocks (0 when unknown).
func strayTextLine(tree *parse.Tree) int {
	for _, n := range tree.Root.Nodes {
		lead := 0 // lines before the text itself starts
		if text, ok := n.(*parse.TextNode); ok {
			trimmed := strings.TrimLeftFunc(string(text.Text), unicode.IsSpace)
			if trimmed == "" {
				continue
			}
			lead = strings.Count(string(text.Text[:len(text.Text)-len(trimmed)]), "\n")
		}
		loc, _ := tree.ErrorContext(n)
		if line := lineOf(loc); line > 0 {
			return line + lead
		}
		return 0
	}
	return 0
}

// templateErrorAt matches text/template's "template: NAME:LINE[:COL]: MSG".
var templateErrorAt = lazyregexp.New(`^template: (.+?):(\d+)(?::\d+)?: (.*)$`)

// explain turns a text/template error into a *TemplateError naming the
// file and line: an absolute name is an admin's file.
func (t *Templates) explain(err error) error {
	m := templateErrorAt().FindStringSubmatch(err.Error())
	if m == nil {
		return &TemplateError{File: t.Dir, Admin: t.Dir != "", Msg: err.Error()}
	}
	line, _ := strconv.Atoi(m[2])
	msg := strings.Replace(m[3], "*render.view", "the template's values", 1)
	return &TemplateError{File: m[1], Line: line, Admin: filepath.IsAbs(m[1]), Msg: msg}
}

// templatesDirProblem explains why dir cannot be a templates directory
// setting ("" when it can). It is not written into any configuration, so
// only being absolute and printable matters.
func templatesDirProblem(dir string) string {
	if !filepath.IsAbs(dir) {
		return fmt.Sprintf("%q is not absolute: give the templates directory's full path, starting with /", dir)
	}
	if bad := firstOutside(dir, func(c byte) bool { return c >= 0x20 && c != 0x7f }); bad != "" {
		return fmt.Sprintf("%q has %s: give a plain directory path", dir, bad)
	}
	return ""
}

// The admin's templates are parsed once per directory and parsed again
// only when a file there changed: the wizard renders on every keystroke.
var (
	loadedMu sync.Mutex
	loaded   = map[string]*Templates{}
)

// templatesFor returns the templates s names: the embedded set, or the
// admin's directory, reloaded when its files changed.
func templatesFor(s *Settings) (*Templates, error) {
	if s.Templates == "" {
		return embeddedTemplates()
	}
	stamp, err := stampTemplates(s.Templates)
	if err != nil {
		return nil, err
	}
	loadedMu.Lock()
	t := loaded[s.Templates]
	loadedMu.Unlock()
	if t != nil && slices.EqualFunc(t.stamp, stamp, func(a, b fileStamp) bool {
		return a.name == b.name && a.size == b.size && a.mtime.Equal(b.mtime)
	}) {
		return t, nil
	}
	if t, err = LoadTemplates(s.Templates); err != nil {
		return nil, err
	}
	loadedMu.Lock()
	loaded[s.Templates] = t
	loadedMu.Unlock()
	return t, nil
}

// ExportTemplates writes the embedded templates into dir (created if
// missing) as a starting point for an admin's own, and returns the paths
// written. It refuses, before writing anything, when any of them exists
// already: an admin's edits are never overwritten. Each file is written to
// a temporary name and renamed, so none is ever half-written.
func ExportTemplates(dir string) ([]string, error) {
	if msg := templatesDirProblem(dir); msg != "" {
		return nil, errors.New(msg)
	}
	names := templateFileNames()
	var existing []string
	for _, n := range names {
		if _, err := os.Lstat(filepath.Join(dir, n)); err == nil {
			existing = append(existing, n)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	if len(existing) > 0 {
		return nil, fmt.Errorf("%s already holds %s: nothing was written; export into a new directory, or move those files away first", dir, strings.Join(existing, ", "))
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var written []string
	for _, n := range names {
		data, err := assets.Templates.ReadFile("templates/" + n)
		if err != nil {
			return written, err
		}
		path := filepath.Join(dir, n)
		if err := writeNew(path, data); err != nil {
			return written, err
		}
		written = append(written, path)
	}
	return written, nil
}

// writeNew writes data to a temporary file beside path and links it to
// path, failing if path appeared meanwhile.
func writeNew(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Link(tmp.Name(), path) // unlike rename, never replaces a file
}

// CheckTemplates loads the admin's templates s names (proxy.templates) and
// reports, at proxy.templates, why they cannot be used: a file that does
// not parse, or (when fs, Validate's findings for s, has no error) a
// template that fails on these settings, with its file and line, or whose
// output would not proxy to the nodes (checkRoutes). Nothing
// when s uses the embedded templates. It reads the disk: the wizard runs
// it in a tea.Cmd.
func CheckTemplates(s *Settings, fs Findings) Findings {
	if s.Templates == "" || templatesDirProblem(s.Templates) != "" {
		return nil // Validate says what is wrong with the path
	}
	var l finding.List
	t, err := templatesFor(s)
	if err == nil && !fs.HasErrors() && TemplateFile(s.Provider) != "" {
		var out []byte
		if out, err = renderValid(s, t); err == nil {
			if routes, severity := t.checkRoutes(s, out); routes != nil && severity == Warning {
				l.Warnf("proxy.templates", "%v", routes)
			} else if routes != nil {
				l.Errorf("proxy.templates", "%v", routes)
			}
		}
	}
	if err != nil {
		l.Errorf("proxy.templates", "%v", err)
	}
	return l.Out
}
