package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"frontdoor/doorcheck"
	"frontdoor/doorcheck/standin"
	"frontdoor/install"
	"frontdoor/internal/servertest"
	"frontdoor/internal/testenv"
	"frontdoor/render"
)

// TestSaveVerifyWithRealNginx: `save --reload "nginx -s reload" --verify`
// against a real nginx master running a copy of /etc/nginx, in front of the
// Artifactory stand-in. A reload that cannot take the new configuration (its
// port is held by another listener, so nginx keeps the old one) is found by
// the verify and undone: on a first save the file and link are removed, on a
// later one the previous version comes back; the server is reloaded again,
// the previous configuration verified, both outcomes reported, exit 1.
//
// The first save runs on an nginx of its own: after a reload whose port is
// taken, nginx's master retries the bind four times, 500 ms apart, before
// it keeps the old configuration, and a reload sent meanwhile waits for it.
// On one server the good save after it waited those 2 s for nothing.
func TestSaveVerifyWithRealNginx(t *testing.T) {
	// nginxRoot is a copy of /etc/nginx with its own master running.
	nginxRoot := func(t *testing.T) string {
		t.Helper()
		root := servertest.NginxRoot(t, servertest.PathsIntoCopy)
		if err := os.Remove(filepath.Join(root, "etc/nginx/sites-enabled/default")); err != nil {
			t.Fatal(err) // the stock site listens on port 80: not in a test
		}
		nginx, err := servertest.StartNginxRoot(t, root)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			if t.Failed() {
				t.Logf("nginx's logs:\n%s", nginx.Logs())
			}
		})
		return root
	}
	root := nginxRoot(t)
	// Stopped with the others at the end: by then its master is idle again
	// (stopping it while it retries waits for the retries).
	firstRoot := nginxRoot(t)
	conf := filepath.Join(root, "etc/nginx/nginx.conf")
	art := standin.New(standin.Config{})
	artAddr, routerAddr := art.Start(t, "", "")

	ports := servertest.FreePorts(t, 2)
	good, taken := ports[0], ports[1]
	// Another program holds the port the second settings want (on
	// 127.0.0.2, so nginx's wildcard bind fails while 127.0.0.1 refuses):
	// nginx -t passes, the reload keeps the old configuration.
	holder, err := net.Listen("tcp", net.JoinHostPort("127.0.0.2", strconv.Itoa(taken)))
	if err != nil {
		testenv.Unavailable(t, "no second loopback address to hold a port on: %v", err)
	}
	defer holder.Close()
	settings := func(name string, port int) string {
		return fmt.Sprintf("proxy:\n  serverName: %s\n  nodes: [127.0.0.1]\n  artifactoryPort: %s\n  routerPort: %s\n  http: {port: %d}\n  docker: {method: repositoryPath}\n",
			name, portOf(t, artAddr), portOf(t, routerAddr), port)
	}
	reloadOf := func(root string) string {
		return "nginx -c " + filepath.Join(root, "etc/nginx/nginx.conf") + " -s reload"
	}
	reload := reloadOf(root)
	saveIn := func(t *testing.T, root, name string, port int, reload string, settle time.Duration) (Report, []install.Step) {
		t.Helper()
		_, doc := settingsFile(t, settings(name, port))
		req := request(t, doc, Flags{Root: Given(root), Reload: Given(reload), Verify: true})
		req.VerifyOptions.Settle = settle
		var streamed []install.Step
		req.Progress = func(s install.Step) { streamed = append(streamed, s) }
		rep := Save(context.Background(), req)
		t.Logf("report:\n%s", rep)
		return rep, streamed
	}
	saveAs := func(t *testing.T, name string, port int, reload string, settle time.Duration) (Report, []install.Step) {
		t.Helper()
		return saveIn(t, root, name, port, reload, settle)
	}
	save := func(t *testing.T, port int, settle time.Duration) (Report, []install.Step) {
		t.Helper()
		return saveAs(t, "artifactory.test", port, reload, settle)
	}
	file := filepath.Join(root, "etc/nginx/sites-available/artifactory.conf")
	// A save whose port nginx cannot take never serves, however long the
	// verify waits: it waits the whole settle time, repeating the check
	// every 250 ms. Half a second repeats it as the default 2 s does, and
	// the configuration put back, which nginx kept serving all along,
	// passes on the first try.
	const neverServes = 500 * time.Millisecond

	t.Run("first save not serving: removed again", func(t *testing.T) {
		root := firstRoot // see above: its master is busy for 2 s after this save
		file := filepath.Join(root, "etc/nginx/sites-available/artifactory.conf")
		link := filepath.Join(root, "etc/nginx/sites-enabled/artifactory.conf")
		rep, streamed := saveIn(t, root, "artifactory.test", taken, reloadOf(root), neverServes)
		if rep.ExitCode() != 1 || !errors.Is(rep.Err, ErrNotServing) || rep.Saved() || rep.Installed() != "" {
			t.Fatalf("exit %d, err %v, saved %v", rep.ExitCode(), rep.Err, rep.Saved())
		}
		wantInOrder(t, streamed,
			"verifying that the new configuration serves",
			"Connect artifactory.test:"+strconv.Itoa(taken),
			"the new configuration is NOT serving",
			"removed the link "+link,
			"removed the new "+file,
			"reload passed",
			"nothing of frontdoor's to verify after the rollback: there was no snippet before this save")
		assertMissing(t, file)
		assertMissing(t, link)
		if h := rep.Headline(); !strings.Contains(h, "NOT serving (Connect artifactory.test:"+strconv.Itoa(taken)) || !strings.Contains(h, "rolled back (removed artifactory.conf: there was none before), reloaded") {
			t.Errorf("headline %q", h)
		}
	})

	var goodSnippet string
	t.Run("a good save verifies", func(t *testing.T) {
		rep, streamed := save(t, good, 20*time.Second) // a bound for a slow reload, not an assertion
		if rep.ExitCode() != 0 || rep.Verify == nil || !rep.Verify.Serving() || rep.Installed() != file {
			t.Fatalf("exit %d, verify %+v", rep.ExitCode(), rep.Verify)
		}
		goodSnippet = readFile(t, file)
		rev := render.Revision([]byte(goodSnippet))
		if h := rep.Headline(); h != "saved and checked, reloaded, verified: serving the new configuration (revision "+rev+")" || rev == "" {
			t.Errorf("headline %q", h)
		}
		wantInOrder(t, streamed, "reload passed", "Connect artifactory.test:"+strconv.Itoa(good),
			"Revision on http://artifactory.test:"+strconv.Itoa(good)+": revision "+rev+": the configuration saved is the one serving",
			"Artifactory ping", "the new configuration is serving (revision "+rev+")")
	})

	// The trial's case: settings that differ only in the server name, and a
	// reload that does nothing. The old server block answers any Host on
	// the port, so every other probe passes; the revision it answers is the
	// old file's.
	t.Run("a reload that does nothing: the old configuration still answers", func(t *testing.T) {
		if goodSnippet == "" {
			t.Skip("the good save failed")
		}
		old := render.Revision([]byte(goodSnippet))
		rep, streamed := saveAs(t, "renamed.test", good, "true", neverServes)
		if rep.ExitCode() != 1 || !errors.Is(rep.Err, ErrNotServing) || rep.Saved() {
			t.Fatalf("exit %d, err %v, saved %v", rep.ExitCode(), rep.Err, rep.Saved())
		}
		wantInOrder(t, streamed,
			"reload passed: true",
			"Connect renamed.test:"+strconv.Itoa(good),
			"Revision on http://renamed.test:"+strconv.Itoa(good)+": the server still answers revision "+old,
			"the new configuration is NOT serving (the server still answers revision "+old+"): rolling the save back",
			"restoring ",
			"the previous configuration is serving again (revision "+old+")")
		if got := readFile(t, file); got != goodSnippet {
			t.Error("the previous snippet is not back")
		}
		want := "saved and reloaded, but NOT serving (the server still answers revision " + old + "); rolled back to the previous version"
		if h := rep.Headline(); !strings.HasPrefix(h, want) || !strings.HasSuffix(h, "; the previous configuration is serving again (revision "+old+")") {
			t.Errorf("headline %q, want it to start %q", h, want)
		}
	})

	t.Run("a later save not serving: the previous version back", func(t *testing.T) {
		if goodSnippet == "" {
			t.Skip("the good save failed")
		}
		rep, streamed := save(t, taken, neverServes)
		if rep.ExitCode() != 1 || !errors.Is(rep.Err, ErrNotServing) || rep.Saved() {
			t.Fatalf("exit %d, err %v", rep.ExitCode(), rep.Err)
		}
		wantInOrder(t, streamed,
			"the new configuration is NOT serving",
			"restoring ",
			"check passed",
			"kept the previous version as", // the version that did not serve, kept to look at
			"reload passed",
			"verifying that the previous configuration serves",
			"Connect artifactory.test:"+strconv.Itoa(good),
			"the previous configuration is serving again")
		if got := readFile(t, file); got != goodSnippet {
			t.Error("the previous snippet is not back")
		}
		h := rep.Headline()
		for _, want := range []string{"saved and reloaded, but NOT serving (Connect artifactory.test:" + strconv.Itoa(taken), "rolled back to the previous version (.artifactory.conf.frontdoor-bak.", "reloaded; the previous configuration is serving again"} {
			if !strings.Contains(h, want) {
				t.Errorf("headline %q lacks %q", h, want)
			}
		}
		if !rep.Verify.Previous.Serving() || rep.Verify.New.Serving() {
			t.Errorf("new serving %v, previous serving %v", rep.Verify.New.Serving(), rep.Verify.Previous.Serving())
		}
		// The version that did not serve is the newest backup, and the
		// report's restore command names it.
		// It repeats the reload, so pasting it also loads what it puts back.
		if !strings.Contains(rep.String(), "restore one: frontdoor restore") || !strings.Contains(rep.String(), "--reload 'nginx -c "+conf+" -s reload'") {
			t.Errorf("no restore command, or one without the save's --reload:\n%s", rep)
		}
		c, err := net.Dial("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(good)))
		if err != nil {
			t.Fatalf("the previous door is not serving: %v", err)
		}
		c.Close()
	})

	t.Run("Artifactory down: serving, nothing rolled back", func(t *testing.T) {
		if goodSnippet == "" {
			t.Skip("the good save failed")
		}
		art.Stop()
		rep, _ := save(t, good, 20*time.Second)
		if rep.ExitCode() != 0 || rep.Mark() != install.MarkWarning || !rep.Saved() || rep.Verify.Undo != nil {
			t.Fatalf("exit %d, mark %s", rep.ExitCode(), rep.Mark())
		}
		rev := render.Revision([]byte(goodSnippet))
		if h := rep.Headline(); !strings.HasPrefix(h, "unchanged and checked, reloaded, serving the new configuration (revision "+rev+"); but Artifactory ping") || !strings.HasSuffix(h, "failed (not the web server's configuration)") {
			t.Errorf("headline %q", h)
		}
		if got := readFile(t, file); got != goodSnippet {
			t.Error("the snippet changed")
		}
	})
}

// The rule of a verify, said the same way by the command line and the
// wizard: it needs a reload, wherever the reload came from.
func TestVerifyNeedsReload(t *testing.T) {
	root, _, _ := layoutRoot(t, "nginx")
	_, doc := settingsFile(t, plainHTTP)
	if _, err := CommandLine(doc, Flags{Command: "frontdoor save", Root: Given(root), Verify: true}); !IsUsage(err) || !strings.Contains(err.Error(), "frontdoor save: --verify needs a reload") {
		t.Errorf("CommandLine without a reload: %v", err)
	}
	_, remembered := settingsFile(t, plainHTTP+"save:\n  reload: touch "+filepath.Join(root, "reloaded")+"\n")
	if req, err := CommandLine(remembered, Flags{Root: Given(root), Verify: true}); err != nil || !req.Verify {
		t.Errorf("a remembered save.reload is a reload: %v", err)
	}
	req := request(t, doc, Flags{Root: Given(root)})
	req.Verify = true
	rep := Save(context.Background(), req)
	if rep.ExitCode() != 2 || !strings.Contains(rep.String(), "--verify needs a reload") || rep.Install != nil {
		t.Errorf("the wizard's request without a reload: exit %d\n%s", rep.ExitCode(), rep)
	}
}

// A verify that cannot run says so and rolls nothing back: no reload
// because nothing checked the file.
func TestVerifyNotReloaded(t *testing.T) {
	root, file, _ := layoutRoot(t, "nginx")
	_, doc := settingsFile(t, plainHTTP)
	req := request(t, doc, Flags{Root: Given(root), Reload: Given("true"), Verify: true})
	req.Target.Check.Value = "frontdoor-no-such-check" // the detected check, not installed: NOT checked, no reload
	req.Target.Check.Origin = OriginDetected
	rep := Save(context.Background(), req)
	if rep.ExitCode() != 0 || rep.Verify != nil || !rep.Saved() {
		t.Fatalf("exit %d:\n%s", rep.ExitCode(), rep)
	}
	if !strings.Contains(rep.String(), "! not verified: the server was not reloaded") {
		t.Errorf("report:\n%s", rep)
	}
	readFile(t, file)
}

func TestVerifyFlags(t *testing.T) {
	tests := []struct {
		flags Flags
		want  string
	}{
		{Flags{Verify: true, NoCheck: true}, "--verify needs a reload, and a reload needs a check"},
		{Flags{VerifyTimeout: Given(time.Second)}, "--verify-timeout needs --verify"},
		{Flags{Verify: true, VerifyTimeout: Given(time.Duration(0))}, "--verify-timeout must be positive"},
		{Flags{VerifyAddr: Given("127.0.0.1")}, "--verify-addr needs --verify"},
		{Flags{Verify: true, VerifyAddr: Given("localhost")}, `--verify-addr "localhost": give the IP address`},
		{Flags{Verify: true, VerifyAddr: Given("[::1]")}, ""},
	}
	for _, tt := range tests {
		err := tt.flags.Validate()
		if tt.want == "" {
			if err != nil {
				t.Errorf("%+v: %v", tt.flags, err)
			}
			continue
		}
		if !IsUsage(err) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%+v: %v, want %q", tt.flags, err, tt.want)
		}
	}
}

// verifyStep: doorcheck's line as `frontdoor check` prints it, cause and
// fix under it, the mark from the status.
func TestVerifyStep(t *testing.T) {
	st := verifyStep(doorcheck.Step{Kind: doorcheck.KindConnect, Name: "Connect a.test:80", Status: doorcheck.StatusFail,
		Detail: "refused", Cause: "nothing listens", Fix: doorcheck.Fix{Nginx: "listen 80;"}, Reason: doorcheck.ReasonRefused})
	if st.Kind != StepVerify || st.Mark != install.MarkFailed || !strings.HasPrefix(st.Detail, "Connect a.test:80: refused (") ||
		st.Output != "cause: nothing listens\nnginx: listen 80;" {
		t.Errorf("%+v", st)
	}
}

// wantInOrder checks that the streamed steps hold each of want, in order.
func wantInOrder(t *testing.T, steps []install.Step, want ...string) {
	t.Helper()
	i := 0
	for _, s := range steps {
		if i < len(want) && strings.Contains(s.Detail, want[i]) {
			i++
		}
	}
	if i < len(want) {
		var lines []string
		for _, s := range steps {
			lines = append(lines, s.Mark.Symbol()+" "+s.Detail)
		}
		t.Errorf("no step %q after the ones before it; streamed:\n%s", want[i], strings.Join(lines, "\n"))
	}
}

func portOf(t *testing.T, addr string) string {
	t.Helper()
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	return port
}

// SIGTERM while the verify runs: the new configuration stays, not
// verified and not rolled back (the rollback would need the check and the
// reload the signal stops), and the command exits 143.
func TestVerifyCancelled(t *testing.T) {
	root, file, _ := layoutRoot(t, "nginx")
	_, doc := settingsFile(t, plainHTTP)
	req := request(t, doc, Flags{Root: Given(root), Check: Given("test -d " + root), Reload: Given("true"), Verify: true})
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	req.Progress = func(s install.Step) {
		if s.Kind == StepVerify {
			cancel(&SignalError{Signal: syscall.SIGTERM})
		}
	}
	rep := Save(ctx, req)
	if rep.ExitCode() != 143 || !rep.Cancelled() || !rep.Saved() || rep.Verify.Undo != nil {
		t.Fatalf("exit %d, saved %v:\n%s", rep.ExitCode(), rep.Saved(), rep)
	}
	if h := rep.Headline(); h != "saved and checked, reloaded; verify cancelled (not verified)" {
		t.Errorf("headline %q", h)
	}
	readFile(t, file)
}
