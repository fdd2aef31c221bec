package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// reposFile is a settings file with n Docker repositories, as people write
// them (one {key, port} per line).
func reposFile(n int) string {
	var b strings.Builder
	b.WriteString("# many repositories\nproxy:\n  provider: nginx\n  serverName: a.example.com\n  docker:\n    method: ports\n    repositories:\n")
	for i := range n {
		fmt.Fprintf(&b, "      - {key: docker-%04d, port: %d}\n", i, 5000+i)
	}
	return b.String()
}

func benchOpen(b *testing.B, n int) {
	path := filepath.Join(b.TempDir(), "frontdoor.yaml")
	if err := os.WriteFile(path, []byte(reposFile(n)), 0o644); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Open(path, true); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOpen1Repository(b *testing.B)      { benchOpen(b, 1) }
func BenchmarkOpen1000Repositories(b *testing.B) { benchOpen(b, 1000) }

// BenchmarkEdit1000Repositories is the splice and its read-back check for
// one port changed in a 1,000-repository file, without the disk.
func BenchmarkEdit1000Repositories(b *testing.B) {
	src := []byte(reposFile(1000))
	f, doc, err := decode(src)
	if err != nil {
		b.Fatal(err)
	}
	g := f.Clone()
	g.Proxy.Docker.Repositories[500].Port = 6500
	b.ReportAllocs()
	for b.Loop() {
		out, ok := edit(src, doc, f, g)
		if !ok {
			b.Fatal("not placed")
		}
		if back, _, err := decode(out); err != nil || !back.Equal(g) {
			b.Fatal("read back differs")
		}
	}
}

// BenchmarkWrite1000Repositories is Document.Write of one changed port:
// the check for outside changes, the splice, its read-back, the atomic
// write (with its fsyncs, which dominate on most disks).
func BenchmarkWrite1000Repositories(b *testing.B) {
	path := filepath.Join(b.TempDir(), "frontdoor.yaml")
	if err := os.WriteFile(path, []byte(reposFile(1000)), 0o644); err != nil {
		b.Fatal(err)
	}
	doc, err := Open(path, true)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	port := 6000
	for b.Loop() {
		f := doc.Settings()
		port++
		f.Proxy.Docker.Repositories[500].Port = port
		if doc, err = doc.Write(f, WriteOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
