// Package ldap is the LDAP settings screen: the list of LDAP and group
// settings, a form for each (the same form engine as the HTTP steps), the
// live test panel that runs ldapcheck.Run against the real directory, and
// the vendor export. The settings being edited are the document's LDAP
// section, which every edit replaces rather than writes into (a running
// save may be marshalling the previous value on another goroutine).
package ldap

import (
	"strings"

	"frontdoor/ldapcheck"
	"frontdoor/tui/components/form"
	"frontdoor/tui/document"
)

type field = form.Field[document.Document]

// cfg is the LDAP section of a document.
func cfg(d *document.Document) *ldapcheck.Config { return &d.File.LDAP }

// settingText edits a string of LDAP setting i.
func settingText(i int, label, name, hint string, p func(s *ldapcheck.Setting) *string) field {
	return field{
		Kind: form.Text, Label: label, Path: ldapcheck.SettingPath(i) + "." + name, Hint: hint,
		Get: func(d *document.Document) string { return *p(&cfg(d).Settings[i]) },
		Set: func(d *document.Document, v string) {
			d.EditLDAP(func(c *ldapcheck.Config) { *p(&c.Settings[i]) = v })
		},
	}
}

// settingToggle edits a flag of LDAP setting i.
func settingToggle(i int, label, name, hint string, p func(s *ldapcheck.Setting) *bool) field {
	return field{
		Kind: form.Toggle, Label: label, Path: ldapcheck.SettingPath(i) + "." + name, Hint: hint,
		GetBool: func(d *document.Document) bool { return *p(&cfg(d).Settings[i]) },
		SetBool: func(d *document.Document, v bool) {
			d.EditLDAP(func(c *ldapcheck.Config) { *p(&c.Settings[i]) = v })
		},
	}
}

// groupText edits a string of group setting j.
func groupText(j int, label, name, hint string, p func(g *ldapcheck.GroupSetting) *string) field {
	return field{
		Kind: form.Text, Label: label, Path: ldapcheck.GroupPath(j) + "." + name, Hint: hint,
		Get: func(d *document.Document) string { return *p(&cfg(d).Groups[j]) },
		Set: func(d *document.Document, v string) {
			d.EditLDAP(func(c *ldapcheck.Config) { *p(&c.Groups[j]) = v })
		},
	}
}

// SettingFields are every field of LDAP setting i, in the order of
// frontdoor.yaml.
func SettingFields(i int) []field {
	type S = ldapcheck.Setting
	return []field{
		settingText(i, "Key", "key", "unique name of this setting, e.g. corp", func(s *S) *string { return &s.Key }),
		settingToggle(i, "Enabled", "enabled", "the server uses this setting", func(s *S) *bool { return &s.Enabled }),
		settingText(i, "URL", "url", "ldap://host:389/dc=example,dc=com or ldaps://host:636/...; the path is the base DN every other DN is relative to",
			func(s *S) *string { return &s.URL }),
		settingToggle(i, "StartTLS", "startTls", "upgrade ldap:// to TLS before any password is sent (not with ldaps://)", func(s *S) *bool { return &s.StartTLS }),
		settingText(i, "CA file", "caFile", "PEM file with the CA to trust besides the system roots (self-signed or corporate CA)",
			func(s *S) *string { return &s.CAFile }),
		settingToggle(i, "Skip verify", "insecureSkipVerify", "do not verify the server certificate: only to diagnose, never in production",
			func(s *S) *bool { return &s.InsecureSkipVerify }),
		settingText(i, "User DN pattern", "userDnPattern", "e.g. uid={0},ou=people, relative to the base DN; leave empty for Active Directory",
			func(s *S) *string { return &s.UserDNPattern }),
		settingText(i, "Search filter", "search.filter", "e.g. (uid={0}); Active Directory: (sAMAccountName={0})",
			func(s *S) *string { return &s.Search.Filter }),
		settingText(i, "Search base", "search.base", "relative to the base DN; several separated by |, tried in order; empty = the base DN",
			func(s *S) *string { return &s.Search.Base }),
		settingToggle(i, "Sub-tree", "search.subTree", "search the whole sub-tree (off: one level below each base)",
			func(s *S) *bool { return &s.Search.SubTree }),
		settingText(i, "Manager DN", "search.managerDn", "full DN used for searches; empty = anonymous searches",
			func(s *S) *string { return &s.Search.ManagerDN }),
		settingText(i, "Password env", "search.managerPasswordEnv", "NAME of the environment variable holding the manager password (never the password itself)",
			func(s *S) *string { return &s.Search.ManagerPasswordEnv }),
		settingText(i, "Password file", "search.managerPasswordFile", "or a file holding the manager password; set one of the two",
			func(s *S) *string { return &s.Search.ManagerPasswordFile }),
		settingText(i, "Email attribute", "emailAttribute", "attribute with the user's email, usually mail",
			func(s *S) *string { return &s.EmailAttribute }),
		settingToggle(i, "Auto-create users", "autoCreateUser", "the server creates users on their first login",
			func(s *S) *bool { return &s.AutoCreateUser }),
	}
}

// strategyHelp says what each group strategy means.
var strategyHelp = map[string]string{
	ldapcheck.StrategyStatic:       "static: group entries list their members' DNs.",
	ldapcheck.StrategyDynamic:      "dynamic: the user entry lists its groups (memberOf).",
	ldapcheck.StrategyHierarchical: "hierarchical: the OUs in the user's own DN are the groups.",
}

// GroupFields are every field of group setting j.
func GroupFields(j int) []field {
	type G = ldapcheck.GroupSetting
	path := ldapcheck.GroupPath(j)
	return []field{
		groupText(j, "Name", "name", "unique name of this group setting", func(g *G) *string { return &g.Name }),
		{
			Kind: form.Choice, Label: "LDAP setting", Path: path + ".ldapSetting", Hint: "the LDAP setting these groups come from",
			Get: func(d *document.Document) string { return cfg(d).Groups[j].LDAPSetting },
			Set: func(d *document.Document, v string) {
				d.EditLDAP(func(c *ldapcheck.Config) { c.Groups[j].LDAPSetting = v })
			},
			Options: func(d *document.Document) []form.Option {
				c := cfg(d)
				var out []form.Option
				found := false
				for _, s := range c.Settings {
					out = append(out, form.Option{Value: s.Key, Label: s.Key})
					found = found || s.Key == c.Groups[j].LDAPSetting
				}
				if !found {
					v := c.Groups[j].LDAPSetting
					out = append([]form.Option{{Value: v, Label: orNone(v)}}, out...)
				}
				return out
			},
		},
		groupText(j, "Base DN", "baseDn", "where the groups are, relative to the URL's base DN, e.g. ou=groups", func(g *G) *string { return &g.BaseDN }),
		groupText(j, "Name attribute", "nameAttribute", "attribute holding the group name, usually cn", func(g *G) *string { return &g.NameAttribute }),
		groupText(j, "Member attribute", "memberAttribute", "static: uniqueMember or member (on the group); dynamic: memberOf (on the user)",
			func(g *G) *string { return &g.MemberAttribute }),
		{
			Kind: form.Toggle, Label: "Sub-tree", Path: path + ".subTree", Hint: "search groups in the whole sub-tree of the base DN",
			GetBool: func(d *document.Document) bool { return cfg(d).Groups[j].SubTree },
			SetBool: func(d *document.Document, v bool) {
				d.EditLDAP(func(c *ldapcheck.Config) { c.Groups[j].SubTree = v })
			},
		},
		groupText(j, "Filter", "filter", "extra filter for group entries, e.g. (objectClass=groupOfNames)", func(g *G) *string { return &g.Filter }),
		{
			Kind: form.Choice, Label: "Strategy", Path: path + ".strategy",
			Get: func(d *document.Document) string { return cfg(d).Groups[j].Strategy },
			Set: func(d *document.Document, next string) {
				d.EditLDAP(func(c *ldapcheck.Config) {
					g := &c.Groups[j]
					prev := g.Strategy
					g.Strategy = next
					// static reads the member attribute on groups, dynamic on
					// users: while it is still the old strategy's default,
					// follow the new one (uniqueMember left under dynamic
					// would give nobody a group).
					if strings.EqualFold(g.MemberAttribute, ldapcheck.DefaultMemberAttribute(prev)) {
						g.MemberAttribute = ldapcheck.DefaultMemberAttribute(next)
					}
				})
			},
			Options: func(d *document.Document) []form.Option {
				var out []form.Option
				found := false
				cur := cfg(d).Groups[j].Strategy
				for _, s := range ldapcheck.Strategies {
					out = append(out, form.Option{Value: s, Label: s, Help: strategyHelp[s]})
					found = found || s == cur
				}
				if !found {
					out = append([]form.Option{{Value: cur, Label: orNone(cur)}}, out...)
				}
				return out
			},
		},
	}
}

func orNone(v string) string {
	if v == "" {
		return "(none)"
	}
	return v
}
