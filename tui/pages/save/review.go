package save

import (
	"errors"
	"fmt"
	"os/exec"
	"strings"

	"frontdoor/render"
	"frontdoor/tui/common"
	"frontdoor/tui/components/form"
	"frontdoor/tui/document"
)

type field = form.Field[document.Document]

// Snippet reports whether the provider has a snippet to install (tomcat
// has none: only the settings file is written).
func Snippet(d *document.Document) bool { return d.File.Proxy.Provider != render.Tomcat }

// Fields are the save options of the review step: target, enable link,
// check, reload, and the Save button. They edit the document's target, not
// the proxy settings.
func (m *Model) Fields(st *common.Styles, configPath string) []field {
	text := func(label, hint string, p func(t *document.Target) *string) field {
		return field{
			Kind: form.Text, Label: label, Hint: hint, Visible: Snippet,
			Get: func(d *document.Document) string { return *p(&d.Target) },
			Set: func(d *document.Document, v string) {
				*p(&d.Target) = v
				d.TargetEdited = true
			},
		}
	}
	reloadWith := text("Reload with", "Runs only after a passing check.",
		func(t *document.Target) *string { return &t.Reload })
	reloadWith.Visible = func(d *document.Document) bool { return Snippet(d) && d.Target.ReloadOn }
	return []field{
		text("Target", "The snippet file; its directory must exist. A symlink is followed and kept.",
			func(t *document.Target) *string { return &t.Path }),
		text("Enable link", "Symlink that enables the target (Debian's sites-enabled/); created when missing. Empty: none.",
			func(t *document.Target) *string { return &t.Link }),
		text("Check", "Runs after the write, without a shell; when it fails the previous file is put back. Empty: no check.",
			func(t *document.Target) *string { return &t.Check }),
		{
			Kind: form.Toggle, Label: "Reload", Hint: "Reload the server after a passing check.", Visible: Snippet,
			GetBool: func(d *document.Document) bool { return d.Target.ReloadOn },
			SetBool: func(d *document.Document, v bool) { d.Target.ReloadOn = v },
		},
		reloadWith,
		{Kind: form.Button, Draw: func(d *document.Document, focused bool, width int) []string {
			return m.button(st, d, configPath, focused, width)
		}},
	}
}

// button draws the Save button and what pressing it will do.
func (m *Model) button(st *common.Styles, d *document.Document, configPath string, focused bool, width int) []string {
	label := "[ Save ]"
	if !Snippet(d) {
		label = "[ Save settings ]"
	}
	style := st.Bold
	if focused {
		style = st.LabelFocused
	}
	var note string
	switch errs := d.Proxy.Issues.Errors; {
	case m.saving:
		return []string{st.Subtle.Render(label + " saving…")}
	case errs > 0:
		return []string{st.Subtle.Render(label) + " " + st.ErrorText.Render("fix "+common.CountNoun(errs, "error")+" first")}
	case !Snippet(d):
		note = "writes " + configPath + " (no snippet for embedded Tomcat)"
	default:
		note = "write, check, then " + configPath
	}
	return []string{style.Render(label) + " " + st.Subtle.Render(common.Truncate(note, max(0, width-len(label)-1)))}
}

// Preamble is drawn above the review step's fields: every finding that
// remains, and the layout the target was detected in.
func Preamble(st *common.Styles, d *document.Document, width int) []string {
	var out []string
	errs, warns := d.Proxy.Findings.Errors(), d.Proxy.Findings.Warnings()
	const maxListed = 4
	list := func(fs render.Findings) {
		for i, f := range fs {
			if i == maxListed {
				out = append(out, st.Subtle.Render(fmt.Sprintf("    and %d more", len(fs)-maxListed)))
				break
			}
			f.Message = f.Path + ": " + f.Message
			out = append(out, common.FindingLines(st, f, width, "  ")...)
		}
	}
	switch {
	case len(errs) > 0:
		verb := "block"
		if len(errs) == 1 {
			verb = "blocks"
		}
		out = append(out, st.ErrorText.Render(fmt.Sprintf("%s %s %s the save (Save shows the first):", common.GlyphError, common.CountNoun(len(errs), "error"), verb)))
		list(errs)
	default:
		out = append(out, st.OKText.Render(common.GlyphOK+" the settings are valid"))
	}
	if len(warns) > 0 {
		out = append(out, st.WarnText.Render(fmt.Sprintf("%s %s (saving is allowed):", common.GlyphWarning, common.CountNoun(len(warns), "warning"))))
		list(warns)
	}
	out = append(out, "")
	if Snippet(d) {
		t := &d.Target
		switch layout := string(t.Layout); {
		case t.Note != "":
			out = append(out, common.WrapPrefixed(t.Note, width, "  ", "  ", st.WarnText)...)
		case t.Detected && layout != "":
			out = append(out, st.Subtle.Render("  detected layout: "+layout))
		}
	}
	return out
}

// TargetSummary says where the chosen provider's snippet will go and how it
// is checked (editable on the review step).
func TargetSummary(st *common.Styles, d *document.Document, width int) []string {
	t := &d.Target
	out := []string{"", st.Heading.Render("Where it goes")}
	if !Snippet(d) {
		return append(out, common.WrapPrefixed(t.Note, width, "  ", "  ", st.Subtle)...)
	}
	const labelW = 13
	row := func(label, value string) {
		if value == "" {
			value = "none"
		}
		out = append(out, "  "+st.Label.Render(common.PadRight(label, labelW))+common.Truncate(value, max(10, width-2-labelW)))
	}
	row("Target", t.Path)
	if t.Link != "" {
		row("Enable link", t.Link)
	}
	row("Check", t.Check)
	row("Reload", t.Reload+" (only when asked)")
	if t.Note != "" {
		out = append(out, common.WrapPrefixed(t.Note, width, "  ", "  ", st.WarnText)...)
	}
	return append(out, st.Subtle.Render("  All editable on the review step."))
}

// ModulesLines say which Apache modules the snippet needs and whether they
// are enabled (apache2ctl -M, run in a command).
func (m *Model) ModulesLines(st *common.Styles, d *document.Document, width int) []string {
	if d.File.Proxy.Provider != render.Apache {
		return nil
	}
	out := []string{""}
	need := strings.Join(render.ApacheModules(&d.File.Proxy), " ")
	mr := m.modules
	switch {
	case d.Target.ApacheCtl == "":
		return nil
	case mr == nil:
		out = append(out, st.Subtle.Render("  Apache modules: checking "+d.Target.ApacheCtl+" -M…"))
	case errors.Is(mr.Err, exec.ErrNotFound):
		out = append(out, common.WrapPrefixed(fmt.Sprintf("%s not found here: on the server, enable %s (a2enmod %s)", mr.Ctl, need, need), width, "  "+common.GlyphWarning+" ", "    ", st.WarnText)...)
	case mr.Err != nil:
		// -M fails when the configuration in place is broken; its output
		// (after the first line of the error) says what is wrong.
		head, output, _ := strings.Cut(mr.Err.Error(), "\n")
		out = append(out, common.WrapPrefixed("could not list the Apache modules: "+head, width, "  "+common.GlyphWarning+" ", "    ", st.WarnText)...)
		if output != "" {
			out = append(out, commandOutputLines(st, output, width)...)
		}
	case len(mr.Missing) > 0:
		out = append(out, common.WrapPrefixed("Apache modules not enabled: "+strings.Join(mr.Missing, " "), width, "  "+common.GlyphWarning+" ", "    ", st.WarnText)...)
		out = append(out, common.WrapPrefixed("run: "+mr.FixLine, width, "    ", "    ", st.Bold)...)
	default:
		out = append(out, st.OKText.Render("  "+common.GlyphOK+" Apache modules enabled: ")+st.Subtle.Render(need))
	}
	return out
}
