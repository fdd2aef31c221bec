package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"frontdoor/internal/testenv"
)

// The command line's wiring and words: did-you-mean, flags anywhere, help
// on stdout, usage errors on stderr with exit 2.
func TestCommandLine(t *testing.T) {
	t.Parallel()
	cfg := writeConfig(t, plainHTTP)
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout []string // each must appear; nil: stdout must be empty
		stderr []string // each must appear; nil: stderr must be empty
	}{
		// Help asked for: stdout, exit 0, nothing on stderr.
		{"--help", []string{"--help"}, 0, []string{"Usage: frontdoor [command]", "render", "completion", "Wizard flags", "--accessible", "Exit codes: 0 ok"}, nil},
		{"-h", []string{"-h"}, 0, []string{"Usage: frontdoor"}, nil},
		{"help", []string{"help"}, 0, []string{"Usage: frontdoor [command]"}, nil},
		{"help render", []string{"help", "render"}, 0, []string{"Usage: frontdoor render", "--provider NAME", "Global flags:", "--config PATH"}, nil},
		{"help ldap test", []string{"help", "ldap", "test"}, 0, []string{"Usage: frontdoor ldap test", "--password-stdin"}, nil},
		{"ldap help", []string{"ldap", "help"}, 0, []string{"frontdoor ldap test", "frontdoor ldap export"}, nil},
		{"help after flags", []string{"--config", cfg, "save", "--help"}, 0, []string{"Usage: frontdoor save", "--backup-dir DIR"}, nil},
		{"completion help", []string{"completion", "--help"}, 0, []string{"bash-completion/completions/frontdoor"}, nil},

		// Usage errors: stderr with the usage line, exit 2, stdout empty.
		{"unknown command: did you mean", []string{"rendr"}, 2, nil, []string{`unknown command "rendr"`, "Did you mean this?\n\trender", "Usage: frontdoor"}},
		{"unknown command by prefix", []string{"val"}, 2, nil, []string{"Did you mean this?\n\tvalidate"}},
		{"a synonym suggests the command", []string{"lint"}, 2, nil, []string{"Did you mean this?\n\tvalidate"}},
		{"unknown ldap subcommand: did you mean", []string{"ldap", "tset"}, 2, nil, []string{`unknown subcommand "tset"`, "Did you mean this?\n\ttest"}},
		{"subcommand flags before a typo", []string{"ldap", "--user", "alice", "exprot"}, 2, nil, []string{`unknown subcommand "exprot"`, "\texport"}},
		{"unknown flag: did you mean", []string{"render", "--provder", "apache"}, 2, nil, []string{"unknown flag: --provder", "Did you mean this?\n\t--provider", "Usage: frontdoor render"}},
		{"flag typo with a swap", []string{"validate", "--jsno"}, 2, nil, []string{"\t--json"}},
		{"flag by prefix", []string{"ldap", "test", "--pass"}, 2, nil, []string{"\t--password-stdin"}},
		{"one dash for a long flag", []string{"render", "-config", cfg}, 2, nil, []string{"in -config", "Did you mean this?\n\t--config"}},
		{"a flag of another command", []string{"--provider", "apache"}, 2, nil, []string{"--provider is a flag of: frontdoor render, frontdoor save"}},
		{"wizard flag on render", []string{"--accessible", "render", "--config", cfg}, 2, nil, []string{"unknown flag: --accessible", "frontdoor wizard"}},
		{"stray argument", []string{"validate", "--config", cfg, "extra"}, 2, nil, []string{`unexpected argument "extra"`, "Usage: frontdoor validate"}},
		{"flag without its value", []string{"render", "--config"}, 2, nil, []string{"flag needs an argument: --config"}},
		{"help for nothing", []string{"help", "rendr"}, 2, nil, []string{`unknown command "rendr"`, "\trender"}},
		{"ldap without a subcommand", []string{"ldap"}, 2, nil, []string{"`ldap test` or `ldap export`", "Usage: frontdoor ldap"}},
		{"completion without a shell", []string{"completion"}, 2, nil, []string{"which shell: bash, zsh or fish?"}},
		{"completion for an unknown shell", []string{"completion", "zhs"}, 2, nil, []string{`unknown shell "zhs"`, "\tzsh"}},
		{"--version on a subcommand", []string{"render", "--version"}, 2, nil, []string{"unknown flag: --version"}},

		// Flags anywhere: --config before or after the command.
		{"--config before the command", []string{"--config", cfg, "render"}, 0, []string{"proxy_pass http://artifactory;"}, []string{}},
		{"--config= before the command", []string{"--config=" + cfg, "validate", "--json"}, 0, []string{"[]"}, nil},
		{"--config between ldap and export", []string{"ldap", "--config", cfg, "export"}, 2, nil, []string{"no ldap.settings"}},
		{"flags mixed with the command", []string{"--format", "artifactory-json", "render", "--config", cfg}, 0, []string{`"webServerType": "NGINX"`}, []string{}},
		{"a command's switch before it", []string{"--json", "--config", cfg, "validate"}, 0, []string{"[]"}, nil},
		{"--example before the command", []string{"--example", "render"}, 0, []string{"artifactory.example.com"}, []string{}},
		{"--example before a command of a group", []string{"--example", "ldap", "export"}, 0, []string{"ldapSettings:"}, []string{}},
		{"--example and --config before the command contradict", []string{"--example", "--config", cfg, "render"}, 2, nil, []string{"frontdoor render: --config and --example contradict each other"}},
		{"another command's flag before a command", []string{"--json", "save"}, 2, nil, []string{"frontdoor save: unknown flag: --json", "--json is a flag of: frontdoor validate"}},

		// One duration parser: a number without a unit says what was meant.
		{"check --timeout without a unit", []string{"check", "--timeout", "5", "http://127.0.0.1:1/"}, 2, nil, []string{"5 has no unit: did you mean 5s?"}},
		{"ldap test --timeout without a unit", []string{"ldap", "test", "--user", "alice", "--timeout", "5"}, 2, nil, []string{"did you mean 5s?"}},
		{"save --verify-timeout without a unit", []string{"save", "--verify-timeout", "1.5"}, 2, nil, []string{"1.5 has no unit: did you mean 1.5s?"}},
		{"a duration that is not one", []string{"ldap", "users", "--timeout", "soon"}, 2, nil, []string{"not a duration", "10s"}},

		// Contradicting flags: exit 2 in every command, the wizard included.
		{"wizard: --check and --no-check", []string{"--check", "nginx -t", "--no-check"}, 2, nil, []string{"frontdoor wizard: --check and --no-check contradict each other"}},
		{"wizard: --reload without a check", []string{"wizard", "--no-check", "--reload", "true"}, 2, nil, []string{"frontdoor wizard: --reload needs a check"}},
		{"wizard: empty --check", []string{"wizard", "--check", " "}, 2, nil, []string{"empty --check"}},
		{"render: --config and --example", []string{"render", "--example", "--config", cfg}, 2, nil, []string{"frontdoor render: --config and --example contradict each other"}},
		{"validate: --config and --example", []string{"--config", cfg, "validate", "--example"}, 2, nil, []string{"contradict"}},
		{"ldap export: --config and --example", []string{"ldap", "export", "--example", "--config", cfg}, 2, nil, []string{"contradict"}},

		// --example is the built-in example, wherever the command runs.
		{"render --example", []string{"render", "--example"}, 0, []string{"artifactory.example.com"}, []string{}},
		{"ldap export --example", []string{"ldap", "export", "--example"}, 0, []string{"ldapSettings:"}, []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runCLI(t, "", tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d", code, tc.code)
			}
			checkStream(t, "stdout", stdout, tc.stdout)
			checkStream(t, "stderr", stderr, tc.stderr)
			if t.Failed() {
				t.Logf("stdout:\n%s\nstderr:\n%s", stdout, stderr)
			}
		})
	}
}

// commandFirst moves the flags before the command's name after it, values
// and all, and leaves alone what is not a command.
func TestCommandFirst(t *testing.T) {
	t.Parallel()
	root := newRoot(env{})
	tests := []struct{ in, want string }{
		{"--example --config x.yaml render", "render --example --config x.yaml"},
		{"--config=x.yaml --json validate --json", "validate --config=x.yaml --json --json"},
		{"-h ldap test --user a", "ldap test -h --user a"},
		{"--check true --no-check", "--check true --no-check"},     // the wizard: no command
		{"--config render", "--config render"},                     // render is --config's value
		{"--config render save", "save --config render"},           // ... and save the command
		{"--to x rendr", "--to x rendr"},                           // not a command: cobra suggests one
		{"--json -- validate", "--json -- validate"},               // after --, nothing is a command
		{"render --config x.yaml", "render --config x.yaml"},       // already in order
		{"__complete --config x ren", "__complete --config x ren"}, // completion requests are cobra's
	}
	for _, tt := range tests {
		if got := strings.Join(commandFirst(root, strings.Fields(tt.in)), " "); got != tt.want {
			t.Errorf("%q -> %q, want %q", tt.in, got, tt.want)
		}
	}
}

// Suggestions stay close: a one-letter typo is not "corrected" to a
// different short flag, and a word far from every command gets none.
func TestNoFarFetchedSuggestion(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"save", "-x"}, {"render", "--zz"}, {"frobnicate"}} {
		code, _, stderr := runCLI(t, "", args...)
		if code != exitInvalid || strings.Contains(stderr, "Did you mean") {
			t.Errorf("%v: exit %d, stderr:\n%s", args, code, stderr)
		}
	}
}

// checkStream: nil wants the stream empty; otherwise each string must appear
// (an empty list accepts anything, e.g. warnings on stderr).
func checkStream(t *testing.T, name, got string, want []string) {
	t.Helper()
	if want == nil && got != "" {
		t.Errorf("%s is not empty", name)
	}
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("%s lacks %q", name, w)
		}
	}
}

// Without a settings file the script commands refuse the built-in example
// unless --example asks for it, and save installs nothing.
func TestNoSettingsFile(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir) // no ./frontdoor.yaml here
	root, file, link := saveRoot(t, "nginx")
	for _, args := range [][]string{
		{"render"},
		{"validate"},
		{"ldap", "export"},
		{"render", "--format", "artifactory-json"},
	} {
		code, stdout, stderr := runCLI(t, "", args...)
		if code != exitInvalid || stdout != "" || !strings.Contains(stderr, "no frontdoor.yaml here") || !strings.Contains(stderr, "--example") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 naming the file and --example", args, code, stdout, stderr)
		}
	}
	code, stdout, stderr := runCLI(t, "", "save", "--root", root, "--no-check")
	if code != exitInvalid || stdout != "" || !strings.Contains(stderr, "no frontdoor.yaml here") || !strings.Contains(stderr, "never installed") {
		t.Errorf("save: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	for _, p := range []string{file, link, filepath.Join(dir, "frontdoor.yaml")} {
		if _, err := os.Lstat(p); err == nil {
			t.Errorf("save without settings wrote %s", p)
		}
	}
	if code, stdout, _ := runCLI(t, "", "validate", "--example"); code != exitOK || stdout == "" {
		t.Errorf("validate --example: exit %d, stdout %q", code, stdout)
	}
}

func TestCompletionScripts(t *testing.T) {
	t.Parallel()
	for shell, want := range map[string]string{
		"bash": "complete -o default -F __start_frontdoor frontdoor",
		"zsh":  "#compdef frontdoor",
		"fish": "complete -c frontdoor",
	} {
		t.Run(shell, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runCLI(t, "", "completion", shell)
			if code != 0 || stderr != "" || !strings.Contains(stdout, want) {
				t.Errorf("exit %d, stderr %q, stdout lacks %q (%d bytes)", code, stderr, want, len(stdout))
			}
		})
	}
}

// The completion scripts call `frontdoor __complete ...`: the values it
// offers come from the command tree.
func TestCompletionValues(t *testing.T) {
	t.Parallel()
	cfg := writeConfig(t, ldapTestConfig("ldap://127.0.0.1:1", "(uid={0})"))
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"__complete", ""}, []string{"render\t", "save\t", "ldap\t", "completion\t"}},
		{[]string{"__complete", "ldap", ""}, []string{"test\t", "export\t"}},
		{[]string{"__complete", "render", "--provider", ""}, []string{"nginx", "apache"}},
		{[]string{"__complete", "render", "--format", ""}, []string{"conf\t", "artifactory-json\t"}},
		{[]string{"__complete", "completion", ""}, []string{"bash", "zsh", "fish"}},
		{[]string{"__complete", "--config", cfg, "ldap", "test", "--setting", ""}, []string{"off", "corp"}},
	}
	for _, tc := range tests {
		code, stdout, _ := runCLI(t, "", tc.args...)
		for _, w := range tc.want {
			if code != 0 || !strings.Contains(stdout, w) {
				t.Errorf("%v: exit %d, stdout lacks %q:\n%s", tc.args, code, w, stdout)
			}
		}
	}
}

func TestVersion(t *testing.T) {
	t.Parallel()
	line := regexp.MustCompile(`^frontdoor \S+ \((revision [0-9a-f]{1,12}(, dirty)?(, \S+)?|no VCS revision recorded); go\S+ \w+/\w+\)\n$`)
	_, viaFlag, _ := runCLI(t, "", "--version")
	_, viaCmd, _ := runCLI(t, "", "version")
	if !line.MatchString(viaFlag) || viaFlag != viaCmd {
		t.Errorf("--version %q and version %q: want one line like %s", viaFlag, viaCmd, line)
	}

	set := func(kv ...string) []debug.BuildSetting {
		var s []debug.BuildSetting
		for i := 0; i < len(kv); i += 2 {
			s = append(s, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return s
	}
	tests := []struct {
		name    string
		stamped string
		info    *debug.BuildInfo
		want    string
	}{
		{"release build from a clean tag", "v1.2.0", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.2.0"},
			Settings: set("GOOS", "linux", "GOARCH", "amd64", "vcs.revision", "2280e31c0a3fd2b5a3c1", "vcs.time", "2026-11-27T03:15:37Z", "vcs.modified", "false")},
			"frontdoor v1.2.0 (revision 2280e31c0a3f, 2026-11-27T03:15:37Z; go1.26.8 linux/amd64)"},
		{"go build in a dirty checkout", "", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v0.0.0-20261127031537-2280e31c0a3f+dirty"},
			Settings: set("GOOS", "linux", "GOARCH", "arm64", "vcs.revision", "2280e31c0a3fd2b5a3c1", "vcs.time", "2026-11-27T03:15:37Z", "vcs.modified", "true")},
			"frontdoor v0.0.0-20261127031537-2280e31c0a3f+dirty (revision 2280e31c0a3f, dirty, 2026-11-27T03:15:37Z; go1.26.8 linux/arm64)"},
		{"go run: no version, no VCS", "", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}, Settings: set("GOOS", "linux", "GOARCH", "amd64")},
			"frontdoor devel (no VCS revision recorded; go1.26.8 linux/amd64)"},
	}
	for _, tc := range tests {
		if got := formatVersion(tc.stamped, tc.info); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, got, tc.want)
		}
	}
}

// The man page is written from the command tree; man itself must read it
// without a warning.
func TestManPage(t *testing.T) {
	t.Parallel()
	code, page, stderr := runCLI(t, "", "man")
	if code != 0 || stderr != "" || !strings.HasPrefix(page, ".TH FRONTDOOR 1 ") {
		t.Fatalf("exit %d, stderr %q, page starts %q", code, stderr, page[:min(len(page), 40)])
	}
	for _, want := range []string{`.SS "frontdoor render"`, `.SS "frontdoor ldap test"`, `.SS "frontdoor completion"`,
		`\fB\-\-password\-stdin\fR`, ".SH EXIT STATUS", "FRONTDOOR_LDAP_PASSWORD"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(page, `.SS "frontdoor man"`) {
		t.Error("the hidden man command has a section")
	}
	if code, stdout, _ := runCLI(t, "", "--help"); code != 0 || strings.Contains(stdout, "man ") {
		t.Error("the man command is listed in --help")
	}

	man := testenv.Binary(t, "man")
	path := filepath.Join(t.TempDir(), "frontdoor.1")
	if err := os.WriteFile(path, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(man, "--warnings", "-l", path)
	cmd.Env = append(os.Environ(), "MANWIDTH=80", "MAN_KEEP_FORMATTING=0", "PAGER=cat")
	out, err := cmd.CombinedOutput()
	text := string(out)
	if err != nil || strings.Contains(text, "warning") {
		t.Fatalf("man -l: %v\n%s", err, text)
	}
	for _, want := range []string{"frontdoor render [--config PATH | --example]", "--password-stdin", "EXIT STATUS"} {
		if !strings.Contains(stripOverstrike(text), want) {
			t.Errorf("formatted page lacks %q", want)
		}
	}
}

// The page at 80 columns: no line runs past the edge (synopses and
// examples are no-fill text, wrapped by frontdoor), every exit code is
// there, and a long development version does not run into the footer's
// date.
func TestManPageFits80Columns(t *testing.T) {
	t.Parallel()
	man := testenv.Binary(t, "man")
	var page strings.Builder
	long := "frontdoor v0.0.0-20261127031537-5002026abcde+dirty (revision 5002026abcde, dirty, 2026-11-27T03:15:37Z; go1.26.8 linux/amd64)"
	writeMan(&page, newRoot(env{}), "2026-11-27", long)
	path := filepath.Join(t.TempDir(), "frontdoor.1")
	if err := os.WriteFile(path, []byte(page.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(man, "--warnings", "-l", path)
	cmd.Env = append(os.Environ(), "MANWIDTH=80", "MAN_KEEP_FORMATTING=0", "PAGER=cat")
	out, err := cmd.CombinedOutput()
	text := stripOverstrike(string(out))
	if err != nil || strings.Contains(text, "warning") {
		t.Fatalf("man -l: %v\n%s", err, text)
	}
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	for _, l := range lines {
		if n := len([]rune(l)); n > 80 {
			t.Errorf("%d columns: %q", n, l)
		}
	}
	footer := lines[len(lines)-1]
	if !regexp.MustCompile(`^frontdoor 0\.0\.0-5002026\+dirty {2,}2026-11-27 {2,}FRONTDOOR\(1\)$`).MatchString(footer) {
		t.Errorf("footer %q", footer)
	}
	for _, want := range []string{"This page describes " + long[:40], "       70     frontdoor itself failed", "       130    Cancelled by SIGINT", "       143    Cancelled by SIGTERM"} {
		if !strings.Contains(text, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

// stripOverstrike removes man's bold/underline overstriking (x\bx, _\bx).
func stripOverstrike(s string) string {
	return regexp.MustCompile(".\b").ReplaceAllString(s, "")
}

// Help fits the terminal: every line of every command's help within the
// width (80 when stdout is not a terminal), a word wider than the room (a
// path) alone on its line; commands to type go on with a backslash.
func TestHelpFitsTheWidth(t *testing.T) {
	t.Parallel()
	root := newRoot(env{})
	var all []*cobra.Command
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		all = append(all, c)
		for _, sub := range visibleCommands(c) {
			walk(sub)
		}
	}
	walk(root)
	for _, width := range []int{50, 80, 120} {
		for _, c := range all {
			for _, line := range strings.Split(helpText(c, width), "\n") {
				if len([]rune(line)) > width && len(strings.Fields(strings.TrimSuffix(line, " \\"))) > 1 {
					t.Errorf("%s --help at %d columns: %d: %q", c.CommandPath(), width, len([]rune(line)), line)
				}
			}
		}
	}
	// Not a terminal: 80 columns.
	_, stdout, _ := runCLI(t, "", "check", "--help")
	if !strings.Contains(stdout, "Usage: frontdoor check [URL] [--config PATH] [--resolve HOST:ADDR]...\n                       [--ca FILE]") {
		t.Errorf("the synopsis is not wrapped between its options at 80 columns:\n%s", stdout)
	}
	if !strings.Contains(stdout, "  printf '%s\\n' \"$PW\" | frontdoor check --user ci --password-stdin \\\n      --upload-size 64MiB") {
		t.Errorf("a long example is not continued with a backslash:\n%s", stdout)
	}
}
