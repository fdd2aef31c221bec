package importer

import (
	"fmt"

	"frontdoor/importer/conftree"
	"frontdoor/render"
)

// providerMismatch is the error for a file read as the wrong web server's
// (--provider apache on an nginx file): it says which server the file looks
// like and what to give instead. nil when the file looks like the given
// provider's, or like neither.
func providerMismatch(given render.Provider, f conftree.File) error {
	looks, ok := Detect(f.Data)
	if !ok || looks == given {
		return nil
	}
	return &conftree.Error{Pos: conftree.Pos{File: f.Path}, Message: fmt.Sprintf(
		"this looks like %s configuration, not %s one: give --provider %s, or leave --provider out (the web server is detected from the file)",
		serverArticle(looks), serverArticle(given), looks)}
}

func serverArticle(p render.Provider) string {
	switch p {
	case render.Nginx:
		return "an nginx"
	case render.Apache:
		return "an Apache"
	}
	return "a " + string(p)
}
