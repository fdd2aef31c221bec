package main

import (
	"errors"
	"fmt"
	"frontdoor/internal/textwrap"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// valueNames names the value of each flag that takes one, in help and in
// the man page ("--to PATH", not "--to string"). Flags share a name only
// when they mean the same thing, so one table serves every command.
var valueNames = map[string]string{
	"config":     "PATH",
	"to":         "PATH",
	"link":       "PATH",
	"check":      "CMD",
	"reload":     "CMD",
	"root":       "DIR",
	"backup-dir": "DIR",
	"keep":       "N",
	"limit":      "N",
	"provider":   "NAME",
	"template":   "DIR",
	"format":     "conf|artifactory-json",
	"setting":    "KEY",
	"user":       "NAME",
	"timeout":    "DURATION",
	// check
	"resolve":     "HOST:ADDR",
	"ca":          "FILE",
	"upload-size": "SIZE",
	"upload-repo": "KEY",
	// save --verify
	"verify-timeout": "DURATION",
	"verify-addr":    "ADDR",
	// import
	"out": "FILE",
}

// helpFooter ends the help of the root command and of the man page's
// description: where settings come from and what the exit codes mean.
const helpFooter = "Settings come from --config PATH, else ./frontdoor.yaml. `frontdoor COMMAND --help` for details.\n" +
	"Exit codes: 0 ok, 1 the operation ran and failed, 2 invalid settings or usage;\n" +
	"save and restore exit 130 (SIGINT) or 143 (SIGTERM) when cancelled, after the rollback."

// useLine is the synopsis of a command: "frontdoor render [--config PATH ...]".
func useLine(c *cobra.Command) string {
	if !c.HasParent() {
		return c.Use
	}
	return c.Parent().CommandPath() + " " + c.Use
}

// visibleCommands are the subcommands worth listing (not help, not hidden).
func visibleCommands(c *cobra.Command) []*cobra.Command {
	var out []*cobra.Command
	for _, sub := range c.Commands() {
		if sub.IsAvailableCommand() && sub.Name() != "help" {
			out = append(out, sub)
		}
	}
	return out
}

// writeHelp is the help a user asked for (--help, `help X`): on stdout.
func writeHelp(w io.Writer, c *cobra.Command) {
	var b strings.Builder
	if !c.HasParent() {
		fmt.Fprintf(&b, "frontdoor: %s.\n\n", c.Short)
	}
	fmt.Fprintf(&b, "Usage: %s\n\n", useLine(c))
	if c.Long != "" {
		fmt.Fprintf(&b, "%s\n\n", c.Long)
	} else if c.HasParent() {
		fmt.Fprintf(&b, "%s.\n\n", upperFirst(c.Short))
	}
	if subs := visibleCommands(c); len(subs) > 0 {
		b.WriteString("Commands:\n")
		if !c.HasParent() {
			width := 0
			for _, s := range subs {
				width = max(width, len(s.Name()))
			}
			for _, s := range subs {
				fmt.Fprintf(&b, "  %-*s  %s\n", width, s.Name(), s.Short)
			}
		} else { // a group (ldap): its commands with their synopsis
			for _, s := range subs {
				fmt.Fprintf(&b, "  %s\n      %s\n", useLine(s), s.Short)
			}
		}
		b.WriteString("\n")
	}
	local := c.LocalNonPersistentFlags()
	if !c.HasParent() {
		// The root's own flags are the wizard's, and --version.
		wizard, global := pflag.NewFlagSet("wizard", pflag.ContinueOnError), pflag.NewFlagSet("global", pflag.ContinueOnError)
		local.VisitAll(func(f *pflag.Flag) {
			if f.Name == "version" {
				global.AddFlag(f)
			} else {
				wizard.AddFlag(f)
			}
		})
		c.PersistentFlags().VisitAll(global.AddFlag)
		b.WriteString("Wizard flags (frontdoor [wizard] ...):\n")
		b.WriteString(flagTable(wizard))
		b.WriteString("\nGlobal flags:\n")
		b.WriteString(flagTable(global))
	} else {
		if local.HasAvailableFlags() {
			b.WriteString("Flags:\n")
			b.WriteString(flagTable(local))
			b.WriteString("\n")
		}
		b.WriteString("Global flags:\n")
		b.WriteString(flagTable(c.InheritedFlags()))
	}
	if c.Example != "" {
		fmt.Fprintf(&b, "\nExamples:\n%s\n", c.Example)
	}
	if !c.HasParent() {
		fmt.Fprintf(&b, "\n%s\n", helpFooter)
	}
	io.WriteString(w, b.String())
}

// writeUsage is the short reminder after a usage error: the synopsis and
// where the full help is. It goes to stderr with the error.
func writeUsage(w io.Writer, c *cobra.Command) {
	fmt.Fprintf(w, "Usage: %s\n", useLine(c))
	if subs := visibleCommands(c); len(subs) > 0 {
		var names []string
		for _, s := range subs {
			names = append(names, s.Name())
		}
		fmt.Fprintf(w, "Commands: %s\n", strings.Join(names, ", "))
	}
	fmt.Fprintf(w, "Run `%s --help` for details.\n", c.CommandPath())
}

// flagTable lists flags, one per line, usage wrapped under 100 columns.
func flagTable(fs *pflag.FlagSet) string {
	type row struct{ left, usage string }
	var rows []row
	width := 0
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		left := "      --" + f.Name
		if f.Shorthand != "" {
			left = "  -" + f.Shorthand + ", --" + f.Name
		}
		if v := valueNames[f.Name]; v != "" {
			left += " " + v
		}
		rows = append(rows, row{left, flagUsage(f)})
		width = max(width, len(left))
	})
	width = min(width, 30) // longer flag columns put their usage on the next line
	var b strings.Builder
	for _, r := range rows {
		lines := textwrap.Wrap(r.usage, 100-width-2, "", "")
		if len(r.left) > width {
			fmt.Fprintf(&b, "%s\n%*s", r.left, width+2, "")
		} else {
			fmt.Fprintf(&b, "%-*s  ", width, r.left)
		}
		b.WriteString(strings.Join(lines, "\n"+strings.Repeat(" ", width+2)))
		b.WriteString("\n")
	}
	return b.String()
}

// flagUsage is a flag's usage with its default, when the default says
// something (not "", false or 0).
func flagUsage(f *pflag.Flag) string {
	switch f.DefValue {
	case "", "false", "0", "0s", "[]":
		return f.Usage
	}
	return fmt.Sprintf("%s (default %q)", f.Usage, f.DefValue)
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// flagError adds "did you mean" to an unknown flag: the command's flags
// within two edits (or that start with what was typed), else the commands
// that do have the flag.
func flagError(c *cobra.Command, err error) error {
	var notExist *pflag.NotExistError
	if !errors.As(err, &notExist) {
		return err
	}
	typed := notExist.GetSpecifiedName()
	if group := notExist.GetSpecifiedShortnames(); len(group) > 1 {
		typed = group // -config: a long flag with one dash, read as -c -o -n ...
	}
	if s := flagSuggestions(c, typed); len(s) > 0 {
		return fmt.Errorf("%w%s", err, didYouMean(s))
	}
	if owners := flagOwners(c.Root(), typed); len(owners) > 0 {
		return fmt.Errorf("%w\n\n--%s is a flag of: %s", err, typed, strings.Join(owners, ", "))
	}
	return err
}

// flagSuggestions are the command's flags close to what was typed.
func flagSuggestions(c *cobra.Command, typed string) []string {
	typed = strings.ToLower(strings.TrimLeft(typed, "-"))
	type near struct {
		name string
		dist int
	}
	limit := 2
	if len(typed) <= 3 {
		limit = 1 // two edits turn "-x" into "--to": no suggestion is better than that one
	}
	var found []near
	c.Flags().VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		d := editDistance(typed, f.Name)
		if d <= limit || len(typed) >= 2 && strings.HasPrefix(f.Name, typed) {
			found = append(found, near{f.Name, d})
		}
	})
	slices.SortStableFunc(found, func(a, b near) int { return a.dist - b.dist })
	var out []string
	for _, n := range found {
		out = append(out, "--"+n.name)
	}
	return out
}

// flagOwners are the commands that have a flag of that name.
func flagOwners(c *cobra.Command, name string) []string {
	var out []string
	if c.IsAvailableCommand() || !c.HasParent() {
		if f := c.LocalNonPersistentFlags().Lookup(name); f != nil && !f.Hidden {
			out = append(out, c.CommandPath())
		}
	}
	for _, sub := range c.Commands() {
		out = append(out, flagOwners(sub, name)...)
	}
	return out
}

// didYouMean formats suggestions the way cobra does for commands, so both
// kinds of typo read alike.
func didYouMean(suggestions []string) string {
	if len(suggestions) == 0 {
		return ""
	}
	return "\n\nDid you mean this?\n\t" + strings.Join(suggestions, "\n\t") + "\n"
}

// editDistance is the number of single-character edits (insert, delete,
// replace, or swap of two neighbours: "zhs" is one edit from "zsh") that
// turn a into b.
func editDistance(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

// newHelpCmd is `frontdoor help [command]`: the help on stdout, or a usage
// error for a command that does not exist.
func newHelpCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "help [command]",
		Short: "show the help of a command",
		ValidArgsFunction: func(c *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
			target, _, err := c.Root().Find(args)
			if err != nil {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			var names []string
			for _, s := range visibleCommands(target) {
				names = append(names, s.Name()+"\t"+s.Short)
			}
			return names, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(c *cobra.Command, args []string) error {
			target, rest, err := c.Root().Find(args)
			if err != nil {
				return err
			}
			if len(rest) > 0 {
				return fmt.Errorf("unknown command %q for %q%s", rest[0], target.CommandPath(), didYouMean(target.SuggestionsFor(rest[0])))
			}
			writeHelp(c.OutOrStdout(), target)
			return nil
		},
	}
}

// newCompletionCmd prints a completion script; the .deb installs all three.
func newCompletionCmd() *cobra.Command {
	shells := []string{"bash", "zsh", "fish"}
	return &cobra.Command{
		Use:   "completion bash|zsh|fish",
		Short: "print the shell completion script (bash, zsh or fish)",
		Long: "Print the completion script for a shell on stdout. The .deb package installs all three; by hand:\n" +
			"  bash: frontdoor completion bash > ~/.local/share/bash-completion/completions/frontdoor\n" +
			"  zsh:  frontdoor completion zsh > \"${fpath[1]}/_frontdoor\"\n" +
			"  fish: frontdoor completion fish > ~/.config/fish/completions/frontdoor.fish",
		ValidArgs: shells,
		Args: func(c *cobra.Command, args []string) error {
			switch {
			case len(args) == 0:
				return errors.New("which shell: bash, zsh or fish?")
			case len(args) > 1:
				return fmt.Errorf("unexpected argument %q", args[1])
			case !slices.Contains(shells, args[0]):
				var near []string
				for _, s := range shells {
					if editDistance(args[0], s) <= 1 {
						near = append(near, s)
					}
				}
				return fmt.Errorf("unknown shell %q (bash, zsh or fish)%s", args[0], didYouMean(near))
			}
			return nil
		},
		RunE: func(c *cobra.Command, args []string) error {
			root, out := c.Root(), c.OutOrStdout()
			var err error
			switch args[0] {
			case "bash":
				err = root.GenBashCompletionV2(out, true)
			case "zsh":
				err = root.GenZshCompletion(out)
			default:
				err = root.GenFishCompletion(out, true)
			}
			if err != nil {
				fmt.Fprintf(c.ErrOrStderr(), "frontdoor completion: %v\n", err)
				return exitCode(exitFailed)
			}
			return nil
		},
	}
}
