// Command frontdoor is a terminal wizard (and a set of script-friendly
// commands) that puts Artifactory behind a reverse proxy (nginx, Apache,
// HAProxy, Caddy or Kubernetes) and checks its LDAP
// settings against the real directory.
//
// package main is CLI wiring only: the command tree (this file, on cobra),
// one file per command (cmd_*.go), help, version and the man page (cli_*.go).
// The work lives in the packages.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"frontdoor/config"
)

// Exit codes shared by every command.
const (
	exitOK      = 0 // the operation succeeded
	exitFailed  = 1 // the operation ran and failed
	exitInvalid = 2 // invalid input: settings, flags or usage
	// exitCrashed: frontdoor itself failed (a bug). Go's own exit status for
	// a panic is 2, which would read as "invalid input" to a script, so a
	// panic in a command is caught and given this code instead.
	exitCrashed = 70 // EX_SOFTWARE in sysexits.h
)

// env is what a command may touch; tests pass their own.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

// Help lists commands in the order they are added: the usual path first.
// (Set once here: run may be called by parallel tests.)
func init() { cobra.EnableCommandSorting = false }

func main() {
	os.Exit(runGuarded(env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}, os.Args[1:]))
}

// runGuarded is run with a crash turned into exitCrashed and one line that
// says it is a bug, with the stack on stderr for the report.
func runGuarded(e env, args []string) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(e.stderr, "frontdoor: internal error (a bug, please report it with what follows): %v\n%s", r, debug.Stack())
			code = exitCrashed
		}
	}()
	return run(e, args)
}

// run executes one command line and returns its exit code. Commands print
// their own results and errors; what cobra reports (unknown command or flag,
// a stray argument) is a usage error: stderr, exit 2.
func run(e env, args []string) int {
	root := newRoot(e)
	root.SetArgs(commandFirst(root, args))
	cmd, err := root.ExecuteC()
	var code exitCode
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &code):
		return int(code)
	default:
		printUsageError(e.stderr, cmd, err)
		return exitInvalid
	}
}

// exitCode carries a command's exit code through cobra; the command has
// already said why.
type exitCode int

func (c exitCode) Error() string { return fmt.Sprintf("exit status %d", int(c)) }

// status turns a command's exit code into what cobra's RunE returns.
func status(code int) error {
	if code == exitOK {
		return nil
	}
	return exitCode(code)
}

// globals are the flags every command has.
type globals struct {
	configPath string
}

// configGiven reports whether --config was typed (anywhere on the line).
func configGiven(c *cobra.Command) bool { return c.Flags().Changed("config") }

// newRoot builds the command tree. It is built afresh for every run so flag
// values never leak from one in-process test to the next.
func newRoot(e env) *cobra.Command {
	g := &globals{}
	wiz := &wizardFlags{}
	root := &cobra.Command{
		Use:   "frontdoor [command] [--config PATH] [flags]",
		Short: "put Artifactory behind a reverse proxy, and check its LDAP settings",
		Long: "frontdoor puts Artifactory behind a reverse proxy (nginx, Apache, HAProxy, Caddy, a Kubernetes Ingress or\n" +
			"Gateway), and checks its LDAP settings against the real directory.\n" +
			"Without a command it opens the wizard; every command also runs without a terminal, for scripts and CI.",
		Version:                    versionLine(),
		SilenceErrors:              true, // run prints errors: usage errors exit 2, not cobra's 1
		SilenceUsage:               true,
		SuggestionsMinimumDistance: 2,
		CompletionOptions:          cobra.CompletionOptions{DisableDefaultCmd: true}, // ours names three shells
		RunE: func(c *cobra.Command, args []string) error {
			return status(cmdWizard(e, c, g, wiz)) // `frontdoor` alone opens the wizard
		},
	}
	// A --config typo (frontdor.yaml beside frontdoor.yaml) is named before
	// any command reads it; the wizard asks instead (cmdWizard).
	root.PersistentPreRunE = func(c *cobra.Command, _ []string) error { return checkConfigTypo(e, c, g) }
	root.SetIn(e.stdin)
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	root.SetVersionTemplate("{{.Version}}\n")
	root.SetFlagErrorFunc(flagError)
	root.SetHelpFunc(func(c *cobra.Command, _ []string) { writeHelp(c.OutOrStdout(), c) })
	root.SetUsageFunc(func(c *cobra.Command) error { writeUsage(c.ErrOrStderr(), c); return nil })

	pf := root.PersistentFlags()
	pf.StringVar(&g.configPath, "config", config.DefaultPath, "settings file: frontdoor.yaml, or the vendor's webServer REST JSON")
	pf.BoolP("help", "h", false, "show this help")
	root.Flags().BoolP("version", "v", false, "print the version and the revision it was built from")
	_ = root.RegisterFlagCompletionFunc("config", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{"yaml", "yml", "json"}, cobra.ShellCompDirectiveFilterFileExt
	})
	addWizardFlags(root, wiz)

	root.AddCommand(
		newWizardCmd(e, g),
		newRenderCmd(e, g),
		newTemplatesCmd(e),
		newValidateCmd(e, g),
		newSaveCmd(e, g),
		newCheckCmd(e, g),
		newRestoreCmd(e, g),
		newImportCmd(e, g),
		newLDAPCmd(e, g),
		newCompletionCmd(),
		newVersionCmd(),
		newManCmd(),
	)
	root.SetHelpCommand(newHelpCmd())
	return root
}

// noArgs refuses positional arguments: every command takes flags only.
func noArgs(_ *cobra.Command, args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("unexpected argument %q", args[0])
	}
	return nil
}

// printUsageError says what was wrong with the command line, then how the
// command is used and where the full help is.
func printUsageError(w io.Writer, c *cobra.Command, err error) {
	if c == nil {
		fmt.Fprintf(w, "frontdoor: %v\n", err)
		return
	}
	fmt.Fprintf(w, "%s: %s\n\n", c.CommandPath(), strings.TrimRight(err.Error(), "\n"))
	writeUsage(w, c)
}
