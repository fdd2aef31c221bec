package sambatest

// Provisioning costs about 4 s of CPU (samba-tool writes the whole AD
// schema, ~3,700 entries, through the directory's modules) and its result
// depends only on the recipe below and the installed Samba. So a domain is
// provisioned once per machine into a template in the temp directory,
// keyed by both, and every Start copies the template (milliseconds) into a
// directory of its own and points smb.conf at that directory and its own
// address. The template never runs; the domain is populated per Start, as
// before, so no test sees another's changes. A test process that finds no
// template builds it under a file lock: test binaries started together
// (go test ./...) provision once and copy.

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"

	"frontdoor/internal/testenv"
)

// templateIP is the address the template is provisioned for; it never
// serves, and each copy is rewritten for its own address.
const templateIP = "127.254.254.254"

// recipeVersion changes whatever the template's recipe changes that the key
// does not see (provisionArgs and the expired-password user are in it).
const recipeVersion = "1"

// templateMeta is the file in a template that names the directory it was
// provisioned in, which its smb.conf still names.
const templateMeta = "frontdoor-template-dir"

// provisionArgs are samba-tool's arguments for a domain in dir serving ip.
func provisionArgs(dir, ip string) []string {
	tlsDir := filepath.Join(dir, "tls")
	return []string{"domain", "provision", "--targetdir=" + dir,
		"--realm=" + Realm, "--domain=" + NetBIOS, "--adminpass=" + AdminPassword,
		"--server-role=dc", "--dns-backend=SAMBA_INTERNAL", "--use-rfc2307",
		"--host-name=" + Hostname, "--host-ip=" + ip,
		"--option=interfaces=" + ip + "/8", "--option=bind interfaces only=yes",
		"--option=server services=ldap", "--option=pid directory=" + filepath.Join(dir, "run"),
		"--option=log file=" + filepath.Join(dir, "samba.log"),
		"--option=tls enabled=yes",
		"--option=tls keyfile=" + filepath.Join(tlsDir, "key.pem"),
		"--option=tls certfile=" + filepath.Join(tlsDir, "cert.pem"),
		"--option=tls cafile=" + filepath.Join(tlsDir, "ca.pem"),
	}
}

// templateKey names a template: the recipe, and the installed programs and
// provisioning data (an upgrade of Samba makes a new template).
func templateKey() (string, error) {
	h := sha256.New()
	fmt.Fprintln(h, recipeVersion, strings.Join(provisionArgs("DIR", "IP"), "\x00"), ExpiredPasswordLogin)
	for _, p := range []string{testenv.LookPath("samba"), testenv.LookPath("samba-tool"), setupFile} {
		fi, err := os.Stat(p)
		if err != nil {
			return "", err
		}
		fmt.Fprintln(h, p, fi.Size(), fi.ModTime().UnixNano())
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

// templateDir is where the template for this recipe and Samba lives.
func templateDir() (string, error) {
	key, err := templateKey()
	if err != nil {
		return "", err
	}
	return filepath.Join(os.TempDir(), "frontdoor-samba-template-"+key), nil
}

// removeTemplate removes the template, so the next Start provisions anew.
func removeTemplate() {
	if dir, err := templateDir(); err == nil {
		os.RemoveAll(dir)
	}
}

// template returns the directory of the provisioned template, provisioning
// it first when this machine has none yet.
func template() (string, error) {
	dir, err := templateDir()
	if err != nil {
		return "", err
	}
	if ours(dir) {
		return dir, nil
	}
	lock, err := os.OpenFile(dir+".lock", os.O_CREATE|os.O_RDWR|syscall.O_NOFOLLOW, 0o600)
	if err != nil {
		return "", err
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		return "", err
	}
	defer syscall.Flock(int(lock.Fd()), syscall.LOCK_UN)
	if ours(dir) {
		return dir, nil // another test process built it meanwhile
	}
	build, err := os.MkdirTemp(os.TempDir(), "frontdoor-samba-build-")
	if err != nil {
		return "", err
	}
	if err := provisionInto(build, templateIP); err != nil {
		os.RemoveAll(build)
		return "", err
	}
	// Last, so that a template with this file is complete; the rename
	// publishes it whole.
	if err := os.WriteFile(filepath.Join(build, templateMeta), []byte(build), 0o600); err != nil {
		os.RemoveAll(build)
		return "", err
	}
	os.RemoveAll(dir) // a half-built one, from a process killed in the middle
	if err := os.Rename(build, dir); err != nil {
		os.RemoveAll(build)
		return "", err
	}
	return dir, nil
}

// ours reports whether dir is a complete template this user made: the temp
// directory is shared, and samba runs whatever its smb.conf says (a panic
// action, say), so a directory someone else put there is never used.
func ours(dir string) bool {
	fi, err := os.Lstat(dir)
	if err != nil || !fi.IsDir() || fi.Mode().Perm()&0o022 != 0 {
		return false
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); !ok || int(st.Uid) != os.Getuid() {
		return false
	}
	_, err = os.Stat(filepath.Join(dir, templateMeta))
	return err == nil
}

// provisionInto provisions the domain in dir for ip and adds the user whose
// password has expired (offline, under faketime: see
// addExpiredPasswordUser).
func provisionInto(dir, ip string) error {
	out, err := exec.Command(testenv.LookPath("samba-tool"), provisionArgs(dir, ip)...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("samba-tool domain provision: %v\n%s", err, tail(out))
	}
	return addExpiredPasswordUser(dir)
}

// copyTemplate copies the template into dir (which exists and holds tls/)
// and points its smb.conf at dir and ip.
func copyTemplate(tmpl, dir, ip string) error {
	built, err := os.ReadFile(filepath.Join(tmpl, templateMeta))
	if err != nil {
		return err
	}
	err = filepath.WalkDir(tmpl, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(tmpl, path)
		switch {
		case rel == ".":
			return nil
		case rel == templateMeta:
			return nil
		case d.IsDir() && (rel == "msg.lock" || rel == "msg.sock"):
			return fs.SkipDir // samba-tool's messaging leftovers; samba makes its own
		}
		target := filepath.Join(dir, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			return os.Mkdir(target, info.Mode().Perm())
		case info.Mode().IsRegular():
			return copyFile(path, target, info.Mode().Perm())
		}
		return nil // sockets and the like: made by the running server
	})
	if err != nil {
		return fmt.Errorf("copying the provisioned template %s: %w", tmpl, err)
	}
	conf := filepath.Join(dir, "etc", "smb.conf")
	data, err := os.ReadFile(conf)
	if err != nil {
		return err
	}
	text := string(data)
	for _, want := range []string{string(built), "interfaces = " + templateIP + "/8"} {
		if !strings.Contains(text, want) {
			return fmt.Errorf("the template's smb.conf does not name %q: remove %s", want, tmpl)
		}
	}
	text = strings.ReplaceAll(text, string(built), dir)
	text = strings.ReplaceAll(text, "interfaces = "+templateIP+"/8", "interfaces = "+ip+"/8")
	return os.WriteFile(conf, []byte(text), 0o644)
}

func copyFile(src, dst string, perm fs.FileMode) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, perm)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := out.Close(); err == nil {
			err = cerr
		}
	}()
	_, err = io.Copy(out, in)
	return err
}
