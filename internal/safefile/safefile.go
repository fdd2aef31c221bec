// Package safefile reads a file a user named without trusting what it is:
// only a regular file is read (a FIFO, device, directory or socket is refused
// without blocking on it: /dev/zero would never end, a FIFO would wait for a
// writer), and at most a given number of bytes, so no input can exhaust
// memory. Settings files (config), web server configurations (importer) and
// certificate files (render) are read this way; each caller words the errors
// for its own kind of file.
package safefile

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// NotRegularError is a path that names something other than a regular file.
type NotRegularError struct {
	Path string
	Mode fs.FileMode
}

func (e *NotRegularError) Error() string {
	return fmt.Sprintf("%s: is %s, not a regular file", e.Path, Kind(e.Mode))
}

// TooLargeError is a file of more than Limit bytes. Size is its size, or,
// when Grew, what had been read when it passed the limit while being read.
type TooLargeError struct {
	Path        string
	Size, Limit int64
	Grew        bool
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s: too large: %d bytes, the limit is %d", e.Path, e.Size, e.Limit)
}

// Kind names what a mode that is not a regular file is: "a directory", "a
// FIFO (named pipe)", "a character device", "a block device", "a socket" or
// "a special file".
func Kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO (named pipe)"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	}
	return "a special file"
}

// Read returns the bytes of the regular file path (a symlink is followed),
// at most limit of them, and the FileInfo of the file it read (mode, owner
// and time, for callers that keep them). Errors: *NotRegularError,
// *TooLargeError, or what the system said (*fs.PathError: test with
// errors.Is(err, fs.ErrNotExist), fs.ErrPermission).
func Read(path string, limit int64) ([]byte, fs.FileInfo, error) {
	// Stat first: what is not a regular file is refused without opening it
	// (opening some devices does something).
	info, err := os.Stat(path)
	if err != nil {
		return nil, nil, err
	}
	if err := check(path, info, limit); err != nil {
		return nil, nil, err
	}
	// O_NONBLOCK: if the file was swapped for a FIFO since the Stat, opening
	// it still returns at once, and the Stat of the open file refuses it.
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK|syscall.O_NOCTTY, 0)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	if info, err = f.Stat(); err != nil {
		return nil, nil, err
	}
	if err := check(path, info, limit); err != nil {
		return nil, nil, err
	}
	data := make([]byte, 0, info.Size()+1) // one read for a file that does not grow meanwhile
	for int64(len(data)) <= limit {
		n, err := f.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, err
		}
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
	}
	if int64(len(data)) > limit {
		return nil, nil, &TooLargeError{Path: path, Size: int64(len(data)), Limit: limit, Grew: true}
	}
	return data, info, nil
}

// check refuses what is not a regular file of at most limit bytes.
func check(path string, info fs.FileInfo, limit int64) error {
	if !info.Mode().IsRegular() {
		return &NotRegularError{Path: path, Mode: info.Mode()}
	}
	if info.Size() > limit {
		return &TooLargeError{Path: path, Size: info.Size(), Limit: limit}
	}
	return nil
}
