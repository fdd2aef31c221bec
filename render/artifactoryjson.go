package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// artifactoryJSON is the vendor's web server settings as served by
// GET /api/system/configuration/webServer and accepted by POST.
type artifactoryJSON struct {
	Key                      string        `json:"key"`
	WebServerType            string        `json:"webServerType"`
	ArtifactoryAppContext    string        `json:"artifactoryAppContext"`
	PublicAppContext         string        `json:"publicAppContext"`
	ServerName               string        `json:"serverName"`
	ServerNameExpression     string        `json:"serverNameExpression"`
	ArtifactoryServerName    string        `json:"artifactoryServerName"`
	ArtifactoryPort          *int          `json:"artifactoryPort,omitempty"`
	RouterPort               *int          `json:"routerPort,omitempty"`
	SSLCertificate           string        `json:"sslCertificate"`
	SSLKey                   string        `json:"sslKey"`
	DockerReverseProxyMethod string        `json:"dockerReverseProxyMethod"`
	UseHTTPS                 *bool         `json:"useHttps,omitempty"`
	UseHTTP                  *bool         `json:"useHttp,omitempty"`
	SSLPort                  *int          `json:"sslPort,omitempty"`
	HTTPSPort                *int          `json:"httpsPort,omitempty"` // some 7.x servers answer this instead of sslPort
	HTTPPort                 *int          `json:"httpPort,omitempty"`
	UpStreamName             string        `json:"upStreamName"`
	ReverseProxyRepositories *reverseRepos `json:"reverseProxyRepositories,omitempty"`
}

type reverseRepos struct {
	Configs []reverseRepo `json:"reverseProxyRepoConfigs"`
}

type reverseRepo struct {
	RepoRef    string `json:"repoRef"`
	ServerName string `json:"serverName"`
	Port       int    `json:"port"`
}

var (
	providerToVendor = map[Provider]string{Nginx: "NGINX", Apache: "APACHE", HAProxy: "HAPROXY", Tomcat: "DIRECT"}
	methodToVendor   = map[DockerMethod]string{DockerSubdomain: "SUBDOMAIN", DockerPorts: "PORTPERREPO", DockerRepositoryPath: "REPOPATHPREFIX", DockerNone: "NOVALUE"}
)

// LooksLikeArtifactoryJSON reports whether data is the vendor's webServer
// REST JSON rather than frontdoor's own settings.
func LooksLikeArtifactoryJSON(data []byte) bool {
	var probe map[string]json.RawMessage
	if json.Unmarshal(data, &probe) != nil {
		return false
	}
	_, a := probe["webServerType"]
	_, b := probe["dockerReverseProxyMethod"]
	_, c := probe["artifactoryServerName"]
	return a || b || c
}

// FromArtifactoryJSON reads the vendor's webServer REST JSON. Keys it leaves
// out get the vendor's defaults (useHttp true, useHttps false, ports 80/443).
func FromArtifactoryJSON(data []byte) (Settings, error) {
	var in artifactoryJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&in); err != nil {
		return Settings{}, fmt.Errorf("reading the vendor's webServer JSON: %w", err)
	}
	s := Defaults()
	if in.WebServerType != "" {
		p, ok := lookupKey(providerToVendor, in.WebServerType)
		if !ok {
			return s, fmt.Errorf("webServerType %q: expected NGINX, APACHE, HAPROXY or DIRECT", in.WebServerType)
		}
		s.Provider = p
	}
	s.ServerName = in.ServerName
	if in.ArtifactoryServerName != "" {
		s.Nodes = []string{in.ArtifactoryServerName}
	}
	setInt(&s.ArtifactoryPort, in.ArtifactoryPort)
	setInt(&s.RouterPort, in.RouterPort)
	setBool(&s.HTTP.Enabled, in.UseHTTP)
	setInt(&s.HTTP.Port, in.HTTPPort)
	setBool(&s.HTTPS.Enabled, in.UseHTTPS)
	setInt(&s.HTTPS.Port, in.HTTPSPort)
	setInt(&s.HTTPS.Port, in.SSLPort)
	s.HTTPS.Certificate, s.HTTPS.Key = in.SSLCertificate, in.SSLKey
	if in.DockerReverseProxyMethod != "" {
		m, ok := lookupKey(methodToVendor, in.DockerReverseProxyMethod)
		if !ok {
			return s, fmt.Errorf("dockerReverseProxyMethod %q: expected SUBDOMAIN, PORTPERREPO, REPOPATHPREFIX or NOVALUE", in.DockerReverseProxyMethod)
		}
		s.Docker.Method = m
	}
	if in.ReverseProxyRepositories != nil {
		for _, r := range in.ReverseProxyRepositories.Configs {
			s.Docker.Repositories = append(s.Docker.Repositories, DockerRepository{Key: r.RepoRef, Port: r.Port})
		}
	}
	return s, nil
}

// ToArtifactoryJSON writes the settings in the vendor's webServer REST form,
// ready to POST. The vendor form has one internal host and no mTLS, redirect
// or TLS profile; notes says what was left out so the caller can tell the user.
func ToArtifactoryJSON(s *Settings) (data []byte, notes []string, err error) {
	if providerToVendor[s.Provider] == "" {
		return nil, nil, fmt.Errorf("the vendor's webServer form has no %s (its webServerType is NGINX, APACHE, HAPROXY or DIRECT): render the %s output itself instead", s.Provider, s.Provider)
	}
	out := artifactoryJSON{
		Key:                      string(s.Provider),
		WebServerType:            providerToVendor[s.Provider],
		ArtifactoryAppContext:    "artifactory",
		PublicAppContext:         "artifactory",
		ServerName:               s.ServerName,
		ArtifactoryPort:          &s.ArtifactoryPort,
		RouterPort:               &s.RouterPort,
		SSLCertificate:           s.HTTPS.Certificate,
		SSLKey:                   s.HTTPS.Key,
		DockerReverseProxyMethod: methodToVendor[s.Docker.Method],
		UseHTTPS:                 &s.HTTPS.Enabled,
		UseHTTP:                  &s.HTTP.Enabled,
		SSLPort:                  &s.HTTPS.Port,
		HTTPPort:                 &s.HTTP.Port,
		UpStreamName:             "artifactory",
	}
	if s.Docker.Method == DockerSubdomain {
		out.ServerNameExpression = "*." + s.ServerName
	}
	if len(s.Nodes) > 0 {
		out.ArtifactoryServerName = s.Nodes[0]
	}
	repos := &reverseRepos{Configs: []reverseRepo{}}
	for _, r := range s.Docker.Repositories {
		rr := reverseRepo{RepoRef: r.Key, ServerName: s.ServerName}
		if s.Docker.Method == DockerPorts {
			rr.Port = r.Port
		}
		repos.Configs = append(repos.Configs, rr)
	}
	out.ReverseProxyRepositories = repos
	if len(s.Nodes) > 1 {
		notes = append(notes, fmt.Sprintf("the vendor form holds one internal host: wrote %s, left out %s (Artifactory adds its HA nodes itself)", s.Nodes[0], strings.Join(s.Nodes[1:], ", ")))
	}
	if s.MTLS.Enabled {
		notes = append(notes, "the vendor form has no mTLS settings: configure them in the proxy (frontdoor render) and in system.yaml")
	}
	if s.HTTP.RedirectToHTTPS {
		notes = append(notes, "the vendor form has no HTTP-to-HTTPS redirect")
	}
	data, err = json.MarshalIndent(out, "", "  ")
	if err != nil {
		return nil, nil, err
	}
	return append(data, '\n'), notes, nil
}

func lookupKey[K comparable](m map[K]string, want string) (K, bool) {
	for k, v := range m {
		if strings.EqualFold(v, want) {
			return k, true
		}
	}
	var zero K
	return zero, false
}

func setInt(dst *int, v *int) {
	if v != nil {
		*dst = *v
	}
}

func setBool(dst *bool, v *bool) {
	if v != nil {
		*dst = *v
	}
}
