package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// commandFirst moves the flags typed before the command's name after it:
// `frontdoor --example --config x.yaml render` is `frontdoor render
// --example --config x.yaml`. Cobra takes only the root's own flags before
// a command, and guesses that any other flag there takes a value, so
// `--example` swallowed `--config` and x.yaml was read as the command.
// Every moved flag is then the command's to judge: its own are taken, any
// other is "unknown flag" with the commands that have it. A line with no
// command name (the wizard), a value that happens to be a command's name
// (`--config render`), and anything after `--` are left as typed.
func commandFirst(root *cobra.Command, args []string) []string {
	if len(args) == 0 || args[0] == cobra.ShellCompRequestCmd || args[0] == cobra.ShellCompNoDescRequestCmd {
		return args
	}
	i := 0
	for i < len(args) && isFlag(args[i]) {
		flag := args[i]
		i++
		if !strings.Contains(flag, "=") && takesValue(root, flag) && i < len(args) {
			i++ // its value, whatever it looks like
		}
	}
	if i == 0 || i == len(args) {
		return args
	}
	cmd, end := root, i
	for end < len(args) {
		sub := subcommand(cmd, args[end])
		if sub == nil {
			break
		}
		cmd, end = sub, end+1
	}
	if cmd == root {
		return args // not a command: cobra says so, with its suggestions
	}
	out := make([]string, 0, len(args))
	out = append(out, args[i:end]...)
	out = append(out, args[:i]...)
	return append(out, args[end:]...)
}

// isFlag reports whether a word on the command line is a flag ("-" alone
// is a value, "--" ends the flags).
func isFlag(arg string) bool {
	return strings.HasPrefix(arg, "-") && arg != "-" && arg != "--"
}

// subcommand is c's command called name (or by an alias), nil when none.
func subcommand(c *cobra.Command, name string) *cobra.Command {
	for _, sub := range c.Commands() {
		if sub.Name() == name || sub.HasAlias(name) {
			return sub
		}
	}
	return nil
}

// takesValue reports whether the flag (--name or -x) takes a value in the
// command that has it. Flags of one name mean the same thing in every
// command (valueNames), so the first found decides; an unknown flag is
// taken for a switch.
func takesValue(root *cobra.Command, arg string) bool {
	name := strings.TrimLeft(arg, "-")
	short := !strings.HasPrefix(arg, "--")
	if short && len(name) != 1 {
		return false // -abc: switches together (or a typo cobra names)
	}
	var found *pflag.Flag
	var visit func(c *cobra.Command)
	visit = func(c *cobra.Command) {
		for _, fs := range []*pflag.FlagSet{c.PersistentFlags(), c.Flags()} {
			if found != nil {
				return
			}
			if short {
				found = fs.ShorthandLookup(name)
			} else {
				found = fs.Lookup(name)
			}
		}
		for _, sub := range c.Commands() {
			if found == nil {
				visit(sub)
			}
		}
	}
	visit(root)
	return found != nil && found.NoOptDefVal == ""
}

// durationValue is the one parser of every duration flag (--timeout,
// --verify-timeout): Go's durations (10s, 1m30s, 500ms), and a number
// without a unit gets "did you mean 5s?" rather than time's "missing unit
// in duration".
type durationValue time.Duration

func (d *durationValue) Set(s string) error {
	v, err := time.ParseDuration(s)
	if err != nil {
		if _, nerr := strconv.ParseFloat(s, 64); nerr == nil {
			return fmt.Errorf("%s has no unit: did you mean %ss?", s, s)
		}
		return fmt.Errorf("not a duration: give a number with a unit, e.g. 10s, 1m30s, 500ms")
	}
	*d = durationValue(v)
	return nil
}

func (d *durationValue) Type() string   { return "duration" }
func (d *durationValue) String() string { return time.Duration(*d).String() }

// durationVar defines a duration flag read by durationValue.
func durationVar(fs *pflag.FlagSet, p *time.Duration, name string, value time.Duration, usage string) {
	*p = value
	fs.Var((*durationValue)(p), name, usage)
}
