package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/charmbracelet/x/term"
	"github.com/dustin/go-humanize"
	"github.com/spf13/cobra"

	"frontdoor/config"
	"frontdoor/doorcheck"
	"frontdoor/render"
)

// maxUploadSize bounds --upload-size: a probe, not a benchmark of the link.
const maxUploadSize = 16 << 30

type checkFlags struct {
	resolve       []string
	ca            string
	user          string
	passwordStdin bool
	uploadSize    string
	uploadRepo    string
	timeout       time.Duration
	json          bool
}

func newCheckCmd(e env, g *globals) *cobra.Command {
	f := &checkFlags{}
	c := &cobra.Command{
		Use:   "check [URL] [--config PATH] [--resolve HOST:ADDR]... [--ca FILE] [--user NAME --password-stdin] [--upload-size SIZE] [--upload-repo KEY] [--timeout 10s] [--json]",
		Short: "check the installed front door from a client's side: DNS, TLS, redirects, Artifactory, Docker, uploads",
		Long: "Check the front door as Docker clients and browsers use it, step by step: DNS (and the wildcard record),\n" +
			"TCP, TLS per name (chain, names, expiry, protocol versions, HSTS), the HTTP → HTTPS redirect,\n" +
			"Artifactory's ping and UI through the door, each Docker repository's token realm (public scheme, host\n" +
			"and port) and token endpoint, request streaming, encoded slashes. Each step is printed as it ends;\n" +
			"a failure names its cause and the nginx directive, Apache directive or frontdoor setting that fixes it.\n\n" +
			"Without URL, every public endpoint the settings describe is checked; with a URL, that door alone (settings\n" +
			"from --config only, optional): doors frontdoor did not write can be checked too.\n" +
			"--user logs in to each repository's token endpoint (the password at a terminal prompt, from the first\n" +
			"line of stdin with --password-stdin, or $" + doorcheck.PasswordEnv + "; never a flag) and, with --upload-size,\n" +
			"uploads a blob of that size chunked and cancels it. Credentials go only to verified HTTPS on the door's names.\n" +
			"Exit codes: 0 the door works (steps may still advise), 1 a step failed, 2 invalid settings or usage.",
		Example: "  frontdoor check\n" +
			"  frontdoor check https://artifactory.example.com --resolve artifactory.example.com:10.0.0.5\n" +
			"  printf '%s\\n' \"$PW\" | frontdoor check --user ci --password-stdin --upload-size 64MiB --upload-repo docker-local\n" +
			"  frontdoor check --resolve artifactory.example.com:127.0.0.1 --resolve '*.artifactory.example.com:127.0.0.1' --json",
		SuggestFor: []string{"test", "probe", "verify"},
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 1 {
				return fmt.Errorf("one door at a time: unexpected argument %q", args[1])
			}
			return nil
		},
		RunE: func(c *cobra.Command, args []string) error {
			return status(cmdCheck(e, c, g, f, args))
		},
	}
	fs := c.Flags()
	fs.StringArrayVar(&f.resolve, "resolve", nil, "send HOST (or *.DOMAIN) to ADDR instead of asking DNS, like curl; HOST:PORT:ADDR for one port; repeatable")
	fs.StringVar(&f.ca, "ca", "", "PEM file of CAs to trust besides the system's (a private CA)")
	fs.StringVar(&f.user, "user", "", "log in to the Docker token endpoints as this user (and upload with --upload-size)")
	fs.BoolVar(&f.passwordStdin, "password-stdin", false, "read the user's password from the first line of stdin (default: $"+doorcheck.PasswordEnv+", or a prompt)")
	fs.StringVar(&f.uploadSize, "upload-size", "", "upload a blob of this size (e.g. 64MiB), chunked, then cancel it; needs --user (default: no upload)")
	fs.StringVar(&f.uploadRepo, "upload-repo", "", "the Docker repository to upload to: a local one the user may deploy to (default: the only one)")
	durationVar(fs, &f.timeout, "timeout", doorcheck.DefaultTimeout, "limit for each network step (an upload: without progress)")
	fs.BoolVar(&f.json, "json", false, "print one JSON object per line: each step as it ends, then {\"type\":\"result\",...}")
	for _, name := range []string{"resolve", "user", "upload-size", "upload-repo", "timeout"} {
		_ = c.RegisterFlagCompletionFunc(name, cobra.NoFileCompletions)
	}
	_ = c.RegisterFlagCompletionFunc("ca", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{"pem", "crt"}, cobra.ShellCompDirectiveFilterFileExt
	})
	return c
}

func cmdCheck(e env, c *cobra.Command, g *globals, f *checkFlags, args []string) int {
	opt, ok := checkOptions(e, f)
	if !ok {
		return exitInvalid
	}
	plan, ok := checkPlan(e, c, g, args)
	if !ok {
		return exitInvalid
	}
	if !checkUploadRepo(e, &plan, &opt) {
		return exitInvalid
	}
	if opt.User != "" {
		pw, err := readPassword(e, f.passwordStdin, doorcheck.PasswordEnv, fmt.Sprintf("Password for %s: ", opt.User))
		if err != nil {
			fmt.Fprintf(e.stderr, "frontdoor check: %v\n", err)
			return exitInvalid
		}
		opt.Password = pw
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var report func(doorcheck.Step)
	if f.json {
		report = func(st doorcheck.Step) {
			b, _ := json.Marshal(st) // Step has its own MarshalJSON: splice the type in front
			fmt.Fprintf(e.stdout, "{\"type\":\"step\",%s\n", b[1:])
		}
	} else {
		fmt.Fprintf(e.stdout, "Checking %s: %s\n", plan.Title, plan.Describe())
		report = func(st doorcheck.Step) {
			for _, l := range st.Lines() {
				fmt.Fprintln(e.stdout, l)
			}
		}
	}
	res := doorcheck.Run(ctx, plan, opt, report)
	if f.json {
		res.Steps = nil // already streamed, one per line
		_ = json.NewEncoder(e.stdout).Encode(struct {
			Type string `json:"type"`
			OK   bool   `json:"ok"`
			doorcheck.Result
		}{"result", res.OK(), res})
	}
	if res.OK() {
		return exitOK
	}
	return exitFailed
}

// checkOptions turns the flags into options; problems are said on stderr.
func checkOptions(e env, f *checkFlags) (doorcheck.Options, bool) {
	fail := func(format string, a ...any) (doorcheck.Options, bool) {
		fmt.Fprintf(e.stderr, "frontdoor check: "+format+"\n", a...)
		return doorcheck.Options{}, false
	}
	opt := doorcheck.Options{Timeout: f.timeout, User: f.user, UploadRepo: f.uploadRepo}
	if f.timeout <= 0 {
		return fail("--timeout must be positive (e.g. 10s)")
	}
	for _, s := range f.resolve {
		r, err := doorcheck.ParseResolve(s)
		if err != nil {
			return fail("%v", err)
		}
		opt.Resolve = append(opt.Resolve, r)
	}
	if f.ca != "" {
		pool, err := doorcheck.CAFileRoots(f.ca)
		if err != nil {
			return fail("--ca %s: %v", f.ca, err)
		}
		opt.Roots = pool
	}
	if f.passwordStdin && f.user == "" {
		return fail("--password-stdin needs --user NAME")
	}
	if f.uploadSize != "" {
		n, err := humanize.ParseBytes(f.uploadSize)
		switch {
		case err != nil:
			return fail("--upload-size %q: give a size such as 64MiB or 1GiB", f.uploadSize)
		case n == 0:
			return fail("--upload-size 0: leave it out for no upload")
		case n > maxUploadSize:
			return fail("--upload-size %s: at most %s (a probe, not a benchmark)", f.uploadSize, humanize.IBytes(maxUploadSize))
		case f.user == "":
			return fail("--upload-size needs --user NAME: Artifactory accepts no anonymous upload")
		}
		opt.UploadSize = int64(n)
	} else if f.uploadRepo != "" {
		return fail("--upload-repo needs --upload-size SIZE")
	}
	return opt, true
}

// checkPlan reads the settings (needed without a URL, optional with one)
// and plans the doors; problems are said on stderr.
func checkPlan(e env, c *cobra.Command, g *globals, args []string) (doorcheck.Plan, bool) {
	var settings *render.Settings
	source := ""
	if len(args) == 0 || configGiven(c) {
		f, src, ok := loadSettings(e, g.configPath, configGiven(c))
		if !ok {
			return doorcheck.Plan{}, false
		}
		switch src {
		case config.FromExample:
			fmt.Fprintf(e.stderr, "frontdoor check: no %s here: give --config PATH, or the door's URL (frontdoor check https://HOST)\n", g.configPath)
			return doorcheck.Plan{}, false
		case config.FromNew:
			fmt.Fprintf(e.stderr, "frontdoor check: %s: file does not exist\n", g.configPath)
			return doorcheck.Plan{}, false
		}
		if !f.HasProxy {
			fmt.Fprintf(e.stderr, "frontdoor check: %s has no proxy section: nothing says where the door is (give its URL)\n", g.configPath)
			return doorcheck.Plan{}, false
		}
		if fs := render.Validate(&f.Proxy); fs.HasErrors() {
			printFindings(e.stderr, fs)
			return doorcheck.Plan{}, false
		}
		settings, source = &f.Proxy, g.configPath
	}
	var plan doorcheck.Plan
	var err error
	if len(args) == 1 {
		plan, err = doorcheck.FromURL(args[0], settings)
	} else {
		plan, err = doorcheck.FromSettings(settings, source)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "frontdoor check: %v\n", err)
		return doorcheck.Plan{}, false
	}
	return plan, true
}

// checkUploadRepo settles which repository --upload-size goes to.
func checkUploadRepo(e env, plan *doorcheck.Plan, opt *doorcheck.Options) bool {
	if opt.UploadSize == 0 {
		return true
	}
	switch {
	case len(plan.Repos) == 0 && plan.Method == "":
		if opt.UploadRepo != "" {
			fmt.Fprintln(e.stderr, "frontdoor check: --upload-repo needs the Docker settings (--config): with a URL alone, the upload goes to the URL's own /v2/")
			return false
		}
		return true // the URL is the registry: its own /v2/
	case len(plan.Repos) == 0:
		fmt.Fprintln(e.stderr, "frontdoor check: --upload-size: the settings have no Docker repository (proxy.docker)")
		return false
	case opt.UploadRepo == "" && len(plan.Repos) == 1:
		opt.UploadRepo = plan.Repos[0]
	case opt.UploadRepo == "":
		fmt.Fprintf(e.stderr, "frontdoor check: --upload-size: which repository? --upload-repo KEY, a local one the user may deploy to (%s)\n", strings.Join(plan.Repos, ", "))
		return false
	case !slices.Contains(plan.Repos, opt.UploadRepo):
		fmt.Fprintf(e.stderr, "frontdoor check: --upload-repo %q is not among the Docker repositories (%s)\n", opt.UploadRepo, strings.Join(plan.Repos, ", "))
		return false
	}
	return true
}

// readPassword asks at a terminal without echo, or reads the first line of
// stdin (fromStdin), or the environment variable envVar. A password is never
// a flag: flags show up in ps and shell history.
func readPassword(e env, fromStdin bool, envVar, prompt string) (string, error) {
	if !fromStdin {
		if pw := e.getenv(envVar); pw != "" {
			return pw, nil
		}
	}
	if f, ok := e.stdin.(*os.File); ok && !fromStdin && term.IsTerminal(f.Fd()) {
		fmt.Fprint(e.stderr, prompt)
		pw, err := term.ReadPassword(f.Fd())
		fmt.Fprintln(e.stderr)
		if err != nil {
			return "", fmt.Errorf("reading the password: %v", err)
		}
		if len(pw) == 0 {
			return "", errors.New("empty password: an empty password is never sent (it would test nothing)")
		}
		return string(pw), nil
	}
	if !fromStdin {
		return "", fmt.Errorf("no password: type it at the prompt (run from a terminal), pipe it with --password-stdin, or set $%s (never on the command line)", envVar)
	}
	var line []byte
	one := make([]byte, 1) // byte by byte: stop at the newline, read nothing after it
	for len(line) < 4096 {
		n, err := e.stdin.Read(one)
		if n == 1 {
			if one[0] == '\n' {
				break
			}
			line = append(line, one[0])
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", fmt.Errorf("reading the password from stdin: %v", err)
		}
	}
	pw := strings.TrimSuffix(string(line), "\r")
	if pw == "" {
		return "", errors.New("empty password on stdin: an empty password is never sent (it would test nothing)")
	}
	return pw, nil
}
