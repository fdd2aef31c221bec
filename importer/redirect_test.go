package importer

import (
	"strings"
	"testing"

	"frontdoor/importer/semantic"
)

// TestRedirectStatusChange: an admin's HTTP-to-HTTPS redirect of any
// status and form maps to http.redirectToHttps, and the report says what
// frontdoor's 308 changes and why; a 308 already is no change.
func TestRedirectStatusChange(t *testing.T) {
	const site = `
    server_name a.example.com;
    ssl_certificate /c.pem;
    ssl_certificate_key /k.pem;
    location / { proxy_pass http://localhost:8082; }
    location ~ ^/artifactory/ { proxy_pass http://localhost:8081; }
}`
	const vhost = `
<VirtualHost *:443>
    ServerName a.example.com
    SSLEngine on
    SSLCertificateFile /c.pem
    SSLCertificateKeyFile /k.pem
    ProxyPass / http://localhost:8082/
</VirtualHost>`
	nginx := func(redirect string) string {
		return "server {\n    listen 80;\n    server_name a.example.com;\n    " + redirect + "\n}\nserver {\n    listen 443 ssl;" + site
	}
	apache := func(redirect string) string {
		return "<VirtualHost *:80>\n    ServerName a.example.com\n    " + redirect + "\n</VirtualHost>" + vhost
	}
	tests := []struct {
		name, conf string
		old        string // the old status in the report, "" for no change
	}{
		{"nginx return 301", nginx("return 301 https://$host$request_uri;"), "301"},
		{"nginx return 302", nginx("return 302 https://$host$request_uri;"), "302"},
		{"nginx rewrite permanent", nginx("rewrite ^(.*)$ https://$host$1 permanent;"), "301"},
		{"nginx return 308", nginx("return 308 https://$host$request_uri;"), ""},
		{"Apache Redirect permanent", apache(`Redirect permanent / https://a.example.com/`), "301"},
		{"Apache RewriteRule R=301", apache("RewriteEngine On\n    RewriteRule ^/?(.*) https://%{SERVER_NAME}/$1 [R=301,L]"), "301"},
		{"Apache RewriteRule R=308", apache("RewriteEngine On\n    RewriteRule ^/?(.*) https://%{SERVER_NAME}/$1 [R=308,L]"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, _ := importConf(t, "site.conf", tt.conf)
			if s := res.Settings; !s.HTTP.Enabled || !s.HTTP.RedirectToHTTPS || s.HTTP.Port != 80 {
				t.Fatalf("http settings %+v, want port 80 redirecting to HTTPS", s.HTTP)
			}
			var change *semantic.Change
			for i, c := range res.Changes {
				if c.Aspect == semantic.Listeners && strings.Contains(c.New, "redirects everything") {
					change = &res.Changes[i]
				}
			}
			switch {
			case tt.old == "" && change != nil && strings.Contains(change.Why, "308"):
				t.Errorf("a 308 redirect reported as a status change: %s [%s]", change, change.Why)
			case tt.old == "":
			case change == nil:
				t.Fatalf("no change of the redirect reported:\n%s", changesText(res.Changes))
			case !strings.Contains(change.Old, "("+tt.old+")") || !strings.Contains(change.New, "(308)") || !strings.Contains(change.Why, whyRedirectStatus):
				t.Errorf("change %s [%s], want (%s) → (308) explained: %s", change, change.Why, tt.old, whyRedirectStatus)
			}
		})
	}
}

func TestRedirectWhy(t *testing.T) {
	const to = "https://{host}{uri}"
	line := func(status, target string) string {
		return "http, redirects everything (" + status + ") to " + target
	}
	tests := []struct {
		name string
		c    semantic.Change
		want string
	}{
		{"status only", semantic.Change{Kind: semantic.Changed, Aspect: semantic.Listeners, Old: line("301", to), New: line("308", to)}, whyRedirectStatus},
		{"target only", semantic.Change{Kind: semantic.Changed, Aspect: semantic.Listeners, Old: line("308", "https://a.example.com{uri}"), New: line("308", to)}, whyRedirectTarget},
		{"both", semantic.Change{Kind: semantic.Changed, Aspect: semantic.Listeners, Old: line("302", "https://a.example.com{uri}"), New: line("308", to)}, whyRedirectTarget + "; " + whyRedirectStatus},
		{"scheme of the listener only", semantic.Change{Kind: semantic.Changed, Aspect: semantic.Listeners, Old: "https" + line("308", to)[4:], New: line("308", to)}, whyRedirectTarget},
		{"proxies now", semantic.Change{Kind: semantic.Changed, Aspect: semantic.Listeners, Old: line("301", to), New: "http, proxies"}, ""},
		{"removed", semantic.Change{Kind: semantic.Removed, Aspect: semantic.Listeners, Old: line("301", to)}, ""},
		{"another aspect", semantic.Change{Kind: semantic.Changed, Aspect: semantic.Redirects, Old: line("301", to), New: line("308", to)}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := redirectWhy(tt.c); got != tt.want {
				t.Errorf("redirectWhy = %q, want %q", got, tt.want)
			}
		})
	}
}
