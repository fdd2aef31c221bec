package render

import (
	"fmt"
	"testing"
	"time"

	"frontdoor/internal/servertest"
)

// benchSettings: the ports method with n Docker repositories, HTTP and HTTPS,
// mTLS on, so every part of the templates runs. The wizard re-renders on every
// keystroke: the target is ≤ 1 ms at 1,000 repositories.
//
// The Kubernetes outputs use the subdomain method instead, their largest
// (an Ingress, or an HTTPRoute per listener, per repository): an Ingress
// cannot express the ports method, and a Gateway holds at most 64
// listeners.
func benchSettings(p Provider, n int) Settings {
	m := DockerPorts
	if p.IsKubernetes() {
		m = DockerSubdomain
	}
	s := goldenSettings(p, m, redirectTo, 1, true)
	s.HTTP.RedirectToHTTPS = false
	s.Docker.Repositories = make([]DockerRepository, n)
	for i := range s.Docker.Repositories {
		s.Docker.Repositories[i] = DockerRepository{Key: fmt.Sprintf("docker-%04d", i)}
		if m == DockerPorts {
			s.Docker.Repositories[i].Port = 10000 + i
		}
	}
	return s
}

// benchProviders are the providers with an output.
var benchProviders = []Provider{Nginx, Apache, HAProxy, Caddy, KubernetesIngress, GatewayAPI}

func BenchmarkRender(b *testing.B) {
	for _, p := range benchProviders {
		for _, n := range []int{1, 100, 1000} {
			s := benchSettings(p, n)
			b.Run(fmt.Sprintf("%s/repos=%d", p, n), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := Render(&s); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

func BenchmarkValidate(b *testing.B) {
	s := benchSettings(Nginx, 1000)
	b.ReportAllocs()
	for b.Loop() {
		if fs := Validate(&s); fs.HasErrors() {
			b.Fatal(fs)
		}
	}
}

// BenchmarkCheckCertificates: the subdomain method asks whether the
// certificate covers every <key>.<serverName>, on every keystroke.
func BenchmarkCheckCertificates(b *testing.B) {
	files := servertest.NewTLSFiles(b, "artifactory.example.com")
	s := benchSettings(Nginx, 1000)
	s.Docker.Method = DockerSubdomain
	ci := LoadCertificates(files.Server.CertPath, files.Server.KeyPath)
	now := time.Now()
	b.ReportAllocs()
	for b.Loop() {
		if fs := CheckCertificates(&s, ci, now); fs.HasErrors() {
			b.Fatal(fs)
		}
	}
}

// The benchmark settings must be valid, or the benchmarks measure the
// validator's rejection instead of rendering.
func TestBenchSettingsValid(t *testing.T) {
	for _, p := range benchProviders {
		s := benchSettings(p, 1000)
		if fs := Validate(&s); fs.HasErrors() {
			t.Fatalf("%s: %s", p, fs)
		}
	}
}

// BenchmarkRepositoryVerdicts: the Docker table's one mark per row, worked
// out after every keystroke that changed the settings.
func BenchmarkRepositoryVerdicts(b *testing.B) {
	files := servertest.NewTLSFiles(b, "artifactory.example.com")
	ci := LoadCertificates(files.Server.CertPath, files.Server.KeyPath)
	for _, m := range []DockerMethod{DockerSubdomain, DockerPorts} {
		s := benchSettings(Nginx, 1000)
		s.Docker.Method = m
		fs := Validate(&s)
		b.Run(string(m), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				RepositoryVerdicts(&s, fs, ci)
			}
		})
	}
}

// Blocks written straight into the output (spliced) give the bytes the
// template would have printed: the large outputs of the benchmarks above
// take the spliced way, the goldens the printed one.
func TestSplicedBlocksAsPrinted(t *testing.T) {
	for _, p := range []Provider{KubernetesIngress, GatewayAPI} {
		for _, m := range DockerMethods {
			s := benchSettings(p, 300)
			s.Docker.Method = m
			if m == DockerPorts && p == GatewayAPI {
				s.Docker.Repositories = s.Docker.Repositories[:40] // a Gateway holds 64 listeners
			}
			spliced, err := Render(&s)
			if err != nil {
				continue // the ports method of an Ingress
			}
			saved := blockMin
			blockMin = 1 << 62
			printed, err := Render(&s)
			blockMin = saved
			if err != nil || string(spliced) != string(printed) {
				t.Errorf("%s %s: spliced output (%d bytes) differs from printed (%d bytes, %v)", p, m, len(spliced), len(printed), err)
			}
		}
	}
}
