package config

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
)

// Settings loaded from the vendor's webServer JSON (FromVendorJSON) are
// written to frontdoor.yaml beside it. When that file already exists, it
// holds settings the JSON knows nothing of (ldap:, save:, mTLS, the TLS
// profile, comments): writing the JSON's settings there replaces only what
// the JSON carries, and what was edited since it was loaded, and keeps the
// rest. Write (with Overwrite), Merge and the Conflict's list of changes all
// follow this one rule (vendorOnto).

// vendorPaths are the settings the vendor's JSON carries
// (render.FromArtifactoryJSON); every other setting it leaves at its
// default. TestVendorPathsAreWhatTheJSONCarries keeps this list in step
// with render.
var vendorPaths = []string{
	"proxy.provider",
	"proxy.serverName",
	"proxy.nodes",
	"proxy.artifactoryPort",
	"proxy.routerPort",
	"proxy.http.enabled",
	"proxy.http.port",
	"proxy.https.enabled",
	"proxy.https.port",
	"proxy.https.certificate",
	"proxy.https.key",
	"proxy.docker.method",
	"proxy.docker.repositories",
}

// vendorOnto is what writing mine (settings loaded from the vendor's JSON,
// perhaps edited since) into the settings file theirs gives: theirs, with
// the values the JSON carries taken from mine, and every other value mine
// changed since it was loaded (Merge). clashes lists those others where
// theirs says something else too (mine is written).
//
// It is Merge over a base that says, for the values the JSON carries, what
// theirs says: mine differs from it wherever the JSON differs from theirs.
func vendorOnto(loaded, mine, theirs *File) (merged *File, clashes []string) {
	base := loaded.Clone()
	b, t := reflect.ValueOf(base).Elem(), reflect.ValueOf(theirs).Elem()
	for _, p := range vendorPaths {
		fieldAt(b, p).Set(fieldAt(t, p))
	}
	merged, clashes = Merge(base, mine, theirs)
	merged.HasProxy = true // the JSON is proxy settings
	return merged, clashes
}

// fieldAt is the field of a settings value at a dotted path of yaml keys
// ("proxy.http.port"); it panics on a path the schema does not have (a
// programming error, caught by the tests).
func fieldAt(v reflect.Value, path string) reflect.Value {
	for key := range strings.SplitSeq(path, ".") {
		i, ok := schemaOf(v.Type()).byKey[key]
		if !ok {
			panic(fmt.Sprintf("config: no setting %q in %s", path, v.Type()))
		}
		v = v.Field(schemaOf(v.Type()).fields[i].index)
	}
	return v
}

// sections says, for a person about to write into a file, which of its
// sections the changes touch and what stays as it is: "Writing these
// settings there changes 8 proxy settings and 3 save settings; its ldap:
// section and its comments stay."
func sections(changes []Change, theirs *File) string {
	count := map[string]int{}
	for _, c := range changes {
		count[strings.SplitN(c.Path, ".", 2)[0]]++
	}
	var changed, kept []string
	v := reflect.ValueOf(theirs).Elem()
	for _, f := range schemaOf(v.Type()).fields {
		n := count[f.key]
		switch {
		case n == 1:
			changed = append(changed, "1 "+f.key+" setting")
		case n > 1:
			changed = append(changed, fmt.Sprintf("%d %s settings", n, f.key))
		case f.key == "proxy" && !theirs.HasProxy || f.key != "proxy" && equalValues(v.Field(f.index), reflect.Zero(v.Field(f.index).Type())):
			// a section the file does not have, and the write does not add
		default:
			kept = append(kept, f.key+":")
		}
	}
	what := "nothing"
	if len(changed) > 0 {
		what = and(changed) + " (below)"
	}
	rest := "its comments stay"
	switch len(kept) {
	case 0:
	case 1:
		rest = "its " + kept[0] + " section and " + rest
	default:
		rest = "its " + and(kept) + " sections and " + rest
	}
	return "Writing these settings there changes " + what + "; " + rest + "."
}

// and joins words as a person lists them: "a", "a and b", "a, b and c".
func and(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

// decodeSettings decodes the frontdoor.yaml the vendor JSON's settings are
// to be written into: frontdoor's own settings only.
func decodeSettings(data []byte) (*File, error) {
	if isVendorJSON(data) {
		return nil, errors.New("it holds the vendor's JSON too")
	}
	f, _, err := decode(data)
	return f, err
}
