package main

import (
	"context"
	"fmt"
	"os"
	"syscall"

	"github.com/spf13/cobra"

	"frontdoor/app"
	"frontdoor/install"
	"frontdoor/internal/textwrap"
)

// restoreFlags are the flags of `frontdoor restore`.
type restoreFlags struct {
	list   bool
	target targetFlags
}

func newRestoreCmd(e env, g *globals) *cobra.Command {
	r := &restoreFlags{}
	c := &cobra.Command{
		Use:   "restore [--list] [--to PATH] [--backup-dir DIR] [--keep N] [--root DIR] [--check CMD | --no-check] [--require-check] [--reload CMD] [BACKUP]",
		Short: "put a kept backup of the snippet back, checked like a save (rollback on failure)",
		Long: "Put one of the snippet's kept backups back through the same steps as a save: lock, atomic write,\n" +
			"check (nginx -t / apache2ctl -t) and rollback when it fails, the replaced version kept as a backup,\n" +
			"reload when --reload says how. BACKUP is a backup's path, file name or time stamp; the newest\n" +
			"when left out. --list prints the backups on stdout, newest first: time, size, path; stderr says how\n" +
			"many are kept (--keep, save.keep, else 5) and which the next save or restore removes.\n" +
			"The file is --to, else save.target of the settings file, else the detected one.",
		Example: "  frontdoor restore --list\n" +
			"  frontdoor restore 20261127T031500Z --reload \"systemctl reload nginx\"\n" +
			"  frontdoor restore --to /etc/nginx/sites-available/artifactory.conf",
		Args: func(c *cobra.Command, args []string) error {
			if len(args) > 1 {
				return fmt.Errorf("unexpected argument %q: give one BACKUP", args[1])
			}
			return nil
		},
		RunE: func(c *cobra.Command, args []string) error {
			backup := ""
			if len(args) == 1 {
				backup = args[0]
			}
			return status(cmdRestore(e, c, g, r, backup))
		},
	}
	fs := c.Flags()
	fs.BoolVar(&r.list, "list", false, "list the kept backups (newest first: time, size, path) and restore nothing")
	fs.StringVar(&r.target.to, "to", "", "the snippet file to restore (default: save.target, else detected)")
	addCheckFlags(c, &r.target)
	addPlaceFlags(c, &r.target)
	completeTargetFlags(c)
	return c
}

func cmdRestore(e env, c *cobra.Command, g *globals, r *restoreFlags, backup string) int {
	flags := r.target.appFlags(c)
	if r.list {
		switch {
		case backup != "":
			return fail(e, c, &app.UsageError{Command: flags.Command, Message: "--list restores nothing: leave out " + backup})
		case flags.Check.Given || flags.NoCheck || flags.Reload.Given || flags.RequireCheck:
			return fail(e, c, &app.UsageError{Command: flags.Command, Message: "--list restores nothing: --check, --no-check, --require-check and --reload do not apply"})
		}
	}
	doc, err := app.OpenOptional(g.configPath, configGiven(c))
	if err != nil {
		return fail(e, c, err)
	}
	if r.list {
		t, err := app.ResolveListing(doc, flags)
		if err != nil {
			return fail(e, c, err)
		}
		list, err := app.ListBackups(t)
		if err != nil {
			return fail(e, c, err)
		}
		if len(list) == 0 {
			fmt.Fprintf(e.stderr, "no backups of %s\n", t.Path.Value)
		}
		for _, b := range list {
			fmt.Fprintln(e.stdout, app.BackupLine(b))
		}
		for _, l := range textwrap.Wrap(t.KeepNote(list), terminalWidth(e.stderr), "", "  ") {
			fmt.Fprintln(e.stderr, l)
		}
		return exitOK
	}
	t, err := app.ResolveRestore(doc, flags)
	if err != nil {
		return fail(e, c, err)
	}
	ctx, stop := app.WithSignals(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return streamed(e, app.Report{Op: app.OpRestore, Target: t}, func(progress func(install.Step)) app.Report {
		return app.RestoreSettings(ctx, t, doc, backup, progress)
	})
}
