package save

import (
	"reflect"
	"slices"
	"strings"

	"frontdoor/config"
	"frontdoor/ldapcheck"
	"frontdoor/tui/common"
	"frontdoor/tui/document"
)

// Unsaved says what quitting would drop, section by section, in the words
// of the screens: "HTTP settings: Server name, Repositories; LDAP settings:
// corp (changed), dir2 (added)". label names the HTTP field a settings
// path belongs to (the proxy page's labels); "" when nothing is unsaved.
func Unsaved(doc *document.Document, label func(path string) string) string {
	var parts []string
	if doc.ProxyDirty() {
		saved := config.File{Proxy: doc.SavedProxy(), HasProxy: true}
		now := config.File{Proxy: doc.File.Proxy, HasProxy: true}
		var names []string
		for _, c := range config.Diff(&saved, &now) {
			if n := label(c.Path); n != "" && !slices.Contains(names, n) {
				names = append(names, n)
			}
		}
		if len(names) > 0 {
			parts = append(parts, common.AreaHTTP.Name+": "+strings.Join(names, ", "))
		}
	}
	if l := UnsavedLDAP(doc); l != "" {
		parts = append(parts, common.AreaLDAP.Name+": "+l)
	}
	return strings.Join(parts, "; ")
}

// UnsavedLDAP names the LDAP and group settings that differ from the file:
// "corp (changed), dir2 (added)"; "" when none does.
func UnsavedLDAP(doc *document.Document) string {
	if !doc.LDAPDirty() {
		return ""
	}
	saved, now := doc.SavedLDAP(), doc.File.LDAP
	names := changedByKey(saved.Settings, now.Settings, func(s ldapcheck.Setting) string { return s.Key })
	names = append(names, changedByKey(saved.Groups, now.Groups, func(g ldapcheck.GroupSetting) string { return g.Name })...)
	if len(names) == 0 {
		names = []string{"the order of the settings"}
	}
	return strings.Join(names, ", ")
}

// changedByKey names the entries of a list that differ, by key: "corp
// (changed)", "dir2 (added)", "old (deleted)".
func changedByKey[T any](was, is []T, key func(T) string) []string {
	find := func(list []T, k string) (T, bool) {
		for _, v := range list {
			if key(v) == k {
				return v, true
			}
		}
		var zero T
		return zero, false
	}
	var out []string
	for _, w := range was {
		switch n, ok := find(is, key(w)); {
		case !ok:
			out = append(out, key(w)+" (deleted)")
		case !reflect.DeepEqual(w, n):
			out = append(out, key(w)+" (changed)")
		}
	}
	for _, n := range is {
		if _, ok := find(was, key(n)); !ok {
			out = append(out, key(n)+" (added)")
		}
	}
	return out
}

// QuitText is the quit question's detail: what is unsaved (Unsaved), and
// the two ways out, for the dialog and accessible mode alike.
func QuitText(unsaved, settingsPath string) string {
	what := "The settings have changed since they were loaded or saved"
	if unsaved != "" {
		what = "Not saved yet: " + unsaved
	}
	return what + ". Save them to " + settingsPath + " (no snippet is installed), or quit and drop them?"
}
