package ldapcheck

import (
	"bytes"
	"frontdoor/finding"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// DefaultDescriptionAttribute is exported for every group setting: frontdoor
// has no field for it and this is the vendor's default.
const DefaultDescriptionAttribute = "description"

// InvalidError is returned by ExportYAML when the settings have errors.
type InvalidError = finding.InvalidError

// ManagerPasswordPlaceholder is what the export writes instead of the
// manager password, which frontdoor never holds in its settings.
func ManagerPasswordPlaceholder(s Search) string {
	switch {
	case s.ManagerPasswordEnv != "":
		return "<set me: " + s.ManagerPasswordEnv + ">"
	case s.ManagerPasswordFile != "":
		return "<set me: contents of " + s.ManagerPasswordFile + ">"
	}
	return "<set me>"
}

// ExportYAML renders the settings in the vendor's YAML for PATCH
// /api/system/configuration (security.ldapSettings and ldapGroupSettings),
// in the order of the settings, with a placeholder for every manager
// password. Settings with errors are refused with an *InvalidError.
func ExportYAML(c Config) ([]byte, error) {
	if fs := Validate(c); fs.HasErrors() {
		return nil, &InvalidError{What: "LDAP settings", Findings: fs}
	}
	settings := mapping()
	for _, s := range c.Settings {
		settings.Content = append(settings.Content, str(s.Key), exportSetting(s))
	}
	security := mapping(str("ldapSettings"), settings)
	if len(c.Groups) > 0 {
		groups := mapping()
		for _, g := range c.Groups {
			groups.Content = append(groups.Content, str(g.Name), exportGroup(g))
		}
		security.Content = append(security.Content, str("ldapGroupSettings"), groups)
	}
	doc := mapping(str("security"), security)
	// Lines of at most 78 columns: the wizard shows this at 80 columns, and
	// a comment wrapped there turns its tail into a YAML line.
	doc.HeadComment = "LDAP settings exported by frontdoor, in the vendor's YAML for\n" +
		"PATCH /api/system/configuration (Content-Type: application/yaml).\n" +
		"Replace every managerPassword placeholder with the real password\n" +
		"before sending, and do not keep the completed file on disk."
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{doc}}); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func exportSetting(s Setting) *yaml.Node {
	url := str(s.URL)
	var notes []string
	if s.StartTLS {
		notes = append(notes, "startTls is not part of this format: prefer an ldaps:// URL")
	}
	if s.CAFile != "" {
		notes = append(notes, "caFile "+s.CAFile+": import it into the server's Java truststore")
	}
	if s.InsecureSkipVerify {
		notes = append(notes, "insecureSkipVerify is not exported: the server verifies certificates")
	}
	url.LineComment = strings.Join(notes, "; ")

	search := mapping(
		str("searchFilter"), str(NormalizedFilter(s.Search.Filter)),
		str("searchBase"), str(s.Search.Base),
		str("searchSubTree"), boolean(s.Search.SubTree),
		str("managerDn"), str(s.Search.ManagerDN),
	)
	if s.Search.ManagerDN != "" {
		search.Content = append(search.Content, str("managerPassword"), quoted(ManagerPasswordPlaceholder(s.Search)))
	}
	return mapping(
		str("key"), str(s.Key),
		str("enabled"), boolean(s.Enabled),
		str("ldapUrl"), url,
		str("userDnPattern"), str(s.UserDNPattern),
		str("emailAttribute"), str(s.EmailAttribute),
		str("autoCreateUser"), boolean(s.AutoCreateUser),
		str("ldapPoisoningProtection"), boolean(true),
		str("allowUserToAccessProfile"), boolean(false),
		str("pagingSupportEnabled"), boolean(true),
		str("search"), search,
	)
}

func exportGroup(g GroupSetting) *yaml.Node {
	return mapping(
		str("name"), str(g.Name),
		str("enabledLdap"), str(g.LDAPSetting),
		str("groupBaseDn"), str(g.BaseDN),
		str("groupNameAttribute"), str(g.NameAttribute),
		str("groupMemberAttribute"), str(g.MemberAttribute),
		str("subTree"), boolean(g.SubTree),
		str("filter"), str(NormalizedFilter(g.Filter)),
		str("descriptionAttribute"), str(DefaultDescriptionAttribute),
		str("strategy"), str(strings.ToUpper(g.Strategy)),
	)
}

func mapping(kv ...*yaml.Node) *yaml.Node {
	return &yaml.Node{Kind: yaml.MappingNode, Content: kv}
}

// str lets the encoder choose the quoting, so values that would read as
// another type (true, 123, "") are quoted and plain DNs are not.
func str(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }

func quoted(s string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s, Style: yaml.DoubleQuotedStyle}
}

func boolean(b bool) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(b)}
}
