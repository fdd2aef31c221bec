package doorcheck

import (
	"encoding/json"
	"maps"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"frontdoor/render"
)

// Every Reason a step can report has its row: a cause and a fix.
func TestEveryReasonIsExplained(t *testing.T) {
	src, err := os.ReadFile("explain.go")
	if err != nil {
		t.Fatal(err)
	}
	consts := regexp.MustCompile(`(?m)^\t(Reason\w+)\s+Reason = "([a-z0-9-]*)"`).FindAllStringSubmatch(string(src), -1)
	if len(consts) < 40 {
		t.Fatalf("found %d reasons: the pattern is stale", len(consts))
	}
	noRow := map[string]bool{"": true, "invalid-input": true, "canceled": true}
	for _, c := range consts {
		r := Reason(c[2])
		if noRow[c[2]] {
			continue
		}
		e, ok := explanations[r]
		if !ok || e.cause == "" || e.fix.IsZero() {
			t.Errorf("%s (%q) has no cause or no fix", c[1], c[2])
		}
	}
}

// The fix names one server's directives when the server is known, both
// when not, and fills in the placeholders.
func TestExplainByProvider(t *testing.T) {
	vars := map[string]string{"port": "8443", "server": "art.example.com", "httpsPortSuffix": ":8443", "httpPort": "80", "name": "art.example.com"}
	for _, tt := range []struct {
		provider      render.Provider
		nginx, apache bool
	}{{render.Nginx, true, false}, {render.Apache, false, true}, {"", true, true}} {
		st := Step{Reason: ReasonRefused, Status: StatusFail}
		explain(&st, tt.provider, vars)
		if (st.Fix.Nginx != "") != tt.nginx || (st.Fix.Apache != "") != tt.apache {
			t.Errorf("%q: %+v", tt.provider, st.Fix)
		}
		if strings.Contains(st.Fix.Nginx+st.Fix.Apache+st.Fix.Action, "{") {
			t.Errorf("a placeholder is left: %+v", st.Fix)
		}
		if !strings.Contains(st.Fix.Nginx+st.Fix.Apache, "8443") {
			t.Errorf("the port is not filled in: %+v", st.Fix)
		}
	}
	st := Step{Reason: ReasonRealmPort, Status: StatusFail, Cause: "a cause of its own"}
	explain(&st, render.Nginx, vars)
	if st.Cause != "a cause of its own" {
		t.Error("a step's own cause was replaced")
	}
}

func TestStepJSONRoundTrip(t *testing.T) {
	st := Step{Kind: KindDocker, Name: "Docker x", Target: "https://x.test", Status: StatusFail, Duration: 1500 * time.Microsecond,
		Detail: "d", Cause: "c", Fix: Fix{Nginx: "n", Setting: "s"}, Reason: ReasonRealmPort}
	b, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"kind":"docker","name":"Docker x","target":"https://x.test","status":"fail","durationMs":1.5,"detail":"d","cause":"c","fix":{"nginx":"n","setting":"s"},"reason":"realm-port"}`
	if string(b) != want {
		t.Errorf("JSON:\n got %s\nwant %s", b, want)
	}
	var back Step
	if err := json.Unmarshal(b, &back); err != nil || back != st {
		t.Errorf("round trip: %+v, %v", back, err)
	}
	ok, _ := json.Marshal(Step{Kind: KindSummary, Name: "Summary", Status: StatusOK})
	if strings.Contains(string(ok), "fix") || strings.Contains(string(ok), "cause") {
		t.Errorf("empty fields are written: %s", ok)
	}
}

func TestStepLines(t *testing.T) {
	st := Step{Kind: KindUpload, Name: "Upload 64 MiB to docker-local", Status: StatusFail, Duration: 12300 * time.Microsecond,
		Detail: "413", Cause: "too large", Fix: Fix{Nginx: "client_max_body_size 0;", Setting: "save"}, Reason: ReasonTooLarge}
	want := []string{
		"✗ Upload 64 MiB to docker-local: 413 (12.3 ms)",
		"    cause: too large",
		"    nginx: client_max_body_size 0;",
		"    frontdoor: save",
	}
	if got := st.Lines(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("lines:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	info := Step{Kind: KindSummary, Name: "Summary", Status: StatusOK, Detail: "the door works", Cause: "unused"}
	if got := info.Lines(); len(got) != 1 || got[0] != "✓ Summary: the door works" {
		t.Errorf("summary: %q", got)
	}
}

// The fixes that say where the proxy sends requests name the nodes and
// ports of the settings, as frontdoor's snippet writes them (nginx
// upstreams, Apache ProxyPass to the node or to a balancer of them); NODE
// only when nothing says which.
func TestFixesNameTheNodes(t *testing.T) {
	tests := []struct {
		name                  string
		nodes                 []string
		nginx, apache, action string
	}{
		{"no settings", nil,
			"upstream artifactory { server NODE:8082; } and upstream artifactory-direct { server NODE:8081; }",
			`ProxyPass "/" "http://NODE:8082/" and ProxyPass "/artifactory/" "http://NODE:8081/artifactory/"`,
			"check Artifactory: systemctl status artifactory, and curl http://NODE:8082/router/api/v1/system/health on the proxy host"},
		{"one node", []string{"10.0.0.11"},
			"upstream artifactory { server 10.0.0.11:8082; } and upstream artifactory-direct { server 10.0.0.11:8081; }",
			`ProxyPass "/" "http://10.0.0.11:8082/" and ProxyPass "/artifactory/" "http://10.0.0.11:8081/artifactory/"`,
			"check Artifactory: systemctl status artifactory, and curl http://10.0.0.11:8082/router/api/v1/system/health on the proxy host"},
		{"two nodes, one IPv6", []string{"art1.internal", "[fd00::12]"},
			"upstream artifactory { server art1.internal:8082; server [fd00::12]:8082; } and upstream artifactory-direct { server art1.internal:8081; server [fd00::12]:8081; }",
			`ProxyPass "/" "balancer://artifactory/" and ProxyPass "/artifactory/" "balancer://artifactory-direct/artifactory/", with <Proxy "balancer://artifactory"> BalancerMember "http://art1.internal:8082" BalancerMember "http://[fd00::12]:8082" </Proxy> and <Proxy "balancer://artifactory-direct"> BalancerMember "http://art1.internal:8081" BalancerMember "http://[fd00::12]:8081" </Proxy>`,
			"check Artifactory: systemctl status artifactory, and curl http://art1.internal:8082/router/api/v1/system/health on the proxy host (and the same for [fd00::12])"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vars := map[string]string{"routerPort": "8082", "artifactoryPort": "8081", "server": "art.example.com"}
			maps.Copy(vars, nodeVars(tt.nodes, 8082, 8081))
			st := Step{Reason: ReasonUpstreamDown, Status: StatusFail}
			explain(&st, "", vars)
			if st.Fix.Nginx != tt.nginx || st.Fix.Apache != tt.apache || st.Fix.Action != tt.action {
				t.Errorf("fix\n%s\n%s\n%s\nwant\n%s\n%s\n%s", st.Fix.Nginx, st.Fix.Apache, st.Fix.Action, tt.nginx, tt.apache, tt.action)
			}
			for _, r := range []Reason{ReasonUpstreamDown, ReasonNotRouted, ReasonRouterNotReached, ReasonDockerNotRouted} {
				st := Step{Reason: r, Status: StatusFail}
				explain(&st, "", vars)
				all := st.Fix.Nginx + st.Fix.Apache + st.Fix.Action + st.Fix.Setting
				if regexp.MustCompile(`\{(node|nodes|otherNodes|routerUpstream|directUpstream|routerTarget|directTarget|apacheMembers|routerPort|artifactoryPort)\}`).MatchString(all) || tt.nodes != nil && strings.Contains(all, "NODE") {
					t.Errorf("%s: a placeholder is left: %+v", r, st.Fix)
				}
			}
		})
	}
	// A plan from settings carries the nodes as a proxy target writes them.
	s := render.Defaults()
	s.Nodes = []string{"fd00::12", "art1.internal"}
	if got := basePlan(&s).Nodes; len(got) != 2 || got[0] != "[fd00::12]" || got[1] != "art1.internal" {
		t.Errorf("plan nodes %q", got)
	}
}
