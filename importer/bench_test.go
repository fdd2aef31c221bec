package importer

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkImport5000Lines imports a configuration of 5,000 lines (the
// vendor's layout of one server per Docker repository port, for 160
// repositories): parse, recognise, render the new snippet, reduce both to
// models and diff them. The budget is 50 ms.
func BenchmarkImport5000Lines(b *testing.B) {
	f := fixtures[3] // nginx-ports
	v := f.standardValues()
	v.Docker = nil
	for i := range 160 {
		v.Docker = append(v.Docker, 5001+i)
	}
	data := renderManyPorts(b, f.name, v)
	lines := bytes.Count(data, []byte("\n"))
	if lines < 5000 {
		b.Fatalf("%d lines, want 5,000 or more", lines)
	}
	path := filepath.Join(b.TempDir(), "artifactory.conf")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		res, err := Import([]string{path}, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Settings.Docker.Repositories) != 160 {
			b.Fatalf("%d repositories", len(res.Settings.Docker.Repositories))
		}
	}
}

// BenchmarkRediff is the wizard's review step after an edit: render the
// edited settings, reduce the snippet to a model, diff it with the old one
// (a vendor configuration of one server).
func BenchmarkRediff(b *testing.B) {
	f := fixtures[1] // nginx-vendor7
	path := writeFixture(b, b.TempDir(), f.name, f.standardValues())
	res, err := Import([]string{path}, Options{})
	if err != nil {
		b.Fatal(err)
	}
	s := res.Settings.Clone()
	s.HTTP.RedirectToHTTPS = true
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := res.Rediff(&s); err != nil {
			b.Fatal(err)
		}
	}
}
