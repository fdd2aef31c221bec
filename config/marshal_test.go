package config

import (
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"frontdoor/render"
)

// A new file is a clean, commented rendering: short sections and list
// entries on one line, longer ones as blocks. go test -run TestMarshal -update
// rewrites testdata/TestMarshal/*.golden.
func TestMarshal(t *testing.T) {
	withSave := example()
	withSave.Save = SaveSettings{Target: "/etc/nginx/sites-available/artifactory.conf", Link: "/etc/nginx/sites-enabled/artifactory.conf", Check: "nginx -t", Keep: 3}
	ldapOnly := NewFile()
	ldapOnly.LDAP = ldapConfig("FRONTDOOR_LDAP_MANAGER_PASSWORD")
	apache := NewFile()
	apache.HasProxy = true
	apache.Proxy.Provider, apache.Proxy.ServerName = render.Apache, "repo.example.com"
	for name, f := range map[string]*File{"example": example(), "save": withSave, "ldap-only": ldapOnly, "defaults": apache} {
		t.Run(name, func(t *testing.T) {
			out, err := Marshal(f)
			if err != nil {
				t.Fatal(err)
			}
			golden.RequireEqual(t, out)
			back, err := Parse(out)
			if err != nil || !back.Equal(f) {
				t.Errorf("the rendering does not read back: %v %v", err, Diff(f, back))
			}
		})
	}
}
