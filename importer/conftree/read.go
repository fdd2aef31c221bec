package conftree

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"

	"frontdoor/config"
	"frontdoor/finding"
	"frontdoor/internal/safefile"
)

// MaxSize is the largest configuration file read, the limit of a settings
// file: a reverse-proxy configuration is a few KiB.
const MaxSize = config.MaxSize

// MaxFiles and MaxTotal bound what one import reads through includes, so
// a glob over a huge directory cannot make it read without end.
const (
	MaxFiles = 512
	MaxTotal = 4 * MaxSize
)

// ReadFile reads one configuration file the way frontdoor reads settings
// (safefile.Read): only a regular file (a FIFO or device is refused without
// blocking), at most MaxSize bytes, and text (a NUL byte or other control
// characters mean a binary file). Problems with the file itself are an
// *Error.
func ReadFile(path string) ([]byte, error) {
	data, _, err := safefile.Read(path, MaxSize)
	var notRegular *safefile.NotRegularError
	var large *safefile.TooLargeError
	switch {
	case errors.As(err, &notRegular) && notRegular.Mode.IsDir():
		return nil, &Error{Pos: Pos{File: path}, Message: "is a directory: name the configuration file (e.g. nginx.conf, or a file in sites-enabled/)"}
	case errors.As(err, &notRegular):
		return nil, &Error{Pos: Pos{File: path}, Message: "is not a regular file (a FIFO, device or socket): frontdoor reads configurations only from regular files"}
	case errors.As(err, &large):
		return nil, &Error{Pos: Pos{File: path}, Message: fmt.Sprintf("too large: %s bytes, the limit is %d MiB (a web server configuration is a few KiB)", finding.Count(int(large.Size)), MaxSize>>20)}
	case err != nil:
		return nil, fileError(path, err)
	}
	if line, ok := binaryAt(data); ok {
		return nil, &Error{Pos: Pos{File: path, Line: line}, Message: "binary data, not a web server configuration"}
	}
	return data, nil
}

func fileError(path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	msg := err.Error()
	if errors.Is(err, fs.ErrNotExist) {
		msg = "file does not exist"
	}
	return &Error{Pos: Pos{File: path}, Message: msg, Err: err}
}

// binaryAt reports the line of the first byte no text file holds: NUL, or
// a control character other than tab, line feed, carriage return and form
// feed.
func binaryAt(data []byte) (int, bool) {
	for i, c := range data {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' || c == 0x7f {
			return bytes.Count(data[:i], []byte("\n")) + 1, true
		}
	}
	return 0, false
}
