package app

import (
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"frontdoor/install"
	"frontdoor/render"
)

// Flag is one command-line option: its value, and whether it was typed at
// all (an empty --link= is a choice, a missing --link is not).
type Flag[T any] struct {
	Value T
	Given bool
}

// Given makes a Flag that was typed.
func Given[T any](v T) Flag[T] { return Flag[T]{Value: v, Given: true} }

// Flags are the save options of a command line, as typed: `frontdoor save`,
// `frontdoor restore` and the wizard all take them, and Validate refuses the
// same contradictions for every one of them.
type Flags struct {
	// Command names the command in messages: "frontdoor save".
	Command string

	Provider Flag[string] // save: a one-off override of proxy.provider
	To       Flag[string] // the snippet file
	Link     Flag[string] // the enable link; Given with "" for none
	Check    Flag[string] // a command line, split on spaces (no shell)
	NoCheck  bool
	// RequireCheck rolls back a save (or restore) that nothing checked:
	// install.Plan.RequireCheck.
	RequireCheck bool
	Reload       Flag[string]
	Root         Flag[string] // the file system root the layout is detected under
	BackupDir    Flag[string]
	Keep         Flag[int]

	// Verify checks, after the reload, that the new configuration is the one
	// serving, and rolls the save back when it is not (save only).
	Verify        bool
	VerifyTimeout Flag[time.Duration] // each network step of the verify
	VerifyAddr    Flag[string]        // where this machine's listeners answer (default 127.0.0.1)
}

// UsageError is a command line that cannot be run as typed: contradicting
// or empty flags. Every front-end exits 2 with its message.
type UsageError struct {
	Command string // "frontdoor save"
	Message string // "--check and --no-check contradict each other"
}

func (e *UsageError) Error() string {
	if e.Command == "" {
		return e.Message
	}
	return e.Command + ": " + e.Message
}

func (f Flags) usage(format string, args ...any) error {
	return &UsageError{Command: f.Command, Message: fmt.Sprintf(format, args...)}
}

// Validate is the one check of the save flags: contradictions and empty
// values are a *UsageError (exit 2), said the same way by every command.
// It reads the file system only to tell that --root is a directory and
// --to is not one.
func (f Flags) Validate() error {
	blank := func(fl Flag[string]) bool { return fl.Given && strings.TrimSpace(fl.Value) == "" }
	switch {
	case f.Provider.Given && !slices.Contains(render.Providers, render.Provider(f.Provider.Value)):
		return f.usage("unknown --provider %q (use %s)", f.Provider.Value, render.ProviderNames())
	case f.NoCheck && f.Check.Given:
		return f.usage("--check and --no-check contradict each other")
	case f.NoCheck && f.RequireCheck:
		return f.usage("--require-check and --no-check contradict each other")
	case blank(f.Check):
		return f.usage("empty --check; use --no-check to skip the check")
	case blank(f.Reload):
		return f.usage("empty --reload; leave it out for no reload")
	case f.NoCheck && f.Reload.Given:
		return f.usage("--reload needs a check: the server is reloaded only after the configuration passed it")
	case blank(f.To):
		return f.usage("empty --to; leave it out for the detected file")
	case blank(f.Root):
		return f.usage("empty --root; leave it out for / (this machine)")
	case blank(f.BackupDir):
		return f.usage("empty --backup-dir; leave it out to keep the backups beside the file")
	case f.Keep.Given && f.Keep.Value < 1:
		return f.usage("--keep %d: keep 1 or more backups (default %d); the last good version is never thrown away", f.Keep.Value, install.DefaultKeep)
	case f.Verify && f.NoCheck:
		return f.usage("--verify needs a reload, and a reload needs a check: leave out --no-check")
	case f.VerifyTimeout.Given && !f.Verify:
		return f.usage("--verify-timeout needs --verify")
	case f.VerifyTimeout.Given && f.VerifyTimeout.Value <= 0:
		return f.usage("--verify-timeout must be positive (e.g. 10s)")
	case f.VerifyAddr.Given && !f.Verify:
		return f.usage("--verify-addr needs --verify")
	}
	if f.VerifyAddr.Given {
		if _, err := parseVerifyAddr(f.VerifyAddr.Value); err != nil {
			return f.usage("--verify-addr %q: %v", f.VerifyAddr.Value, err)
		}
	}
	if f.Root.Given {
		if fi, err := os.Stat(f.Root.Value); err != nil || !fi.IsDir() {
			return f.usage("--root %s: not a directory", f.Root.Value)
		}
	}
	if f.To.Given {
		if strings.HasSuffix(f.To.Value, "/") || isDir(f.To.Value) {
			return f.usage("--to %s is a directory: give the snippet file, e.g. %s", f.To.Value, filepath.Join(f.To.Value, install.FileName))
		}
		if f.Link.Given && f.Link.Value != "" && abs(f.Link.Value) == abs(f.To.Value) {
			return f.usage("--link and --to name the same file: the link enables the file, it cannot be it")
		}
	}
	return nil
}

func isDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}

// abs makes a path typed on the command line absolute, so reports, backups
// and a remembered save: section do not depend on the directory a command
// ran in. "" stays "" (none).
func abs(path string) string {
	if path == "" {
		return ""
	}
	if p, err := filepath.Abs(path); err == nil {
		return p
	}
	return filepath.Clean(path)
}

// parseVerifyAddr reads the address a verify sends every name to: an IPv4
// or IPv6 address (brackets optional), as `check --resolve` takes it.
func parseVerifyAddr(s string) (netip.Addr, error) {
	a, err := netip.ParseAddr(strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(s), "["), "]"))
	if err != nil {
		return netip.Addr{}, fmt.Errorf("give the IP address this machine's web server listens on (default 127.0.0.1)")
	}
	return a.Unmap(), nil
}
