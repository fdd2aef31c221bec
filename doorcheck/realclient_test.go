package doorcheck_test

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"frontdoor/doorcheck"
	"frontdoor/render"
)

// TestRealClientAgrees: a real registry client (go-containerregistry's, the
// one crane uses) pushes and pulls an image through the door the check
// passes, and fails through the door the check fails: the stand-in and the
// check judge doors as Docker clients meet them.
func TestRealClientAgrees(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name   string
		edit   func(t testing.TB, snippet string) string
		works  bool
		reason doorcheck.Reason
	}{
		{"frontdoor's snippet", nil, true, ""},
		{"base-URL header missing", replace("        proxy_set_header X-JFrog-Override-Base-Url $frontdoor_forwarded_proto://$host:$server_port;\n", ""), false, doorcheck.ReasonRealmScheme},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := startDoor(t, scenario{method: render.DockerSubdomain, keys: []string{"docker-local"}, edit: tt.edit})
			res := d.check(t, d.options())
			if res.OK() != tt.works {
				t.Fatalf("check OK %v, want %v: %+v", res.OK(), tt.works, res.FirstFailure)
			}
			if !tt.works {
				failedWith(t, res, doorcheck.StatusFail, tt.reason, "X-JFrog-Override-Base-Url")
			}
			err := pushPull(t, d, "docker-local."+serverName+":"+strconv.Itoa(d.settings.HTTPS.Port)+"/frontdoor/test:1")
			if tt.works && err != nil {
				t.Fatalf("a real client fails where the check passes: %v", err)
			}
			if !tt.works && err == nil {
				t.Fatal("a real client succeeds where the check fails")
			}
			t.Logf("real client: %v", err)
		})
	}
}

// pushPull pushes a random image to ref through the door and pulls it back.
func pushPull(t *testing.T, d *door, ref string) error {
	t.Helper()
	dialer := &net.Dialer{Timeout: 10 * time.Second}
	tr := &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			_, port, _ := net.SplitHostPort(addr)
			return dialer.DialContext(ctx, network, net.JoinHostPort("127.0.0.1", port))
		},
		TLSClientConfig: &tls.Config{RootCAs: d.tls.CA.Pool()},
	}
	t.Cleanup(tr.CloseIdleConnections)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second) // a bound, not an assertion
	defer cancel()
	opts := []remote.Option{remote.WithTransport(tr), remote.WithAuth(&authn.Basic{Username: testUser, Password: testPass}), remote.WithContext(ctx)}
	tag, err := name.NewTag(ref)
	if err != nil {
		t.Fatal(err)
	}
	img, err := random.Image(256<<10, 2)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(tag, img, opts...); err != nil {
		return err
	}
	got, err := remote.Image(tag, opts...)
	if err != nil {
		return err
	}
	want, _ := img.Digest()
	if dg, err := got.Digest(); err != nil || dg != want {
		t.Fatalf("pulled %v (%v), pushed %v", dg, err, want)
	}
	return nil
}
