package conftree

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"

	"frontdoor/config"
	"frontdoor/finding"
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

// ReadFile reads one configuration file the way frontdoor reads settings:
// only a regular file (a FIFO or device is refused without blocking), at
// most MaxSize bytes, and text (a NUL byte or other control characters mean
// a binary file). Problems with the file itself are an *Error.
//
// config reads settings files by the same rule in an unexported function;
// once it exports one, this should call it.
func ReadFile(path string) ([]byte, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, fileError(path, err)
	}
	if err := regularAndSmall(path, info); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK|syscall.O_NOCTTY, 0)
	if err != nil {
		return nil, fileError(path, err)
	}
	defer f.Close()
	if info, err = f.Stat(); err != nil {
		return nil, fileError(path, err)
	}
	if err := regularAndSmall(path, info); err != nil {
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return nil, fileError(path, err)
	}
	if len(data) > MaxSize {
		return nil, tooLarge(path, int64(len(data)))
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

func regularAndSmall(path string, info fs.FileInfo) error {
	m := info.Mode()
	switch {
	case m.IsRegular():
		if info.Size() > MaxSize {
			return tooLarge(path, info.Size())
		}
		return nil
	case m.IsDir():
		return &Error{Pos: Pos{File: path}, Message: "is a directory: name the configuration file (e.g. nginx.conf, or a file in sites-enabled/)"}
	}
	return &Error{Pos: Pos{File: path}, Message: "is not a regular file (a FIFO, device or socket): frontdoor reads configurations only from regular files"}
}

func tooLarge(path string, size int64) error {
	return &Error{Pos: Pos{File: path}, Message: fmt.Sprintf("too large: %s bytes, the limit is %d MiB (a web server configuration is a few KiB)", finding.Count(int(size)), MaxSize>>20)}
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
