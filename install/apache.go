package install

import (
	"bufio"
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"frontdoor/internal/lazyregexp"
)

// MissingApacheModules runs `ctl -M` (ctl: apache2ctl on Debian, httpd on
// RHEL) and returns the modules of required that are not loaded, in the order
// given. A missing ctl gives an error wrapping exec.ErrNotFound.
func MissingApacheModules(ctx context.Context, ctl string, required []string) ([]string, error) {
	return missingModules(ctx, []string{ctl, "-M"}, required)
}

// MissingModules is MissingApacheModules for the configuration the target
// was detected under (its ModulesCmd: under --root, the copy's modules, not
// this machine's). nil, nil for a target without Apache.
func (t Target) MissingModules(ctx context.Context, required []string) ([]string, error) {
	if len(t.ModulesCmd) == 0 {
		if t.ApacheCtl == "" {
			return nil, nil
		}
		return MissingApacheModules(ctx, t.ApacheCtl, required)
	}
	return missingModules(ctx, t.ModulesCmd, required)
}

// EnableModulesLine is the command that enables missing modules in the
// target's configuration: under another root, a2enmod is pointed at it
// (APACHE_CONFDIR) and no restart is suggested, the server there is not this
// machine's service.
func (t Target) EnableModulesLine(missing []string) string {
	if len(missing) == 0 {
		return ""
	}
	if t.Rooted() && t.ApacheCtl == "apache2ctl" {
		return "APACHE_CONFDIR=" + filepath.Join(t.Root, "etc/apache2") + " a2enmod " + strings.Join(missing, " ")
	}
	if t.Rooted() && t.ApacheCtl == "httpd" {
		var mods []string
		for _, m := range missing {
			mods = append(mods, "mod_"+m)
		}
		return "load " + strings.Join(mods, ", ") + " in " + filepath.Join(t.Root, "etc/httpd/conf.modules.d/")
	}
	return EnableModulesLine(t.ApacheCtl, missing)
}

func missingModules(ctx context.Context, probe []string, required []string) ([]string, error) {
	res := runCommand(ctx, probe, nil)
	if res.Status != StatusPassed {
		if res.Output != "" {
			return nil, fmt.Errorf("%s: %w\n%s", FormatCommand(probe), res.Err, res.Output)
		}
		return nil, fmt.Errorf("%s: %w", FormatCommand(probe), res.Err)
	}
	loaded := ParseLoadedModules(res.Output)
	var missing []string
	for _, m := range required {
		if !loaded[m] {
			missing = append(missing, m)
		}
	}
	return missing, nil
}

// loadedModuleLine matches " proxy_http_module (shared)" in `apache2ctl -M` output.
var loadedModuleLine = lazyregexp.New(`^\s*([A-Za-z0-9_]+)_module\s+\((?:static|shared)\)\s*$`)

// ParseLoadedModules reads `apache2ctl -M` output into a set of a2enmod
// names (proxy_http_module -> proxy_http). Other lines (the "Loaded Modules:"
// header, AH00558 warnings) are ignored.
func ParseLoadedModules(output string) map[string]bool {
	loaded := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(output))
	for sc.Scan() {
		if m := loadedModuleLine().FindStringSubmatch(sc.Text()); m != nil {
			loaded[m[1]] = true
		}
	}
	return loaded
}

// EnableModulesLine is the command that enables missing modules: `a2enmod …`
// for Debian's apache2ctl, and a hint for RHEL's httpd, which has no a2enmod.
// It returns "" when nothing is missing.
func EnableModulesLine(ctl string, missing []string) string {
	if len(missing) == 0 {
		return ""
	}
	if ctl == "httpd" {
		var mods []string
		for _, m := range missing {
			mods = append(mods, "mod_"+m)
		}
		return "load " + strings.Join(mods, ", ") + " in /etc/httpd/conf.modules.d/ (mod_ssl: dnf install mod_ssl), then systemctl restart httpd"
	}
	// New modules need a restart; a graceful reload does not load them reliably.
	return "a2enmod " + strings.Join(missing, " ") + " && systemctl restart apache2"
}
