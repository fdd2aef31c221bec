package render

import "errors"

// LooksLikeArtifactoryJSON reports whether data is the vendor's webServer REST JSON.
func LooksLikeArtifactoryJSON(data []byte) bool { return false }

// FromArtifactoryJSON reads the vendor's webServer REST JSON.
func FromArtifactoryJSON(data []byte) (Settings, error) { return Settings{}, errors.New("todo") }
