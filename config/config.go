// Package config reads and writes frontdoor.yaml: the proxy settings (package
// render) and the LDAP settings (package ldapcheck) in one file.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"

	"gopkg.in/yaml.v3"

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

	// HasProxy is false when the file has no proxy section at all (an
	// LDAP-only file), so `validate` does not demand a server name of it.
	HasProxy bool `yaml:"-"`
}

// Source says where loaded settings came from, so the UI can tell the user.
type Source int

const (
	FromFile    Source = iota // the path given or ./frontdoor.yaml
	FromExample               // nothing configured: the built-in example
)

// Parse reads frontdoor.yaml content, or the vendor's REST JSON for the web
// server configuration. Keys left out keep their defaults.
func Parse(data []byte) (*File, error) {
	f := &File{Proxy: render.Defaults()}
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) > 0 && trimmed[0] == '{' && render.LooksLikeArtifactoryJSON(trimmed) {
		s, err := render.FromArtifactoryJSON(trimmed)
		if err != nil {
			return nil, err
		}
		f.Proxy, f.HasProxy = s, true
		return f, nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)                                            // a misspelt key is an error, not a silently ignored setting
	if err := dec.Decode(f); err != nil && !errors.Is(err, io.EOF) { // empty file: all defaults
		return nil, fmt.Errorf("reading settings: %s", friendlyYAMLError(err))
	}
	var sections struct {
		Proxy *yaml.Node `yaml:"proxy"`
	}
	_ = yaml.Unmarshal(data, &sections) // the strict decode above already succeeded
	f.HasProxy = sections.Proxy != nil
	return f, nil
}

// Load reads path. With explicit=false and no file at path, it returns the
// built-in example instead, so a fresh machine has something to look at.
func Load(path string, explicit bool) (*File, Source, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		if !explicit && errors.Is(err, os.ErrNotExist) {
			f, perr := Parse(assets.Example)
			return f, FromExample, perr
		}
		return nil, FromFile, err
	}
	f, err := Parse(data)
	if err != nil {
		return nil, FromFile, fmt.Errorf("%s: %w", path, err)
	}
	return f, FromFile, nil
}

// Marshal renders the file as YAML. There are no password fields to leak:
// LDAP settings only hold references (env var or file) to passwords.
func Marshal(f *File) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("# frontdoor settings: reverse proxy (proxy) and LDAP (ldap).\n# Passwords are never stored here; see ldap.settings[].search.managerPasswordEnv/File.\n")
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(f); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Save writes the settings atomically (temp file in the same directory, fsync,
// rename), so an interrupted save leaves the old file or the new one.
func Save(path string, f *File) error {
	data, err := Marshal(f)
	if err != nil {
		return err
	}
	return WriteFileAtomic(path, data, 0o644)
}

// WriteFileAtomic replaces path with data without ever exposing a partial file.
func WriteFileAtomic(path string, data []byte, perm os.FileMode) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync() // make the rename durable
		d.Close()
	}
	return nil
}

var unknownField = regexp.MustCompile(`field (\S+) not found in type [\w.]+`)

// friendlyYAMLError says "unknown key" where yaml.v3 talks about Go types.
func friendlyYAMLError(err error) string {
	return unknownField.ReplaceAllString(err.Error(), "unknown key \"$1\" (check its spelling and indentation)")
}
