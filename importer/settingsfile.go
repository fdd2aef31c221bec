package importer

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"

	"frontdoor/config"
	"frontdoor/importer/conftree"
	"frontdoor/internal/safefile"
)

// SettingsFile is frontdoor.yaml for the imported settings: config's own
// rendering of a new file, with a comment after each value naming the
// directive (file:line) it came from. The result reads back as exactly the
// imported settings (checked); values without a comment are defaults.
func (r *Result) SettingsFile() ([]byte, error) {
	f := config.NewFile()
	f.Proxy, f.HasProxy = r.Settings.Clone(), true
	plain, err := config.Marshal(f)
	if err != nil {
		return nil, err
	}
	var head strings.Builder
	fmt.Fprintf(&head, "# Imported by `frontdoor import` from the %s configuration %s.\n", r.Provider, strings.Join(r.given, ", "))
	head.WriteString("# The comment after a value names the directive it came from; values without one are defaults.\n")
	if n := len(r.Unmapped); n > 0 {
		fmt.Fprintf(&head, "# %d directive(s) could not be mapped: `frontdoor import` lists them with file:line and why.\n", n)
	}
	annotated := head.String() + annotate(string(plain), r.Sources, r.Assumed)
	back, err := config.Parse([]byte(annotated))
	if err != nil || !back.Equal(f) {
		// The comments must never change a value: fall back to the file
		// without them (this is a bug to report, not a user's problem).
		return append([]byte(head.String()), plain...), nil
	}
	return []byte(annotated), nil
}

// annotate appends to each line of a settings file the sources of the
// values on it.
func annotate(text string, sources map[string]conftree.Pos, assumed map[string]string) string {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(text), &doc); err != nil || len(doc.Content) == 0 {
		return text
	}
	byLine := map[int][]string{} // line → settings paths on it, in order
	var walk func(n *yaml.Node, path string)
	walk = func(n *yaml.Node, path string) {
		if path != "" {
			byLine[n.Line] = append(byLine[n.Line], path)
		}
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				p := n.Content[i].Value
				if path != "" {
					p = path + "." + p
				}
				walk(n.Content[i+1], p)
			}
		case yaml.SequenceNode:
			for i, item := range n.Content {
				if item.Kind == yaml.MappingNode {
					walk(item, fmt.Sprintf("%s[%d]", path, i))
				}
			}
		}
	}
	walk(doc.Content[0], "")
	lines := strings.Split(text, "\n")
	for i := range lines {
		var parts []string
		paths := byLine[i+1]
		for _, p := range paths {
			label := p[strings.LastIndexAny(p, ".")+1:]
			switch {
			case !sources[p].IsZero():
				parts = append(parts, labelled(label, "from "+commentSafe(sources[p].String()), len(paths)))
			case assumed[p] != "":
				parts = append(parts, labelled(label, commentSafe(assumed[p]), len(paths)))
			}
		}
		if len(parts) > 0 {
			lines[i] += "  # " + strings.Join(parts, "; ")
		}
	}
	return strings.Join(lines, "\n")
}

func labelled(label, text string, n int) string {
	if n == 1 {
		return text
	}
	return label + " " + text
}

// commentSafe keeps a comment on its line whatever a path holds.
func commentSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return '?'
		}
		return r
	}, s)
}

// ErrExists is what WriteSettingsFile refuses with when the file exists
// and force is false.
var ErrExists = errors.New("already exists")

// WriteSettingsFile writes the settings file at path. Without force an
// existing file is never replaced, not even one created a moment before
// (the new file is linked into place, which fails if the name is taken);
// with force it is replaced atomically, keeping its mode and owner.
func WriteSettingsFile(path string, data []byte, force bool) error {
	dir := filepath.Dir(path)
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		return fmt.Errorf("%s: the directory %s does not exist", path, dir)
	}
	mode := os.FileMode(0o600) // what does not parse might hold anything
	if f, err := config.Parse(data); err == nil {
		mode = config.NewFileMode(f)
	}
	if force {
		return config.WriteFileAtomic(path, data, mode)
	}
	err := safefile.WriteNew(path, data, mode)
	var linkErr *os.LinkError
	switch {
	case errors.Is(err, fs.ErrExist):
		return fmt.Errorf("%s %w: give --force to replace it, or --out another file", path, ErrExists)
	case errors.As(err, &linkErr):
		return err
	case err != nil:
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
