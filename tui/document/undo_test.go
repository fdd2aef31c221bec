package document

import (
	"strings"
	"testing"

	"frontdoor/app"
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

// The target follows the provider; what the user typed stays.
func TestTargetFollowsTheProvider(t *testing.T) {
	d := New(nil, nil)
	detected := func(p render.Provider, path, reload string) Target {
		return NewTarget(DetectedTarget(p, install.Target{Path: path, CheckCmd: []string{string(p), "-t"}, ReloadCmd: strings.Fields(reload)}), nil)
	}
	d.SetDetected(map[render.Provider]Target{
		render.Nginx:  detected(render.Nginx, "/n", "systemctl reload nginx"),
		render.Apache: detected(render.Apache, "/a", "apache2ctl graceful"),
	})
	if d.Target.Path.Value != "/n" || d.Target.From("Target") != "detected" {
		t.Fatalf("target %+v", d.Target.Path)
	}
	d.File.Proxy.Provider = render.Apache
	d.ProxyChanged()
	if d.Target.Path.Value != "/a" {
		t.Fatalf("target %q after the provider changed", d.Target.Path.Value)
	}
	d.Target.Path.Edit("/mine")
	d.Target.SetReload(true) // as offered: apache2ctl graceful
	d.File.Proxy.Provider = render.Nginx
	d.ProxyChanged()
	tg := d.Target
	if tg.Path.Value != "/mine" || tg.From("Target") != "edited" || tg.Check.Value != "nginx -t" || tg.From("Check") != "detected" {
		t.Fatalf("an edited target was replaced: %+v", tg)
	}
	if !tg.ReloadOn || tg.App().Reload.Value != "systemctl reload nginx" || tg.From("Reload") != "edited" {
		t.Fatalf("the reload switched on as offered did not follow the provider: %+v", tg.App().Reload)
	}
}

// The reload switch: a reload from a flag or the save: section is on; the
// detected command is only offered; switching is a person's choice (so
// the next save remembers it), and off means no reload for app.
func TestTargetReloadSwitch(t *testing.T) {
	det := install.Target{Path: "/n", CheckCmd: []string{"nginx", "-t"}, ReloadCmd: []string{"systemctl", "reload", "nginx"}}
	cases := []struct {
		name     string
		reload   app.Setting[string]
		toggle   []bool
		on       bool
		want     string // App().Reload.Value
		origin   app.Origin
		remember string // save.reload after Remember
	}{
		{"detected: offered, off", app.Setting[string]{Origin: app.OriginDefault}, nil, false, "", app.OriginDefault, ""},
		{"switched on as offered", app.Setting[string]{Origin: app.OriginDefault}, []bool{true}, true, "systemctl reload nginx", app.OriginEdited, "systemctl reload nginx"},
		{"from --reload: on", app.Setting[string]{Value: "nginx -s reload", Origin: app.OriginFlag}, nil, true, "nginx -s reload", app.OriginFlag, "nginx -s reload"},
		{"remembered, switched off", app.Setting[string]{Value: "nginx -s reload", Origin: app.OriginRemembered}, []bool{false}, false, "", app.OriginEdited, ""},
		{"remembered, off and on again", app.Setting[string]{Value: "nginx -s reload", Origin: app.OriginRemembered}, []bool{false, true}, true, "nginx -s reload", app.OriginRemembered, "nginx -s reload"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := DetectedTarget(render.Nginx, det)
			a.Reload = tc.reload
			tg := NewTarget(a, nil)
			for _, on := range tc.toggle {
				tg.SetReload(on)
			}
			got := tg.App().Reload
			if tg.ReloadOn != tc.on || got.Value != tc.want || got.Origin != tc.origin {
				t.Fatalf("on %v, reload %+v; want on %v, %q %s", tg.ReloadOn, got, tc.on, tc.want, tc.origin)
			}
			if r := tg.App().Remember(config.SaveSettings{}).Reload; r != tc.remember {
				t.Fatalf("remembered %q, want %q", r, tc.remember)
			}
		})
	}
}
