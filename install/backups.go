package install

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// DefaultKeep is how many backups of a target a save keeps when Plan.Keep is 0.
const DefaultKeep = 5

// stampLayout names a backup after the moment its version was replaced, in
// UTC, so names sort by time and mean the same on every machine.
const stampLayout = "20060102T150405Z"

// Backup is one kept version of a target, as Backups lists it.
type Backup struct {
	Path string
	// Time is when the save that replaced this version ran (UTC): the file
	// held these bytes until then. For an old-style backup without a time in
	// its name, the file's modification time.
	Time time.Time
	Size int64
	Mode fs.FileMode
	// Stamp is the time part of the name (20261127T031500Z, -2 for a second
	// save in the same second); "" for an old-style backup.
	Stamp string
	seq   int
}

// Backups lists the kept backups of target (followed through symlinks, as
// Save does), newest first. backupDir is Plan.BackupDir: "" for backups beside
// the file. A directory without backups gives an empty list, not an error.
func Backups(target, backupDir string) ([]Backup, error) {
	file, err := resolveFile(target)
	if err != nil {
		return nil, err
	}
	return backupSetFor(file, backupDir).list()
}

// SelectBackup picks a backup from list (as Backups returns it) by what a
// user typed: "" for the newest, its path, its file name, its stamp, or the
// start of one stamp only (20261127T074332 for 20261127T074332Z; a second
// save in the same second makes it ambiguous, and the error lists both).
// When nothing matches, the error names the backups closest in time to a
// stamp typed in part, else all of them.
func SelectBackup(list []Backup, arg string) (Backup, error) {
	if len(list) == 0 {
		return Backup{}, errors.New("no backups: nothing to restore")
	}
	if arg == "" {
		return list[0], nil
	}
	abs, _ := filepath.Abs(arg)
	for _, b := range list {
		if b.Path == arg || b.Path == abs || filepath.Base(b.Path) == arg || (b.Stamp != "" && b.Stamp == arg) {
			return b, nil
		}
	}
	var matches []Backup
	if !strings.ContainsRune(arg, filepath.Separator) {
		for _, b := range list {
			if b.Stamp != "" && strings.HasPrefix(b.Stamp, arg) {
				matches = append(matches, b)
			}
		}
	}
	switch {
	case len(matches) == 1:
		return matches[0], nil
	case len(matches) > 1:
		return Backup{}, fmt.Errorf("%s is the start of %d backups' stamps: %s; give the whole stamp", arg, len(matches), backupNames(matches))
	}
	if when, ok := partialStamp(arg); ok {
		closest := slices.Clone(list)
		slices.SortStableFunc(closest, func(a, b Backup) int {
			return cmpDuration(absDuration(a.Time.Sub(when)), absDuration(b.Time.Sub(when)))
		})
		return Backup{}, fmt.Errorf("%s is not one of the backups; the closest: %s", arg, backupNames(closest[:min(3, len(closest))]))
	}
	return Backup{}, fmt.Errorf("%s is not one of the backups: %s", arg, backupNames(list))
}

// partialStamp is the time a stamp typed at least to its day means, the
// rest taken as zero (20261127T0743 is 07:43:00 that day).
func partialStamp(arg string) (time.Time, bool) {
	const zero = "00010101T000000Z"
	if len(arg) < len("20060102") || len(arg) > len(zero) {
		return time.Time{}, false
	}
	t, err := time.Parse(stampLayout, arg+zero[len(arg):])
	return t, err == nil
}

func absDuration(d time.Duration) time.Duration { return max(d, -d) }

func cmpDuration(a, b time.Duration) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// backupNames lists backups by file name, for an error.
func backupNames(list []Backup) string {
	names := make([]string, 0, len(list))
	for _, b := range list {
		names = append(names, filepath.Base(b.Path))
	}
	return strings.Join(names, ", ")
}

// backupSet is where one target's backups live: dir/prefix.STAMP[-N], and
// the old-style single backup dir/prefix.
type backupSet struct {
	dir, prefix string
	key         string // names the scratch files of a copy in dir
}

func backupSetFor(file, backupDir string) backupSet {
	base := filepath.Base(file)
	if backupDir == "" {
		return backupSet{dir: filepath.Dir(file), prefix: backupName(base), key: base}
	}
	// One directory may hold backups of several targets (nginx and Apache both
	// use artifactory.conf): name each after its full path.
	flat := strings.ReplaceAll(strings.TrimPrefix(filepath.Clean(file), string(filepath.Separator)), string(filepath.Separator), "_")
	return backupSet{dir: backupDir, prefix: flat + ".frontdoor-bak", key: flat}
}

// parse reads a backup's stamp from its file name.
func (bs backupSet) parse(name string) (stamp string, t time.Time, seq int, ok bool) {
	rest, found := strings.CutPrefix(name, bs.prefix+".")
	if !found {
		return "", time.Time{}, 0, false
	}
	ts, n, hasSeq := strings.Cut(rest, "-")
	seq = 1
	if hasSeq {
		var err error
		if seq, err = strconv.Atoi(n); err != nil || seq < 2 {
			return "", time.Time{}, 0, false
		}
	}
	t, err := time.Parse(stampLayout, ts)
	if err != nil {
		return "", time.Time{}, 0, false
	}
	return rest, t, seq, true
}

func (bs backupSet) list() ([]Backup, error) {
	entries, err := os.ReadDir(bs.dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []Backup
	for _, e := range entries {
		name := e.Name()
		b := Backup{Path: filepath.Join(bs.dir, name)}
		if name != bs.prefix {
			var ok bool
			if b.Stamp, b.Time, b.seq, ok = bs.parse(name); !ok {
				continue
			}
		}
		fi, err := os.Lstat(b.Path)
		if err != nil || !fi.Mode().IsRegular() {
			continue
		}
		b.Size, b.Mode = fi.Size(), fi.Mode().Perm()
		if b.Stamp == "" {
			b.Time = fi.ModTime().UTC()
		}
		out = append(out, b)
	}
	slices.SortFunc(out, func(a, b Backup) int {
		if c := b.Time.Compare(a.Time); c != 0 {
			return c
		}
		return b.seq - a.seq
	})
	return out, nil
}

// add keeps the bytes at src (the save's rollback copy, data its content) as
// the newest backup, named after now. It never replaces a backup: a second
// save in the same second gets -2, -3. When the newest backup already holds
// these bytes it is not kept twice; dup then names it.
func (bs backupSet) add(src string, st fileState, now time.Time) (path string, dup bool, err error) {
	if existing, err := bs.list(); err == nil && len(existing) > 0 {
		newest := existing[0]
		if sameFile(newest.Path, src) || fileHolds(newest.Path, st.data) {
			return newest.Path, true, nil
		}
	}
	stamp := now.UTC().Format(stampLayout)
	candidate := func(seq int) string {
		name := bs.prefix + "." + stamp
		if seq > 1 {
			name += "-" + strconv.Itoa(seq)
		}
		return filepath.Join(bs.dir, name)
	}
	// A hard link: byte-identical, same mode and owner, and no copy to fsync.
	for seq := 1; seq <= 100; seq++ {
		err := os.Link(src, candidate(seq))
		if err == nil {
			return candidate(seq), false, syncDir(bs.dir)
		}
		if !errors.Is(err, fs.ErrExist) {
			break // another file system, or no hard links there: copy
		}
	}
	tmp, err := writeTemp(bs.dir, scratchPrefix(bs.key), st.data, st.mode, st.uid, st.gid, nil, nil)
	if err != nil {
		return "", false, err
	}
	defer os.Remove(tmp)
	for seq := 1; seq <= 100; seq++ {
		// Saves of one target hold its directory's lock, so nothing else
		// creates this name between the check and the rename.
		if _, err := os.Lstat(candidate(seq)); errors.Is(err, fs.ErrNotExist) {
			if err := os.Rename(tmp, candidate(seq)); err != nil {
				return "", false, err
			}
			return candidate(seq), false, syncDir(bs.dir)
		}
	}
	return "", false, fmt.Errorf("%s: too many backups named %s", bs.dir, stamp)
}

// rotate removes the oldest backups beyond keep, never protect (a backup
// being restored). after is called once a first backup is gone (crash tests).
func (bs backupSet) rotate(keep int, protect string, after func()) (removed []string, err error) {
	list, err := bs.list()
	if err != nil {
		return nil, err
	}
	for _, b := range beyondKeep(list, keep, protect) {
		if err := os.Remove(b.Path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return removed, err
		}
		removed = append(removed, b.Path)
		if len(removed) == 1 {
			if err := syncDir(bs.dir); err != nil {
				return removed, err
			}
			call(after)
		}
	}
	if len(removed) > 1 {
		return removed, syncDir(bs.dir)
	}
	return removed, nil
}

// beyondKeep is what a rotation keeping keep backups removes from list
// (newest first): every one past the newest keep, except protect (the
// backup a restore put back, kept for another try).
func beyondKeep(list []Backup, keep int, protect string) []Backup {
	var out []Backup
	for i, b := range list {
		if i >= max(keep, 0) && b.Path != protect {
			out = append(out, b)
		}
	}
	return out
}

// NextRemoved is what the next save or restore that replaces the file
// removes from list (its backups, newest first) when it keeps keep: the
// version it replaces becomes the newest backup, so the newest keep-1 of
// list stay. protect is the backup a restore puts back ("" for a save).
func NextRemoved(list []Backup, keep int, protect string) []Backup {
	return beyondKeep(list, keep-1, protect)
}

func sameFile(a, b string) bool {
	fa, err := os.Stat(a)
	if err != nil {
		return false
	}
	fb, err := os.Stat(b)
	return err == nil && os.SameFile(fa, fb)
}

func fileHolds(path string, data []byte) bool {
	got, err := os.ReadFile(path)
	return err == nil && bytes.Equal(got, data)
}
