package importer

import (
	"fmt"
	"io"
	"strings"

	"frontdoor/finding"
	"frontdoor/importer/semantic"
)

// WriteReport prints what the import found, for a person: the settings and
// their sources, what was not mapped and why, what was left alone, the
// notes, the semantic diff and the validation findings. written names the
// settings file written ("" when none was).
func (r *Result) WriteReport(w io.Writer, written string) {
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	noun := "file"
	if len(r.Files) != 1 {
		noun = "files"
	}
	p("Imported the %s configuration: %d %s (%s).\n", r.Provider, len(r.Files), noun, strings.Join(r.Files, ", "))

	p("\nMapped to settings:\n")
	width := 0
	for _, it := range r.Mapped {
		width = max(width, len(it.Setting))
	}
	for _, it := range r.Mapped {
		src := "from " + it.Source.String()
		if it.Source.IsZero() {
			src = "(detected)"
		}
		p("  %-*s  %s  %s\n", width, it.Setting, it.Value, src)
	}
	for path, why := range r.Assumed {
		p("  %-*s  %s  %s\n", width, path, settingText(&r.Settings, path), why)
	}

	if len(r.Unmapped) > 0 {
		p("\n")
		WriteUnmapped(w, r.Unmapped)
	}
	if len(r.Outside) > 0 {
		p("\nLeft as they are (not the Artifactory site):\n")
		for _, it := range r.Outside {
			p("  %s: %s: %s\n", it.Source, it.Directive, it.Why)
		}
	}
	if len(r.Notes) > 0 {
		p("\nNotes:\n")
		for _, n := range r.Notes {
			p("  - %s\n", n)
		}
	}
	if !r.diffed {
		p("\nWhat changes: not known until the settings validate.\n")
	} else {
		WriteChanges(w, r.Changes)
	}
	if len(r.Findings) > 0 {
		p("\nFindings in the imported settings:\n")
		for _, f := range append(r.Findings.Errors(), r.Findings.Warnings()...) {
			p("  %s\n", f)
		}
	}
	p("\n")
	switch {
	case written == "":
	case r.Complete() && !r.Findings.HasErrors():
		p("Everything mapped: settings written to %s. `frontdoor render` shows the new snippet, `frontdoor save` installs it.\n", written)
	default:
		var why []string
		if n := len(r.Unmapped); n > 0 {
			why = append(why, fmt.Sprintf("%s not mapped", finding.Count(n)+" "+plural(n, "directive", "directives")))
		}
		if r.DockerKeysUnknown {
			why = append(why, "the Docker repository keys not recovered")
		}
		if r.Findings.HasErrors() {
			why = append(why, "the settings need fixing")
		}
		p("Settings written to %s, with %s: review them (`frontdoor` opens them) before `frontdoor save`.\n", written, andList(why))
	}
}

// andList joins "a", "b" and "c" as "a, b and c".
func andList(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// WriteUnmapped prints the directives not mapped, each with where it is
// and why: a heading, then "  FILE:LINE: DIRECTIVE" and the reason under it
// (indented six). Nothing for none. The wizard's review step shows the
// same lines.
func WriteUnmapped(w io.Writer, unmapped []Item) {
	if len(unmapped) == 0 {
		return
	}
	fmt.Fprintf(w, "Not mapped (%d): the new configuration drops or changes them:\n", len(unmapped))
	for _, it := range unmapped {
		if it.Directive != "" {
			fmt.Fprintf(w, "  %s: %s\n      %s\n", it.Source, it.Directive, it.Why)
		} else {
			fmt.Fprintf(w, "  %s: %s\n", it.Source, it.Why)
		}
	}
}

// WriteChanges prints a semantic diff by aspect, one change a line; the
// wizard's review step shows the same lines.
func WriteChanges(w io.Writer, changes []semantic.Change) {
	if len(changes) == 0 {
		fmt.Fprintf(w, "\nWhat changes: nothing (the new configuration behaves as the old one).\n")
		return
	}
	fmt.Fprintf(w, "\nWhat changes (%s):\n", semantic.Legend)
	var last semantic.Aspect
	for _, c := range changes {
		if c.Aspect != last {
			fmt.Fprintf(w, "  %s:\n", c.Aspect)
			last = c.Aspect
		}
		fmt.Fprintf(w, "    %s\n", ChangeLine(c))
	}
}

// ChangeLine is one change without its aspect (the heading above says it):
//
//	± / (ports 80, 443): to localhost:8081, / sent as /artifactory/ → to localhost:8082 [why]
func ChangeLine(c semantic.Change) string {
	s := c.String()
	mark, rest, _ := strings.Cut(s, " ")
	return mark + " " + strings.TrimPrefix(strings.TrimPrefix(rest, string(c.Aspect)), " ")
}
