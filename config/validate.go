package config

import (
	"reflect"

	"frontdoor/finding"
	"frontdoor/ldapcheck"
	"frontdoor/render"
)

// Validate checks every section the settings hold: the proxy (when the file
// has one or it differs from the defaults), LDAP (when it holds anything) and
// save. It is the check Document.Write applies before writing.
func Validate(f *File) finding.Findings {
	var out finding.Findings
	if f.HasProxy || !equalValues(reflect.ValueOf(f.Proxy), reflect.ValueOf(render.Defaults())) {
		out = append(out, render.Validate(&f.Proxy)...)
	}
	if len(f.LDAP.Settings) > 0 || len(f.LDAP.Groups) > 0 {
		out = append(out, ldapcheck.Validate(f.LDAP)...)
	}
	return append(out, f.Save.Validate()...)
}
