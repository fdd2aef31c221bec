package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A save over one of the server's own files that is not a site
// configuration (nginx's mime.types: nginx -t passes with upstream and
// server blocks in its place) is refused, exit 2, before anything is
// written, the file named and why; the admin's own old site configuration
// is replaced as before, its version kept as a backup.
func TestSaveRefusesAFileThatIsNotASite(t *testing.T) {
	const mimeTypes = "types {\n    text/html  html htm shtml;\n    text/css   css;\n}\n"
	t.Run("mime.types", func(t *testing.T) {
		root, _, _ := saveRoot(t, "nginx")
		writeTreeFile(t, filepath.Join(root, "etc/nginx/nginx.conf"), "events {}\nhttp { include mime.types; include /etc/nginx/sites-enabled/*; }\n")
		target := filepath.Join(root, "etc/nginx/mime.types")
		writeTreeFile(t, target, mimeTypes)
		before := treeOf(t, root)
		code, stdout, stderr := runCLI(t, "", "save", "--config", writeConfig(t, plainHTTP), "--root", root, "--to", target, "--require-check")
		want := "frontdoor save: the target " + target + " holds no server or upstream block: it is not a site configuration for nginx that frontdoor could replace, nor a file frontdoor wrote, and saving the snippet there would replace what it holds; save to the snippet's own file, e.g. " +
			filepath.Join(root, "etc/nginx/sites-available/artifactory.conf") + " (detected; --to PATH)"
		if code != 2 || stdout != "" || !strings.Contains(stderr, want) {
			t.Errorf("exit %d, stdout %q, stderr:\n%s\nwant in it:\n%s", code, stdout, stderr, want)
		}
		if after := treeOf(t, root); after != before {
			t.Errorf("files changed:\nbefore:\n%s\nafter:\n%s", before, after)
		}
	})
	t.Run("the admin's old site configuration", func(t *testing.T) {
		root, file, _ := saveRoot(t, "nginx")
		old := "# written by hand\nserver {\n    listen 80;\n    server_name artifactory.example.com;\n}\n"
		writeTreeFile(t, file, old)
		code, stdout, stderr := runCLI(t, "", "save", "--config", writeConfig(t, plainHTTP), "--root", root, "--to", file, "--no-check")
		if code != 0 || stdout != file+"\n" {
			t.Fatalf("exit %d, stdout %q, stderr:\n%s", code, stdout, stderr)
		}
		backups, _ := filepath.Glob(filepath.Join(filepath.Dir(file), ".artifactory.conf.frontdoor-bak.*"))
		if len(backups) != 1 {
			t.Fatalf("backups %v, want the old version kept", backups)
		}
		if got, _ := os.ReadFile(backups[0]); string(got) != old {
			t.Errorf("backup holds %q, want %q", got, old)
		}
	})
}
