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
