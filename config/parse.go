package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"frontdoor/finding"
	"frontdoor/internal/lazyregexp"
)

// MaxValues bounds the YAML values a settings file may hold, counted from
// the bytes before parsing (the parser needs about 250 bytes of memory per
// value, and 4 MiB of "- 1" lines would be a million of them). A file with
// 1,000 Docker repositories has about 6,000.
const MaxValues = 50_000

// parseYAML checks that data is text a person could have written, then
// parses it into a node tree: once per load, the tree is both what the
// settings are decoded from and what a later write edits in place. It
// returns nil for empty data.
func parseYAML(data []byte) (*yaml.Node, error) {
	if err := checkText(data); err != nil {
		return nil, err
	}
	if n := estimateValues(data); n > MaxValues {
		return nil, &Error{Problems: []Problem{{Message: fmt.Sprintf("too many values (about %s; the limit is %s, and a settings file has a few hundred)", finding.Count(n), finding.Count(MaxValues))}}}
	}
	if doc, ok := fastParse(data); ok {
		return doc, nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		return nil, syntaxError(data, err)
	}
	var second yaml.Node
	switch err := dec.Decode(&second); {
	case errors.Is(err, io.EOF):
	case err != nil:
		return nil, syntaxError(data, err)
	case len(second.Content) > 0 && !isNull(second.Content[0]):
		return nil, &Error{Problems: []Problem{{Line: second.Line, Message: "a second YAML document (after ---): a settings file holds one; remove the --- line or merge the documents"}}}
	}
	return &doc, nil
}

// checkText refuses data that is not UTF-8 text: a binary file, or a NUL
// byte, which no settings value may hold.
func checkText(data []byte) error {
	if i := bytes.IndexByte(data, 0); i >= 0 {
		return &Error{Problems: []Problem{{Line: lineAt(data, i), Message: "binary data (a NUL byte), not a settings file"}}}
	}
	if !utf8.Valid(data) {
		for i := 0; i < len(data); {
			r, size := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && size <= 1 {
				return &Error{Problems: []Problem{{Line: lineAt(data, i), Message: "not UTF-8 text (save the file as UTF-8)"}}}
			}
			i += size
		}
	}
	return nil
}

// estimateValues counts, in one pass over the bytes, the marks that start
// YAML values: "key: value" is two, "- ", "? ", a comma, "[" and "{" one. The
// parser builds about this many nodes, never more than twice as many ({a, b}
// holds null values no mark stands for); marks in quotes or comments are
// counted too, which only errs on the safe side.
func estimateValues(data []byte) int {
	n := 1
	for i, c := range data {
		switch c {
		case ',', '[', '{':
			n++
		case '-', ':', '?':
			if i+1 == len(data) || strings.IndexByte(" \t\r\n,]}", data[i+1]) >= 0 {
				n++
				if c == ':' {
					n++
				}
			}
		}
	}
	return n
}

var yamlLine = lazyregexp.New(`^yaml: line (\d+): (.*)$`)

// syntaxError turns the YAML parser's error into one Problem in words.
func syntaxError(data []byte, err error) error {
	msg := err.Error()
	line := 0
	if m := yamlLine().FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
	}
	if tab := tabIndentedLine(data, line); tab > 0 {
		return &Error{Problems: []Problem{{Line: tab, Message: "a tab in the indentation: YAML indents with spaces only"}}}
	}
	switch {
	case strings.HasPrefix(msg, "exceeded max depth"):
		msg = "nested too deeply (brackets or indentation more than 10,000 levels deep)"
	case strings.HasPrefix(msg, "unknown anchor"):
		name := strings.TrimSuffix(strings.TrimPrefix(msg, "unknown anchor '"), "' referenced")
		msg = fmt.Sprintf("*%s refers to no anchor: define &%s before it is used", name, name)
		if i := bytes.Index(data, []byte("*"+name)); i >= 0 {
			line = lineAt(data, i)
		}
	case strings.HasPrefix(msg, "did not find expected ',' or ']'"), strings.HasPrefix(msg, "did not find expected ',' or '}'"):
		// The parser names where it gave up, often the end of the file; the
		// mistake is where the bracket was opened.
		open, close := byte('['), byte(']')
		if strings.Contains(msg, "'}'") {
			open, close = '{', '}'
		}
		if at := unclosedFlow(data, open); at > 0 {
			line = at
			msg = fmt.Sprintf("not valid YAML: the %c opened on this line is never closed: add %c (or a missing comma: %s)", open, close, msg)
		} else {
			msg = "not valid YAML: " + msg
		}
	default:
		msg = "not valid YAML: " + msg
	}
	return &Error{Problems: []Problem{{Line: line, Message: msg}}}
}

// unclosedFlow is the 1-based line of the innermost flow sequence ([) or
// mapping ({), of kind open, that data opens and never closes; 0 when none.
// Quoted strings and comments are skipped; a bracket counts only where a
// value begins (after ':', '-', ',', '?', another bracket or at the start of
// a line), so a plain scalar such as a[1] opens nothing.
func unclosedFlow(data []byte, open byte) int {
	type opened struct {
		c    byte
		line int
	}
	var stack []opened
	line, prev := 1, byte('\n') // prev: the last byte that is not a space
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch {
		case c == '\n':
			line++
		case c == ' ' || c == '\t' || c == '\r':
			continue
		case c == '#' && (i == 0 || data[i-1] == ' ' || data[i-1] == '\t' || data[i-1] == '\n'):
			for i+1 < len(data) && data[i+1] != '\n' {
				i++
			}
			continue
		case (c == '"' || c == '\'') && strings.IndexByte(":-,?[{\n", prev) >= 0:
			for i++; i < len(data); i++ {
				if data[i] == '\n' {
					line++
				}
				if c == '"' && data[i] == '\\' {
					i++
					continue
				}
				if data[i] == c {
					if c == '\'' && i+1 < len(data) && data[i+1] == '\'' {
						i++ // '' inside single quotes
						continue
					}
					break
				}
			}
		case (c == '[' || c == '{') && strings.IndexByte(":-,?[{\n", prev) >= 0:
			stack = append(stack, opened{c, line})
		case (c == ']' || c == '}') && len(stack) > 0:
			stack = stack[:len(stack)-1]
		}
		prev = c
	}
	for i := len(stack) - 1; i >= 0; i-- {
		if stack[i].c == open {
			return stack[i].line
		}
	}
	return 0
}

// tabIndentedLine returns the first line up to errLine (or anywhere, when the
// parser named no line) whose indentation holds a tab, or 0. The parser's own
// words for it ("found character that cannot start any token") do not say tab.
func tabIndentedLine(data []byte, errLine int) int {
	line := 1
	for start := 0; start < len(data); line++ {
		end := bytes.IndexByte(data[start:], '\n')
		if end < 0 {
			end = len(data) - start
		}
		indent := data[start : start+end]
		indent = indent[:len(indent)-len(bytes.TrimLeft(indent, " \t"))]
		if bytes.IndexByte(indent, '\t') >= 0 && start+len(indent) < start+end {
			return line
		}
		if errLine > 0 && line >= errLine+1 {
			break
		}
		start += end + 1
	}
	return 0
}

// lineAt is the 1-based line of byte offset i.
func lineAt(data []byte, i int) int {
	return bytes.Count(data[:i], []byte("\n")) + 1
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}
