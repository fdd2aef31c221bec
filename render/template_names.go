package render

import (
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/template"
	"text/template/parse"

	"frontdoor/internal/nearest"
)

// A name in an admin's templates that frontdoor does not have would change
// nothing, silently: a file ngnix.conf.tmpl, or {{define "nginx-proxi"}}.
// Both are refused, with the name they most likely meant.

// unknownFileMsg explains a *.tmpl file named after no provider's template.
func unknownFileMsg(name string) string {
	names := templateFileNames()
	msg := "no provider has a template of this name"
	if near := nearest.Closest(name, names); near != "" {
		msg += ": did you mean " + near + "?"
	}
	return msg + " (name it " + strings.Join(names, ", ") + ")"
}

// embeddedNames are the templates frontdoor has: each provider's file and
// the blocks an admin's file may replace.
func embeddedNames() []string {
	base, err := embeddedTemplates()
	if err != nil {
		return nil
	}
	var names []string
	for _, t := range base.set.Templates() {
		names = append(names, t.Name())
	}
	slices.Sort(names)
	return names
}

// blocksOf are the blocks of the embedded template file (its {{define}}s
// other than the file's own), sorted.
func blocksOf(file string) []string {
	base, err := embeddedTemplates()
	if err != nil {
		return nil
	}
	var names []string
	for _, t := range base.set.Templates() {
		if t.Tree != nil && t.Tree.ParseName == file && t.Name() != file {
			names = append(names, t.Name())
		}
	}
	slices.Sort(names)
	return names
}

// checkDefines refuses a {{define}} in the admin's file path that names
// no template of frontdoor's and that no template calls (a helper the
// admin's own template uses is fine): it would be ignored.
func (t *Templates) checkDefines(path, name string) error {
	known := embeddedNames()
	called := calledTemplates(t.set)
	for _, d := range t.set.Templates() {
		if d.Tree == nil || d.Tree.ParseName != path || d.Name() == path || d.Name() == name ||
			slices.Contains(known, d.Name()) || called[d.Name()] {
			continue
		}
		msg := fmt.Sprintf("{{define %q}} replaces no block of frontdoor's and no template calls it, so it changes nothing", d.Name())
		if near := nearest.Closest(d.Name(), known); near != "" {
			msg += fmt.Sprintf(": did you mean %q?", near)
		}
		if blocks := blocksOf(name); len(blocks) > 0 {
			msg += " (" + name + "'s blocks: " + strings.Join(blocks, ", ") + ")"
		}
		return &TemplateError{File: path, Line: defineLine(d.Tree), Admin: true, Msg: msg}
	}
	return nil
}

// defineLine is the line a {{define}}'s body starts on (0 when unknown).
func defineLine(tree *parse.Tree) int {
	loc, _ := tree.ErrorContext(tree.Root)
	return lineOf(loc)
}

// lineOf is the line of a parse location "NAME:LINE:COL" (0 when none);
// NAME, a path, may hold colons.
func lineOf(loc string) int {
	parts := strings.Split(loc, ":")
	if len(parts) < 3 {
		return 0
	}
	line, _ := strconv.Atoi(parts[len(parts)-2])
	return line
}

// calledTemplates are the names any template of set calls with
// {{template "NAME"}} (a {{block}} too).
func calledTemplates(set *template.Template) map[string]bool {
	called := map[string]bool{}
	var walk func(n parse.Node)
	walk = func(n parse.Node) {
		switch n := n.(type) {
		case *parse.ListNode:
			if n == nil {
				return
			}
			for _, c := range n.Nodes {
				walk(c)
			}
		case *parse.TemplateNode:
			called[n.Name] = true
		case *parse.IfNode:
			walk(n.List)
			walk(n.ElseList)
		case *parse.RangeNode:
			walk(n.List)
			walk(n.ElseList)
		case *parse.WithNode:
			walk(n.List)
			walk(n.ElseList)
		}
	}
	for _, t := range set.Templates() {
		if t.Tree != nil {
			walk(t.Tree.Root)
		}
	}
	return called
}

// adminParts are the admin's files that replace p's template or its
// blocks, each with the names it replaces ("" for the whole template),
// sorted by path.
func (t *Templates) adminParts(p Provider) (files []string, replaced map[string][]string) {
	file := TemplateFile(p)
	if file == "" || t.Dir == "" {
		return nil, nil
	}
	replaced = map[string][]string{}
	for _, name := range append([]string{file}, blocksOf(file)...) {
		d := t.set.Lookup(name)
		if d == nil || d.Tree == nil || !filepath.IsAbs(d.Tree.ParseName) {
			continue // still the embedded one
		}
		path := d.Tree.ParseName
		if _, seen := replaced[path]; !seen {
			files = append(files, path)
		}
		if name == file {
			replaced[path] = append(replaced[path], "")
		} else {
			replaced[path] = append(replaced[path], name)
		}
	}
	slices.Sort(files)
	return files, replaced
}
