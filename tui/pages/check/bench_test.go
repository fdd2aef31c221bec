package check

import (
	"fmt"
	"testing"
	"time"

	"frontdoor/config"
	"frontdoor/doorcheck"
	"frontdoor/render"
	"frontdoor/tui/common"
	"frontdoor/tui/document"
)

// A check of 1,000 Docker repositories reports ~3,000 steps. Drawing them
// once (a run coming in) and laying the screen out again with nothing new
// (every key press, every spinner tick) stay cheap.
func BenchmarkLayout1000Repositories(b *testing.B) {
	st := common.NewStyles(true, false)
	keys := common.NewKeys()
	var status common.Status
	doc := document.New(&config.File{Proxy: render.Defaults()}, time.Now)
	steps := make([]doorcheck.Step, 3000)
	for i := range steps {
		steps[i] = doorcheck.Step{Kind: doorcheck.KindDocker, Status: doorcheck.StatusOK, Duration: time.Millisecond,
			Name:   fmt.Sprintf("Docker docker-%d (https://docker-%d.artifactory.example.com)", i, i),
			Detail: fmt.Sprintf("/v2/ 401, Bearer realm https://docker-%d.artifactory.example.com/artifactory/api/docker/docker-%d/v2/token (public scheme, host and port)", i, i)}
	}
	b.Run("steps_arrive", func(b *testing.B) {
		for b.Loop() {
			p := New(&st, &keys, &status, doc, Options{NoSpin: true})
			p.Replay(Run{Title: "artifactory.example.com", Steps: steps}, nil)
			p.Layout(160, 48)
		}
	})
	b.Run("nothing_new", func(b *testing.B) {
		p := New(&st, &keys, &status, doc, Options{NoSpin: true})
		p.Replay(Run{Title: "artifactory.example.com", Steps: steps}, nil)
		p.Layout(160, 48)
		for b.Loop() {
			p.Layout(160, 48)
			_ = p.Render()
		}
	})
}
