package render

// The shapes FuzzFieldValues compares for HAProxy, Caddy and the Kubernetes
// outputs: what a value would change if it escaped its directive, token or
// YAML scalar.

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"go.yaml.in/yaml/v3"
)

// haproxyWords splits one haproxy.cfg line into words as HAProxy's parser
// does: blanks separate, "..." and '...' quote, a backslash escapes the
// next character, and '#' outside quotes starts a comment.
func haproxyWords(line string) []string {
	var words []string
	var cur strings.Builder
	inWord, quote := false, byte(0)
	flush := func() {
		if inWord {
			words = append(words, cur.String())
			cur.Reset()
			inWord = false
		}
	}
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
				continue
			}
			if c == '\\' && quote == '"' && i+1 < len(line) {
				i++
				c = line[i]
			}
			cur.WriteByte(c)
		case c == '\\' && i+1 < len(line):
			i++
			cur.WriteByte(line[i])
			inWord = true
		case c == '"' || c == '\'':
			quote, inWord = c, true
		case c == ' ' || c == '\t':
			flush()
		case c == '#':
			flush()
			return append(words, "#")
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	flush()
	return words
}

// haproxyShape is each line's first word and word count; comments count
// as one word "#".
func haproxyShape(out []byte) []string {
	var shape []string
	for _, line := range strings.Split(string(out), "\n") {
		w := haproxyWords(line)
		first := ""
		if len(w) > 0 {
			first = w[0]
		}
		shape = append(shape, fmt.Sprintf("%s/%d", first, len(w)))
	}
	return shape
}

// caddyTokens splits one Caddyfile line into tokens as Caddy's lexer does:
// blanks separate, "..." and `...` quote, '#' at the start of a token
// starts a comment. A quote left open is an error.
func caddyTokens(line string) ([]string, error) {
	var toks []string
	for i := 0; i < len(line); {
		c := line[i]
		switch {
		case c == ' ' || c == '\t':
			i++
		case c == '#':
			return append(toks, "#"), nil
		case c == '"' || c == '`':
			end := i + 1
			for end < len(line) && line[end] != c {
				if c == '"' && line[end] == '\\' {
					end++
				}
				end++
			}
			if end >= len(line) {
				return nil, errors.New("open quote")
			}
			toks = append(toks, line[i+1:end])
			i = end + 1
		default:
			end := strings.IndexAny(line[i:], " \t")
			if end < 0 {
				end = len(line) - i
			}
			toks = append(toks, line[i:i+end])
			i += end
		}
	}
	return toks, nil
}

// caddyShape is each line's first token and token count, and the brace
// depth after it.
func caddyShape(out []byte) ([]string, error) {
	var shape []string
	depth := 0
	for n, line := range strings.Split(string(out), "\n") {
		toks, err := caddyTokens(line)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n+1, err)
		}
		first := ""
		if len(toks) > 0 {
			first = toks[0]
			if strings.Contains(first, "://") {
				first = "<site address>" // holds the server name
			}
		}
		for _, t := range toks {
			switch t {
			case "{":
				depth++
			case "}":
				depth--
			}
		}
		shape = append(shape, fmt.Sprintf("%s/%d/%d", first, len(toks), depth))
	}
	return shape, nil
}

// yamlShape is the structure of every document: mapping keys, sequence
// lengths and each scalar's type, values left out, comments included (as
// their line count), so a value can neither add a key nor leave a comment.
// scalars lists every scalar (keys and values), from the same decoding: the
// fuzz test decodes megabytes of manifests, once each.
func yamlShape(out []byte) (shape string, scalars []string, err error) {
	dec := yaml.NewDecoder(bytes.NewReader(out))
	var b strings.Builder
	var rec func(n *yaml.Node)
	rec = func(n *yaml.Node) {
		if n.Kind == yaml.ScalarNode {
			scalars = append(scalars, n.Value)
		}
		for _, c := range n.Content {
			rec(c)
		}
	}
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", nil, err
		}
		writeYAMLShape(&b, &n)
		b.WriteString("\n---\n")
		rec(&n)
	}
	fmt.Fprintf(&b, "comment lines: %d", bytes.Count(out, []byte("\n#"))+bytes.Count(out, []byte("\n  #")))
	return b.String(), scalars, nil
}

func writeYAMLShape(b *strings.Builder, n *yaml.Node) {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			writeYAMLShape(b, c)
		}
	case yaml.MappingNode:
		b.WriteByte('{')
		for i := 0; i+1 < len(n.Content); i += 2 {
			b.WriteString(n.Content[i].Value)
			b.WriteByte(':')
			writeYAMLShape(b, n.Content[i+1])
			b.WriteByte(',')
		}
		b.WriteByte('}')
	case yaml.SequenceNode:
		fmt.Fprintf(b, "[%d:", len(n.Content))
		for _, c := range n.Content {
			writeYAMLShape(b, c)
			b.WriteByte(',')
		}
		b.WriteByte(']')
	case yaml.ScalarNode:
		b.WriteString(n.Tag)
	default:
		fmt.Fprintf(b, "?%d", n.Kind)
	}
}
