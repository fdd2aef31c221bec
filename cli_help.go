package main

import (
	"errors"
	"fmt"
	"frontdoor/internal/nearest"
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

// helpFooter ends the help of the root command: where settings come from
// and what the exit codes mean (the man page's EXIT STATUS says the same).
const helpFooter = "Settings come from --config PATH, else ./frontdoor.yaml. For details: frontdoor help COMMAND.\n" +
	"Exit codes: 0 ok, 1 the operation ran and failed, 2 invalid settings or usage;\n" +
	"save and restore exit 130 (SIGINT) or 143 (SIGTERM) when cancelled, after the rollback;\n" +
	"70 means frontdoor itself failed (a bug: please report it)."

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

// writeHelp is the help a user asked for (--help, `help X`): on stdout,
// wrapped to the terminal's width (80 columns when stdout is not a
// terminal). Commands to type (examples) are never broken.
func writeHelp(w io.Writer, c *cobra.Command) {
	io.WriteString(w, helpText(c, helpWidth(w)))
}

// helpText is c's help wrapped to width.
func helpText(c *cobra.Command, width int) string {
	var b strings.Builder
	if !c.HasParent() {
		b.WriteString(reflow(fmt.Sprintf("frontdoor: %s.", c.Short), width) + "\n")
	}
	b.WriteString(strings.Join(synopsisLines(c, "Usage: ", width), "\n") + "\n\n")
	if c.Long != "" {
		b.WriteString(reflow(c.Long, width) + "\n")
	} else if c.HasParent() {
		b.WriteString(reflow(upperFirst(c.Short)+".", width) + "\n")
	}
	if subs := visibleCommands(c); len(subs) > 0 {
		b.WriteString("Commands:\n")
		if !c.HasParent() {
			nameWidth := 0
			for _, s := range subs {
				nameWidth = max(nameWidth, len(s.Name()))
			}
			for _, s := range subs {
				first := fmt.Sprintf("  %-*s  ", nameWidth, s.Name())
				b.WriteString(strings.Join(textwrap.Wrap(s.Short, width, first, strings.Repeat(" ", len(first))), "\n") + "\n")
			}
		} else { // a group (ldap): its commands with their synopsis
			for _, s := range subs {
				b.WriteString(strings.Join(synopsisLines(s, "  ", width), "\n") + "\n")
				b.WriteString(strings.Join(textwrap.Wrap(s.Short, width, "      ", "      "), "\n") + "\n")
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
		b.WriteString(flagTable(wizard, width))
		b.WriteString("\nGlobal flags:\n")
		b.WriteString(flagTable(global, width))
	} else {
		if local.HasAvailableFlags() {
			b.WriteString("Flags:\n")
			b.WriteString(flagTable(local, width))
			b.WriteString("\n")
		}
		b.WriteString("Global flags:\n")
		b.WriteString(flagTable(c.InheritedFlags(), width))
	}
	if c.Example != "" {
		b.WriteString("\nExamples:\n")
		for _, line := range strings.Split(c.Example, "\n") {
			b.WriteString(strings.Join(commandLines(line, width), "\n") + "\n")
		}
	}
	if !c.HasParent() {
		fmt.Fprintf(&b, "\n%s", reflow(helpFooter, width))
	}
	return b.String()
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

// flagTable lists flags, one per line, usage wrapped to width.
func flagTable(fs *pflag.FlagSet, width int) string {
	type row struct{ left, usage string }
	var rows []row
	column := 0
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
		column = max(column, len(left))
	})
	// Longer flag columns put their usage on the next line; a narrow
	// terminal gets a narrower column, so the usage keeps some room.
	column = min(column, 30, max(width/3, 16))
	var b strings.Builder
	for _, r := range rows {
		lines := textwrap.Wrap(r.usage, width-column-2, "", "")
		if len(r.left) > column {
			fmt.Fprintf(&b, "%s\n%*s", r.left, column+2, "")
		} else {
			fmt.Fprintf(&b, "%-*s  ", column, r.left)
		}
		b.WriteString(strings.Join(lines, "\n"+strings.Repeat(" ", column+2)))
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
		d := nearest.Distance(typed, f.Name)
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
		Long: "Print the completion script for a shell on stdout. The .deb package installs all three; by hand,\n" +
			"for bash, zsh and fish:\n" +
			"  frontdoor completion bash > ~/.local/share/bash-completion/completions/frontdoor\n" +
			"  frontdoor completion zsh > \"${fpath[1]}/_frontdoor\"\n" +
			"  frontdoor completion fish > ~/.config/fish/completions/frontdoor.fish",
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
					if nearest.Distance(args[0], s) <= 1 {
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
