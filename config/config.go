// Package config reads and writes frontdoor.yaml: the proxy settings (package
// render), the LDAP settings (package ldapcheck) and how to save (SaveSettings)
// in one file.
//
// Open loads a file into a Document: the bytes as read, their hash, and the
// settings decoded once from the parsed YAML tree. Document.Write writes
// edited settings back, refusing when the file changed on disk since it was
// opened (a *Conflict) and changing only the values that changed, so what a
// person wrote (comments, key order, blank lines) stays. Load, Parse, Save and
// Marshal are the older entry points, kept as thin wrappers.
package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"reflect"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"frontdoor/assets"
	"frontdoor/ldapcheck"
	"frontdoor/render"
)

// DefaultPath is where every command looks when --config is not given.
const DefaultPath = "frontdoor.yaml"

// File is the whole of frontdoor.yaml.
type File struct {
	Proxy render.Settings  `yaml:"proxy"`
	LDAP  ldapcheck.Config `yaml:"ldap,omitempty"`
	Save  SaveSettings     `yaml:"save,omitempty"`

	// HasProxy is false when the file has no proxy section at all (an
	// LDAP-only file), so `validate` does not demand a server name of it.
	HasProxy bool `yaml:"-"`
}

// NewFile returns the settings of an empty file: every default.
func NewFile() *File {
	return &File{Proxy: render.Defaults()}
}

// Clone returns a deep copy, so an editor can change it without touching
// the original (a Document's settings are never changed in place).
func (f *File) Clone() *File {
	c := *f
	c.Proxy = f.Proxy.Clone()
	c.LDAP.Settings = append([]ldapcheck.Setting(nil), f.LDAP.Settings...)
	c.LDAP.Groups = append([]ldapcheck.GroupSetting(nil), f.LDAP.Groups...)
	return &c
}

// Equal reports whether f and g hold the same settings (an empty list
// equals a missing one, as in the file).
func (f *File) Equal(g *File) bool {
	return equalValues(reflect.ValueOf(f).Elem(), reflect.ValueOf(g).Elem())
}

// NewFileMode is the mode of a new settings file holding f: 0600 when it
// says where a password lives (ReferencesSecrets), else 0644. The one rule
// for every writer of a settings file (the wizard's save, import).
func NewFileMode(f *File) os.FileMode {
	if f.ReferencesSecrets() {
		return 0o600
	}
	return 0o644
}

// ReferencesSecrets reports whether the settings say where a password lives
// (an LDAP manager password's environment variable or file): a new settings
// file that does is written readable by its owner only (0600, NewFileMode).
func (f *File) ReferencesSecrets() bool {
	for _, s := range f.LDAP.Settings {
		if s.Search.ManagerPasswordEnv != "" || s.Search.ManagerPasswordFile != "" {
			return true
		}
	}
	return false
}

// Source says where loaded settings came from, so the UI can tell the user.
type Source int

const (
	FromFile       Source = iota // the path given or ./frontdoor.yaml
	FromExample                  // nothing configured: the built-in example; written to ./frontdoor.yaml
	FromNew                      // --config names a file that does not exist yet: all defaults, written there
	FromVendorJSON               // the vendor's REST JSON; never overwritten: written to frontdoor.yaml beside it
)

func (s Source) String() string {
	switch s {
	case FromExample:
		return "the built-in example"
	case FromNew:
		return "a new file"
	case FromVendorJSON:
		return "the vendor's JSON"
	}
	return "the settings file"
}

// Parse reads frontdoor.yaml content, or the vendor's REST JSON for the web
// server configuration. Keys left out keep their defaults. Bad input is an
// *Error naming the line, the settings path and what was expected.
//
// Use Open for a file: it also keeps what a later write needs.
func Parse(data []byte) (*File, error) {
	f, _, err := decode(data)
	return f, err
}

// decode is the one decoding of a load: the vendor's JSON, or YAML parsed
// once into a tree that the settings are read from (and later written into).
func decode(data []byte) (*File, *yaml.Node, error) {
	if len(data) > MaxSize {
		return nil, nil, tooLarge("", int64(len(data)))
	}
	if isVendorJSON(data) {
		if err := checkText(data); err != nil {
			return nil, nil, err
		}
		s, err := render.FromArtifactoryJSON(bytes.TrimSpace(data))
		if err != nil {
			return nil, nil, vendorJSONError(data, err)
		}
		f := NewFile()
		f.Proxy, f.HasProxy = s, true
		return f, nil, nil
	}
	doc, err := parseYAML(data)
	if err != nil {
		return nil, nil, err
	}
	f, err := decodeFile(doc)
	if err != nil {
		return nil, nil, err
	}
	return f, doc, nil
}

// vendorJSONError says what is wrong with the vendor's JSON in words, with
// its line: encoding/json speaks of Go types.
func vendorJSONError(data []byte, err error) error {
	p := Problem{Message: "the vendor's JSON: " + err.Error()}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		words := map[reflect.Kind]string{reflect.Int: "a whole number", reflect.String: "text", reflect.Bool: "true or false", reflect.Slice: "a list", reflect.Struct: "an object"}
		want := cmpOr(words[te.Type.Kind()], "something else")
		got := strings.TrimPrefix(te.Value, "number ")
		if got != te.Value {
			got = strconv.Quote(got)
		} else {
			got = "a " + te.Value
		}
		p = Problem{Line: lineAt(data, min(int(te.Offset), len(data))), Key: te.Field, Message: fmt.Sprintf("expected %s, got %s (in the vendor's JSON)", want, got)}
	}
	return &Error{Problems: []Problem{p}}
}

func isVendorJSON(data []byte) bool {
	trimmed := bytes.TrimSpace(data)
	return len(trimmed) > 0 && trimmed[0] == '{' && render.LooksLikeArtifactoryJSON(trimmed)
}

// Load reads path. With explicit=false and no file at path, it returns the
// built-in example instead, so a fresh machine has something to look at.
//
// Deprecated: use Open, which keeps what a later write needs (the bytes as
// read, to refuse overwriting someone else's change and to keep comments).
func Load(path string, explicit bool) (*File, Source, error) {
	d, err := Open(path, explicit)
	if err != nil {
		return nil, FromFile, err
	}
	switch d.Source() {
	case FromNew:
		return nil, FromFile, fmt.Errorf("open %s: %w", path, fs.ErrNotExist)
	case FromExample:
		return d.Settings(), FromExample, nil
	}
	return d.Settings(), FromFile, nil
}

// Marshal renders the settings as a new file: a short header, then the
// sections, short ones on one line. There are no password fields to leak:
// LDAP settings only hold references (env var or file) to passwords.
func Marshal(f *File) ([]byte, error) {
	return []byte(header + bodyText(f)), nil
}

const header = `# frontdoor settings: the reverse proxy (proxy), LDAP (ldap) and how to save (save).
# Keys left out keep their defaults; ` + "`frontdoor validate`" + ` checks this file.
# Passwords are never stored here: ldap.settings[].search.managerPasswordEnv or
# managerPasswordFile names where the manager's password is.
`

// bodyText writes the sections of f: proxy when the file has one (or it
// differs from the defaults), ldap and save when they hold anything.
func bodyText(f *File) string {
	v := reflect.ValueOf(f).Elem()
	var b strings.Builder
	for _, fd := range schemaOf(v.Type()).fields {
		fv := v.Field(fd.index)
		if fd.key == "proxy" && !f.HasProxy && equalValues(fv, reflect.ValueOf(render.Defaults())) || skip(v, fd) {
			continue
		}
		b.WriteString(fd.key + ":")
		writeValueAfterKey(&b, fv, reflect.Value{}, 0, len(fd.key)+2)
	}
	return b.String()
}

// Save writes the settings to path, keeping the comments and layout of a
// YAML file already there and its mode and owner, atomically.
//
// Deprecated: use Document.Write, which also refuses to overwrite a change
// made on disk since the settings were loaded, and validates what it writes.
func Save(path string, f *File) error {
	d, err := Open(path, true)
	if err != nil {
		return err // a file that is not settings is never replaced
	}
	if d.source == FromVendorJSON {
		return fmt.Errorf("%s holds the vendor's JSON, which frontdoor never overwrites: save the settings to %s", path, d.target)
	}
	_, err = d.write(f, WriteOptions{Overwrite: true}, false)
	return err
}

// example returns the built-in example's settings.
func example() *File {
	f, err := Parse(assets.Example)
	if err != nil {
		panic("config: the built-in example does not load: " + err.Error()) // caught by the tests
	}
	return f
}
