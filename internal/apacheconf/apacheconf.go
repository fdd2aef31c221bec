// Package apacheconf reads an Apache configuration as Apache does, as far
// as validation and saving need: where the main configuration is, the files
// it loads (Include, IncludeOptional: walk.go, the one place that rule
// lives) and the Listen lines in them, each with its file and line.
package apacheconf

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Main finds the Apache main configuration under root ("/" for this
// machine): Debian's etc/apache2/apache2.conf (server root etc/apache2) or
// RHEL's etc/httpd/conf/httpd.conf (server root etc/httpd). ok is false
// when there is neither.
func Main(root string) (main, serverRoot string, ok bool) {
	for _, c := range []struct{ main, serverRoot string }{
		{"etc/apache2/apache2.conf", "etc/apache2"},
		{"etc/httpd/conf/httpd.conf", "etc/httpd"},
	} {
		m := filepath.Join(root, c.main)
		if fi, err := os.Stat(m); err == nil && fi.Mode().IsRegular() {
			return m, filepath.Join(root, c.serverRoot), true
		}
	}
	return "", "", false
}

// directive is one directive: its name, its arguments (quotes removed),
// the line it starts on and how many sections (<IfModule>, <VirtualHost>,
// ...) enclose it.
type directive struct {
	name  string
	args  []string
	line  int
	depth int
}

// directives splits configuration text into directives; a line ending in
// a backslash goes on with the next, comments are whole lines.
func directives(text string) []directive {
	var out []directive
	lines := strings.Split(text, "\n")
	depth := 0
	for i := 0; i < len(lines); i++ {
		start := i
		line := strings.TrimRight(lines[i], "\r")
		for strings.HasSuffix(line, "\\") && i+1 < len(lines) {
			i++
			line = line[:len(line)-1] + " " + strings.TrimRight(lines[i], "\r")
		}
		f := fields(line)
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		switch {
		case strings.HasPrefix(f[0], "</"):
			depth = max(depth-1, 0)
			continue
		case strings.HasPrefix(f[0], "<"):
			depth++
			continue
		}
		out = append(out, directive{name: f[0], args: f[1:], line: start + 1, depth: depth})
	}
	return out
}

// fields splits a line into words, a quoted word (with its spaces) as one.
func fields(line string) []string {
	var out []string
	for {
		line = strings.TrimLeft(line, " \t")
		if line == "" {
			return out
		}
		if q := line[0]; q == '"' || q == '\'' {
			end := strings.IndexByte(line[1:], q)
			if end < 0 {
				return append(out, line[1:])
			}
			out = append(out, line[1:1+end])
			line = line[2+end:]
			continue
		}
		end := strings.IndexAny(line, " \t")
		if end < 0 {
			return append(out, line)
		}
		out = append(out, line[:end])
		line = line[end:]
	}
}

// Listen is one Listen directive.
type Listen struct {
	File string
	Line int
	Addr string // as written: "5001", "*:5001", "127.0.0.1:5001", "[::]:5001"
	Port string
	// Conditional: inside a section (<IfModule>, <IfDefine>, ...), so it
	// may not apply.
	Conditional bool
}

// AllAddresses reports whether the Listen is for every address, as a bare
// `Listen PORT` is: Apache refuses two of these for one port (AH00526
// "Cannot define multiple Listeners on the same IP:port").
func (l Listen) AllAddresses() bool {
	return l.Addr == l.Port || l.Addr == "*:"+l.Port
}

// String is the place, FILE:LINE.
func (l Listen) String() string { return l.File + ":" + strconv.Itoa(l.Line) }

// Listens are the Listen lines of files, in order. A file that cannot be
// read has none.
func Listens(files []string) []Listen {
	var out []Listen
	// Define'd variables, in the order Apache reads the files: `Listen
	// ${PORT}` is a Listen of that port. One whose variable the files do not
	// define (the environment's) is left out: its port is not known here.
	w := &walk{defines: map[string]string{}}
	for _, f := range files {
		data, err := readRegular(f)
		if err != nil {
			continue
		}
		for _, d := range directives(string(data)) {
			switch {
			case strings.EqualFold(d.name, "Define") && len(d.args) > 0:
				v := ""
				if len(d.args) > 1 {
					v, _ = w.substitute(d.args[1])
				}
				w.defines[d.args[0]] = v
				continue
			case strings.EqualFold(d.name, "UnDefine") && len(d.args) > 0:
				delete(w.defines, d.args[0])
				continue
			case !strings.EqualFold(d.name, "Listen") || len(d.args) == 0:
				continue
			}
			addr, ok := w.substitute(d.args[0])
			if !ok {
				continue
			}
			port := addr
			if i := strings.LastIndexByte(addr, ':'); i >= 0 {
				port = addr[i+1:]
			}
			out = append(out, Listen{File: f, Line: d.line, Addr: addr, Port: port, Conditional: d.depth > 0})
		}
	}
	return out
}
