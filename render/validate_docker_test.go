package render

import (
	"strings"
	"testing"
	"time"

	"frontdoor/internal/servertest"
)

// A key listed twice is flagged on every row that holds it, each naming
// another, like a shared port: a table must not show one copy as fine.
func TestDuplicateKeyFlagsEveryRow(t *testing.T) {
	for _, m := range []DockerMethod{DockerSubdomain, DockerPorts, DockerRepositoryPath} {
		t.Run(string(m), func(t *testing.T) {
			s := validBase()
			s.Docker.Method = m
			s.Docker.Repositories = []DockerRepository{{Key: "docker", Port: 5001}, {Key: "other", Port: 5002}, {Key: "Docker", Port: 5003}, {Key: "docker", Port: 5004}}
			checkFindings(t, Validate(&s), []want{
				{"proxy.docker.repositories[0].key", Error, "(also repositories[2])"},
				{"proxy.docker.repositories[2].key", Error, "(also repositories[0])"},
				{"proxy.docker.repositories[3].key", Error, "(also repositories[0])"},
			})
		})
	}
}

// A subdomain key with a dot is one problem, wildcard depth, said once:
// not also "not a DNS label" or "the certificate does not cover it".
func TestKeyWithDotReportedOnce(t *testing.T) {
	files := servertest.NewTLSFiles(t, "artifactory.example.com")
	for _, key := range []string{"team.docker", "Team.docker_x", "team.-x"} {
		s := withFiles(validBase(), files.Server.CertPath, files.Server.KeyPath, files.CA.Path)
		s.Docker.Method = DockerSubdomain
		s.Docker.Repositories = []DockerRepository{{Key: "docker"}, {Key: key}}
		fs, _ := ValidateWithFiles(&s, time.Now())
		checkFindings(t, fs, []want{{"proxy.docker.repositories[1].key", Error, "a wildcard certificate covers one level"}})
	}
}

func TestSuggestDockerPort(t *testing.T) {
	ports := func(ps ...int) []DockerRepository {
		var rs []DockerRepository
		for i, p := range ps {
			rs = append(rs, DockerRepository{Key: "r" + string(rune('a'+i)), Port: p})
		}
		return rs
	}
	cases := []struct {
		name   string
		change func(s *Settings)
		want   int
	}{
		{"no repositories", func(s *Settings) { s.Docker.Repositories = nil }, 5001},
		{"one above the highest", func(s *Settings) { s.Docker.Repositories = ports(5001, 5007, 5003) }, 5008},
		{"skips the HTTP port", func(s *Settings) { s.HTTP.Port = 5002; s.Docker.Repositories = ports(5001) }, 5003},
		{"skips the HTTPS port", func(s *Settings) { s.HTTPS.Port = 5001; s.Docker.Repositories = nil }, 5002},
		{"skips Artifactory's ports on a local node", func(s *Settings) { s.Docker.Repositories = ports(8080) }, 8083},
		{"takes Artifactory's ports on a remote node", func(s *Settings) { s.Nodes = []string{"art1.internal"}; s.Docker.Repositories = ports(8080) }, 8081},
		{"HTTP off frees its port", func(s *Settings) {
			s.HTTP = HTTP{Port: 5001}
			s.Docker.Repositories = nil
		}, 5001},
		{"past 65535: the lowest free from 5001", func(s *Settings) { s.Docker.Repositories = ports(65535, 5001, 5002) }, 5003},
		{"invalid ports are ignored", func(s *Settings) { s.Docker.Repositories = ports(70000, -1, 0) }, 5001},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := validBase()
			c.change(&s)
			got := SuggestDockerPort(&s)
			if got != c.want {
				t.Errorf("SuggestDockerPort = %d, want %d", got, c.want)
			}
			// The suggestion itself must pass Validate in a new row.
			s.Docker.Method = DockerPorts
			s.Docker.Repositories = append(s.Docker.Repositories, DockerRepository{Key: "new-row", Port: got})
			if fs := Validate(&s).For(repoPath(len(s.Docker.Repositories)-1, "port")); fs.HasErrors() {
				t.Errorf("the suggested port is refused:\n%s", fs)
			}
		})
	}
	// Every port taken: no suggestion rather than a taken one.
	s := validBase()
	s.Docker.Repositories = make([]DockerRepository, 0, 65536)
	for p := 1; p <= 65535; p++ {
		s.Docker.Repositories = append(s.Docker.Repositories, DockerRepository{Port: p})
	}
	if got := SuggestDockerPort(&s); got != 0 {
		t.Errorf("all ports taken: got %d, want 0", got)
	}
}

// Validate's messages suggest a port that is free, not one already taken.
func TestPortMessagesSuggestFreePort(t *testing.T) {
	s := validBase() // HTTP 80, HTTPS 443, a local node: 8081 and 8082 are taken
	s.Docker.Repositories = []DockerRepository{{Key: "a", Port: 8080}, {Key: "b", Port: 0}, {Key: "c", Port: 8080}}
	fs := Validate(&s)
	for _, f := range fs.Errors() {
		if !strings.HasSuffix(f.Message, "e.g. 8083") {
			t.Errorf("%s: want the suggestion 8083", f)
		}
	}
	if len(fs.Errors()) != 3 {
		t.Errorf("want 3 errors, got:\n%s", fs)
	}
}

// RepositoryVerdicts gives one mark per row that agrees with every finding
// about it.
func TestRepositoryVerdicts(t *testing.T) {
	files := servertest.NewTLSFiles(t, "artifactory.example.com")
	exact := servertest.NewTLSFiles(t, "artifactory.example.com")
	exactCert := exact.CA.Issue(t, exact.Dir, "exact", servertest.CertSpec{DNSNames: []string{"artifactory.example.com"}})
	sub := func(cert, key string, keys ...string) Settings {
		s := withFiles(validBase(), cert, key, files.CA.Path)
		s.Docker.Method = DockerSubdomain
		s.Docker.Repositories = nil
		for _, k := range keys {
			s.Docker.Repositories = append(s.Docker.Repositories, DockerRepository{Key: k})
		}
		return s
	}
	type row struct {
		mark    RowMark
		address string
		first   string // part of the first finding's message
	}
	cases := []struct {
		name     string
		s        Settings
		withCert bool
		want     []row
	}{
		{"covered, duplicate, upper case, dot",
			sub(files.Server.CertPath, files.Server.KeyPath, "docker", "docker", "Other", "team.docker", "fine"), true,
			[]row{
				{RowError, "docker.artifactory.example.com", "listed twice"},
				{RowError, "docker.artifactory.example.com", "listed twice"},
				{RowError, "Other.artifactory.example.com", "upper case"},
				{RowError, "team.docker.artifactory.example.com", "wildcard certificate covers one level"},
				{RowOK, "fine.artifactory.example.com", ""},
			}},
		{"certificate not read", sub(files.Server.CertPath, files.Server.KeyPath, "docker"), false,
			[]row{{RowUnchecked, "docker.artifactory.example.com", ""}}},
		{"not covered", sub(exactCert.CertPath, exactCert.KeyPath, "docker"), true,
			[]row{{RowError, "docker.artifactory.example.com", "needs a wildcard"}}},
		{"ports: warning and clash", func() Settings {
			s := validBase()
			s.Docker.Repositories = []DockerRepository{{Key: "a", Port: 444}, {Key: "b", Port: 5001}, {Key: "c", Port: 5001}}
			return s
		}(), false,
			[]row{{RowWarning, "artifactory.example.com:444", "below 1024"}, {RowError, "artifactory.example.com:5001", "each repository needs its own port"}, {RowError, "artifactory.example.com:5001", "each repository needs its own port"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var fs Findings
			var ci *CertInfo
			if c.withCert {
				fs, ci = ValidateWithFiles(&c.s, time.Now())
			} else {
				fs = Validate(&c.s)
			}
			got := RepositoryVerdicts(&c.s, fs, ci)
			if len(got) != len(c.want) {
				t.Fatalf("%d verdicts, want %d", len(got), len(c.want))
			}
			for i, w := range c.want {
				g := got[i]
				first := ""
				if len(g.Findings) > 0 {
					first = g.Findings[0].Message
				}
				if g.Mark != w.mark || g.Address != w.address || !strings.Contains(first, w.first) || (w.first == "") != (first == "") {
					t.Errorf("row %d: mark %d, address %q, first finding %q; want %d, %q, %q", i, g.Mark, g.Address, first, w.mark, w.address, w.first)
				}
			}
		})
	}
}
