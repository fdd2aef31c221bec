// Asking the one form engine's fields one per line: each answer is
// checked by the section's validator before it is taken, tables are asked
// as one comma-separated line.

package accessible

import (
	"errors"
	"fmt"
	"strings"

	"charm.land/huh/v2"

	"frontdoor/finding"
	"frontdoor/tui/components/form"
	"frontdoor/tui/document"
)

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
