package app

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"frontdoor/config"
	"frontdoor/install"
	"frontdoor/render"
)

// ResolveRestore is the target of `frontdoor restore`: Resolve with the
// settings file's provider and save: section when there is one (doc may be
// nil), else the web server whose layout holds --to (or the only one
// detected under the root). Without any of these, --to with --check or
// --no-check says enough; anything less is a *UsageError.
func ResolveRestore(doc *config.Document, flags Flags) (Target, error) {
	if err := flags.Validate(); err != nil {
		return Target{}, err
	}
	loaded, provider := restoreProvider(doc, flags)
	if provider == "" {
		if !flags.To.Given || !(flags.Check.Given || flags.NoCheck) {
			return Target{}, &UsageError{Command: flags.Command, Message: "cannot tell which web server to check the restore with: give --config PATH (its proxy.provider), or --to FILE with --check CMD or --no-check"}
		}
		provider = render.Nginx // only for detection, which the flags override: --to has no link, the check is typed
	}
	return resolveChecked(provider, loaded, flags, true)
}

// ResolveListing is the target of `frontdoor restore --list`: only the
// file (--to, else save.target, else detected) and where its backups are.
// Listing checks and writes nothing, so it needs no check command and is
// not refused where a save would be (the server's main configuration,
// outside --root): those guards are for writes.
func ResolveListing(doc *config.Document, flags Flags) (Target, error) {
	if err := flags.Validate(); err != nil {
		return Target{}, err
	}
	loaded, provider := restoreProvider(doc, flags)
	if provider == "" {
		if !flags.To.Given {
			return Target{}, &UsageError{Command: flags.Command, Message: "cannot tell whose backups to list: give --to FILE, or --config PATH (its save.target or proxy.provider)"}
		}
		provider = render.Nginx // only for detection, which --to overrides
	}
	t := resolve(provider, loaded, flags) // provider is a web server's: never tomcat
	if err := t.needsPath(); err != nil {
		err.(*UsageError).Command = flags.Command
		return t, err
	}
	return t, nil
}

// restoreProvider is the web server a restore is for: the settings file's
// proxy.provider (doc may be nil), else the one whose layout holds --to
// (or the only one detected under the root); "" when unknown.
func restoreProvider(doc *config.Document, flags Flags) (*config.File, render.Provider) {
	var loaded *config.File
	var provider render.Provider
	if doc != nil {
		loaded = doc.Settings()
		provider = loaded.Proxy.Provider
	}
	if !(Target{Provider: provider}).Snippet() {
		root := "/"
		if flags.Root.Given {
			root = abs(flags.Root.Value)
		}
		to := ""
		if flags.To.Given {
			to = abs(flags.To.Value)
		}
		provider = providerOf(root, to)
	}
	return loaded, provider
}

// providerOf is the web server whose configuration directory under root
// holds path; with no path, the only one detected there. "" when unknown.
func providerOf(root, path string) render.Provider {
	var found []render.Provider
	for _, p := range render.Providers {
		if !(Target{Provider: p}).Snippet() || p.IsKubernetes() {
			continue // no server of its own on this machine
		}
		det := install.DetectTarget(string(p), root)
		if !det.Detected {
			continue
		}
		confDir := filepath.Dir(filepath.Dir(det.Path)) // …/etc/nginx from …/etc/nginx/sites-available/artifactory.conf, …/etc/caddy from …/etc/caddy/conf.d/…
		if path != "" && under(confDir, path) {
			return p
		}
		found = append(found, p)
	}
	if path == "" && len(found) == 1 {
		return found[0]
	}
	return ""
}

// ListBackups lists the target's kept backups, newest first.
func ListBackups(t Target) ([]install.Backup, error) {
	return install.Backups(t.Path.Value, t.BackupDir.Value)
}

// Restore puts a backup of the target back through the same pipeline as a
// save: lock, temp file, rollback copy, rename, check (a failing check rolls
// the restore back), the replaced version kept as a backup, reload when
// asked. backup is what the user typed: "" for the newest, a path, a file
// name or a stamp. The settings file is not touched.
func Restore(ctx context.Context, t Target, backup string, progress func(install.Step)) Report {
	return RestoreSettings(ctx, t, nil, backup, progress)
}

// RestoreSettings is Restore beside the settings file doc (nil: none): when
// the version put back is not what the settings render, a last step warns
// that the settings still describe the version replaced, so the next save
// would bring it back, and says how to adopt the restored one instead.
func RestoreSettings(ctx context.Context, t Target, doc *config.Document, backup string, progress func(install.Step)) Report {
	r := restore(ctx, t, doc, backup, progress)
	if doc != nil && r.Saved() && isSettingsTarget(doc, t, r.Install.File) {
		if msg := staleSettings(doc, r.Install.File); msg != "" {
			r.add(StepSettings, install.MarkWarning, "", "%s", msg)
		}
	}
	return r
}

// isSettingsTarget reports whether file is where doc's settings save to
// (save.target, else the detected place): a restore of another file
// (`--to` an admin's own site) says nothing of the settings.
func isSettingsTarget(doc *config.Document, t Target, file string) bool {
	want := doc.Settings().Save.Target
	if want == "" {
		want = t.Detected.Path
	}
	return want != "" && install.SamePath(want, file)
}

// staleSettings says that doc's settings describe another version than the
// one in file ("" when they render exactly what it holds, or render nothing).
func staleSettings(doc *config.Document, file string) string {
	f := doc.Settings()
	if !f.HasProxy {
		return ""
	}
	content, err := render.Render(&f.Proxy)
	if err != nil {
		return "" // settings that render nothing describe no version
	}
	if restored, err := os.ReadFile(file); err != nil || bytes.Equal(restored, content) {
		return ""
	}
	name := filepath.Base(doc.Path())
	return fmt.Sprintf("%s still describes the version that was replaced, not the one restored: the next `frontdoor save` puts that one back. "+
		"To keep the restored version, adopt it: `frontdoor import %s --out %s` and move its proxy: section into %s; "+
		"to go back to the settings' version, `frontdoor save`",
		name, file, strings.TrimSuffix(name, filepath.Ext(name))+"-restored.yaml", name)
}

func restore(ctx context.Context, t Target, doc *config.Document, backup string, progress func(install.Step)) Report {
	r := Report{Op: OpRestore, Target: t, progress: progress}
	if doc != nil { // the restore command printed names it, as a save's does (RestoreCommand)
		r.Document, r.SettingsFile = doc, doc.Path()
	}
	if err := t.Validate(); err != nil {
		r.Err = err
		r.add(StepTarget, install.MarkFailed, "", "%s", err.Error())
		return r
	}
	list, err := ListBackups(t)
	if err == nil {
		var b install.Backup
		if b, err = install.SelectBackup(list, backup); err == nil {
			backup = b.Path
		} else if len(list) > 0 {
			err = &UsageError{Message: err.Error()} // a backup that is not one of them: a typo
		}
	}
	if err != nil {
		r.Err = fmt.Errorf("%s: %w", t.Path.Value, err)
		r.add(StepTarget, install.MarkFailed, "", "%v", r.Err)
		return r
	}
	plan := t.plan(r.step)
	plan.RestoreFrom = backup
	rep, err := install.Save(ctx, plan)
	r.Install, r.Err = &rep, err
	return r
}

// KeepNote says how the target's backups (list, newest first, as
// ListBackups gives them) and its rotation agree: how many it keeps and from
// where, and which the next save or restore removes (install.NextRemoved,
// the rotation's own rule). `frontdoor restore --list` prints it.
func (t Target) KeepNote(list []install.Backup) string {
	kept := fmt.Sprintf("backups kept: the newest %d (%s)", t.Keep.Value, t.Keep.describe("keep", "--keep"))
	removed := install.NextRemoved(list, t.Keep.Value, "")
	if len(removed) == 0 {
		return fmt.Sprintf("%s; with %s now, the next save or restore removes none", kept, countNoun(len(list), "backup"))
	}
	paths := make([]string, len(removed))
	for i, b := range removed {
		paths[i] = b.Path
	}
	oldest := "the oldest"
	if len(removed) > 1 {
		oldest = fmt.Sprintf("the %d oldest", len(removed))
	}
	return fmt.Sprintf("%s; the next save or restore removes %s: %s (a restore never removes the backup it puts back)",
		kept, oldest, strings.Join(paths, ", "))
}
