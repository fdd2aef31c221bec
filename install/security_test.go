package install

import (
	"context"
	"errors"
	"os"
	"syscall"
	"testing"
)

// A save never widens what is written: the new file keeps the old one's mode
// and owner (a server running as another user may otherwise not read it, or
// a 0600 file become readable), and so do the backups, beside the file, in a
// backup directory, and copied to another file system.
func TestSaveKeepsModeAndOwner(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to give files away")
	}
	otherFS := ""
	if d, err := os.MkdirTemp("/dev/shm", "frontdoor-test-"); err == nil {
		t.Cleanup(func() { os.RemoveAll(d) })
		if device(t, d) != device(t, t.TempDir()) {
			otherFS = d
		}
	}
	tests := []struct {
		name      string
		mode      os.FileMode
		uid, gid  int
		backupDir func(t *testing.T) string
	}{
		{"0600, a user's file", 0o600, 1000, 1000, func(*testing.T) string { return "" }},
		{"0640 www-data:adm", 0o640, 33, 4, func(*testing.T) string { return "" }},
		{"0600 in a backup directory", 0o600, 1000, 1000, func(t *testing.T) string { return t.TempDir() }},
		{"0600 copied to another file system", 0o600, 1000, 1000, func(t *testing.T) string {
			if otherFS == "" {
				t.Skip("no second file system here (/dev/shm)")
			}
			d, err := os.MkdirTemp(otherFS, "b")
			if err != nil {
				t.Fatal(err)
			}
			return d
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, file, _ := debianTree(t)
			backupDir := tt.backupDir(t)
			writeFile(t, file, version(1), tt.mode)
			if err := os.Chown(file, tt.uid, tt.gid); err != nil {
				t.Fatal(err)
			}
			for _, v := range [][]byte{version(2), version(3)} {
				if rep, err := Save(context.Background(), Plan{Target: file, Content: v, BackupDir: backupDir}); err != nil {
					t.Fatalf("%v\n%s", err, rep)
				}
				assertOwned(t, file, tt.mode, tt.uid, tt.gid)
			}
			for _, b := range assertBackups(t, file, backupDir, tt.mode, version(2), version(1)) {
				assertOwned(t, b.Path, tt.mode, tt.uid, tt.gid)
			}
			// A failed save's rollback brings the file back with its mode and owner too.
			if _, err := Save(context.Background(), Plan{Target: file, Content: version(4), CheckCmd: []string{"false"}, BackupDir: backupDir}); !errors.Is(err, ErrCheckFailed) {
				t.Fatal(err)
			}
			assertFile(t, file, version(3), tt.mode)
			assertOwned(t, file, tt.mode, tt.uid, tt.gid)
		})
	}
}

func assertOwned(t *testing.T, path string, mode os.FileMode, uid, gid int) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	st := fi.Sys().(*syscall.Stat_t)
	if fi.Mode().Perm() != mode || int(st.Uid) != uid || int(st.Gid) != gid {
		t.Errorf("%s: mode %04o owner %d:%d, want %04o %d:%d", path, fi.Mode().Perm(), st.Uid, st.Gid, mode, uid, gid)
	}
}

func device(t *testing.T, path string) uint64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return uint64(fi.Sys().(*syscall.Stat_t).Dev)
}
