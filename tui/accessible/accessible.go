// Package accessible is the wizard for screen readers: no full screen, no
// colour, no redrawing; one question per line with huh's accessible prompts,
// each answer checked at once by the same validators as the full-screen
// wizard (Enter keeps the value in brackets), and every panel read out line
// by line. It asks the fields of the one form engine (the HTTP steps, the
// LDAP settings, the LDAP test's login) and saves and tests through the same
// screens' actions, so both modes ask the same things and say the same
// words.
package accessible

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"charm.land/huh/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/term"

	"frontdoor/finding"
	"frontdoor/render"
	"frontdoor/tui/common"
	"frontdoor/tui/components/form"
	"frontdoor/tui/document"
	checkpage "frontdoor/tui/pages/check"
	"frontdoor/tui/pages/ldap"
	"frontdoor/tui/pages/proxy"
	"frontdoor/tui/pages/save"
)

// ErrAborted is returned when the user aborted a prompt (ctrl+c in huh).
var ErrAborted = errors.New("aborted")

// Config is what a session works on: the wizard's document and screens
// (their actions save and test), built by the root.
type Config struct {
	Doc    *document.Document
	Proxy  *proxy.Page
	LDAP   *ldap.Screen
	Save   *save.Model
	Check  *checkpage.Page
	Styles *common.Styles // without colour
	Status *common.Status // what the screens' actions said
	// Source says which settings are loaded; ConfigPath is where a save
	// writes them.
	Source, ConfigPath string
	LoadCertificates   func(certPath, keyPath string) *render.CertInfo
	LoadClientCA       func(path string) *render.ClientCAInfo
	Getenv             func(string) string
	// Offers are asked before the menu (importing the configuration there
	// is already).
	Offers []Offer
}

// Offer is a yes-or-no question asked before the menu; Do runs on yes and
// returns what to read out.
type Offer struct {
	Question, Detail string
	Do               func() ([]string, error)
}

type session struct {
	Config
	in  *input
	out io.Writer
	ctx context.Context
}

// Run runs a session on in/out until the user quits (or the input ends at
// the menu).
func Run(ctx context.Context, c Config, in io.Reader, out io.Writer) error {
	if c.Getenv == nil {
		c.Getenv = os.Getenv
	}
	s := &session{Config: c, in: &input{r: in, ctx: ctx}, ctx: ctx}
	// huh styles its prompts; a NoTTY writer drops every escape sequence.
	s.out = &colorprofile.Writer{Forward: out, Profile: colorprofile.NoTTY}
	s.println("frontdoor wizard, accessible mode: one question per line. Press Enter to keep the value in brackets.",
		"Settings: "+c.Source+".", "")
	for _, o := range c.Offers {
		if err := s.offer(o); err != nil {
			return err
		}
	}
	return s.menu()
}

// offer asks an Offer and reads out what a yes did.
func (s *session) offer(o Offer) error {
	s.println(o.Detail)
	yes := false
	if err := s.runField(huh.NewConfirm().Title(o.Question).Value(&yes)); err != nil {
		return err
	}
	if !yes || s.in.eof {
		s.println("Not imported.", "")
		return nil
	}
	lines, err := o.Do()
	if err != nil {
		s.println("Not imported: "+err.Error(), "")
		return nil
	}
	s.println(lines...)
	s.println("")
	return nil
}

// input notices the end of the input: huh's prompts take it as Enter, so
// without this the menu would be asked forever. It also ends when ctx does
// (Ctrl+C at a terminal is SIGINT there, the line discipline being on): a
// prompt waiting for a line would otherwise hold the wizard until Enter.
type input struct {
	r   io.Reader
	ctx context.Context
	eof bool

	pending chan chunk // a read of r under way (it outlives a cancelled Read)
	rest    []byte     // what a read got beyond the last Read's buffer
}

type chunk struct {
	data []byte
	err  error
}

func (in *input) Read(p []byte) (int, error) {
	if len(in.rest) > 0 {
		n := copy(p, in.rest)
		in.rest = in.rest[n:]
		return n, nil
	}
	if in.ctx == nil {
		return in.read(p)
	}
	if in.pending == nil {
		ch, buf := make(chan chunk, 1), make([]byte, max(len(p), 4096))
		go func() {
			n, err := in.r.Read(buf)
			ch <- chunk{buf[:n], err}
		}()
		in.pending = ch
	}
	select {
	case c := <-in.pending:
		in.pending = nil
		n := copy(p, c.data)
		in.rest = c.data[n:]
		if n == 0 && errors.Is(c.err, io.EOF) {
			in.eof = true
		}
		if len(in.rest) > 0 {
			return n, nil // the error, if any, comes again with the next read
		}
		return n, c.err
	case <-in.ctx.Done():
		in.eof = true
		return 0, io.EOF
	}
}

// read reads r directly (no context to end it).
func (in *input) read(p []byte) (int, error) {
	n, err := in.r.Read(p)
	if n == 0 && errors.Is(err, io.EOF) {
		in.eof = true
	}
	return n, err
}

func (s *session) println(lines ...string) {
	for _, l := range lines {
		fmt.Fprintln(s.out, strings.TrimRight(l, " "))
	}
}

// menu is the home menu, asked again after each part.
func (s *session) menu() error {
	const (
		http = "http"
		ldp  = "ldap"
		sv   = "save"
		chk  = "check"
		quit = "quit"
	)
	for {
		choice := http
		// The home menu's words (common.Areas), in its order.
		entry := func(a common.Area, value string) huh.Option[string] {
			if a.About == "" {
				return huh.NewOption(a.Name, value)
			}
			return huh.NewOption(a.Name+": "+a.About, value)
		}
		err := s.runField(huh.NewSelect[string]().Title("Home: what next? ["+common.AreaHTTP.Name+"]").Options(
			entry(common.AreaHTTP, http), entry(common.AreaLDAP, ldp), entry(common.AreaSave, sv),
			entry(common.AreaCheck, chk), entry(common.AreaQuit, quit),
		).Value(&choice))
		if err != nil {
			return err
		}
		if s.in.eof {
			return nil // the input ended: done, as after Quit
		}
		switch choice {
		case http:
			err = s.walkHTTP()
		case ldp:
			err = s.ldapMenu()
		case sv:
			err = s.review()
		case chk:
			err = s.checkDoor()
		case quit:
			return s.quit()
		}
		if err != nil {
			return err
		}
	}
}

// quit asks before dropping changes: save the settings and quit, quit
// without saving, or go back to the menu.
func (s *session) quit() error {
	if !s.Doc.Dirty() {
		return nil
	}
	const (
		saveQuit = "save"
		drop     = "drop"
		back     = "back"
	)
	choice := back
	s.println(save.QuitText(save.Unsaved(s.Doc, s.Proxy.FieldLabel), s.ConfigPath))
	if err := s.runField(huh.NewSelect[string]().Title("Quit? [Cancel]").Options(
		huh.NewOption("Save settings and quit: write "+s.ConfigPath+" (no snippet is installed)", saveQuit),
		huh.NewOption("Quit without saving", drop),
		huh.NewOption("Cancel: back to the menu", back),
	).Value(&choice)); err != nil {
		return err
	}
	switch {
	case choice == drop || s.in.eof:
		return nil
	case choice == saveQuit:
		done, ok := s.runJob(save.QuitJob(s.Doc))
		if ok && saved(done) {
			return nil
		}
		s.println("Not quitting: the settings were not written.", "")
	}
	return s.menu()
}

// runField runs one huh field in accessible mode.
func (s *session) runField(f huh.Field) error {
	fm := huh.NewForm(huh.NewGroup(f)).WithAccessible(true).WithInput(s.in).WithOutput(s.out).WithShowHelp(false)
	if err := fm.RunWithContext(s.ctx); err != nil {
		if errors.Is(err, huh.ErrUserAborted) {
			return fmt.Errorf("%w: %w", ErrAborted, err)
		}
		return err
	}
	return s.ctx.Err()
}

// secret asks for a password: without echo at a terminal, else one line
// of the input. It is never written anywhere.
func (s *session) secret(prompt string) (string, error) {
	fmt.Fprint(s.out, prompt+" ")
	if f, ok := s.in.r.(interface{ Fd() uintptr }); ok && term.IsTerminal(f.Fd()) {
		// ReadPassword turns echo off until Enter: when ctx ends first
		// (Ctrl+C), echo is put back here, or the shell would stay blind.
		state, err := term.GetState(f.Fd())
		if err != nil {
			return "", err
		}
		type answer struct {
			pw  []byte
			err error
		}
		got := make(chan answer, 1)
		go func() {
			pw, err := term.ReadPassword(f.Fd())
			got <- answer{pw, err}
		}()
		select {
		case a := <-got:
			fmt.Fprintln(s.out)
			return string(a.pw), a.err
		case <-s.ctx.Done():
			_ = term.Restore(f.Fd(), state)
			fmt.Fprintln(s.out)
			return "", s.ctx.Err()
		}
	}
	sc := bufio.NewScanner(s.in)
	if !sc.Scan() {
		fmt.Fprintln(s.out)
		return "", sc.Err()
	}
	fmt.Fprintln(s.out)
	return sc.Text(), nil
}

// check validates the section a field is in.
type check func() finding.Findings

// ask asks one field and stores the answer in the document. validate
// checks an answer before it is taken.
func (s *session) ask(f *form.Field[document.Document], validate check) error {
	d := s.Doc
	switch f.Kind {
	case form.Info:
		s.println(f.Label + ": " + f.Info(d))
		return nil
	case form.Button:
		return nil
	case form.Toggle:
		v := f.GetBool(d)
		if err := s.runField(huh.NewConfirm().Title(f.Label + "? " + f.Hint).Value(&v)); err != nil {
			return err
		}
		f.SetBool(d, v)
	case form.Choice:
		v := f.Get(d)
		opts := f.Options(d)
		options := make([]huh.Option[string], len(opts))
		title := f.Label
		for i, o := range opts {
			label := o.Label
			if o.Help != "" {
				label += ": " + o.Help
			}
			options[i] = huh.NewOption(label, o.Value)
			if o.Value == v {
				// Enter keeps it: say which, as the text questions do.
				title = fmt.Sprintf("%s [%s]", f.Label, o.Label)
			}
		}
		if form.OptionIndex(opts, v) < 0 {
			// The settings file names a value that is none of these.
			title = fmt.Sprintf("%s [%q is not one of these: choose one]", f.Label, v)
		}
		if err := s.runField(huh.NewSelect[string]().Title(title).Options(options...).Value(&v)); err != nil {
			return err
		}
		f.Set(d, v)
	case form.Table:
		return s.askList(f, validate)
	default:
		cur := f.Get(d)
		v := cur
		if hint := f.HintFor(d); hint != "" {
			s.println(hint)
		}
		input := huh.NewInput().Title(fmt.Sprintf("%s [%s]:", f.Label, cur)).Value(&v).
			Validate(func(typed string) error { return s.check(f, typed, cur, validate) })
		if err := s.runField(input); err != nil {
			return err
		}
		if v = strings.TrimSpace(v); v == "" {
			v = cur
		}
		if v != cur {
			f.Set(d, v)
		}
	}
	return nil
}

// check tries an answer on the document and returns the validator's
// message for this field, so the prompt repeats with the fix.
func (s *session) check(f *form.Field[document.Document], typed, cur string, validate check) error {
	v := strings.TrimSpace(typed)
	if v == "" {
		v = cur
	}
	if f.Kind == form.Number && !form.Digits(v) {
		return fmt.Errorf("%q: type digits only", v)
	}
	if f.Path == "" || validate == nil {
		return nil
	}
	snap := s.Doc.File
	snap.Proxy = s.Doc.File.Proxy.Clone()
	f.Set(s.Doc, v)
	fs := validate()
	s.Doc.File = snap // the LDAP section is replaced on edit, never written into
	s.Doc.Revalidate()
	for _, fd := range fs {
		if fd.Path == f.Path && fd.Severity == finding.Error {
			return errors.New(fd.Message)
		}
	}
	return nil
}

// askList asks a table as one comma-separated line: nodes as hosts,
// Docker repositories as KEY or KEY:PORT.
func (s *session) askList(f *form.Field[document.Document], validate check) error {
	d, t := s.Doc, f.Table
	cols := t.VisibleColumns(d)
	cur := listText(d, f)
	format := "values"
	if len(cols) == 2 {
		format = strings.ToLower(cols[0].Title) + ":" + strings.ToLower(cols[1].Title)
	} else if len(cols) == 1 {
		format = strings.ToLower(cols[0].Title)
	}
	s.println(f.Hint, fmt.Sprintf("Give each %s as %s, separated by commas.", t.Noun, format))
	v := cur
	input := huh.NewInput().Title(fmt.Sprintf("%s [%s]:", f.Label, cur)).Value(&v).
		Validate(func(typed string) error {
			text := strings.TrimSpace(typed)
			if text == "" {
				text = cur
			}
			saved := d.File.Proxy.Clone()
			defer func() { d.File.Proxy = saved }()
			if err := setList(d, f, text); err != nil {
				return err
			}
			var msgs []string
			for _, fd := range validate() {
				if fd.Severity == finding.Error && (fd.Path == t.Path || strings.HasPrefix(fd.Path, t.Path+"[")) {
					msgs = append(msgs, strings.TrimPrefix(fd.Path, "proxy.")+": "+fd.Message)
				}
			}
			if len(msgs) > 0 {
				return errors.New(strings.Join(msgs, "; "))
			}
			return nil
		})
	if err := s.runField(input); err != nil {
		return err
	}
	text := strings.TrimSpace(v)
	if text == "" {
		text = cur
	}
	return setList(d, f, text)
}

func listText(d *document.Document, f *form.Field[document.Document]) string {
	t := f.Table
	cols := t.VisibleColumns(d)
	rows := make([]string, t.Count(d))
	for r := range rows {
		var cells []string
		for _, c := range cols {
			if v := c.Get(d, r); v != "" {
				cells = append(cells, v)
			}
		}
		rows[r] = strings.Join(cells, ":")
	}
	return strings.Join(rows, ", ")
}

// setList replaces the table's rows with the ones in text.
func setList(d *document.Document, f *form.Field[document.Document], text string) error {
	t := f.Table
	cols := t.VisibleColumns(d)
	for t.Count(d) > 0 {
		t.Remove(d, 0)
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
		row := t.Count(d)
		t.Insert(d, row)
		for i, c := range cols {
			v := ""
			if i < len(cells) {
				v = strings.TrimSpace(cells[i])
			}
			if c.Number {
				if v != "" && !form.Digits(v) {
					return fmt.Errorf("%q: the %s is a number", entry, strings.ToLower(c.Title))
				}
				if v == "" {
					v = c.Get(d, row) // keep the suggested port of a new row
				}
			}
			c.Set(d, row, v)
		}
	}
	return nil
}
