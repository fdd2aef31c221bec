package ldapcheck

import (
	"context"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	ber "github.com/go-asn1-ber/asn1-ber"
)

// stallServer listens on loopback and misbehaves per mode:
//   - "silent": accepts and never answers anything;
//   - "starttls": reads the StartTLS request and never replies;
//   - "starttls-then-silent": answers StartTLS with success, then never
//     starts the TLS handshake.
func stallServer(t *testing.T, mode string) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	t.Cleanup(func() {
		l.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				if mode == "silent" {
					io.Copy(io.Discard, c)
					return
				}
				p, err := ber.ReadPacket(c)
				if err != nil {
					return
				}
				if mode == "starttls-then-silent" {
					c.Write(extendedSuccess(p.Children[0].Value.(int64)).Bytes())
				}
				io.Copy(io.Discard, c)
			}()
		}
	}()
	return "ldap://" + l.Addr().String()
}

// extendedSuccess is an ExtendedResponse with result success.
func extendedSuccess(id int64) *ber.Packet {
	p := ber.Encode(ber.ClassUniversal, ber.TypeConstructed, ber.TagSequence, nil, "LDAP Response")
	p.AppendChild(ber.NewInteger(ber.ClassUniversal, ber.TypePrimitive, ber.TagInteger, id, "MessageID"))
	r := ber.Encode(ber.ClassApplication, ber.TypeConstructed, 24, nil, "Extended Response")
	r.AppendChild(ber.NewInteger(ber.ClassUniversal, ber.TypePrimitive, ber.TagEnumerated, 0, "resultCode"))
	r.AppendChild(ber.NewString(ber.ClassUniversal, ber.TypePrimitive, ber.TagOctetString, "", "matchedDN"))
	r.AppendChild(ber.NewString(ber.ClassUniversal, ber.TypePrimitive, ber.TagOctetString, "", "diagnosticMessage"))
	p.AppendChild(r)
	return p
}

// TestRunTimeoutsAndRefusals: a server that refuses or stalls at each step
// ends that step with its reason, never a hang. The stalling servers are
// the subtests' own and each waits out its timeout, so they run in
// parallel; the refused port runs first, alone, so that no other subtest's
// server can take it meanwhile.
func TestRunTimeoutsAndRefusals(t *testing.T) {
	closedPort := func(t *testing.T) string {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		l.Close()
		return "ldap://" + addr
	}
	stalling := func(mode string) func(t *testing.T) string {
		return func(t *testing.T) string { return stallServer(t, mode) }
	}
	tests := []struct {
		name    string
		url     func(t *testing.T) string
		setting func(*Setting)
		step    StepKind
		reason  Reason
	}{
		{"connection refused", closedPort, nil, StepConnect, ReasonRefused},
		{"server accepts and never answers", stalling("silent"), nil, StepManagerBind, ReasonTimeout},
		{"never answers an anonymous pattern bind", stalling("silent"),
			func(s *Setting) { s.UserDNPattern, s.Search = "uid={0},ou=people", Search{} }, StepUserBind, ReasonTimeout},
		{"LDAPS server never does the handshake", func(t *testing.T) string { return strings.Replace(stallServer(t, "silent"), "ldap:", "ldaps:", 1) }, nil, StepTLS, ReasonTimeout},
		{"server stalls StartTLS", stalling("starttls"), func(s *Setting) { s.StartTLS = true }, StepTLS, ReasonTimeout},
		{"server accepts StartTLS, never handshakes", stalling("starttls-then-silent"), func(s *Setting) { s.StartTLS = true }, StepTLS, ReasonTimeout},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.reason == ReasonTimeout {
				t.Parallel()
			}
			s := searchSetting(tc.url(t))
			if tc.setting != nil {
				tc.setting(&s)
			}
			opt := testOptions("alice", "alice-pw")
			opt.ConnectTimeout, opt.ReadTimeout = 2*time.Second, 300*time.Millisecond
			res := run(t, context.Background(), s, nil, opt)
			if !hasStep(res, tc.step, StatusFail, tc.reason) {
				t.Errorf("no failed %s step with reason %s", tc.step, tc.reason)
			}
			if res.OK() {
				t.Error("OK against a broken server")
			}
			if tc.reason == ReasonTimeout && !res.TimedOut {
				t.Error("Result.TimedOut not set")
			}
		})
	}
}

func TestRunReturnsWhenCanceled(t *testing.T) {
	for _, mode := range []string{"silent", "starttls"} {
		t.Run(mode, func(t *testing.T) {
			s := searchSetting(stallServer(t, mode))
			s.StartTLS = mode == "starttls"
			opt := testOptions("alice", "alice-pw")
			// Far longer than the test may take: only cancelation can end it.
			opt.ReadTimeout = time.Hour
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var mu sync.Mutex
			res := Run(ctx, s, nil, opt, func(st Step) {
				mu.Lock()
				defer mu.Unlock()
				if st.Kind == StepConnect {
					cancel() // the wizard's Esc, right when the server starts stalling
				}
			})
			if !res.Canceled || !hasStep(res, StepSummary, StatusFail, ReasonCanceled) {
				t.Errorf("not reported as canceled: %+v", res.Steps)
			}
		})
	}
}
