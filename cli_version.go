package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

// version is stamped by scripts/package.sh from `git describe`
// (-ldflags "-X main.version=..."); a plain `go build` leaves it empty and
// the module version from the build info is used.
var version string

// versionLine is what --version and `frontdoor version` print:
//
//	frontdoor v1.2.0-3-g2280e31 (revision 2280e31c0a3f, dirty, 2026-11-27T03:15:37Z; go1.26.8 linux/amd64)
func versionLine() string {
	info, _ := debug.ReadBuildInfo()
	return formatVersion(version, info)
}

// formatVersion builds the version line from the stamped version and the
// build info (nil when the binary has none).
func formatVersion(stamped string, info *debug.BuildInfo) string {
	v := stamped
	settings := map[string]string{}
	goVersion, platform := runtime.Version(), runtime.GOOS+"/"+runtime.GOARCH
	if info != nil {
		if v == "" && info.Main.Version != "" && info.Main.Version != "(devel)" {
			v = info.Main.Version
		}
		for _, s := range info.Settings {
			settings[s.Key] = s.Value
		}
		if info.GoVersion != "" {
			goVersion = info.GoVersion
		}
		if settings["GOOS"] != "" && settings["GOARCH"] != "" {
			platform = settings["GOOS"] + "/" + settings["GOARCH"]
		}
	}
	if v == "" {
		v = "devel"
	}
	var vcs []string
	if rev := settings["vcs.revision"]; rev != "" {
		vcs = append(vcs, "revision "+rev[:min(len(rev), 12)])
		if settings["vcs.modified"] == "true" {
			vcs = append(vcs, "dirty")
		}
		if t := settings["vcs.time"]; t != "" {
			vcs = append(vcs, t)
		}
	} else {
		vcs = append(vcs, "no VCS revision recorded")
	}
	return fmt.Sprintf("frontdoor %s (%s; %s %s)", v, strings.Join(vcs, ", "), goVersion, platform)
}

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "print the version and the revision it was built from",
		Args:  noArgs,
		Run: func(c *cobra.Command, _ []string) {
			fmt.Fprintln(c.OutOrStdout(), versionLine())
		},
	}
}
