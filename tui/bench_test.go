package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"frontdoor/config"
	"frontdoor/render"
)

// manyRepos is the example with n Docker repositories of the ports method.
func manyRepos(tb testing.TB, n int, method render.DockerMethod) *config.File {
	f := parseFile(tb, exampleYAML)
	f.Proxy.Docker.Method = method
	f.Proxy.Docker.Repositories = make([]render.DockerRepository, n)
	for i := range n {
		f.Proxy.Docker.Repositories[i] = render.DockerRepository{Key: fmt.Sprintf("docker-%d", i), Port: 10000 + i}
	}
	return f
}

func benchModel(b *testing.B, f *config.File, o ...modelOption) *Model {
	opts := Options{
		File: f, ConfigPath: "frontdoor.yaml", Target: fixedTarget,
		Now: func() time.Time { return fixedNow }, ReadFile: fakeFiles{}.read, LoadCertificates: noCerts, LoadClientCA: noClientCA,
	}
	for _, fn := range o {
		fn(&opts)
	}
	m := New(opts)
	send(b, m, tea.WindowSizeMsg{Width: 160, Height: 48})
	run(b, m, m.Init())
	return m
}

// BenchmarkKeystroke is one key typed into a Docker port cell of a table of
// 1,000 repositories (ports method, preview beside the form), the focus in
// the middle of the table. "update+view" is what the UI goroutine does per
// key (validation included; target: <= 2 ms); "with-preview" adds the preview
// job that runs in a command (render, render again with the field varied,
// diff both and against the target) and drawing its result.
func BenchmarkKeystroke(b *testing.B) {
	for _, method := range []render.DockerMethod{render.DockerPorts, render.DockerSubdomain} {
		certs := newTestCerts(b, []string{"artifactory.example.com", "*.artifactory.example.com"}, fixedNow.AddDate(1, 0, 0))
		m := benchModel(b, manyRepos(b, 1000, method), func(o *Options) { o.LoadCertificates = certs.load })
		press(b, m, "enter", "pgdown", "pgdown", "pgdown", "tab")
		for range 500 {
			press(b, m, "down")
		}
		if method == render.DockerPorts {
			press(b, m, "tab") // the port column
		}
		if !strings.Contains(screenText(m), "docker-500") {
			b.Fatalf("focus not in the table:\n%s", screenText(m))
		}
		keys := []tea.KeyPressMsg{{Code: '7', Text: "7"}, {Code: tea.KeyBackspace}}
		b.Run(string(method)+"/update+view", func(b *testing.B) {
			i := 0
			for b.Loop() {
				m.Update(keys[i%2])
				_ = m.View()
				i++
			}
		})
		b.Run(string(method)+"/with-preview", func(b *testing.B) {
			i := 0
			for b.Loop() {
				_, cmd := m.Update(keys[i%2])
				run(b, m, cmd)
				_ = m.View()
				i++
			}
		})
	}
}

// BenchmarkFirstFrame is start to first frame: the model built from loaded
// settings, sized, and drawn; "with-preview" includes the first preview job.
func BenchmarkFirstFrame(b *testing.B) {
	for _, n := range []int{3, 1000} {
		f := manyRepos(b, n, render.DockerPorts)
		b.Run(fmt.Sprintf("repos=%d", n), func(b *testing.B) {
			for b.Loop() {
				m := New(Options{File: f, Target: fixedTarget, ReadFile: fakeFiles{}.read, LoadCertificates: noCerts, LoadClientCA: noClientCA})
				m.Update(tea.WindowSizeMsg{Width: 160, Height: 48})
				_ = m.View()
			}
		})
		b.Run(fmt.Sprintf("repos=%d/with-preview", n), func(b *testing.B) {
			for b.Loop() {
				m := New(Options{File: f, Target: fixedTarget, ReadFile: fakeFiles{}.read, LoadCertificates: noCerts, LoadClientCA: noClientCA})
				m.Update(tea.WindowSizeMsg{Width: 160, Height: 48})
				run(b, m, m.Init())
				_ = m.View()
			}
		})
	}
}
