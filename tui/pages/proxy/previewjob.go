package proxy

import (
	"bytes"
	"strings"

	"frontdoor/render"
	"frontdoor/tui/document"
)

// targetContent is what is at the save target now, read by a tea.Cmd.
type targetContent struct {
	path    string
	loaded  bool // a read finished for path
	exists  bool
	tooBig  bool
	err     error // unreadable (permission...), not "missing"
	content []byte
	lines   []string
}

// targetState says how the preview compares to the file at the target.
type targetState int

const (
	targetUnknown   targetState = iota // not read (yet), or no target
	targetNew                          // no file there: the save creates it
	targetSame                         // the file already holds this snippet
	targetChanged                      // differs: lines marked + and -
	targetRewritten                    // differs almost everywhere: no line markers
	targetUnreadable
)

// displayLine is one line of the preview: a snippet line, or a line of the
// current file that the save removes.
type displayLine struct {
	text   string
	kind   editKind // editSame, editAdd (new vs the target) or editDel (only in the target)
	marked bool     // produced by the focused field
}

// previewRequest is everything the preview job needs: copies only, so it
// runs in a tea.Cmd goroutine without touching the model.
type previewRequest struct {
	gen int
	doc document.Document // a snapshot
	// findings are the document's for the settings of the snapshot
	// (Validate's, then the certificate and node checks'): the snapshot
	// leaves them out.
	findings render.Findings
	vary     func(d *document.Document, attempt int) bool
	target   targetContent
}

// previewResult is a rendered preview, ready to draw.
type previewResult struct {
	gen      int
	provider render.Provider // the provider it was rendered for
	err      error           // why nothing was rendered (invalid settings, no snippet)
	language string
	lines    []string
	display  []displayLine
	shown    []string // display's texts as drawn (tabs expanded)
	copy     string   // what y copies: the snippet as saved
	// marks: lines of the snippet that depend on the focused field.
	markable  bool // the focused item is a settings field that could be varied
	marks     int
	firstMark int // index into display, -1 when none
	state     targetState
	added     int
	removed   int
}

// maxDiffEdits bounds the diff work per keystroke; beyond it a file is
// reported as rewritten rather than diffed line by line.
const maxDiffEdits = 600

// buildPreview renders the settings, marks the lines the focused field
// produces (by rendering again with that field varied and diffing), and
// diffs the result against the file at the target. Pure: no IO.
func buildPreview(req previewRequest) previewResult {
	info, _ := render.Info(req.doc.File.Proxy.Provider)
	res := previewResult{gen: req.gen, firstMark: -1, language: info.Syntax, provider: req.doc.File.Proxy.Provider}
	if refused(req.findings) {
		// Nothing renders: no variant is tried either.
		res.err = &render.InvalidError{What: "settings", Findings: req.findings}
		return res
	}
	// The first variant renders on another core while the snippet does:
	// the two renders are most of the job.
	type rendered struct {
		out []byte
		err error
	}
	var first chan rendered
	if req.vary != nil {
		varied := req.doc.Snapshot()
		if req.vary(&varied, 0) {
			first = make(chan rendered, 1)
			go func() {
				out, err := render.Render(&varied.File.Proxy)
				first <- rendered{out, err}
			}()
		}
	}
	out, err := renderValidated(&req.doc.File.Proxy, req.findings)
	if err != nil {
		res.err = err
		return res
	}
	res.lines = splitLines(out)

	marked := make([]bool, len(res.lines))
	variant := func(attempt int) ([]byte, bool, error) {
		if attempt == 0 {
			if first == nil {
				return nil, false, nil
			}
			r := <-first
			return r.out, true, r.err
		}
		varied := req.doc.Snapshot()
		if !req.vary(&varied, attempt) {
			return nil, false, nil
		}
		other, err := render.Render(&varied.File.Proxy)
		return other, true, err
	}
	for attempt := 0; req.vary != nil; attempt++ {
		other, ok, err := variant(attempt)
		if !ok {
			break
		}
		if err != nil {
			continue // that variant broke a rule: try the next one
		}
		res.markable = true
		if script, ok := diffLines(splitLines(other), res.lines, maxDiffEdits); ok {
			for _, e := range script {
				// The revision line hashes the whole file: it changes with
				// every field, so it is no field's line.
				if e.kind == editAdd && !render.IsRevisionLine(res.lines[e.b]) {
					marked[e.b] = true
				}
			}
		} else {
			for i := range marked {
				marked[i] = true
			}
		}
		break
	}

	res.display = make([]displayLine, 0, len(res.lines)+8)
	plain := func() {
		for i, l := range res.lines {
			res.display = append(res.display, displayLine{text: l, marked: marked[i]})
		}
	}
	t := req.target
	switch {
	case !t.loaded || t.path == "":
		plain()
	case t.err != nil || t.tooBig:
		res.state = targetUnreadable
		plain()
	case !t.exists:
		res.state = targetNew
		plain()
	case bytes.Equal(t.content, out):
		res.state = targetSame
		plain()
	default:
		script, ok := diffLines(t.lines, res.lines, maxDiffEdits)
		if !ok {
			res.state = targetRewritten
			plain()
			break
		}
		res.state = targetChanged
		for _, e := range script {
			switch e.kind {
			case editSame:
				res.display = append(res.display, displayLine{text: res.lines[e.b], marked: marked[e.b]})
			case editAdd:
				res.added++
				res.display = append(res.display, displayLine{text: res.lines[e.b], kind: editAdd, marked: marked[e.b]})
			case editDel:
				res.removed++
				res.display = append(res.display, displayLine{text: t.lines[e.a], kind: editDel})
			}
		}
	}
	res.shown = make([]string, len(res.display))
	for i, d := range res.display {
		res.shown[i] = expandTabs(d.text)
		if d.marked {
			res.marks++
			if res.firstMark < 0 {
				res.firstMark = i
			}
		}
	}
	// Here rather than when the result is drawn: for a manifest of 1,000
	// repositories this is megabytes, and the job runs beside the typing.
	res.copy = strings.Join(res.lines, "\n") + "\n"
	return res
}

// renderValidated renders settings the document validated on the
// keystroke that made them: fs are its findings, Validate's then the
// certificate and node checks'. Without an error among them render need
// not validate again; with one only about the certificate files,
// render.Render says whether Validate itself refuses (a certificate
// problem alone does not stop the preview).
func renderValidated(s *render.Settings, fs render.Findings) ([]byte, error) {
	if !fs.HasErrors() {
		return render.RenderValidated(s, fs)
	}
	return render.Render(s)
}

// fileCheckPath reports whether render.CheckCertificates may report at
// path: the certificate, key and client-CA files, and a Docker subdomain
// the certificate does not cover (node lookups only warn). An error
// anywhere else is Validate's.
func fileCheckPath(path string) bool {
	switch path {
	case "proxy.https.certificate", "proxy.https.key", "proxy.mtls.clientCA":
		return true
	}
	return strings.HasPrefix(path, "proxy.docker.repositories[") && strings.HasSuffix(path, "].key")
}

// refused reports whether fs hold an error of Validate's, so the settings
// do not render (nor need a variant tried): one at a path no file check
// reports at. Were a file check to report elsewhere, the preview would
// wait for that error to be fixed too; nothing invalid would render.
func refused(fs render.Findings) bool {
	for _, f := range fs {
		if f.Severity == render.Error && !fileCheckPath(f.Path) {
			return true
		}
	}
	return false
}

// splitLines splits a file into lines without their line ends.
func splitLines(b []byte) []string {
	s := strings.TrimSuffix(string(b), "\n")
	if s == "" {
		return nil
	}
	return strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
}
