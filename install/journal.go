package install

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// journal is written (atomically, fsynced) just before a save changes the
// target or its enable link, and removed once the check has settled the
// outcome. Finding one at the start of a save means an earlier save was killed
// in between: the target may hold new content that was never checked, and
// the journal says how to roll it back.
type journal struct {
	PID     int       `json:"pid"`
	Started time.Time `json:"started"`
	File    string    `json:"file"`
	// Wrote: the save replaced or created File (false: it only added the link).
	Wrote       bool   `json:"wrote"`
	HadPrevious bool   `json:"hadPrevious"`
	Backup      string `json:"backup,omitempty"` // the previous bytes, when Wrote && HadPrevious
	OldSHA256   string `json:"oldSha256,omitempty"`
	NewSHA256   string `json:"newSha256"`
	Link        string `json:"link,omitempty"` // enable link the save created
}

func journalPath(file string) string {
	return filepath.Join(filepath.Dir(file), journalName(filepath.Base(file)))
}

func readJournal(file string) (*journal, error) {
	data, err := os.ReadFile(journalPath(file))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var j journal
	if err := json.Unmarshal(data, &j); err != nil {
		// A journal is written atomically, so it is never partial; an
		// unreadable one was edited by hand: say so rather than guess.
		return nil, fmt.Errorf("%s: unreadable journal of an interrupted save (%v); inspect it and remove it", journalPath(file), err)
	}
	return &j, nil
}

func writeJournal(j *journal) error {
	data, err := json.MarshalIndent(j, "", "  ")
	if err != nil {
		return err
	}
	return writeAtomic(journalPath(j.File), scratchPrefix(filepath.Base(j.File)), append(data, '\n'), 0o600, -1, -1)
}

func removeJournal(file string) error {
	err := os.Remove(journalPath(file))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return syncDir(filepath.Dir(file))
}

// lockDir takes an exclusive advisory lock on dir so two frontdoor saves of
// the same directory (two wizards, a wizard and a script) cannot interleave.
// Locking the directory itself leaves no lock file behind.
func lockDir(dir string) (unlock func(), err error) {
	d, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(d.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		d.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%w: another frontdoor save is running in %s", ErrBusy, dir)
		}
		return nil, fmt.Errorf("locking %s: %w", dir, err)
	}
	return func() {
		syscall.Flock(int(d.Fd()), syscall.LOCK_UN)
		d.Close()
	}, nil
}
