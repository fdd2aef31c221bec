package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"frontdoor/config"
	"frontdoor/internal/nearest"
)

// similarSettings is a settings file beside path whose name is a typo away
// from path's (frontdoor.yaml for --config frontdor.yaml), "" when path
// exists or no name is that close. It keeps a typo from opening a blank
// new file in the wizard, and says what was meant everywhere else.
func similarSettings(path string) string {
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		return ""
	}
	dir, base := filepath.Split(path)
	entries, err := os.ReadDir(filepath.Clean(dir + "."))
	if err != nil {
		return ""
	}
	best, bestDist := "", 3
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !isSettingsName(name) {
			continue
		}
		d := nearest.Distance(strings.ToLower(base), strings.ToLower(name))
		if d > nearest.Limit(strings.TrimSuffix(name, filepath.Ext(name))) {
			continue // new.yaml is not a typo of dec.yaml: two of three letters differ
		}
		if d < bestDist || d == bestDist && name == config.DefaultPath {
			best, bestDist = name, d
		}
	}
	if best == "" {
		return ""
	}
	return dir + best
}

// isSettingsName reports whether a file name is one --config reads:
// YAML, or the vendor's JSON.
func isSettingsName(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".yaml", ".yml", ".json":
		return !strings.HasPrefix(name, ".")
	}
	return false
}

// checkConfigTypo runs before every command but the wizard (which asks,
// askNewSettings): a --config naming no file, beside a file of a similar
// name, is a typo. Exit 2 with what was meant.
func checkConfigTypo(e env, c *cobra.Command, g *globals) error {
	switch c.Name() {
	case cobra.ShellCompRequestCmd, cobra.ShellCompNoDescRequestCmd:
		return nil // completing a half-typed line: no error, no stderr
	}
	if isWizard(c) || !configGiven(c) {
		return nil
	}
	if similar := similarSettings(g.configPath); similar != "" {
		fmt.Fprintf(e.stderr, "%s: --config %s: no such file; did you mean %s?\n", c.CommandPath(), g.configPath, similar)
		return exitCode(exitInvalid)
	}
	return nil
}

// isWizard reports whether c opens the wizard (`frontdoor`, `frontdoor wizard`).
func isWizard(c *cobra.Command) bool {
	return !c.HasParent() || c.Name() == "wizard" && !c.Parent().HasParent()
}

// askNewSettings asks, for a --config naming no file beside one of a
// similar name, whether a new file is really meant: only "y" or "yes"
// starts one; anything else (Enter, end of input) does not.
func askNewSettings(in io.Reader, out io.Writer, path, similar string) bool {
	fmt.Fprintf(out, "frontdoor: %s does not exist; did you mean %s?\nStart a new settings file %s anyway? [y/N] ", path, similar, path)
	answer := readLine(in)
	switch strings.ToLower(strings.TrimSpace(answer)) {
	case "y", "yes":
		return true
	}
	return false
}

// readLine reads up to a newline a byte at a time, so nothing after it is
// taken from the terminal the wizard reads next.
func readLine(in io.Reader) string {
	var b strings.Builder
	one := make([]byte, 1)
	for {
		n, err := in.Read(one)
		if n == 1 {
			if one[0] == '\n' {
				break
			}
			b.WriteByte(one[0])
		}
		if err != nil {
			break
		}
	}
	return b.String()
}
