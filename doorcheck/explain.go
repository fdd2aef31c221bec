// Every failure the check can name, with its cause and its fix, in one
// table: a step says which Reason it hit and what it saw (Detail); the
// table says why that happens and what to change, for nginx, for Apache and
// in frontdoor's settings.

package doorcheck

import (
	"fmt"
	"strings"

	"frontdoor/render"
)

// Reason is a machine-readable cause for a warned or failed step.
type Reason string

const (
	ReasonNone               Reason = ""
	ReasonInvalidInput       Reason = "invalid-input"
	ReasonCanceled           Reason = "canceled"
	ReasonDNS                Reason = "dns"
	ReasonNoWildcardRecord   Reason = "no-wildcard-record"
	ReasonRefused            Reason = "connection-refused"
	ReasonUnreachable        Reason = "unreachable"
	ReasonConnectTimeout     Reason = "connect-timeout"
	ReasonSilent             Reason = "silent-listener"
	ReasonClosed             Reason = "closed-without-answer"
	ReasonNotTLS             Reason = "not-tls"
	ReasonTLSOnPlainPort     Reason = "tls-on-plain-port"
	ReasonTLSHandshake       Reason = "tls-handshake"
	ReasonClientCertRequired Reason = "client-certificate-required"
	ReasonUntrusted          Reason = "untrusted-certificate"
	ReasonNameMismatch       Reason = "certificate-name-mismatch"
	ReasonNoWildcardCert     Reason = "no-wildcard-certificate"
	ReasonExpired            Reason = "expired-certificate"
	ReasonNotYetValid        Reason = "certificate-not-yet-valid"
	ReasonExpiresSoon        Reason = "certificate-expires-soon"
	ReasonOtherCertificate   Reason = "other-certificate"
	ReasonOldTLS             Reason = "old-tls-version"
	ReasonTLSProfile         Reason = "tls-profile-mismatch"
	ReasonNoHSTS             Reason = "no-hsts"
	ReasonNoRedirect         Reason = "no-redirect"
	ReasonRedirectScheme     Reason = "redirect-not-https"
	ReasonRedirectHost       Reason = "redirect-changes-host"
	ReasonRedirectPort       Reason = "redirect-drops-port"
	ReasonRedirectPath       Reason = "redirect-drops-path"
	ReasonRedirectMethod     Reason = "redirect-changes-method"
	ReasonUIRedirect         Reason = "ui-redirect-not-public"
	ReasonNoUIRedirect       Reason = "no-ui-redirect"
	ReasonUpstreamDown       Reason = "upstream-down"
	ReasonNotRouted          Reason = "not-routed"
	ReasonPingNotOK          Reason = "ping-not-ok"
	ReasonRouterNotReached   Reason = "router-not-reached"
	ReasonDockerNotRouted    Reason = "docker-not-routed"
	ReasonRepositoryNull     Reason = "repository-null"
	ReasonRepositoryUnknown  Reason = "repository-unknown"
	ReasonNoRegistryAtName   Reason = "no-registry-at-name"
	ReasonNoAPIVersion       Reason = "no-docker-api-version"
	ReasonNoBearer           Reason = "no-bearer-challenge"
	ReasonRealmScheme        Reason = "realm-scheme"
	ReasonRealmHost          Reason = "realm-host"
	ReasonRealmPort          Reason = "realm-port"
	ReasonTokenUnreachable   Reason = "token-endpoint-unreachable"
	ReasonInvalidCredentials Reason = "invalid-credentials"
	ReasonTokenRejected      Reason = "token-rejected"
	ReasonNoDeploy           Reason = "no-deploy-permission"
	ReasonTooLarge           Reason = "body-too-large"
	ReasonLengthRequired     Reason = "length-required"
	ReasonBuffering          Reason = "request-buffering"
	ReasonUploadTimeout      Reason = "upload-timeout"
	ReasonUploadFailed       Reason = "upload-failed"
	ReasonLocation           Reason = "location-not-public"
	ReasonSlashDecoded       Reason = "encoded-slash-decoded"
	ReasonSlashRefused       Reason = "encoded-slash-refused"
	ReasonTimeout            Reason = "timeout"
	ReasonNetwork            Reason = "network"
	ReasonUnexpected         Reason = "unexpected-answer"
	ReasonNotChecked         Reason = "not-checked"
	ReasonOldRevision        Reason = "old-revision"
	ReasonNoRevision         Reason = "no-revision"
	ReasonRevisionDenied     Reason = "revision-denied"
)

// explanation is one row of the table.
type explanation struct {
	cause string
	fix   Fix
	// byConfig: the web server's configuration causes it (see
	// Result.ConfigFailures), not DNS, the network, Artifactory or the user.
	byConfig bool
}

// The base-URL header is the fix of every realm and Location problem.
var baseURLFix = Fix{
	Nginx:   `proxy_set_header X-JFrog-Override-Base-Url $scheme://$host:$server_port; (and X-Forwarded-Proto $scheme, X-Forwarded-Port $server_port, Host $http_host) in the location that proxies to Artifactory`,
	Apache:  `ProxyPreserveHost On and RequestHeader set X-JFrog-Override-Base-Url "expr=%{REQUEST_SCHEME}://%{SERVER_NAME}:%{SERVER_PORT}" in the VirtualHost`,
	Setting: "proxy.overrideBaseUrlHeader: true, and behind a load balancer that changes the scheme or port, proxy.public: {scheme: https, port: 443} (the load balancer's)",
}

var explanations = map[Reason]explanation{
	ReasonDNS: {
		cause: "the name has no DNS record this machine can see",
		fix:   Fix{Action: "add an A/AAAA record for {name} pointing at the proxy; to check before DNS exists: --resolve {name}:ADDRESS"},
	},
	ReasonNoWildcardRecord: {
		cause: "Docker clients reach each repository as <key>.{server}: every such name must resolve, which takes a wildcard record",
		fix: Fix{Action: "add a wildcard DNS record *.{server} pointing at the proxy",
			Setting: "or proxy.docker.method: ports or repositoryPath, which need no extra names"},
	},
	ReasonRefused: {
		cause:    "nothing listens on that port: the web server is down, the reload did not take the new configuration (a port already taken keeps the old one), or the port differs",
		fix:      Fix{Nginx: "listen {port}; (listen {port} ssl; for HTTPS) in the server block, then nginx -t and reload", Apache: "Listen {port} and <VirtualHost *:{port}>, then apache2ctl -t and reload", Setting: "the port in proxy.http.port, proxy.https.port or proxy.docker.repositories[].port", Action: "see what holds the port: ss -ltnp 'sport = :{port}'"},
		byConfig: true,
	},
	ReasonUnreachable: {
		cause: "the network has no route to the address (a firewall rejects it, or the address is wrong)",
		fix:   Fix{Action: "check the address the name resolves to and the firewalls in between"},
	},
	ReasonConnectTimeout: {
		cause: "the connection was not accepted in time: a firewall drops packets, or the address is wrong",
		fix:   Fix{Action: "check the firewalls between this machine and the proxy, and the address the name resolves to"},
	},
	ReasonSilent: {
		cause:    "the port accepts connections but nothing ever answers: a wedged server, a program other than the web server on that port, or a device that holds connections",
		fix:      Fix{Action: "see which process holds the port (ss -ltnp 'sport = :{port}') and restart or remove it; a load balancer in front must forward to the proxy's port"},
		byConfig: true,
	},
	ReasonClosed: {
		cause:    "the port accepted the connection and closed it without a word",
		fix:      Fix{Action: "read the web server's error log; see which process holds the port: ss -ltnp 'sport = :{port}'"},
		byConfig: true,
	},
	ReasonNotTLS: {
		cause:    "the port speaks plain HTTP where clients expect HTTPS",
		fix:      Fix{Nginx: "listen {port} ssl; with ssl_certificate and ssl_certificate_key", Apache: "SSLEngine on with SSLCertificateFile and SSLCertificateKeyFile in <VirtualHost *:{port}>", Setting: "proxy.https.enabled: true with proxy.https.port: {port}"},
		byConfig: true,
	},
	ReasonTLSOnPlainPort: {
		cause:    "the port speaks TLS where clients expect plain HTTP",
		fix:      Fix{Nginx: "listen {port}; without ssl for the plain-HTTP server", Apache: "no SSLEngine in <VirtualHost *:{port}>", Setting: "proxy.http.port and proxy.https.port must differ"},
		byConfig: true,
	},
	ReasonTLSHandshake: {
		cause:    "the server ended the TLS handshake: no protocol version or cipher in common, or no certificate for this name",
		fix:      Fix{Nginx: "ssl_protocols TLSv1.2 TLSv1.3; and a certificate for the name", Apache: "SSLProtocol -all +TLSv1.2 +TLSv1.3 and a certificate for the name", Setting: "proxy.https.tlsProfile: intermediate"},
		byConfig: true,
	},
	ReasonClientCertRequired: {
		cause: "the door requires a client certificate (mTLS) before it answers anything; this check has none",
		fix:   Fix{Setting: "proxy.mtls.required: false lets clients without a certificate in (Artifactory then decides)", Action: "run the check from behind the mTLS requirement, e.g. against the proxy's own port on the host"},
	},
	ReasonUntrusted: {
		cause:    "the certificate chain does not lead to a root this machine trusts: an intermediate missing from the certificate file, a private CA, or a self-signed certificate",
		fix:      Fix{Nginx: "ssl_certificate must name the full chain: the server certificate first, then the intermediates", Apache: "SSLCertificateFile with the server certificate followed by the intermediates", Setting: "proxy.https.certificate: the full-chain file", Action: "a private CA must be trusted by every client (Docker: /etc/docker/certs.d/{name}:{port}/ca.crt); give it to this check with --ca FILE"},
		byConfig: true,
	},
	ReasonNameMismatch: {
		cause:    "the certificate does not cover the name clients use",
		fix:      Fix{Setting: "proxy.https.certificate: a certificate whose names cover {name}", Action: "issue a certificate with {name} among its subject alternative names"},
		byConfig: true,
	},
	ReasonNoWildcardCert: {
		cause:    "Docker clients reach each repository as <key>.{server}: the certificate needs the wildcard *.{server} (a wildcard covers exactly one label)",
		fix:      Fix{Setting: "proxy.https.certificate: a certificate for {server} and *.{server}; or proxy.docker.method: ports or repositoryPath", Action: "issue a certificate with both {server} and *.{server} as subject alternative names"},
		byConfig: true,
	},
	ReasonExpired: {
		cause:    "the certificate has expired: every client refuses it",
		fix:      Fix{Setting: "proxy.https.certificate: the renewed certificate", Action: "renew the certificate, install it and reload the web server"},
		byConfig: true,
	},
	ReasonNotYetValid: {
		cause:    "the certificate is not valid yet (or a clock is wrong)",
		fix:      Fix{Action: "check the clocks of this machine and the proxy (timedatectl), or wait for the certificate's start date"},
		byConfig: true,
	},
	ReasonExpiresSoon: {
		cause: "the certificate expires soon",
		fix:   Fix{Action: "renew it before it expires, then reload the web server"},
	},
	ReasonOtherCertificate: {
		cause:    "the listener serves another certificate than the one the settings name: the reload did not take the new configuration, or another server answers on this port",
		fix:      Fix{Action: "reload the web server and read its error log; see which process holds the port: ss -ltnp 'sport = :{port}'"},
		byConfig: true,
	},
	ReasonOldTLS: {
		cause:    "the door still accepts TLS 1.0 or 1.1, which are broken and refused by current clients and audits",
		fix:      Fix{Nginx: "ssl_protocols TLSv1.2 TLSv1.3; in the server block (and no older ssl_protocols in http)", Apache: "SSLProtocol -all +TLSv1.2 +TLSv1.3", Setting: "proxy.https.tlsProfile: intermediate (or modern)"},
		byConfig: true,
	},
	ReasonTLSProfile: {
		cause:    "the protocol versions the door accepts are not the ones its TLS profile names",
		fix:      Fix{Nginx: "ssl_protocols TLSv1.3; for the modern profile, TLSv1.2 TLSv1.3 for intermediate", Apache: "SSLProtocol -all +TLSv1.3 for modern, -all +TLSv1.2 +TLSv1.3 for intermediate", Setting: "proxy.https.tlsProfile"},
		byConfig: true,
	},
	ReasonNoHSTS: {
		cause: "HTTPS answers without Strict-Transport-Security: browsers may be talked into plain HTTP",
		fix:   Fix{Nginx: `add_header Strict-Transport-Security "max-age=63072000" always;`, Apache: `Header always set Strict-Transport-Security "max-age=63072000"`, Setting: "proxy.http.redirectToHttps: true (frontdoor sends HSTS when HTTP only redirects, or is off)"},
	},
	ReasonNoRedirect: {
		cause:    "plain HTTP serves Artifactory instead of redirecting to HTTPS: passwords and tokens cross the network in clear",
		fix:      Fix{Nginx: "a server { listen {httpPort}; return 308 https://$host{httpsPortSuffix}$request_uri; }", Apache: `RewriteRule "^" "https://%{SERVER_NAME}{httpsPortSuffix}%{REQUEST_URI}" [R=308,L] in <VirtualHost *:{httpPort}>`, Setting: "proxy.http.redirectToHttps: true"},
		byConfig: true,
	},
	ReasonRedirectScheme: {
		cause:    "the HTTP listener redirects, but not to https://",
		fix:      Fix{Nginx: "return 308 https://$host{httpsPortSuffix}$request_uri;", Apache: `RewriteRule "^" "https://%{SERVER_NAME}{httpsPortSuffix}%{REQUEST_URI}" [R=308,L]`, Setting: "proxy.http.redirectToHttps: true"},
		byConfig: true,
	},
	ReasonRedirectHost: {
		cause:    "the redirect sends clients to another host name than the one they asked for (a Docker subdomain becomes the bare name, or an internal name leaks)",
		fix:      Fix{Nginx: "redirect to $host (the name the client used), not $server_name or a fixed name", Apache: "redirect to %{SERVER_NAME} with UseCanonicalName Off (the default), or %{HTTP_HOST}"},
		byConfig: true,
	},
	ReasonRedirectPort: {
		cause:    "the redirect leaves out the port clients must use: they land on another port, where nothing (or something else) answers",
		fix:      Fix{Nginx: "name the port: return 308 https://$host{httpsPortSuffix}$request_uri; for nginx's own redirects keep port_in_redirect on (no port_in_redirect off;)", Apache: `name the port: RewriteRule "^" "https://%{SERVER_NAME}{httpsPortSuffix}%{REQUEST_URI}" [R=308,L]`, Setting: "proxy.https.port: frontdoor writes the port into its redirects"},
		byConfig: true,
	},
	ReasonRedirectPath: {
		cause:    "the redirect drops the path or the query: clients land on the home page instead of what they asked for",
		fix:      Fix{Nginx: "return 308 https://$host{httpsPortSuffix}$request_uri; ($request_uri keeps path and query)", Apache: `RewriteRule "^" "https://%{SERVER_NAME}{httpsPortSuffix}%{REQUEST_URI}" [R=308,L]`},
		byConfig: true,
	},
	ReasonRedirectMethod: {
		cause: "301 and 302 let clients turn a PUT or POST into a GET when they follow the redirect: an upload sent to http:// loses its body; 308 keeps the method",
		fix:   Fix{Nginx: "return 308 https://$host{httpsPortSuffix}$request_uri;", Apache: "[R=308,L] on the redirecting RewriteRule", Action: "or point clients at https:// directly"},
	},
	ReasonUIRedirect: {
		cause:    "the redirect from / to /ui/ names another scheme, host or port than the one clients use",
		fix:      Fix{Nginx: "rewrite ^/$ /ui/ redirect; with port_in_redirect on (no port_in_redirect off;), or absolute_redirect off; for relative redirects", Apache: `RewriteRule "^/?$" "/ui/" [R,L] with UseCanonicalName Off`},
		byConfig: true,
	},
	ReasonNoUIRedirect: {
		cause:    "/ does not redirect to /ui/: people who type the bare address get no UI",
		fix:      Fix{Nginx: "rewrite ^/$ /ui/ redirect;", Apache: `RewriteRule "^/?$" "/ui/" [R,L]`},
		byConfig: true,
	},
	ReasonUpstreamDown: {
		cause: "the web server answered itself: it cannot reach Artifactory (Artifactory is down or starting, or the proxy points at the wrong node or port)",
		fix:   Fix{Nginx: "{routerUpstream} and {directUpstream}", Apache: `ProxyPass "/" "{routerTarget}" and ProxyPass "/artifactory/" "{directTarget}"{apacheMembers}`, Setting: "proxy.nodes: {nodes}, proxy.routerPort: {routerPort}, proxy.artifactoryPort: {artifactoryPort}", Action: "check Artifactory: systemctl status artifactory, and curl http://{node}:{routerPort}/router/api/v1/system/health on the proxy host{otherNodes}"},
	},
	ReasonNotRouted: {
		cause:    "the web server answered the Artifactory path itself (Artifactory never saw it): no proxy rule covers it",
		fix:      Fix{Nginx: "location / { proxy_pass http://artifactory; ... location ~ ^/artifactory/ { proxy_pass http://artifactory-direct; } }", Apache: `ProxyPass "/artifactory/" "{directTarget}" nocanon and ProxyPass "/" "{routerTarget}" nocanon{apacheMembers}`, Setting: "save frontdoor's snippet for this server name"},
		byConfig: true,
	},
	ReasonPingNotOK: {
		cause: "Artifactory answered, but not healthy: it is starting, or a service behind it is down",
		fix:   Fix{Action: "read $JFROG_HOME/artifactory/var/log/console.log, and the router's health: /router/api/v1/system/health"},
	},
	ReasonRouterNotReached: {
		cause:    "/ui/ is not served: Artifactory 7 serves the UI through its router ({routerPort}), and the door sends / elsewhere (Artifactory's own port {artifactoryPort}, as for Artifactory 6)",
		fix:      Fix{Nginx: "location / { proxy_pass http://artifactory; } with {routerUpstream} (the router), and the nested location ~ ^/artifactory/ going to {directUpstream}", Apache: `ProxyPass "/" "{routerTarget}" after ProxyPass "/artifactory/" "{directTarget}"{apacheMembers}`, Setting: "proxy.routerPort: {routerPort}"},
		byConfig: true,
	},
	ReasonDockerNotRouted: {
		cause:    "the web server answered /v2/ itself: no Docker rule sends it to the repository",
		fix:      Fix{Nginx: "subdomain: server_name {server} \"~^(?<docker_repo>[a-z0-9][a-z0-9-]*)\\.{server}$\"; and rewrite ^/(v1|v2)/(.*) /artifactory/api/docker/$docker_repo/$1/$2 break; ports: a server { listen PORT; rewrite ^/(v1|v2)/(.*) /artifactory/api/docker/KEY/$1/$2 break; }; repository path: rewrite ^/v2/([^/]+)/(.+)$ /artifactory/api/docker/$1/v2/$2 break;", Apache: `RewriteRule "^/(v1|v2)/(.*)$" "/artifactory/api/docker/KEY/$1/$2" [PT,L] (subdomain: the key from %{HTTP_HOST})`, Setting: "proxy.docker.method and proxy.docker.repositories"},
		byConfig: true,
	},
	ReasonRepositoryNull: {
		cause:    "the door rewrote /v2/ into /artifactory/api/docker//v2/ with an empty repository key (Artifactory: repository 'null'): the request matched a server_name that captures no key (an exact name listed before the regex), and the rewrite has no guard",
		fix:      Fix{Nginx: `if ($docker_repo != "") { rewrite ^/(v1|v2)/(.*) /artifactory/api/docker/$docker_repo/$1/$2 break; } and no exact <key>.{server} names in server_name (the regex must catch them)`, Apache: `RewriteCond "%{HTTP_HOST}" "^([a-z0-9][a-z0-9-]*)\.{server}(:[0-9]+)?$" before the RewriteRule, so the key is never empty`, Setting: "proxy.docker.method: subdomain (frontdoor's snippet has the guard)"},
		byConfig: true,
	},
	ReasonRepositoryUnknown: {
		cause: "Artifactory answered that it has no such Docker repository",
		fix:   Fix{Action: "create the Docker repository {key} in Artifactory, or correct the key", Setting: "proxy.docker.repositories: the keys as Artifactory spells them"},
	},
	ReasonNoRegistryAtName: {
		cause: "Artifactory serves no Docker registry at the bare name {name}: a door that serves Docker by subdomain answers /v2/ at <key>.{name}, one that serves it by port at {name}:<port>; checking a URL without settings, the check cannot know the keys",
		fix:   Fix{Action: "check a repository's own door, frontdoor check https://<key>.{name} (the subdomain method) or https://{name}:<port> (the ports method), or give --config with the settings (they list the repositories and their method)"},
	},
	ReasonNoAPIVersion: {
		cause:    "the answer lacks Docker-Distribution-Api-Version: registry/2.0, which some Docker clients need to accept the registry",
		fix:      Fix{Nginx: "no proxy_hide_header Docker-Distribution-Api-Version;", Apache: "no Header unset Docker-Distribution-Api-Version"},
		byConfig: true,
	},
	ReasonNoBearer: {
		cause: "the 401 carries no Bearer token realm: Docker clients cannot log in with tokens",
		fix:   Fix{Action: "make sure Artifactory answers (not another server), with Docker token authentication as it does by default"},
	},
	ReasonRealmScheme: {
		cause:    "Artifactory builds the token realm from X-JFrog-Override-Base-Url, or, without it, from the plain-HTTP request the proxy sent: Docker clients are sent to http:// and fail",
		fix:      baseURLFix,
		byConfig: true,
	},
	ReasonRealmHost: {
		cause:    "the token realm names another host than the one clients use: Artifactory builds it from X-JFrog-Override-Base-Url, or from the Host header the proxy passed",
		fix:      baseURLFix,
		byConfig: true,
	},
	ReasonRealmPort: {
		cause:    "the token realm names another port than the one clients use (an internal port, or the proxy's own behind a load balancer): Docker clients cannot get a token",
		fix:      baseURLFix,
		byConfig: true,
	},
	ReasonTokenUnreachable: {
		cause:    "the token endpoint the realm names does not answer through the door",
		fix:      Fix{Nginx: "location ~ ^/artifactory/ { proxy_pass http://artifactory-direct; } must cover /artifactory/api/docker/...", Apache: `ProxyPass "/artifactory/" "{directTarget}" nocanon{apacheMembers}`, Setting: "save frontdoor's snippet"},
		byConfig: true,
	},
	ReasonInvalidCredentials: {
		cause: "Artifactory refused the user name and password (or token)",
		fix:   Fix{Action: "check the user and password (an identity token or API key works too); the user needs read permission on the repository"},
	},
	ReasonTokenRejected: {
		cause: "a token was issued, but requests carrying it are refused: the token was issued for another service or host, or the Authorization header is lost on the way",
		fix:   Fix{Nginx: "pass Authorization through (no proxy_set_header Authorization \"\";)", Apache: "no RequestHeader unset Authorization", Action: "the realm's service must be the registry's public name"},
	},
	ReasonNoDeploy: {
		cause: "Artifactory refused the upload: the user may not deploy to this repository, or it is a remote or virtual repository without a default deployment repository",
		fix:   Fix{Action: "give --upload-repo a local Docker repository the user may deploy to (or set a default deployment repository on the virtual one)"},
	},
	ReasonTooLarge: {
		cause:    "the web server refuses large request bodies (413): Docker layers are often hundreds of MiB",
		fix:      Fix{Nginx: "client_max_body_size 0; in the server block", Apache: "LimitRequestBody 0", Setting: "save frontdoor's snippet (it sets no limit)"},
		byConfig: true,
	},
	ReasonLengthRequired: {
		cause:    "the web server refuses uploads without Content-Length (411): Docker sends layers chunked",
		fix:      Fix{Nginx: "chunked_transfer_encoding on; (nginx 1.3.9 or later)", Apache: "no SetEnv proxy-sendcl and no LimitRequestBody on chunked bodies"},
		byConfig: true,
	},
	ReasonBuffering: {
		cause:    "the door reads the whole request body before Artifactory sees a byte: large layers fill the proxy's disk and hit timeouts ('blob upload unknown', 'unexpected EOF')",
		fix:      Fix{Nginx: "proxy_request_buffering off; proxy_http_version 1.1;", Apache: "no SetEnv proxy-sendcl (Apache streams chunked bodies by default)", Setting: "save frontdoor's snippet (it streams uploads)"},
		byConfig: true,
	},
	ReasonUploadTimeout: {
		cause:    "the upload did not finish in time: a proxy timeout shorter than the upload",
		fix:      Fix{Nginx: "proxy_read_timeout 2400s; proxy_send_timeout 2400s; client_body_timeout 2400s;", Apache: "ProxyTimeout 2400 (and Timeout)", Action: "or a larger --timeout for slow links"},
		byConfig: true,
	},
	ReasonUploadFailed: {
		cause: "the blob upload did not go through",
		fix:   Fix{Action: "read Artifactory's request log and the web server's error log for this request"},
	},
	ReasonLocation: {
		cause:    "the upload's Location header names another scheme, host or port than the one clients use: Artifactory builds it from the base URL, like the realm",
		fix:      baseURLFix,
		byConfig: true,
	},
	ReasonSlashDecoded: {
		cause:    "the door decodes %2F into / before Artifactory sees it: npm scoped packages (@scope%2Fname) and other encoded paths break",
		fix:      Fix{Nginx: "proxy_pass http://artifactory; without a URI part (no trailing /), and no rewrite of /artifactory/ paths", Apache: `AllowEncodedSlashes NoDecode and ProxyPass ... nocanon`},
		byConfig: true,
	},
	ReasonSlashRefused: {
		cause:    "the web server refuses paths with %2F itself (Apache's default): npm scoped packages and other encoded paths get 404",
		fix:      Fix{Nginx: "no rewrite or location that rejects encoded slashes", Apache: `AllowEncodedSlashes NoDecode in the VirtualHost, and ProxyPass ... nocanon`},
		byConfig: true,
	},
	ReasonTimeout: {
		cause: "no answer within the time limit",
		fix:   Fix{Action: "a larger --timeout for slow links; otherwise read the web server's error log"},
	},
	ReasonNetwork: {
		cause: "the connection broke",
		fix:   Fix{Action: "read the web server's error log"},
	},
	ReasonNotChecked: {
		cause: "the door only redirects: Artifactory was not reached through it, so nothing proves the door it sends clients to works",
		fix:   Fix{Action: "check the door the redirect names (with its name resolving to that door's address)"},
	},
	ReasonOldRevision: {
		cause:    "the web server still runs another version of the configuration: the reload did not take the new one (a reload command that does nothing, or a new configuration the server could not start)",
		fix:      Fix{Action: "reload the web server with a command that reloads it (systemctl reload nginx, apache2ctl graceful, systemctl reload haproxy or caddy) and read its error log"},
		byConfig: true,
	},
	ReasonNoRevision: {
		cause:    "the configuration serving is not the one saved: the reload did not take the new configuration, or another server answers on this port",
		fix:      Fix{Action: "reload the web server and read its error log; see which process holds the port: ss -ltnp 'sport = :{port}'"},
		byConfig: true,
	},
	ReasonRevisionDenied: {
		cause: "the revision marker answers this machine only, and the server did not see the request come from 127.0.0.1 or ::1 (a PROXY protocol or real-IP setting in front of it)",
		fix:   Fix{Action: "nothing to fix for clients; the verify could not tell the new configuration from the old"},
	},
	ReasonUnexpected: {
		cause: "an answer no web server in front of Artifactory should give",
		fix:   Fix{Action: "read the web server's error log and compare the configuration with frontdoor's snippet (frontdoor render)"},
	},
}

// nodeVars are the fix texts' names for where the proxy sends requests:
// the nodes of the settings (proxy.nodes, as a proxy target writes them)
// with the router's and Artifactory's ports, as frontdoor's own snippet
// writes them (nginx upstreams; Apache ProxyPass to one node, or to a
// balancer of several). Without settings the node is NODE.
func nodeVars(nodes []string, routerPort, artifactoryPort int) map[string]string {
	if len(nodes) == 0 {
		nodes = []string{"NODE"}
	}
	servers := func(port int) string {
		var b strings.Builder
		for _, n := range nodes {
			fmt.Fprintf(&b, " server %s:%d;", n, port)
		}
		return b.String()
	}
	v := map[string]string{
		"node":           nodes[0],
		"nodes":          "[" + strings.Join(nodes, ", ") + "]",
		"otherNodes":     "",
		"routerUpstream": "upstream artifactory {" + servers(routerPort) + " }",
		"directUpstream": "upstream artifactory-direct {" + servers(artifactoryPort) + " }",
		"routerTarget":   fmt.Sprintf("http://%s:%d/", nodes[0], routerPort),
		"directTarget":   fmt.Sprintf("http://%s:%d/artifactory/", nodes[0], artifactoryPort),
		"apacheMembers":  "",
	}
	if len(nodes) > 1 {
		v["otherNodes"] = " (and the same for " + strings.Join(nodes[1:], ", ") + ")"
		v["routerTarget"], v["directTarget"] = "balancer://artifactory/", "balancer://artifactory-direct/artifactory/"
		members := func(port int) string {
			m := make([]string, len(nodes))
			for i, n := range nodes {
				m[i] = fmt.Sprintf(`BalancerMember "http://%s:%d"`, n, port)
			}
			return strings.Join(m, " ")
		}
		v["apacheMembers"] = fmt.Sprintf(`, with <Proxy "balancer://artifactory"> %s </Proxy> and <Proxy "balancer://artifactory-direct"> %s </Proxy>`,
			members(routerPort), members(artifactoryPort))
	}
	return v
}

// ByConfig reports whether a failure for this reason is caused by the web
// server's configuration (see Result.ConfigFailures).
func (r Reason) ByConfig() bool { return explanations[r].byConfig }

// explain fills in the cause (unless the step has a more precise one) and
// the fix of a warned or failed step. vars replace the {placeholders}; the
// fix for a web server other than provider is left out when the provider is
// known.
func explain(st *Step, provider render.Provider, vars map[string]string) {
	e, ok := explanations[st.Reason]
	if !ok {
		return
	}
	pairs := make([]string, 0, 2*len(vars))
	for k, v := range vars {
		pairs = append(pairs, "{"+k+"}", v)
	}
	rep := strings.NewReplacer(pairs...)
	if st.Cause == "" {
		st.Cause = rep.Replace(e.cause)
	}
	fix := e.fix
	switch provider {
	case render.Nginx:
		fix.Apache = ""
	case render.Apache:
		fix.Nginx = ""
	case "":
	default:
		// Another provider: neither directive applies as written.
		fix.Nginx, fix.Apache = "", ""
	}
	st.Fix = Fix{Nginx: rep.Replace(fix.Nginx), Apache: rep.Replace(fix.Apache), Setting: rep.Replace(fix.Setting), Action: rep.Replace(fix.Action)}
}
