package config

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// maxPeakRSS is the memory any input may make a load take, measured as the
// peak resident set (VmHWM) of a process that does nothing else. Go cannot
// start under `ulimit -v` this small, so the peak is measured instead; and
// from inside the child, since the rusage of a child started by vfork counts
// the parent's memory too.
const maxPeakRSS = 64 << 20

// peakRSS is this process's peak resident set, from /proc/self/status.
func peakRSS() (int64, error) {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb int64
			_, err := fmt.Sscanf(strings.TrimSpace(rest), "%d kB", &kb)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("no VmHWM in /proc/self/status")
}

// TestHelperProcessOpen is the child of TestWorstInputsStayUnder64MiB: it
// opens one file and prints the outcome.
func TestHelperProcessOpen(t *testing.T) {
	path := os.Getenv("FRONTDOOR_CONFIG_TEST_OPEN")
	if path == "" {
		t.Skip("helper process for TestWorstInputsStayUnder64MiB")
	}
	d, err := Open(path, true)
	if err != nil {
		first, _, _ := strings.Cut(err.Error(), "\n")
		fmt.Println("refused:", first)
	} else {
		f := d.Settings()
		fmt.Printf("loaded: %d nodes, %d repositories\n", len(f.Proxy.Nodes), len(f.Proxy.Docker.Repositories))
	}
	rss, err := peakRSS()
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println("peak:", rss)
}

// Every worst input up to the size limit is answered in a process whose
// peak memory stays well under 64 MiB; the time each took is logged (no
// timed assertion: the machine is shared), all well under a second here.
func TestWorstInputsStayUnder64MiB(t *testing.T) {
	t.Parallel() // a child process per input
	if testing.Short() {
		t.Skip("starts a process per input")
	}
	nodes := func(n int) string {
		return "proxy:\n  nodes:\n" + strings.Repeat("    - node.example.com\n", n)
	}
	manyKeys := func() string {
		var b strings.Builder
		b.WriteString("{")
		for i := 0; b.Len() < MaxSize-20; i++ {
			fmt.Fprintf(&b, "k%d, ", i)
		}
		return b.String()[:MaxSize/5] + "}"
	}
	tenThousand := "proxy:\n  docker:\n    repositories:\n      - &r {key: docker-local, port: 5001}\n" + strings.Repeat("      - *r\n", 9_999)
	inputs := []struct{ name, body, want string }{
		{"4 MiB flow list", "[" + strings.Repeat("1,", MaxSize/2-2) + "1]", "refused: "},
		{"4 MiB of comments", strings.Repeat("# "+strings.Repeat("x", 77)+"\n", MaxSize/80), "loaded: 1 nodes"},
		{"4 MiB value", "proxy:\n  serverName: " + strings.Repeat("x", MaxSize-30) + "\n", "loaded: 1 nodes"},
		{"alias bomb", billionLaughs(), "refused: "},
		{"10,000 aliases of one entry", tenThousand, "loaded: 1 nodes, 10000 repositories"},
		{"deep brackets", "proxy:\n  nodes: " + strings.Repeat("[", 20_000), "refused: "},
		{"deep indentation", strings.Repeat("a:\n ", 2000), "refused: "},
		{"just under the value limit", nodes(MaxValues - 10), fmt.Sprintf("loaded: %d nodes", MaxValues-10)},
		{"many keys without values", manyKeys(), "refused: "},
	}
	dir := t.TempDir()
	for _, in := range inputs {
		t.Run(in.name, func(t *testing.T) {
			t.Parallel() // each in a process of its own: its peak is its own
			path := filepath.Join(dir, strings.ReplaceAll(in.name, " ", "-")+".yaml")
			if err := os.WriteFile(path, []byte(in.body), 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcessOpen$")
			cmd.Env = append(os.Environ(), "FRONTDOOR_CONFIG_TEST_OPEN="+path, "GOGC=100")
			start := time.Now()
			out, err := cmd.Output()
			took := time.Since(start)
			if err != nil {
				t.Fatalf("child: %v\n%s", err, out)
			}
			line, rest, _ := strings.Cut(string(out), "\n")
			var rss int64
			if _, err := fmt.Sscanf(rest, "peak: %d", &rss); err != nil {
				t.Fatalf("child said %q", out)
			}
			t.Logf("%d bytes: %s in %v, peak RSS %.1f MiB", len(in.body), line, took.Round(time.Millisecond), float64(rss)/(1<<20))
			if !strings.HasPrefix(line, in.want) {
				t.Errorf("outcome %q, want %q…", line, in.want)
			}
			if rss > maxPeakRSS {
				t.Errorf("peak RSS %d MiB, the bound is %d MiB", rss>>20, maxPeakRSS>>20)
			}
		})
	}
}
