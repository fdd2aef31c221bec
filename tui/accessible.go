package tui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"charm.land/huh/v2"
	"github.com/charmbracelet/colorprofile"

	"frontdoor/render"
)

// RunAccessible is the wizard for screen readers: no full screen, no
// colour, no redrawing; one question per line with huh's accessible
// prompts, each answer checked by the same validators as the full-screen
// wizard (Enter keeps the value in brackets), then the save with its report.
// It reuses the wizard's items, so both modes ask the same things.
func RunAccessible(ctx context.Context, opts Options, in io.Reader, out io.Writer) (Result, error) {
	opts.NoColor = true
	opts.Debounce = 0
	a := &accessible{m: New(opts), in: in, ctx: ctx}
	// huh styles its prompts; a NoTTY writer drops every escape sequence.
	a.out = &colorprofile.Writer{Forward: out, Profile: colorprofile.NoTTY}
	a.m.width, a.m.height = accessibleWidth, 1000
	return a.run()
}

// accessibleWidth lays the wizard's panels out wide enough never to wrap:
// a screen reader reads a wrapped sentence as two lines.
const accessibleWidth = 500

type accessible struct {
	m   *Model
	in  io.Reader
	out io.Writer
	ctx context.Context
}

func (a *accessible) println(lines ...string) {
	for _, l := range lines {
		fmt.Fprintln(a.out, strings.TrimRight(l, " "))
	}
}

func (a *accessible) run() (Result, error) {
	m := a.m
	a.println("frontdoor wizard, accessible mode: one question per line. Press Enter to keep the value in brackets.",
		"Settings: "+m.sourceText()+".", "")
	for sid := stepProvider; sid < stepReview; sid++ {
		if err := a.askStep(sid); err != nil {
			return Result{}, err
		}
	}
	return a.review()
}

// askStep asks every item of a step shown for the current settings.
func (a *accessible) askStep(sid stepID) error {
	m := a.m
	a.println(fmt.Sprintf("Step %d of %d: %s.", sid+1, stepCount, steps[sid].title), steps[sid].intro)
	for i := range m.items[sid] {
		it := &m.items[sid][i]
		if !it.shown(m) {
			continue
		}
		if err := a.ask(it); err != nil {
			return err
		}
	}
	if sid == stepPublic {
		a.loadCertificates()
	}
	a.println("")
	return nil
}

// loadCertificates reads the certificate files (no Bubble Tea here: plain
// IO is fine) and reads out the certificate panel.
func (a *accessible) loadCertificates() {
	m := a.m
	s := &m.settings
	if !s.HTTPS.Enabled || (s.HTTPS.Certificate == "" && s.HTTPS.Key == "") {
		return
	}
	m.certWant = [2]string{s.HTTPS.Certificate, s.HTTPS.Key}
	m.certs = m.opts.LoadCertificates(s.HTTPS.Certificate, s.HTTPS.Key)
	m.revalidate()
	a.println(m.renderCertPanel(accessibleWidth)...)
	for _, f := range append(m.findings.For("proxy.https.certificate"), m.findings.For("proxy.https.key")...) {
		a.println(findingText(f))
	}
}

// ask asks one item and stores the answer in the settings (or the save target).
func (a *accessible) ask(it *item) error {
	m := a.m
	switch it.kind {
	case itemInfo:
		a.println(it.label + ": " + it.info(m))
		return nil
	case itemButton:
		return nil
	case itemToggle:
		v := it.getB(m)
		if err := a.runField(huh.NewConfirm().Title(it.label + "? " + it.hint).Value(&v)); err != nil {
			return err
		}
		it.setB(m, v)
	case itemChoice:
		v := it.get(m)
		options := make([]huh.Option[string], len(it.choices))
		title := it.label
		for i, c := range it.choices {
			options[i] = huh.NewOption(c.label+": "+c.help, c.value)
			if c.value == v {
				// Enter keeps it: say which, as the text questions do.
				title = fmt.Sprintf("%s [%s]", it.label, c.label)
			}
		}
		if err := a.runField(huh.NewSelect[string]().Title(title).Options(options...).Value(&v)); err != nil {
			return err
		}
		it.set(m, v)
	case itemTable:
		return a.askList(it)
	default:
		cur := it.get(m)
		v := cur
		if it.hint != "" {
			a.println(it.hint)
		}
		input := huh.NewInput().Title(fmt.Sprintf("%s [%s]:", it.label, cur)).Value(&v).
			Validate(func(typed string) error { return a.check(it, typed, cur) })
		if err := a.runField(input); err != nil {
			return err
		}
		it.set(m, strings.TrimSpace(v))
	}
	a.m.revalidate()
	return nil
}

// check tries an answer on the settings and returns the validator's
// message for this field, so the prompt repeats with the fix.
func (a *accessible) check(it *item, typed, cur string) error {
	v := strings.TrimSpace(typed)
	if v == "" {
		v = cur
	}
	if it.kind == itemNumber && strings.Trim(v, "0123456789") != "" {
		return fmt.Errorf("%q: type digits only", v)
	}
	if !it.proxy || it.path == "" {
		return nil
	}
	old := it.get(a.m)
	it.set(a.m, v)
	defer it.set(a.m, old)
	for _, f := range render.Validate(&a.m.settings) {
		if f.Path == it.path && f.Severity == render.Error {
			return errors.New(f.Message)
		}
	}
	return nil
}

// askList asks a table as one comma-separated line: nodes as hosts,
// Docker repositories as KEY or KEY:PORT.
func (a *accessible) askList(it *item) error {
	m, t := a.m, it.table
	cols := t.visibleCols(&m.settings)
	cur := a.listText(t, cols)
	format := "values"
	if len(cols) == 2 {
		format = strings.ToLower(cols[0].title) + ":" + strings.ToLower(cols[1].title)
	} else if len(cols) == 1 {
		format = strings.ToLower(cols[0].title)
	}
	a.println(it.hint, fmt.Sprintf("Give each %s as %s, separated by commas.", t.noun, format))
	v := cur
	input := huh.NewInput().Title(fmt.Sprintf("%s [%s]:", it.label, cur)).Value(&v).
		Validate(func(typed string) error {
			text := strings.TrimSpace(typed)
			if text == "" {
				text = cur
			}
			saved := m.settings.Clone()
			defer func() { m.settings = saved }()
			if err := a.setList(t, cols, text); err != nil {
				return err
			}
			var msgs []string
			for _, f := range render.Validate(&m.settings) {
				if f.Severity == render.Error && (f.Path == t.path || strings.HasPrefix(f.Path, t.path+"[")) {
					msgs = append(msgs, strings.TrimPrefix(f.Path, "proxy.")+": "+f.Message)
				}
			}
			if len(msgs) > 0 {
				return errors.New(strings.Join(msgs, "; "))
			}
			return nil
		})
	if err := a.runField(input); err != nil {
		return err
	}
	text := strings.TrimSpace(v)
	if text == "" {
		text = cur
	}
	if err := a.setList(t, cols, text); err != nil {
		return err
	}
	m.revalidate()
	return nil
}

func (a *accessible) listText(t *rowTable, cols []column) string {
	s := &a.m.settings
	rows := make([]string, t.count(s))
	for r := range rows {
		var cells []string
		for _, c := range cols {
			if v := c.get(s, r); v != "" {
				cells = append(cells, v)
			}
		}
		rows[r] = strings.Join(cells, ":")
	}
	return strings.Join(rows, ", ")
}

// setList replaces the table's rows with the ones in text.
func (a *accessible) setList(t *rowTable, cols []column, text string) error {
	s := &a.m.settings
	for t.count(s) > 0 {
		t.remove(s, 0)
	}
	for _, entry := range strings.Split(text, ",") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		cells := []string{entry}
		if len(cols) > 1 {
			cells = strings.SplitN(entry, ":", len(cols))
		}
		row := t.count(s)
		t.insert(s, row)
		for i, c := range cols {
			v := ""
			if i < len(cells) {
				v = strings.TrimSpace(cells[i])
			}
			if c.number {
				if v != "" && strings.Trim(v, "0123456789") != "" {
					return fmt.Errorf("%q: the %s is a number", entry, strings.ToLower(c.title))
				}
				if v == "" {
					v = c.get(s, row) // keep the suggested port of a new row
				}
			}
			c.set(s, row, v)
		}
	}
	return nil
}

// review reads out the findings, lets the user fix the errors, asks where
// to save, and saves.
func (a *accessible) review() (Result, error) {
	m := a.m
	a.println(fmt.Sprintf("Step %d of %d: %s.", stepReview+1, stepCount, steps[stepReview].title))
	for round := 0; m.issues.errors > 0; round++ {
		a.println(fmt.Sprintf("%s remain:", countNoun(m.issues.errors, "error")))
		for _, f := range m.findings.Errors() {
			a.println(findingText(f))
		}
		fix := true
		if err := a.runField(huh.NewConfirm().Title("Fix them now? (No quits without saving)").Value(&fix)); err != nil {
			return Result{}, err
		}
		if !fix || round == 20 {
			a.println("Not saved.")
			return Result{}, nil
		}
		for _, f := range m.findings.Errors() {
			if it := a.itemFor(f.Path); it != nil {
				if err := a.ask(it); err != nil {
					return Result{}, err
				}
			}
		}
	}
	for _, f := range m.findings.Warnings() {
		a.println(findingText(f))
	}
	if out, err := render.Render(&m.settings); err == nil {
		show := false
		if err := a.runField(huh.NewConfirm().Title(fmt.Sprintf("The snippet has %d lines. Read it now?", len(splitLines(out)))).Value(&show)); err != nil {
			return Result{}, err
		}
		if show {
			a.println(splitLines(out)...)
		}
	}
	if snippetProvider(m) {
		for i := range m.items[stepReview] {
			it := &m.items[stepReview][i]
			if it.shown(m) {
				if err := a.ask(it); err != nil {
					return Result{}, err
				}
			}
		}
	}
	what := "the settings to " + m.opts.ConfigPath
	if snippetProvider(m) {
		what = "the snippet to " + m.target.Path + " and " + what
	}
	save := false
	if err := a.runField(huh.NewConfirm().Title("Save " + what + "?").Value(&save)); err != nil {
		return Result{}, err
	}
	if !save {
		a.println("Not saved.")
		return Result{}, nil
	}
	cmd := m.startSave()
	if cmd == nil {
		a.println("Not saved: " + m.status + ".")
		return Result{}, nil
	}
	m.Update(cmd())
	a.println(m.renderSaveReport(accessibleWidth)...)
	res := Result{ConfigPath: m.opts.ConfigPath}
	if m.lastGood != nil {
		res.Saved = true
		if m.lastGood.snippet {
			res.Target = m.lastGood.report.Target
		}
	}
	return res, nil
}

// itemFor is the item that shows findings at path (nil when none).
func (a *accessible) itemFor(path string) *item {
	sid := stepOfPath(&a.m.items, path)
	for i := range a.m.items[sid] {
		it := &a.m.items[sid][i]
		if it.path != "" && it.proxy && it.shown(a.m) && (path == it.path || it.kind == itemTable && strings.HasPrefix(path, it.path+"[")) {
			return it
		}
	}
	return nil
}

// runField runs one huh field in accessible mode.
func (a *accessible) runField(f huh.Field) error {
	form := huh.NewForm(huh.NewGroup(f)).WithAccessible(true).WithInput(a.in).WithOutput(a.out).WithShowHelp(false)
	if err := form.RunWithContext(a.ctx); err != nil {
		if errors.Is(err, huh.ErrUserAborted) {
			return fmt.Errorf("%w: %w", ErrInterrupted, err)
		}
		return err
	}
	return a.ctx.Err()
}

// findingText is a finding read out: what and where, then the fix.
func findingText(f render.Finding) string {
	sev := "Error"
	if f.Severity == render.Warning {
		sev = "Warning"
	}
	return sev + " at " + strings.TrimPrefix(f.Path, "proxy.") + ": " + f.Message
}
