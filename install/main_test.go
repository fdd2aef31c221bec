package install

import (
	"os"
	"testing"
	"time"
)

// TestMain shortens killGrace for every test of the package, before any
// runs (so no test reads it while it changes): the cancel tests wait it out
// where a check ignores SIGTERM, and what they prove (SIGTERM to the group,
// SIGKILL for what ignores it, nothing left running) does not depend on
// its length. 2 s each would hold up the package for nothing.
func TestMain(m *testing.M) {
	killGrace = 100 * time.Millisecond
	os.Exit(m.Run())
}
