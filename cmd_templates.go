package main

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"frontdoor/render"
)

// newTemplatesCmd is the `templates` group: `templates export DIR`.
func newTemplatesCmd(e env) *cobra.Command {
	c := &cobra.Command{
		Use:   "templates export DIR",
		Short: "write the embedded templates into DIR, a starting point for your own (--template DIR)",
		Long: "Each provider's output comes from an embedded template (Go's text/template). `templates export DIR`\n" +
			"writes them into DIR (created if missing) as a starting point: edit a file, or keep only the\n" +
			"{{define \"NAME\"}} blocks you change, and use the directory with `render --template DIR` or the\n" +
			"settings' proxy.templates: DIR (an absolute path). Existing files are never overwritten: when DIR\n" +
			"holds any of them, nothing is written. See docs/providers.md, \"Your own templates\".\n" +
			"Exit codes: 0 written, 1 not written (files there already, a directory that cannot be written), 2 usage.",
		SuggestionsMinimumDistance: 2,
		Args:                       cobra.ArbitraryArgs,
		RunE: func(c *cobra.Command, args []string) error {
			switch {
			case len(args) == 0:
				return errors.New("which one: `templates export DIR`?")
			case args[0] == "help":
				return c.Help()
			}
			return fmt.Errorf("unknown subcommand %q for %q%s", args[0], c.CommandPath(), didYouMean(c.SuggestionsFor(args[0])))
		},
	}
	c.AddCommand(newTemplatesExportCmd(e))
	return c
}

func newTemplatesExportCmd(e env) *cobra.Command {
	return &cobra.Command{
		Use:   "export DIR",
		Short: "write the embedded templates into DIR (never over a file there)",
		Long: "Write every provider's embedded template into DIR (created if missing), one file each, and print\n" +
			"their paths on stdout. Nothing is written when DIR already holds any of them: your edits are never\n" +
			"overwritten. Use the directory with `frontdoor render --template DIR`, or proxy.templates: DIR.\n" +
			"Exit codes: 0 written, 1 not written (files there already, a directory that cannot be written), 2 usage.",
		Example: "  frontdoor templates export /etc/frontdoor/templates\n" +
			"  frontdoor render --template /etc/frontdoor/templates",
		Args: func(_ *cobra.Command, args []string) error {
			switch {
			case len(args) == 0:
				return errors.New("give the directory to write the templates to: templates export DIR")
			case len(args) > 1:
				return fmt.Errorf("unexpected argument %q: give one DIR", args[1])
			case strings.TrimSpace(args[0]) == "":
				return errors.New("empty DIR: give the directory to write the templates to")
			}
			return nil
		},
		RunE: func(c *cobra.Command, args []string) error {
			return status(cmdTemplatesExport(e, c, args[0]))
		},
	}
}

func cmdTemplatesExport(e env, c *cobra.Command, dir string) int {
	abs, err := filepath.Abs(dir)
	if err != nil {
		fmt.Fprintf(e.stderr, "%s: %v\n", c.CommandPath(), err)
		return exitInvalid
	}
	written, err := render.ExportTemplates(abs)
	for _, p := range written {
		fmt.Fprintln(e.stdout, p)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "%s: %v\n", c.CommandPath(), err)
		return exitFailed
	}
	fmt.Fprintf(e.stderr, "wrote %d templates to %s: use them with `frontdoor render --template %s`, or proxy.templates: %s\n", len(written), abs, abs, abs)
	return exitOK
}
