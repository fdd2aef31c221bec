package main

import (
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"frontdoor/doorcheck"
)

// newManCmd is the hidden `frontdoor man`: the manual page frontdoor(1) in
// roff, written from the command tree itself (the same texts as --help), so
// the page the .deb installs cannot drift from the binary. One page for all
// commands: an admin types `man frontdoor` and finds every command there.
func newManCmd() *cobra.Command {
	return &cobra.Command{
		Use:    "man",
		Short:  "print the manual page frontdoor(1) in roff",
		Hidden: true,
		Args:   noArgs,
		Run: func(c *cobra.Command, _ []string) {
			writeMan(c.OutOrStdout(), c.Root(), manDate(), versionLine())
		},
	}
}

// manDate is the date of the commit the binary was built from (YYYY-MM-DD),
// so the page is the same for the same source; "" when unknown.
func manDate() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	for _, s := range info.Settings {
		if s.Key == "vcs.time" && len(s.Value) >= 10 {
			return s.Value[:10]
		}
	}
	return ""
}

// writeMan writes the page of the command tree, dated date, for the
// binary whose --version says versionLine.
func writeMan(w io.Writer, root *cobra.Command, date, versionLine string) {
	var b strings.Builder
	version := strings.TrimPrefix(strings.Fields(versionLine)[1], "v")
	fmt.Fprintf(&b, ".TH FRONTDOOR 1 \"%s\" \"frontdoor %s\" \"User Commands\"\n", date, roffEscape(footerVersion(version)))
	b.WriteString(".nh\n.ad l\n") // no hyphenation, ragged right: flags and paths stay whole
	fmt.Fprintf(&b, ".SH NAME\nfrontdoor \\- %s\n", roffEscape(root.Short))

	// Lines of no-fill text are not broken by roff: they are wrapped here
	// to fit 80 columns after the section's indent.
	b.WriteString(".SH SYNOPSIS\n.nf\n")
	for _, c := range manCommands(root) {
		fmt.Fprintf(&b, "%s\n", roffEscape(strings.Join(synopsisLines(c, "", manWidth), "\n")))
	}
	b.WriteString(".fi\n")

	b.WriteString(".SH DESCRIPTION\n")
	b.WriteString(roffText(root.Long))
	b.WriteString(".PP\nSettings come from \\fB\\-\\-config\\fR \\fIPATH\\fR, else \\fI./frontdoor.yaml\\fR.\n")

	b.WriteString(".SH COMMANDS\n")
	for _, c := range manCommands(root) {
		name := c.CommandPath()
		if !c.HasParent() {
			name = "frontdoor (no command): the wizard"
		}
		fmt.Fprintf(&b, ".SS \"%s\"\n", roffEscape(name))
		b.WriteString(".nf\n")
		for _, line := range synopsisLines(c, "", manWidth) {
			fmt.Fprintf(&b, "\\fB%s\\fR\n", roffEscape(line))
		}
		b.WriteString(".fi\n.PP\n")
		if c.HasParent() {
			if c.Long != "" {
				b.WriteString(roffText(c.Long))
			} else {
				b.WriteString(roffText(upperFirst(c.Short) + "."))
			}
			b.WriteString(manFlags(c.LocalNonPersistentFlags()))
		} else { // the root's other flags are the wizard's, listed under it
			b.WriteString(roffText("Without a command, frontdoor opens the wizard and takes the flags of `frontdoor wizard`."))
			b.WriteString(manFlags(onlyFlag(c.LocalNonPersistentFlags(), "version")))
		}
		if c.Example != "" {
			b.WriteString(".PP\nExamples:\n.PP\n.RS 4\n.nf\n")
			for _, line := range strings.Split(dedent(c.Example), "\n") {
				b.WriteString(roffEscape(strings.Join(commandLines(line, manWidth-4), "\n")) + "\n")
			}
			b.WriteString(".fi\n.RE\n")
		}
	}

	b.WriteString(".SH GLOBAL OPTIONS\n")
	b.WriteString(manFlags(root.PersistentFlags()))

	b.WriteString(".SH EXIT STATUS\n")
	for _, x := range [][2]string{
		{"0", "The operation succeeded."},
		{"1", "The operation ran and failed: a check failed and the save was rolled back, the reloaded configuration did not serve (save --verify) and was rolled back, a step of `check` or the LDAP test failed, an I/O error."},
		{"2", "Invalid input: settings with errors, unknown or contradicting flags, a missing settings file, no terminal for the wizard."},
		{"70", "frontdoor itself failed (a bug; the message says so, with what to report). Never used for invalid input."},
		{"130", "Cancelled by SIGINT (Ctrl+C): save and restore roll back first; the wizard exits so when a signal stops it."},
		{"143", "Cancelled by SIGTERM: save and restore roll back first; the wizard exits so when a signal stops it."},
	} {
		fmt.Fprintf(&b, ".TP\n.B %s\n%s\n", x[0], roffEscape(x[1]))
	}

	b.WriteString(".SH ENVIRONMENT\n")
	for _, x := range [][2]string{
		{"NO_COLOR", "When set, the wizard draws without colour."},
		{ldapPasswordEnv, "The password of the user `ldap test` binds as, when it is not typed at the prompt or given with --password-stdin. Never a flag: flags show up in ps and shell history."},
		{doorcheck.PasswordEnv, "The password of the --user `check` logs in to the Docker token endpoints as, when it is not typed at the prompt or given with --password-stdin. Sent only over verified HTTPS to the door's own names; never printed."},
	} {
		fmt.Fprintf(&b, ".TP\n.B %s\n%s\n", x[0], roffEscape(x[1]))
	}

	b.WriteString(".SH VERSION\n")
	b.WriteString(roffEscape("This page describes "+versionLine+".") + "\n")

	b.WriteString(".SH FILES\n.TP\n.I ./frontdoor.yaml\n")
	b.WriteString(roffEscape("The settings (proxy: and ldap:) when --config is not given. Passwords are never stored in it.") + "\n")
	b.WriteString(".SH SEE ALSO\n.BR nginx (8),\n.BR apache2ctl (8),\n.BR ldapsearch (1)\n")
	io.WriteString(w, b.String())
}

// manWidth is the room of a line of no-fill text (synopses, examples): 80
// columns less the indent man gives a section's text (7) and one to spare.
const manWidth = 72

// footerVersion is the version as the page's footer shows it, on the left
// of the date in the middle of an 80-column line: a long development
// version (0.0.0-20261127031537-5002026abcde+dirty) ran into the date.
// The full version is in the VERSION section.
func footerVersion(v string) string {
	const room = 22 // "frontdoor " + this, left of a centred 10-character date
	if len(v) <= room {
		return v
	}
	// A pseudo-version: the base and the revision, without the timestamp.
	parts := strings.Split(v, "-")
	if len(parts) >= 3 && len(parts[len(parts)-2]) == 14 {
		rev, dirty, _ := strings.Cut(parts[len(parts)-1], "+")
		short := parts[0] + "-" + rev[:min(len(rev), 7)]
		if dirty != "" {
			short += "+" + dirty
		}
		if len(short) <= room {
			return short
		}
	}
	return v[:room-3] + "..."
}

// manCommands are the commands with a page section: the root (the wizard)
// and every visible command that runs, depth first in help order.
func manCommands(c *cobra.Command) []*cobra.Command {
	var out []*cobra.Command
	if !c.HasParent() || c.Runnable() && !c.HasAvailableSubCommands() {
		out = append(out, c)
	}
	for _, sub := range visibleCommands(c) {
		out = append(out, manCommands(sub)...)
	}
	return out
}

// manFlags lists flags as tagged paragraphs: "--to PATH" then its usage.
func manFlags(fs *pflag.FlagSet) string {
	var b strings.Builder
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		b.WriteString(".TP\n")
		if f.Shorthand != "" {
			fmt.Fprintf(&b, "\\fB\\-%s\\fR, ", f.Shorthand)
		}
		fmt.Fprintf(&b, "\\fB\\-\\-%s\\fR", roffEscape(f.Name))
		if v := valueNames[f.Name]; v != "" {
			fmt.Fprintf(&b, " \\fI%s\\fR", roffEscape(v))
		}
		fmt.Fprintf(&b, "\n%s\n", roffEscape(flagUsage(f)))
	})
	return b.String()
}

// onlyFlag is a flag set holding one flag of fs.
func onlyFlag(fs *pflag.FlagSet, name string) *pflag.FlagSet {
	one := pflag.NewFlagSet(name, pflag.ContinueOnError)
	if f := fs.Lookup(name); f != nil {
		one.AddFlag(f)
	}
	return one
}

// roffText turns help text into roff: running lines are filled into a
// paragraph; indented lines (commands to type) are kept as they are.
func roffText(text string) string {
	var b strings.Builder
	literal := false
	for _, line := range strings.Split(text, "\n") {
		indented := strings.HasPrefix(line, "  ")
		switch {
		case indented && !literal:
			b.WriteString(".PP\n.RS 4\n.nf\n")
			literal = true
		case !indented && literal:
			b.WriteString(".fi\n.RE\n")
			literal = false
		}
		if line == "" {
			b.WriteString(".PP\n")
			continue
		}
		if literal {
			line = strings.Join(commandLines(strings.TrimPrefix(line, "  "), manWidth-4), "\n")
		}
		b.WriteString(roffEscape(line) + "\n")
	}
	if literal {
		b.WriteString(".fi\n.RE\n")
	}
	return b.String()
}

// dedent removes the two-space indent of example lines.
func dedent(text string) string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimPrefix(l, "  ")
	}
	return strings.Join(lines, "\n")
}

// roffEscape makes text safe as roff input: backslashes and hyphens are
// escaped, and a line never starts with a control character.
func roffEscape(s string) string {
	s = strings.ReplaceAll(s, `\`, `\e`)
	s = strings.ReplaceAll(s, "-", `\-`)
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, ".") || strings.HasPrefix(l, "'") {
			lines[i] = `\&` + l
		}
	}
	return strings.Join(lines, "\n")
}
