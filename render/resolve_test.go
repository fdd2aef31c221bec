package render

import (
	"context"
	"net/netip"
	"strings"
	"testing"
	"time"

	"frontdoor/internal/servertest"
)

// unresolvable is a name no resolver knows: .invalid is reserved (RFC 6761).
const unresolvable = "frontdoor-no-such-node.invalid"

func TestCheckNodesResolve(t *testing.T) {
	s := validBase()
	s.Nodes = []string{"localhost", "10.0.0.1", "::1", unresolvable, "art 1", "LOCALHOST"}
	got := CheckNodesResolve(context.Background(), &s)
	checkFindings(t, got, []want{{"proxy.nodes[3]", Warning, "host not found in upstream"}})
	if !strings.Contains(got[0].Message, "add it to DNS or /etc/hosts") {
		t.Errorf("no fix in %q", got[0].Message)
	}

	s.Provider = Apache
	got = CheckNodesResolve(context.Background(), &s)
	checkFindings(t, got, []want{{"proxy.nodes[3]", Warning, "answers 503"}})

	s.Provider = HAProxy
	got = CheckNodesResolve(context.Background(), &s)
	checkFindings(t, got, []want{{"proxy.nodes[3]", Warning, "haproxy -c: could not resolve address"}})

	s.Provider = Tomcat
	if got := CheckNodesResolve(context.Background(), &s); got != nil {
		t.Errorf("tomcat has no proxy to resolve nodes: got\n%s", got)
	}

	// The caller gave up: what was not learnt is not reported.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s.Provider = Nginx
	s.Nodes = []string{"localhost", "art1.example.com"}
	if got := CheckNodesResolve(ctx, &s); got != nil {
		t.Errorf("cancelled: want nothing, got\n%s", got)
	}
}

// The warning is warranted: the real nginx refuses such a snippet, Apache
// loads it.
func TestUnresolvedNodeInRealServers(t *testing.T) {
	t.Parallel() // real servers' checks on layouts of its own
	s := goldenSettings(Nginx, DockerNone, httpOnly, 1, false)
	s.Nodes = []string{"127.0.0.1", unresolvable}
	n := servertest.NewNginx(t)
	n.Install(mustRender(t, &s))
	if msg, err := n.Check(); err == nil || !strings.Contains(msg, "host not found in upstream") {
		t.Errorf("nginx -t with an unresolvable node: err %v\n%s", err, msg)
	}
	s.Provider = Apache
	a := servertest.NewApache(t)
	a.EnableModules(ApacheModules(&s)...)
	a.Install(mustRender(t, &s))
	if msg, err := a.Check(); err != nil {
		t.Errorf("apache2ctl -t with an unresolvable node: %v\n%s", err, msg)
	}
}

func TestValidateHere(t *testing.T) {
	s := validBase()
	s.Nodes = []string{unresolvable}
	fs, _ := ValidateHere(context.Background(), &s, time.Now())
	// The golden paths do not exist here: two "not checked" warnings, and
	// the client CA's, then the node.
	if got := fs.For("proxy.nodes[0]"); len(got) != 1 || got[0].Severity != Warning {
		t.Errorf("want the node's warning, got\n%s", fs)
	}
	if len(fs.For("proxy.https")) != 2 || len(fs.For("proxy.mtls.clientCA")) != 1 || fs.HasErrors() {
		t.Errorf("want the files' warnings too, got\n%s", fs)
	}
}

// Nodes that are one machine: Validate knows addresses and localhost, the
// lookup knows the other names (sameMachine, on what they resolved to).
func TestNodesOnOneMachine(t *testing.T) {
	tests := []struct {
		name     string
		nodes    []string
		resolved map[int][]string // what names resolved to (sameMachine only)
		want     []want
	}{
		{"the trial's: 127.0.0.1 and localhost", []string{"127.0.0.1", "localhost"}, nil,
			[]want{{"proxy.nodes", Warning, `HA on one machine: "127.0.0.1" and "localhost" are both this host`}}},
		{"three loopback nodes", []string{"127.0.0.1", "127.0.0.2", "::1"}, nil,
			[]want{{"proxy.nodes", Warning, `"127.0.0.1", "127.0.0.2" and "::1" are all this host`}}},
		{"one node is fine", []string{"localhost"}, nil, nil},
		{"two machines are fine", []string{"10.0.0.1", "10.0.0.2"}, nil, nil},
		{"an address twice, written two ways", []string{"10.0.0.1", "10.0.0.2", "::ffff:10.0.0.2"}, nil,
			[]want{{"proxy.nodes[2]", Warning, `"::ffff:10.0.0.2" and nodes[1] "10.0.0.2" are the same machine (10.0.0.2)`}}},
		{"a name resolving to another node's address", []string{"10.0.0.1", "art1.example.com"}, map[int][]string{1: {"10.0.0.1"}},
			[]want{{"proxy.nodes[1]", Warning, `"art1.example.com" and nodes[0] "10.0.0.1" are the same machine here (10.0.0.1)`}}},
		{"two names, one address", []string{"art1.example.com", "art1", "10.0.0.9"}, map[int][]string{0: {"10.0.0.1", "fd00::1"}, 1: {"fd00::1"}},
			[]want{{"proxy.nodes[1]", Warning, `"art1" and nodes[0] "art1.example.com" are the same machine here (fd00::1)`}}},
		{"this host's name and localhost, beside a real node", []string{"10.0.0.1", "localhost", "proxyhost"}, map[int][]string{1: {"127.0.0.1"}, 2: {"127.0.1.1"}},
			[]want{{"proxy.nodes[2]", Warning, `"proxyhost" and nodes[1] "localhost" are the same machine here (both this host)`}}},
		{"names on machines of their own", []string{"art1", "art2"}, map[int][]string{0: {"10.0.0.1"}, 1: {"10.0.0.2"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := validBase()
			s.Nodes = tt.nodes
			got := Validate(&s).For("proxy.nodes") // and each node's
			resolved := map[int][]netip.Addr{}
			for i, list := range tt.resolved {
				resolved[i] = parseAddrs(list)
			}
			got = append(got, sameMachine(tt.nodes, resolved)...)
			checkFindings(t, got, tt.want)
		})
	}
}
