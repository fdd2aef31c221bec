package render

import (
	"bytes"
	"errors"
)

// ErrNoSnippet is returned for the embedded Tomcat provider: clients reach
// Artifactory directly, so there is nothing to install in a web server.
var ErrNoSnippet = errors.New("embedded Tomcat needs no reverse-proxy snippet: clients connect to Artifactory's own port directly " +
	"(only the repositoryPath Docker method works that way); choose " + proxyProviders + " to put a proxy in front")

// Render validates the settings and renders the output for s.Provider:
// a snippet for a web server, or Kubernetes manifests. Errors block
// rendering (*InvalidError lists them); warnings do not. With s.Templates
// set, the admin's templates in that directory replace the embedded ones of
// the same name (LoadTemplates; it reads the directory, so Render does IO
// then); their failures are *TemplateError. The output depends only on the
// settings and the templates: same settings, same bytes.
func Render(s *Settings) ([]byte, error) {
	if fs := Validate(s); fs.HasErrors() {
		return nil, &InvalidError{What: "settings", Findings: fs}
	}
	t, err := templatesFor(s)
	if err != nil {
		return nil, err
	}
	return renderValid(s, t)
}

// RenderValidated is Render for settings already validated: fs are
// Validate(s)'s findings for these very settings (plus any others, such as
// CheckCertificates'), so the wizard, which validates on every keystroke
// anyway, does not validate a second time to draw the preview. Errors in fs
// block rendering as in Render. Findings of other settings must never be
// passed: the renderers rely on Validate having refused every value that
// steps outside its grammar.
func RenderValidated(s *Settings, fs Findings) ([]byte, error) {
	if fs.HasErrors() {
		return nil, &InvalidError{What: "settings", Findings: fs}
	}
	t, err := templatesFor(s)
	if err != nil {
		return nil, err
	}
	return renderValid(s, t)
}

// RenderWith is Render with templates already loaded (nil: the embedded
// ones), whatever s.Templates says.
func RenderWith(s *Settings, t *Templates) ([]byte, error) {
	if fs := Validate(s); fs.HasErrors() {
		return nil, &InvalidError{What: "settings", Findings: fs}
	}
	if t == nil {
		var err error
		if t, err = embeddedTemplates(); err != nil {
			return nil, err
		}
	}
	return renderValid(s, t)
}

// renderValid renders settings that already passed Validate.
func renderValid(s *Settings, t *Templates) ([]byte, error) {
	name := TemplateFile(s.Provider)
	if name == "" {
		return nil, ErrNoSnippet
	}
	v := newView(s)
	var buf bytes.Buffer
	buf.Grow(v.sizeHint())
	if err := t.set.ExecuteTemplate(&buf, name, v); err != nil {
		return nil, t.explain(err)
	}
	return stampRevision(v.blocks.splice(squeezeBlankLines(buf.Bytes()))), nil
}

// squeezeBlankLines drops runs of blank lines the templates' conditionals
// leave behind, so the output reads as if written by hand.
func squeezeBlankLines(b []byte) []byte {
	// In place: w is where the next kept line goes, r where the next line
	// starts. Lines are moved only once one was dropped before them.
	w, r, blank := 0, 0, 0
	for r < len(b) {
		next := len(b)
		if i := bytes.IndexByte(b[r:], '\n'); i >= 0 {
			next = r + i + 1
		}
		line := b[r:next]
		if isBlankLine(line) {
			blank++
			if blank > 1 || w == 0 {
				r = next
				continue
			}
			line = newline
		} else {
			blank = 0
		}
		if w != r {
			copy(b[w:], line)
		}
		w += len(line)
		r = next
	}
	return b[:w]
}

var newline = []byte("\n")

// isBlankLine reports whether line holds only spaces and tabs (and its
// line break): faster than bytes.TrimSpace on the megabytes of a
// Kubernetes output, whose lines mostly start with indentation.
func isBlankLine(line []byte) bool {
	for _, c := range line {
		switch c {
		case ' ', '\t', '\n', '\r':
		default:
			return false
		}
	}
	return true
}
