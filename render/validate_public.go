package render

import (
	"strconv"

	"frontdoor/finding"
)

// The rules of proxy.public: the scheme and port of a load balancer in
// front of the proxy.

func validatePublic(l *finding.List, s *Settings) {
	p := &s.Public
	if !p.IsSet() {
		return
	}
	switch p.Scheme {
	case "", "http", "https":
	default:
		l.Errorf("proxy.public.scheme", "unknown scheme %q: use https (a load balancer in front terminates TLS) or http; leave it out to keep the proxy's own", p.Scheme)
	}
	if p.Port != 0 {
		validatePort(l, "proxy.public.port", p.Port)
	}
	switch {
	case s.Provider == Tomcat:
		l.Warnf("proxy.public", "with embedded Tomcat no proxy reports the public scheme and port: set Artifactory's Custom Base URL to %s instead", publicExample(s))
	case s.Provider == KubernetesIngress:
		// Setting X-Forwarded-Proto/Port per Ingress takes a snippet annotation.
		l.Warnf("proxy.public", "an Ingress cannot set X-Forwarded-Proto and X-Forwarded-Port without a snippet annotation: ingress-nginx sends those of its own listener; "+
			"have it pass on the load balancer's instead (use-forwarded-headers: \"true\" in the controller's ConfigMap, the load balancer sending X-Forwarded-Proto and X-Forwarded-Port), "+
			"or set Artifactory's Custom Base URL to %s, or choose gateway-api", publicExample(s))
	}
	if p.Scheme == "http" && s.HTTPRedirects() {
		l.Errorf("proxy.public.scheme", "clients reach the door on plain HTTP (public scheme http), but the proxy redirects plain HTTP to HTTPS: set the public scheme to https, or turn proxy.http.redirectToHttps off")
	}
	if p.Scheme == "" && p.Port != 0 && s.HTTP.Enabled && s.HTTPS.Enabled && !s.HTTP.RedirectToHTTPS {
		l.Warnf("proxy.public.port", "both HTTP and HTTPS serve, and both now report port %d, each with its own scheme: a load balancer in front usually has one; set proxy.public.scheme too", p.Port)
	}
}

// publicExample is the base URL clients use, for messages.
func publicExample(s *Settings) string {
	scheme := s.Public.Scheme
	if scheme == "" {
		scheme = "https"
		if !s.HTTPS.Enabled {
			scheme = "http"
		}
	}
	port := s.Public.EffectivePort()
	if port == 0 {
		port = s.HTTP.Port
		if s.HTTPS.Enabled {
			port = s.HTTPS.Port
		}
	}
	return publicBaseURL(scheme, ServerNameForConfig(s.ServerName), port)
}

// publicBaseURL is scheme://host, with the port when it is not the scheme's
// standard one.
func publicBaseURL(scheme, host string, port int) string {
	u := scheme + "://" + host
	if !(scheme == "https" && port == 443 || scheme == "http" && port == 80) && port > 0 {
		u += ":" + strconv.Itoa(port)
	}
	return u
}
