// Package assets embeds the templates and examples frontdoor ships with.
package assets

import (
	"embed"
	_ "embed"
)

// Example is the built-in frontdoor.yaml used when nothing is configured.
//
//go:embed examples/frontdoor.yaml
var Example []byte

// Templates holds the nginx and Apache snippet templates.
//
//go:embed templates/*.tmpl
var Templates embed.FS

// Lexers holds chroma's nginx and apacheconf lexer definitions. They are
// loaded from here rather than through chroma's lexers package, whose init
// registers every one of its ~250 lexers (5 ms and 2.7 MB at each start of
// every command, including `frontdoor ldap test`).
//
//go:embed lexers/*.xml
var Lexers embed.FS
