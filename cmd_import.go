package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"frontdoor/config"
	"frontdoor/importer"
	"frontdoor/importer/conftree"
	"frontdoor/importer/semantic"
	"frontdoor/install"
	"frontdoor/render"
)

// importFlags are the flags of `frontdoor import`.
type importFlags struct {
	provider, out string
	force, json   bool
}

func newImportCmd(e env, g *globals) *cobra.Command {
	f := &importFlags{}
	c := &cobra.Command{
		Use:   "import FILE... [--provider nginx|apache] [--out frontdoor.yaml] [--force] [--json]",
		Short: "adopt an existing nginx or Apache configuration: write frontdoor.yaml and say what changes",
		Long: "Read the reverse-proxy configuration an admin already has (a main nginx.conf or apache2.conf with what\n" +
			"it includes, or a site's own file alone) and write the frontdoor settings it expresses to --out, each\n" +
			"value's source (file:line) in a comment. The report says what was mapped, what could not be (each\n" +
			"directive with file:line and why) and what will behave differently once frontdoor renders the settings:\n" +
			"listeners, server names, routes per path, upstreams, headers, Docker rewrites, TLS. An Artifactory 6 layout\n" +
			"is migrated to the Artifactory 7 layout. An existing --out is replaced only with --force; without --out the\n" +
			"settings go to --config, else ./frontdoor.yaml.\n" +
			"Exit codes: 0 everything mapped, 1 written with directives not mapped (or settings to fix), 2 invalid input\n" +
			"(unreadable, binary, too large, a syntax error with file:line, an include loop; nothing written).",
		Example: "  frontdoor import /etc/nginx/sites-enabled/artifactory.conf\n" +
			"  frontdoor import /etc/nginx/nginx.conf --out /etc/frontdoor/frontdoor.yaml\n" +
			"  frontdoor import /etc/apache2/sites-enabled/artifactory.conf --force --json",
		SuggestFor: []string{"adopt", "migrate", "convert"},
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return errors.New("name the configuration file(s) to import")
			}
			return nil
		},
		RunE: func(c *cobra.Command, args []string) error {
			return status(cmdImport(e, c, g, f, args))
		},
	}
	fs := c.Flags()
	fs.StringVar(&f.provider, "provider", "", "the web server the files are for, nginx or apache (default: detected)")
	fs.StringVar(&f.out, "out", "", "the settings file to write (default: --config, else ./frontdoor.yaml)")
	fs.BoolVar(&f.force, "force", false, "replace --out when it exists")
	fs.BoolVar(&f.json, "json", false, "print the report as one JSON object")
	_ = c.RegisterFlagCompletionFunc("provider", cobra.FixedCompletions([]string{"nginx", "apache"}, cobra.ShellCompDirectiveNoFileComp))
	_ = c.RegisterFlagCompletionFunc("out", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{"yaml", "yml"}, cobra.ShellCompDirectiveFilterFileExt
	})
	return c
}

func cmdImport(e env, c *cobra.Command, g *globals, f *importFlags, files []string) int {
	fail := func(format string, args ...any) int {
		fmt.Fprintf(e.stderr, "frontdoor import: "+format+"\n", args...)
		return exitInvalid
	}
	provider := render.Provider(f.provider)
	if provider != "" && provider != render.Nginx && provider != render.Apache {
		return fail("unknown --provider %q: import reads nginx or apache configurations", f.provider)
	}
	out := f.out
	switch {
	case out == "" && configGiven(c):
		out = g.configPath
	case out == "":
		out = config.DefaultPath
	case configGiven(c) && filepath.Clean(g.configPath) != filepath.Clean(out):
		return fail("--out %s and --config %s name different files: give one", out, g.configPath)
	}
	for _, in := range files {
		if samePath(in, out) {
			return fail("%s is the configuration being imported: write the settings elsewhere (--out)", out)
		}
	}
	if !f.force {
		if _, err := os.Lstat(out); err == nil {
			return fail("%s already exists: give --force to replace it, or --out another file (nothing written)", out)
		}
	}
	res, err := importer.Import(files, importer.Options{Provider: provider, SaveTarget: importSaveTarget(provider, files[0])})
	if err != nil {
		if importer.IsInputError(err) {
			return fail("%v (nothing written)", err)
		}
		fmt.Fprintf(e.stderr, "frontdoor import: %v\n", err)
		return exitFailed
	}
	data, err := res.SettingsFile()
	if err == nil {
		err = importer.WriteSettingsFile(out, data, f.force)
	}
	written := out
	code := exitOK
	switch {
	case errors.Is(err, importer.ErrExists):
		written, code = "", exitInvalid
	case err != nil:
		written, code = "", exitFailed
	case !res.Complete() || res.Findings.HasErrors():
		code = exitFailed
	}
	if f.json {
		writeImportJSON(e, res, written, code)
	} else {
		res.WriteReport(e.stdout, written)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "frontdoor import: %v (nothing written)\n", err)
	}
	return code
}

// importSaveTarget is the file a `frontdoor save` of the imported settings
// replaces: the web server's detected target (the settings written have no
// save: section). The server is --provider, else the one the first file is
// for; "" when neither tells (the import then says why).
func importSaveTarget(provider render.Provider, first string) string {
	if provider == "" {
		data, err := conftree.ReadFile(first)
		if err != nil {
			return ""
		}
		var ok bool
		if provider, ok = importer.Detect(data); !ok {
			return ""
		}
	}
	if det := install.DetectTarget(string(provider), "/"); det.Detected {
		return det.Path
	}
	return ""
}

// samePath reports whether two paths name one file (or would).
func samePath(a, b string) bool {
	ia, err1 := os.Stat(a)
	ib, err2 := os.Stat(b)
	if err1 == nil && err2 == nil {
		return os.SameFile(ia, ib)
	}
	abs := func(p string) string {
		if x, err := filepath.Abs(p); err == nil {
			return x
		}
		return filepath.Clean(p)
	}
	return abs(a) == abs(b)
}

// importJSON is the --json report: the import's result with the findings
// in validate --json's shape, what was written and the exit code.
type importJSON struct {
	*importer.Result
	Findings []jsonFinding     `json:"findings"`
	Changes  []semantic.Change `json:"changes"`
	Written  string            `json:"written"`
	Exit     int               `json:"exit"`
}

func writeImportJSON(e env, res *importer.Result, written string, code int) {
	v := importJSON{Result: res, Findings: findingsJSON(res.Findings), Changes: res.Changes, Written: written, Exit: code}
	if v.Changes == nil {
		v.Changes = []semantic.Change{}
	}
	data, _ := json.MarshalIndent(v, "", "  ")
	fmt.Fprintf(e.stdout, "%s\n", data)
}
