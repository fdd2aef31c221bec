package standin_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"frontdoor/doorcheck/standin"
)

// TestEarlyAnswerKeepsConnection: an upload answered before its body is read
// (401 without credentials, as to frontdoor check's streaming probe) gets its
// whole answer while the client still holds the rest of the body back, and
// the connection then carries the next request, as Tomcat's does. Before,
// the stand-in closed it after 256 KiB although its answer had promised
// keep-alive, and Apache, reusing it, answered 502 to the next request.
func TestEarlyAnswerKeepsConnection(t *testing.T) {
	srv := standin.New(standin.Config{Keys: []string{"docker-local"}, User: "alice", Password: "pw"})
	art, router := srv.Start(t, "", "")
	for _, tc := range []struct {
		name       string
		addr, path string
		head, tail int // body bytes sent before the answer is read, and after
	}{
		{"1 KiB", art, "/artifactory/api/docker/docker-local/v2/img/blobs/uploads/nope", 1 << 10, 0},
		{"256 KiB, the streaming probe", art, "/artifactory/api/docker/docker-local/v2/img/blobs/uploads/nope", 64 << 10, 192 << 10},
		{"2 MiB", art, "/artifactory/api/docker/docker-local/v2/img/blobs/uploads/nope", 64 << 10, 2<<20 - 64<<10},
		{"router port", router, "/v2/docker-local/img/blobs/uploads/nope", 64 << 10, 192 << 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, br := dial(t, tc.addr)
			fmt.Fprintf(c, "PATCH %s HTTP/1.1\r\nHost: artifactory.test\r\nTransfer-Encoding: chunked\r\n\r\n", tc.path)
			writeChunk(t, c, tc.head)
			resp := readResponse(t, br, http.MethodPatch)
			if resp.StatusCode != http.StatusUnauthorized || resp.Close {
				t.Fatalf("answer to the upload: %s, Connection: close %v; want 401 keeping the connection", resp.Status, resp.Close)
			}
			writeChunk(t, c, tc.tail)
			if _, err := io.WriteString(c, "0\r\n\r\n"); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(c, "GET /artifactory/api/system/ping HTTP/1.1\r\nHost: artifactory.test\r\n\r\n")
			if resp := readResponse(t, br, http.MethodGet); resp.StatusCode != http.StatusOK {
				t.Fatalf("next request on the connection: %s", resp.Status)
			}
		})
	}
}

// TestEarlyAnswerToExpectContinueCloses: a client waiting for 100 Continue
// is told that the connection closes (Tomcat's answer to an unmet
// expectation), instead of being left waiting.
func TestEarlyAnswerToExpectContinueCloses(t *testing.T) {
	srv := standin.New(standin.Config{Keys: []string{"docker-local"}, User: "alice", Password: "pw"})
	art, _ := srv.Start(t, "", "")
	c, br := dial(t, art)
	fmt.Fprintf(c, "PATCH /artifactory/api/docker/docker-local/v2/img/blobs/uploads/nope HTTP/1.1\r\nHost: artifactory.test\r\nContent-Length: 1000\r\nExpect: 100-continue\r\n\r\n")
	resp := readResponse(t, br, http.MethodPatch)
	if resp.StatusCode != http.StatusUnauthorized || !resp.Close {
		t.Fatalf("got %s, Connection: close %v; want 401 closing the connection", resp.Status, resp.Close)
	}
	if _, err := br.ReadByte(); err != io.EOF {
		t.Fatalf("after the answer: %v, want the connection closed (EOF)", err)
	}
}

// TestEarlyAnswerLongBodyCloses: past Tomcat's maxSwallowSize (2 MiB) of
// unread body the connection is closed, as Tomcat closes it.
func TestEarlyAnswerLongBodyCloses(t *testing.T) {
	srv := standin.New(standin.Config{Keys: []string{"docker-local"}, User: "alice", Password: "pw"})
	art, _ := srv.Start(t, "", "")
	c, br := dial(t, art)
	fmt.Fprintf(c, "PATCH /artifactory/api/docker/docker-local/v2/img/blobs/uploads/nope HTTP/1.1\r\nHost: artifactory.test\r\nTransfer-Encoding: chunked\r\n\r\n")
	writeChunk(t, c, 64<<10)
	if resp := readResponse(t, br, http.MethodPatch); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("answer to the upload: %s, want 401", resp.Status)
	}
	go func() {
		// Fails once the stand-in closes; the read below sees it.
		for range 48 {
			if _, err := fmt.Fprintf(c, "%x\r\n%s\r\n", 64<<10, strings.Repeat("x", 64<<10)); err != nil {
				return
			}
		}
	}()
	if b, err := br.ReadByte(); err == nil {
		t.Fatalf("after 3 MiB of unread body the connection is still open (read %q)", b)
	}
}

func dial(t *testing.T, addr string) (net.Conn, *bufio.Reader) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	// A bound for a wedged stand-in, not an assertion.
	_ = c.SetDeadline(time.Now().Add(30 * time.Second))
	return c, bufio.NewReader(c)
}

func writeChunk(t *testing.T, w io.Writer, n int) {
	t.Helper()
	if n == 0 {
		return
	}
	if _, err := fmt.Fprintf(w, "%x\r\n%s\r\n", n, strings.Repeat("x", n)); err != nil {
		t.Fatal(err)
	}
}

// readResponse reads one whole answer.
func readResponse(t *testing.T, br *bufio.Reader, method string) *http.Response {
	t.Helper()
	resp, err := http.ReadResponse(br, &http.Request{Method: method})
	if err != nil {
		t.Fatalf("reading the answer: %v", err)
	}
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		t.Fatalf("reading the answer's body: %v", err)
	}
	resp.Body.Close()
	return resp
}
