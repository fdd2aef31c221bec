// Package caroots reads a CA file the one way frontdoor does: for
// `frontdoor check --ca`, the wizard's CA file and the LDAP settings' caFile.
package caroots

import (
	"crypto/x509"
	"errors"
	"fmt"
	"io/fs"

	"github.com/dustin/go-humanize"

	"frontdoor/internal/safefile"
)

// MaxFile bounds what FromFile reads: a bundle of every public root
// is about 200 KiB.
const MaxFile = 4 << 20

// FromFile is the system's CAs plus the certificates of the PEM file
// at path (a private CA): what `frontdoor check --ca FILE`, the wizard's
// CA file and an LDAP setting's caFile trust. The file is read by safefile's rule: a FIFO
// or a device named by mistake is refused, not waited on. The error says
// what is wrong with the file, without its path (the caller names it): not
// there, not readable, not a regular file of at most MaxFile, or no PEM
// certificate in it.
func FromFile(path string) (*x509.CertPool, error) {
	data, _, err := safefile.Read(path, MaxFile)
	var notRegular *safefile.NotRegularError
	var large *safefile.TooLargeError
	var pathErr *fs.PathError
	switch {
	case errors.As(err, &notRegular):
		return nil, fmt.Errorf("is %s, not a PEM file (a regular file of at most %s)", safefile.Kind(notRegular.Mode), humanize.IBytes(MaxFile))
	case errors.As(err, &large):
		return nil, fmt.Errorf("not a PEM file (a regular file of at most %s)", humanize.IBytes(MaxFile))
	case errors.As(err, &pathErr):
		return nil, pathErr.Err // "no such file or directory", "permission denied"
	case err != nil:
		return nil, err
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(data) {
		return nil, errors.New("no PEM certificate in it")
	}
	return pool, nil
}
