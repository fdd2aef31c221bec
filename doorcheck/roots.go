package doorcheck

import (
	"crypto/x509"
	"errors"
	"fmt"
	"io/fs"

	"github.com/dustin/go-humanize"

	"frontdoor/internal/safefile"
)

// MaxCAFile bounds what CAFileRoots reads: a bundle of every public root
// is about 200 KiB.
const MaxCAFile = 4 << 20

// CAFileRoots are the system's CAs plus the certificates of the PEM file
// at path (a private CA): what `frontdoor check --ca FILE` and the wizard's
// CA file give Options.Roots. The file is read by safefile's rule: a FIFO
// or a device named by mistake is refused, not waited on. The error says
// what is wrong with the file, without its path (the caller names it): not
// there, not readable, not a regular file of at most MaxCAFile, or no PEM
// certificate in it.
func CAFileRoots(path string) (*x509.CertPool, error) {
	data, _, err := safefile.Read(path, MaxCAFile)
	var notRegular *safefile.NotRegularError
	var large *safefile.TooLargeError
	var pathErr *fs.PathError
	switch {
	case errors.As(err, &notRegular) || errors.As(err, &large):
		return nil, fmt.Errorf("not a PEM file (a regular file of at most %s)", humanize.IBytes(MaxCAFile))
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
