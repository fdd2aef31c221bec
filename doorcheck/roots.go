package doorcheck

import (
	"crypto/x509"

	"frontdoor/internal/caroots"
)

// CAFileRoots are the system's CAs plus the certificates of the PEM file
// at path: what `frontdoor check --ca FILE` and the wizard's CA file give
// Options.Roots, read by caroots' one rule (shared with ldapcheck's caFile).
func CAFileRoots(path string) (*x509.CertPool, error) { return caroots.FromFile(path) }
