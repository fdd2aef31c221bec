package apacheconf

import (
	"slices"
	"testing"
)

func TestExpand(t *testing.T) {
	defines := map[string]string{"HOST": "10.2.0.7", "PORT": "8081", "EMPTY": ""}
	tests := []struct{ in, want string }{
		{"http://${HOST}:${PORT}/", "http://10.2.0.7:8081/"},
		{"${EMPTY}x", "x"},
		{"${APACHE_LOG_DIR}/error.log", "${APACHE_LOG_DIR}/error.log"}, // set outside the files: kept
		{"${map:key}", "${map:key}"},                                   // a RewriteMap lookup
		{"no variables", "no variables"},
		{"${unclosed", "${unclosed"},
	}
	for _, tt := range tests {
		if got := Expand(tt.in, defines); got != tt.want {
			t.Errorf("Expand(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := Undefined("${A}/x/${map:k}/${B}"); !slices.Equal(got, []string{"${A}", "${B}"}) {
		t.Errorf("Undefined = %q", got)
	}
}

// TestDefinesInFileOrder: a Define applies from where it stands on, in the
// order Apache reads the files (an included file where its Include stands),
// sections' arguments and Include patterns too; UnDefine ends it.
func TestDefinesInFileOrder(t *testing.T) {
	dir := t.TempDir()
	main := write(t, dir, "apache2.conf", "ServerName ${NODE}\nInclude defines.conf\n<VirtualHost ${ADDR}:80>\nProxyPass / http://${NODE}:8082/\n</VirtualHost>\nInclude ${SITES}/*.conf\nUnDefine NODE\nServerAlias ${NODE}\n")
	write(t, dir, "defines.conf", "Define NODE 10.2.0.7\nDefine ADDR 192.0.2.1\nDefine SITES sites-enabled\n")
	write(t, dir, "sites-enabled/a.conf", "ServerName a-${NODE}\n")
	cfg, err := load(t, main)
	if err != nil {
		t.Fatal(err)
	}
	want := "01 ServerName ${NODE}\n02 Include defines.conf\n  01 Define NODE|10.2.0.7\n  02 Define ADDR|192.0.2.1\n  03 Define SITES|sites-enabled\n" +
		"03 VirtualHost 192.0.2.1:80\n  04 ProxyPass /|http://10.2.0.7:8082/\n06 Include sites-enabled/*.conf\n  01 ServerName a-10.2.0.7\n07 UnDefine NODE\n08 ServerAlias ${NODE}\n"
	if got := outline(cfg.Nodes, ""); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if len(cfg.Missing) != 0 {
		t.Errorf("missing %d", len(cfg.Missing))
	}
}
