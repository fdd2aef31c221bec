package install

import (
	"bufio"
	"context"
	"fmt"
	"regexp"
	"strings"
)

// MissingApacheModules runs `ctl -M` (ctl: apache2ctl on Debian, httpd on
// RHEL) and returns the modules of required that are not loaded, in the order
// given. A missing ctl gives an error wrapping exec.ErrNotFound.
func MissingApacheModules(ctx context.Context, ctl string, required []string) ([]string, error) {
	res := runCommand(ctx, []string{ctl, "-M"}, nil)
	if res.Status != StatusPassed {
		if res.Output != "" {
			return nil, fmt.Errorf("%s -M: %w\n%s", ctl, res.Err, res.Output)
		}
		return nil, fmt.Errorf("%s -M: %w", ctl, res.Err)
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
var loadedModuleLine = regexp.MustCompile(`^\s*([A-Za-z0-9_]+)_module\s+\((?:static|shared)\)\s*$`)

// ParseLoadedModules reads `apache2ctl -M` output into a set of a2enmod
// names (proxy_http_module -> proxy_http). Other lines (the "Loaded Modules:"
// header, AH00558 warnings) are ignored.
func ParseLoadedModules(output string) map[string]bool {
	loaded := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(output))
	for sc.Scan() {
		if m := loadedModuleLine.FindStringSubmatch(sc.Text()); m != nil {
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
