package render

import (
	"strings"
	"testing"
)

// The header comment counts the Docker repositories in plain English: it
// sits at the top of every installed file.
func TestHeaderCountsRepositories(t *testing.T) {
	cases := []struct {
		repos int
		want  string
	}{
		{1, "Docker: ports, 1 repository."},
		{2, "Docker: ports, 2 repositories."},
	}
	for _, c := range cases {
		s := validBase()
		s.Docker.Repositories = s.Docker.Repositories[:0]
		for i := range c.repos {
			s.Docker.Repositories = append(s.Docker.Repositories, DockerRepository{Key: "docker-" + string(rune('a'+i)), Port: 5001 + i})
		}
		if got := strings.Join(header(&s), "\n"); !strings.Contains(got, c.want) {
			t.Errorf("%d repositories: header\n%s\nwant %q", c.repos, got, c.want)
		}
	}
}
