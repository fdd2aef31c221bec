package doorcheck_test

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"frontdoor/doorcheck"
	"frontdoor/render"
)

// BenchmarkCheck100Repositories: every step but the upload (the login
// included) for 100 Docker repositories by subdomain, through a real nginx
// on loopback. The budget: 1 s per run.
func BenchmarkCheck100Repositories(b *testing.B) {
	keys := make([]string, 100)
	for i := range keys {
		keys[i] = fmt.Sprintf("docker-%03d", i)
	}
	d := startDoor(b, scenario{keys: keys})
	plan, err := doorcheck.FromSettings(&d.settings, "bench")
	if err != nil {
		b.Fatal(err)
	}
	opt := d.options()
	b.ResetTimer()
	for range b.N {
		res := doorcheck.Run(context.Background(), plan, opt, nil)
		if !res.OK() {
			b.Fatalf("the door does not work: %+v", res.FirstFailure)
		}
	}
}

// BenchmarkUpload64MiB: the 64 MiB upload probe through a real nginx. It
// streams: what the process allocates per run (the check, and the stand-in
// behind nginx, which keeps nothing) stays far below the upload's size.
func BenchmarkUpload64MiB(b *testing.B) {
	d := startDoor(b, scenario{keys: []string{"docker-local"}, keepBytes: -1})
	opt := d.options()
	opt.UploadSize = 64 << 20
	run := onlyUpload(b, d)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	for range b.N {
		if st := run(opt); st.Status != doorcheck.StatusOK {
			b.Fatalf("upload: %s", st.Detail)
		}
	}
	b.StopTimer()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/(1<<20), "MiB-alloc/op")
	b.SetBytes(opt.UploadSize)
}

// TestUpload64MiBStreams: the 64 MiB upload allocates under 32 MiB in all
// (not a sampled peak: every byte allocated while it runs, stand-in
// included). Not parallel, so no other test's allocations count.
func TestUpload64MiBStreams(t *testing.T) {
	if testing.Short() {
		t.Skip("64 MiB through nginx")
	}
	d := startDoor(t, scenario{keys: []string{"docker-local"}, keepBytes: -1})
	opt := d.options()
	opt.UploadSize = 64 << 20
	run := onlyUpload(t, d)
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	st := run(opt)
	runtime.ReadMemStats(&after)
	if st.Status != doorcheck.StatusOK {
		t.Fatalf("upload: %s", st.Detail)
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("%s; %.1f MiB allocated", st.Detail, float64(alloc)/(1<<20))
	if alloc > 32<<20 {
		t.Errorf("the 64 MiB upload allocated %.1f MiB: it does not stream", float64(alloc)/(1<<20))
	}
}

// onlyUpload returns a function that runs the check of the door with the
// upload and returns the upload step.
func onlyUpload(t testing.TB, d *door) func(doorcheck.Options) doorcheck.Step {
	s := d.settings
	s.Docker.Method = render.DockerSubdomain
	plan, err := doorcheck.FromSettings(&s, "upload")
	if err != nil {
		t.Fatal(err)
	}
	return func(opt doorcheck.Options) doorcheck.Step {
		res := doorcheck.Run(context.Background(), plan, opt, nil)
		st, ok := res.Last(doorcheck.KindUpload)
		if !ok {
			t.Fatalf("no upload step: %+v", res.Steps)
		}
		return st
	}
}
