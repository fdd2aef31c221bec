package ldapcheck

import (
	"strings"
	"testing"
)

// validConfig produces no findings at all; each case changes one thing.
func validConfig() Config {
	s := NewSetting("corp")
	s.URL = "ldap://ldap.example.com:389/dc=example,dc=com"
	s.StartTLS = true
	s.Search = Search{Filter: "(uid={0})", Base: "ou=people|ou=contractors", SubTree: true,
		ManagerDN: "cn=reader,dc=example,dc=com", ManagerPasswordEnv: "FRONTDOOR_LDAP_MANAGER_PASSWORD"}
	g := NewGroupSetting("corp-groups", "corp")
	g.BaseDN = "ou=groups"
	return Config{Settings: []Setting{s}, Groups: []GroupSetting{g}}
}

func TestValidateValidConfig(t *testing.T) {
	if fs := Validate(validConfig()); len(fs) > 0 {
		t.Fatalf("findings for a valid config:\n%s", fs)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(c *Config)
		path   string
		sev    Severity
		msg    string // part of the message
	}{
		{"empty key", func(c *Config) { c.Settings[0].Key = "" }, "ldap.settings[0].key", Error, "empty"},
		{"key with a space", func(c *Config) { c.Settings[0].Key = "my corp" }, "ldap.settings[0].key", Error, "spaces"},
		{"duplicate key", func(c *Config) { c.Settings = append(c.Settings, c.Settings[0]) }, "ldap.settings[1].key", Error, "already the key of ldap.settings[0]"},
		{"nothing enabled", func(c *Config) { c.Settings[0].Enabled = false }, "ldap.settings", Warning, "no setting is enabled"},
		{"empty url", func(c *Config) { c.Settings[0].URL = "" }, "ldap.settings[0].url", Error, "empty URL"},
		{"http scheme", func(c *Config) { c.Settings[0].URL = "http://h/dc=x" }, "ldap.settings[0].url", Error, `scheme "http"`},
		{"no scheme", func(c *Config) { c.Settings[0].URL = "ldap.example.com" }, "ldap.settings[0].url", Error, "no scheme"},
		{"no host", func(c *Config) { c.Settings[0].URL = "ldap:///dc=example,dc=com" }, "ldap.settings[0].url", Error, "no host"},
		{"port not a number", func(c *Config) { c.Settings[0].URL = "ldap://h:x89/dc=x" }, "ldap.settings[0].url", Error, "port"},
		{"port out of range", func(c *Config) { c.Settings[0].URL = "ldap://h:70000/dc=x" }, "ldap.settings[0].url", Error, "1 to 65535"},
		{"base DN malformed", func(c *Config) { c.Settings[0].URL = "ldap://h/dc=example,,dc=com" }, "ldap.settings[0].url", Error, "not a DN"},
		{"no base DN", func(c *Config) { c.Settings[0].URL = "ldap://h:389" }, "ldap.settings[0].url", Warning, "no base DN"},
		{"no base DN after a slash", func(c *Config) { c.Settings[0].URL = "ldap://h:389/" }, "ldap.settings[0].url", Warning, "no base DN"},
		{"query part", func(c *Config) { c.Settings[0].URL = "ldap://h/dc=x?uid?sub" }, "ldap.settings[0].url", Error, "?attributes"},
		{"credentials in the url", func(c *Config) { c.Settings[0].URL = "ldap://u:p@h/dc=x" }, "ldap.settings[0].url", Error, "no user or password"},
		{"a space in the url", func(c *Config) { c.Settings[0].URL = "ldap://h/o=Acme Corp,c=US" }, "ldap.settings[0].url", Error, "%20"},
		{"a trailing slash after the base DN", func(c *Config) { c.Settings[0].URL = "ldap://h/dc=example,dc=com/" }, "ldap.settings[0].url", Error, "trailing slash"},
		{"plain ldap over the network", func(c *Config) { c.Settings[0].StartTLS = false }, "ldap.settings[0].url", Warning, "clear text"},
		{"startTls with ldaps", func(c *Config) { c.Settings[0].URL = "ldaps://h/dc=x" }, "ldap.settings[0].startTls", Error, "already TLS"},
		{"insecureSkipVerify", func(c *Config) { c.Settings[0].InsecureSkipVerify = true }, "ldap.settings[0].insecureSkipVerify", Warning, "NOT verified"},
		{"caFile without TLS", func(c *Config) {
			c.Settings[0].URL, c.Settings[0].StartTLS, c.Settings[0].CAFile = "ldap://127.0.0.1/dc=x", false, "/ca.pem"
		},
			"ldap.settings[0].caFile", Warning, "unused"},
		{"pattern without {0}", func(c *Config) { c.Settings[0].UserDNPattern, c.Settings[0].Search.Filter = "uid=x,ou=people", "" },
			"ldap.settings[0].userDnPattern", Error, "{0}"},
		{"pattern not a DN", func(c *Config) { c.Settings[0].UserDNPattern, c.Settings[0].Search.Filter = "{0}", "" },
			"ldap.settings[0].userDnPattern", Error, "not a DN"},
		{"pattern with a bad attribute type", func(c *Config) { c.Settings[0].UserDNPattern, c.Settings[0].Search.Filter = "(uid={0}", "" },
			"ldap.settings[0].userDnPattern", Error, "not an attribute type"},
		{"manager DN with a bad attribute type", func(c *Config) { c.Settings[0].Search.ManagerDN = "c n=reader,dc=example,dc=com" },
			"ldap.settings[0].search.managerDn", Error, "not an attribute type"},
		{"pattern and filter", func(c *Config) { c.Settings[0].UserDNPattern = "uid={0},ou=people" }, "ldap.settings[0].userDnPattern", Warning, "usually exclusive"},
		{"neither pattern nor filter", func(c *Config) { c.Settings[0].Search.Filter = "" }, "ldap.settings[0].userDnPattern", Error, "without either"},
		{"filter without {0}", func(c *Config) { c.Settings[0].Search.Filter = "(uid=alice)" }, "ldap.settings[0].search.filter", Error, "{0}"},
		{"filter syntax error", func(c *Config) { c.Settings[0].Search.Filter = "(uid={0}" }, "ldap.settings[0].search.filter", Error, "does not compile"},
		{"filter bad operator", func(c *Config) { c.Settings[0].Search.Filter = "(&(uid={0})(objectClass=person)" }, "ldap.settings[0].search.filter", Error, "does not compile"},
		{"base not a DN", func(c *Config) { c.Settings[0].Search.Base = "ou=people|people" }, "ldap.settings[0].search.base", Error, `base "people"`},
		{"stray pipe", func(c *Config) { c.Settings[0].Search.Base = "ou=people|" }, "ldap.settings[0].search.base", Warning, "empty"},
		{"spaces around a base", func(c *Config) { c.Settings[0].Search.Base = "ou=people| ou=contractors" }, "ldap.settings[0].search.base", Warning, `" ou=contractors"`},
		{"base without filter", func(c *Config) { c.Settings[0].Search.Filter, c.Settings[0].UserDNPattern = "", "uid={0},ou=people" },
			"ldap.settings[0].search.base", Warning, "unused"},
		{"manager DN malformed", func(c *Config) { c.Settings[0].Search.ManagerDN = "reader" }, "ldap.settings[0].search.managerDn", Error, "not a DN"},
		{"no manager password reference", func(c *Config) { c.Settings[0].Search.ManagerPasswordEnv = "" }, "ldap.settings[0].search.managerPasswordEnv", Warning, "cannot bind"},
		{"both password references", func(c *Config) { c.Settings[0].Search.ManagerPasswordFile = "/run/pw" }, "ldap.settings[0].search.managerPasswordEnv", Error, "not both"},
		{"password reference without manager", func(c *Config) { c.Settings[0].Search.ManagerDN = "" }, "ldap.settings[0].search.managerDn", Warning, "anonymously"},
		{"email attribute malformed", func(c *Config) { c.Settings[0].EmailAttribute = "e mail" }, "ldap.settings[0].emailAttribute", Error, "not an attribute name"},
		{"group: unknown setting", func(c *Config) { c.Groups[0].LDAPSetting = "nope" }, "ldap.groups[0].ldapSetting", Error, `"nope" is not the key`},
		{"group: empty setting", func(c *Config) { c.Groups[0].LDAPSetting = "" }, "ldap.groups[0].ldapSetting", Error, "empty"},
		{"group: disabled setting", func(c *Config) {
			c.Settings = append(c.Settings, c.Settings[0])
			c.Settings[1].Key, c.Settings[1].Enabled = "off", false
			c.Groups[0].LDAPSetting = "off"
		}, "ldap.groups[0].ldapSetting", Warning, "disabled"},
		{"group: unknown strategy", func(c *Config) { c.Groups[0].Strategy = "nested" }, "ldap.groups[0].strategy", Error, "not a strategy"},
		{"group: base not a DN", func(c *Config) { c.Groups[0].BaseDN = "groups" }, "ldap.groups[0].baseDn", Error, "not a DN"},
		{"group: filter does not compile", func(c *Config) { c.Groups[0].Filter = "(objectClass=group" }, "ldap.groups[0].filter", Error, "does not compile"},
		{"group: no name attribute", func(c *Config) { c.Groups[0].NameAttribute = "" }, "ldap.groups[0].nameAttribute", Error, "empty"},
		{"group: bad member attribute", func(c *Config) { c.Groups[0].MemberAttribute = "member of" }, "ldap.groups[0].memberAttribute", Error, "not an attribute name"},
		{"group: static with memberOf", func(c *Config) { c.Groups[0].MemberAttribute = "memberOf" }, "ldap.groups[0].memberAttribute", Warning, "dynamic"},
		{"group: dynamic with uniqueMember", func(c *Config) { c.Groups[0].Strategy = "dynamic" }, "ldap.groups[0].memberAttribute", Warning, "use memberOf"},
		{"group: dynamic with member", func(c *Config) { c.Groups[0].Strategy, c.Groups[0].MemberAttribute = "Dynamic", "member" },
			"ldap.groups[0].memberAttribute", Warning, "use memberOf"},
		{"group: empty name", func(c *Config) { c.Groups[0].Name = "" }, "ldap.groups[0].name", Error, "empty"},
		// Active Directory's forms are accepted with a note, not an error.
		{"manager as a user principal name", func(c *Config) { c.Settings[0].Search.ManagerDN = "svc-reader@corp.example.com" },
			"ldap.settings[0].search.managerDn", Warning, "note: \"svc-reader@corp.example.com\" is a user principal name"},
		{"manager as DOMAIN\\user", func(c *Config) { c.Settings[0].Search.ManagerDN = `CORP\svc-reader` },
			"ldap.settings[0].search.managerDn", Warning, `note: "CORP\svc-reader" is a down-level logon name`}, // as typed: one backslash
		{"key with a terminal escape", func(c *Config) { c.Settings[0].Key = "corp\x1b[2J" }, "ldap.settings[0].key", Error, `"corp\x1b[2J" contains spaces or control characters`},
		{"base with a newline", func(c *Config) { c.Settings[0].Search.Base = "ou=people\n" }, "ldap.settings[0].search.base", Error, `"ou=people\n" contains a control character (\n): write it on one line of printable text`},
		{"base with a newline inside", func(c *Config) { c.Settings[0].Search.Base = "ou=peo\nple|ou=staff" }, "ldap.settings[0].search.base", Error, `"ou=peo\nple|ou=staff" contains a control character (\n)`},
		{"URL with an escape", func(c *Config) { c.Settings[0].URL = "ldaps://ldap.example.com:636/dc=example\x1b[2J,dc=com" }, "ldap.settings[0].url", Error, `"ldaps://ldap.example.com:636/dc=example\x1b[2J,dc=com" contains a control character (\x1b)`},
		{"URL with a tab", func(c *Config) { c.Settings[0].URL = "ldaps://ldap.example.com:636/dc=example,\tdc=com" }, "ldap.settings[0].url", Error, `contains a control character (\t)`},
		{"DN pattern with a newline", func(c *Config) { c.Settings[0].UserDNPattern = "uid={0},\nou=people" }, "ldap.settings[0].userDnPattern", Error, `"uid={0},\nou=people" contains a control character (\n)`},
		{"filter with a right-to-left override", func(c *Config) { c.Settings[0].Search.Filter = "(uid={0}\u202e)" }, "ldap.settings[0].search.filter", Error, `"(uid={0}\u202e)" contains a control character (\u202e)`},
		{"manager DN with a bell", func(c *Config) { c.Settings[0].Search.ManagerDN = "cn=reader\a,dc=example,dc=com" }, "ldap.settings[0].search.managerDn", Error, `contains a control character (\x07)`},
		{"group base with a newline", func(c *Config) { c.Groups[0].BaseDN = "ou=groups\n" }, "ldap.groups[0].baseDn", Error, `"ou=groups\n" contains a control character (\n)`},
		{"group filter with a NUL", func(c *Config) { c.Groups[0].Filter = "(cn=*\x00)" }, "ldap.groups[0].filter", Error, `contains a control character (\x00)`},
		{"manager neither DN nor AD name", func(c *Config) { c.Settings[0].Search.ManagerDN = "svc reader" },
			"ldap.settings[0].search.managerDn", Error, "CORP\\reader"},
		{"group: in-chain rule with dynamic", func(c *Config) {
			c.Groups[0].Strategy, c.Groups[0].MemberAttribute = "dynamic", "memberOf:1.2.840.113556.1.4.1941:"
		}, "ldap.groups[0].memberAttribute", Error, "only strategy static"},
		{"group: another matching rule", func(c *Config) { c.Groups[0].MemberAttribute = "member:1.2.840.113556.1.4.803:" },
			"ldap.groups[0].memberAttribute", Warning, "1.2.840.113556.1.4.1941"},
		{"group: {0} in the filter of a dynamic setting", func(c *Config) {
			c.Groups[0].Strategy, c.Groups[0].MemberAttribute, c.Groups[0].Filter = "dynamic", "memberOf", "(member:1.2.840.113556.1.4.1941:={0})"
		}, "ldap.groups[0].filter", Warning, "only by strategy static"},
		{"ldap:// to an LDAPS port", func(c *Config) { c.Settings[0].URL = "ldap://dc1.corp.example:636/dc=corp,dc=example" },
			"ldap.settings[0].url", Warning, "use ldaps://"},
		{"ldaps:// to the global catalog's plain port", func(c *Config) {
			c.Settings[0].URL, c.Settings[0].StartTLS = "ldaps://dc1.corp.example:3268/dc=corp,dc=example", false
		}, "ldap.settings[0].url", Warning, "global catalog"},
		{"group: duplicate name", func(c *Config) { c.Groups = append(c.Groups, c.Groups[0]) }, "ldap.groups[1].name", Error, "already the name"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := validConfig()
			tc.change(&c)
			fs := Validate(c)
			for _, f := range fs {
				if f.Path == tc.path && f.Severity == tc.sev && strings.Contains(f.Message, tc.msg) {
					return
				}
			}
			t.Errorf("want %s: %s: ...%s...; got:\n%s", tc.path, tc.sev, tc.msg, fs)
		})
	}
}

func TestValidateAccepts(t *testing.T) {
	tests := []struct {
		name   string
		change func(c *Config)
	}{
		{"filter without parentheses", func(c *Config) { c.Settings[0].Search.Filter = "uid={0}" }},
		{"AD filter", func(c *Config) {
			c.Settings[0].Search.Filter = "(&(sAMAccountName={0})(!(userAccountControl:1.2.840.113556.1.4.803:=2)))"
		}},
		{"pattern only", func(c *Config) {
			c.Settings[0].UserDNPattern, c.Settings[0].Search = "uid={0},ou=people", Search{SubTree: true}
		}},
		{"ldaps with caFile", func(c *Config) {
			c.Settings[0].URL, c.Settings[0].StartTLS, c.Settings[0].CAFile = "ldaps://ldap.example.com/dc=example,dc=com", false, "/etc/ssl/ca.pem"
		}},
		{"IPv6 host", func(c *Config) { c.Settings[0].URL = "ldap://[2001:db8::1]:389/dc=example,dc=com" }},
		{"base DN with an encoded space", func(c *Config) { c.Settings[0].URL = "ldap://h/o=Example%20Corp,c=US" }},
		{"plain ldap on loopback", func(c *Config) { c.Settings[0].URL, c.Settings[0].StartTLS = "ldap://127.0.0.1:3389/dc=x", false }},
		{"upper-case strategy", func(c *Config) { c.Groups[0].Strategy = "HIERARCHICAL" }},
		{"dynamic with memberOf", func(c *Config) { c.Groups[0].Strategy, c.Groups[0].MemberAttribute = "dynamic", "memberOf" }},
		{"attribute with an option", func(c *Config) { c.Settings[0].EmailAttribute = "mail;lang-en" }},
		{"numeric OID attribute", func(c *Config) { c.Settings[0].EmailAttribute = "0.9.2342.19200300.100.1.3" }},
		{"AD nested groups: in-chain member attribute", func(c *Config) {
			c.Groups[0].MemberAttribute, c.Groups[0].Filter = "member:1.2.840.113556.1.4.1941:", "(objectClass=group)"
		}},
		{"AD nested groups: in-chain filter with {0}", func(c *Config) {
			c.Groups[0].MemberAttribute, c.Groups[0].Filter = "member", "(&(objectClass=group)(member:1.2.840.113556.1.4.1941:={0}))"
		}},
		{"userPrincipalName filter", func(c *Config) { c.Settings[0].Search.Filter = "(userPrincipalName={0})" }},
		{"global catalog over TLS", func(c *Config) {
			c.Settings[0].URL, c.Settings[0].StartTLS = "ldaps://dc1.corp.example:3269/dc=corp,dc=example", false
		}},
		{"manager password file", func(c *Config) {
			c.Settings[0].Search.ManagerPasswordEnv, c.Settings[0].Search.ManagerPasswordFile = "", "/run/secrets/ldap"
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := validConfig()
			tc.change(&c)
			if fs := Validate(c); len(fs) > 0 {
				t.Errorf("unexpected findings:\n%s", fs)
			}
		})
	}
}

// A password pasted into managerPasswordEnv must not be echoed back.
func TestValidateNeverEchoesAPastedPassword(t *testing.T) {
	c := validConfig()
	c.Settings[0].Search.ManagerPasswordEnv = "s3cr3t p@ss!"
	fs := Validate(c)
	if !fs.HasErrors() {
		t.Fatal("no error for a value that is not a variable name")
	}
	if strings.Contains(fs.String(), "s3cr3t") {
		t.Errorf("the value is echoed:\n%s", fs)
	}
}

func TestFindingString(t *testing.T) {
	f := Finding{Path: "ldap.settings[0].url", Severity: Warning, Message: "fix it"}
	if got := f.String(); got != "ldap.settings[0].url: warning: fix it" {
		t.Errorf("got %q", got)
	}
	f.Severity = Error
	if got := f.String(); got != "ldap.settings[0].url: error: fix it" {
		t.Errorf("got %q", got)
	}
}

func TestFindingsForSetting(t *testing.T) {
	c := validConfig()
	c.Settings = append(c.Settings, c.Settings[0])
	c.Settings[1].Key, c.Settings[1].URL = "other", "ldap:///"
	c.Groups[0].Strategy = "bad"
	fs := Validate(c)
	if got := ForSetting(fs, c, 0); len(got) != 1 || got[0].Path != "ldap.groups[0].strategy" {
		t.Errorf("setting 0: %v", got)
	}
	if got := ForSetting(fs, c, 1); len(got) == 0 || !strings.HasPrefix(got[0].Path, "ldap.settings[1]") {
		t.Errorf("setting 1: %v", got)
	}
}

func TestGroupIndex(t *testing.T) {
	for _, tc := range []struct {
		path string
		j    int
		ok   bool
	}{
		{"ldap.groups[3]", 3, true}, {"ldap.groups[12].name", 12, true}, {"ldap.groups[0][1]", 0, true},
		{"ldap.groups[03].name", 0, false}, {"ldap.groups[-1]", 0, false}, {"ldap.groups[]", 0, false},
		{"ldap.groups[1]x", 0, false}, {"ldap.groups", 0, false}, {"ldap.settings[1]", 0, false}, {"ldap.groups[1", 0, false},
	} {
		if j, ok := groupIndex(tc.path); j != tc.j || ok != tc.ok {
			t.Errorf("groupIndex(%q) = %d, %v; want %d, %v", tc.path, j, ok, tc.j, tc.ok)
		}
	}
}

// ForSetting is linear in the group settings: 10,000 copies of one (YAML
// aliases) cost what 10,000 findings cost, not 10,000 x 10,000 (seconds).
func BenchmarkForSettingManyGroups(b *testing.B) {
	c := validConfig()
	for range 10_000 {
		c.Groups = append(c.Groups, c.Groups[0])
	}
	fs := Validate(c)
	for b.Loop() {
		if len(ForSetting(fs, c, 0)) < 10_000 {
			b.Fatal("the duplicate names are not all there")
		}
	}
}

// Validate runs on every keystroke; this keeps an eye on its cost.
func BenchmarkValidate(b *testing.B) {
	c := validConfig()
	for b.Loop() {
		Validate(c)
	}
}
