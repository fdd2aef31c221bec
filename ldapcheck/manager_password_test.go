package ldapcheck

import (
	"context"
	"os"
	"strings"
	"syscall"
	"testing"
)

// A manager password typed in the wizard is not blamed on the variable the
// settings name.
func TestRunTypedManagerPasswordHint(t *testing.T) {
	dir := directory(t)
	s := searchSetting(dir.URL)
	s.Search.ManagerPasswordEnv = "FD_TEST_UNSET"
	opt := testOptions("alice", "alice-pw")
	opt.ManagerPassword = "not-the-password"
	res := run(t, context.Background(), s, nil, opt)
	st, _ := res.Last(StepManagerBind)
	if st.Reason != ReasonInvalidCredentials || !strings.Contains(st.Hint, "typed") || strings.Contains(st.Hint, "FD_TEST_UNSET") {
		t.Errorf("manager bind %s %q, hint %q: want the typed password named, not $FD_TEST_UNSET", st.Reason, st.Detail, st.Hint)
	}
}

func TestManagerPasswordFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := dir + "/" + name
		if err := writeFile(p, content); err != nil {
			t.Fatal(err)
		}
		return p
	}
	fifo := dir + "/fifo"
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, file string
		want       string
		wantErr    string
	}{
		{"trailing newline trimmed", write("a", "pw\n"), "pw", ""},
		{"CRLF trimmed", write("b", "pw\r\n"), "pw", ""},
		{"inner spaces kept", write("c", " p w \n"), " p w ", ""},
		{"empty file", write("d", "\n"), "", "is empty"},
		{"missing file", dir + "/nope", "", "cannot read managerPasswordFile " + dir + "/nope: no such file or directory"},
		{"a FIFO: refused, not waited on", fifo, "", "cannot read managerPasswordFile " + fifo + ": it is a FIFO (named pipe), not a regular file"},
		{"a device: refused, not read forever", "/dev/zero", "", "cannot read managerPasswordFile /dev/zero: it is a character device, not a regular file"},
		{"a directory", dir, "", "it is a directory, not a regular file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Search{ManagerPasswordFile: tc.file}.ManagerPassword(nil)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("got %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestRunWithManagerPasswordFile(t *testing.T) {
	dir := directory(t)
	p := t.TempDir() + "/manager"
	if err := writeFile(p, managerPW+"\n"); err != nil {
		t.Fatal(err)
	}
	s := searchSetting(dir.URL)
	s.Search.ManagerPasswordEnv, s.Search.ManagerPasswordFile = "", p
	if res := run(t, context.Background(), s, nil, testOptions("alice", "alice-pw")); !res.OK() {
		t.Error("not OK with managerPasswordFile")
	}
}

func writeFile(path, content string) error { return os.WriteFile(path, []byte(content), 0o600) }
