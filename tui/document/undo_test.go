package document

import (
	"testing"

	"frontdoor/config"
	"frontdoor/install"
	"frontdoor/ldapcheck"
	"frontdoor/render"
)

func TestUndoStepsPerGroupAndSection(t *testing.T) {
	d := New(&config.File{Proxy: render.Defaults()}, nil)
	name := d.File.Proxy.ServerName
	// Typing "a", "b" in one field is one step; the next field another.
	d.Checkpoint(SectionProxy, "text:name", "proxy.serverName")
	d.File.Proxy.ServerName = name + "a"
	d.Checkpoint(SectionProxy, "text:name", "proxy.serverName")
	d.File.Proxy.ServerName = name + "ab"
	d.ProxyChanged()
	d.Checkpoint(SectionProxy, "text:port", "proxy.http.port")
	d.File.Proxy.HTTP.Port = 8080
	d.ProxyChanged()
	d.Checkpoint(SectionLDAP, "", "ldap.settings[0]")
	d.EditLDAP(func(c *ldapcheck.Config) { c.Settings = append(c.Settings, ldapcheck.NewSetting("x")) })

	if where, ok := d.Undo(SectionProxy); !ok || where != "proxy.http.port" || d.File.Proxy.HTTP.Port == 8080 {
		t.Fatalf("first undo: %q %v port %d", where, ok, d.File.Proxy.HTTP.Port)
	}
	if len(d.File.LDAP.Settings) != 1 {
		t.Fatal("an HTTP undo touched the LDAP section")
	}
	if where, _ := d.Undo(SectionProxy); where != "proxy.serverName" || d.File.Proxy.ServerName != name || d.ProxyDirty() {
		t.Fatalf("second undo: %q, name %q, dirty %v", where, d.File.Proxy.ServerName, d.ProxyDirty())
	}
	if _, ok := d.Undo(SectionProxy); ok {
		t.Fatal("a third undo found something")
	}
	// The same field after the focus moved away is a step of its own.
	d.Checkpoint(SectionProxy, "text:name", "")
	d.File.Proxy.ServerName = "x"
	d.EndGroup(SectionProxy)
	d.Checkpoint(SectionProxy, "text:name", "")
	d.File.Proxy.ServerName = "xy"
	d.Undo(SectionProxy)
	if d.File.Proxy.ServerName != "x" {
		t.Fatalf("undo after EndGroup: %q", d.File.Proxy.ServerName)
	}
	if _, ok := d.Undo(SectionLDAP); !ok || len(d.File.LDAP.Settings) != 0 || d.LDAPDirty() {
		t.Fatalf("LDAP undo: %+v", d.File.LDAP)
	}
}

func TestUndoHistoryIsBounded(t *testing.T) {
	d := New(nil, nil)
	for i := range maxUndo + 10 {
		d.Checkpoint(SectionProxy, "", "")
		d.File.Proxy.HTTP.Port = i + 1
	}
	n := 0
	for d.CanUndo(SectionProxy) {
		d.Undo(SectionProxy)
		n++
	}
	if n != maxUndo || d.File.Proxy.HTTP.Port != 10 {
		t.Fatalf("%d steps, port %d after undoing them all", n, d.File.Proxy.HTTP.Port)
	}
}

// The target follows the provider until the user edits it.
func TestTargetFollowsTheProvider(t *testing.T) {
	d := New(nil, nil)
	d.SetDetected(map[render.Provider]install.Target{
		render.Nginx: {Path: "/n"}, render.Apache: {Path: "/a"},
	})
	if d.Target.Path != "/n" {
		t.Fatalf("target %q", d.Target.Path)
	}
	d.File.Proxy.Provider = render.Apache
	d.ProxyChanged()
	if d.Target.Path != "/a" {
		t.Fatalf("target %q after the provider changed", d.Target.Path)
	}
	d.Target.Path, d.TargetEdited = "/mine", true
	d.File.Proxy.Provider = render.Nginx
	d.ProxyChanged()
	if d.Target.Path != "/mine" {
		t.Fatalf("an edited target was replaced: %q", d.Target.Path)
	}
}
