package tui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"frontdoor/render"
)

// stepID is one screen of the HTTP settings.
type stepID int

const (
	stepProvider stepID = iota
	stepNodes
	stepPublic
	stepDocker
	stepExtras
	stepReview
	stepCount
)

// stepInfo is what the step bar and the heading of a step say.
type stepInfo struct {
	short, title, intro string
}

var steps = [stepCount]stepInfo{
	stepProvider: {"Provider", "Web server", "Which server fronts Artifactory. The snippet, the save target and the check follow from it."},
	stepNodes:    {"Nodes", "Artifactory nodes and ports", "Where Artifactory runs, as the proxy reaches it. Two or more nodes are load-balanced with failover."},
	stepPublic:   {"Name & TLS", "Public name, HTTP/HTTPS and certificate", "The name clients use, the listeners, and the certificate for HTTPS."},
	stepDocker:   {"Docker", "Docker access", "How Docker clients reach Docker repositories through the proxy."},
	stepExtras:   {"HA & mTLS", "High availability, mTLS and headers", "Client certificates and the headers the proxy sends to Artifactory."},
	stepReview:   {"Save", "Review and save", "Where the snippet goes, how it is checked, and the save itself."},
}

// buildSteps defines every item of every HTTP step. The items only bind
// values: rules and messages come from render.Validate.
func buildSteps() [stepCount][]item {
	var out [stepCount][]item
	httpsOn := func(m *Model) bool { return m.settings.HTTPS.Enabled }
	mtlsOn := func(m *Model) bool { return m.settings.MTLS.Enabled }

	providers := []choice{
		{string(render.Nginx), "nginx", "nginx in front of Artifactory: the usual setup."},
		{string(render.Apache), "apache", "Apache httpd 2.4 with mod_proxy."},
		{string(render.Tomcat), "tomcat", "No proxy: clients reach Artifactory's embedded Tomcat directly, so there is no snippet to install."},
	}
	out[stepProvider] = []item{
		choiceItem("Web server", "proxy.provider", providers, func(s *render.Settings) *render.Provider { return &s.Provider }),
	}

	nodes := &rowTable{
		path: "proxy.nodes", noun: "node",
		cols: []column{{
			title: "HOST", width: 32,
			get: func(s *render.Settings, r int) string { return s.Nodes[r] },
			set: func(s *render.Settings, r int, v string) { s.Nodes[r] = v },
			perturb: func(s *render.Settings, r, attempt int) bool {
				return perturbText(&s.Nodes[r], attempt)
			},
		}},
		count:  func(s *render.Settings) int { return len(s.Nodes) },
		insert: func(s *render.Settings, at int) { s.Nodes = slices.Insert(s.Nodes, at, "") },
		remove: func(s *render.Settings, r int) { s.Nodes = slices.Delete(s.Nodes, r, r+1) },
	}
	out[stepNodes] = []item{
		{kind: itemTable, label: "Nodes", path: "proxy.nodes", proxy: true, table: nodes,
			hint: "Hostnames or IP addresses of Artifactory, as the proxy reaches them (IPv6 as ::1)."},
		numberItem("Artifactory port", "proxy.artifactoryPort", "Artifactory's own port (8081 by default): serves /artifactory/.", 5,
			func(s *render.Settings) *int { return &s.ArtifactoryPort }),
		numberItem("Router port", "proxy.routerPort", "The JFrog router (8082 by default): serves the UI and the platform APIs.", 5,
			func(s *render.Settings) *int { return &s.RouterPort }),
	}

	profiles := []choice{
		{render.TLSIntermediate, "intermediate", "TLS 1.2 and 1.3: works with nearly every client."},
		{render.TLSModern, "modern", "TLS 1.3 only: for recent clients."},
	}
	httpItem := func(it item) item { it.visible = func(m *Model) bool { return m.settings.HTTP.Enabled }; return it }
	httpsItem := func(it item) item { it.visible = httpsOn; return it }
	out[stepPublic] = []item{
		textItem("Server name", "proxy.serverName", "The name clients use, e.g. artifactory.example.com.",
			func(s *render.Settings) *string { return &s.ServerName }),
		toggleItem("HTTP", "proxy.http.enabled", "Listen for plain HTTP.", func(s *render.Settings) *bool { return &s.HTTP.Enabled }),
		httpItem(numberItem("HTTP port", "proxy.http.port", "Usually 80.", 5, func(s *render.Settings) *int { return &s.HTTP.Port })),
		httpItem(toggleItem("Redirect to HTTPS", "proxy.http.redirectToHttps", "Answer plain HTTP with a redirect to HTTPS.",
			func(s *render.Settings) *bool { return &s.HTTP.RedirectToHTTPS })),
		toggleItem("HTTPS", "proxy.https.enabled", "Listen for HTTPS with the certificate below.", func(s *render.Settings) *bool { return &s.HTTPS.Enabled }),
		httpsItem(numberItem("HTTPS port", "proxy.https.port", "Usually 443.", 5, func(s *render.Settings) *int { return &s.HTTPS.Port })),
		httpsItem(textItem("Certificate", "proxy.https.certificate", "PEM file on the proxy host: the certificate, then its chain.",
			func(s *render.Settings) *string { return &s.HTTPS.Certificate })),
		httpsItem(textItem("Private key", "proxy.https.key", "PEM file on the proxy host: the certificate's unencrypted private key.",
			func(s *render.Settings) *string { return &s.HTTPS.Key })),
		httpsItem(choiceItem("TLS profile", "proxy.https.tlsProfile", profiles, func(s *render.Settings) *string { return &s.HTTPS.TLSProfile })),
	}

	methods := []choice{
		{string(render.DockerSubdomain), "subdomain", "<repository>.<server name>: needs a wildcard DNS record and a wildcard certificate."},
		{string(render.DockerPorts), "ports", "<server name>:<port>: one port per repository."},
		{string(render.DockerRepositoryPath), "repositoryPath", "<server name>/<repository>/<image>: nothing else to set up."},
		{string(render.DockerNone), "none", "No Docker access through the proxy."},
	}
	repos := &rowTable{
		path: "proxy.docker.repositories", noun: "repository",
		cols: []column{
			{
				title: "KEY", width: 22, field: "key",
				get: func(s *render.Settings, r int) string { return s.Docker.Repositories[r].Key },
				set: func(s *render.Settings, r int, v string) { s.Docker.Repositories[r].Key = v },
				perturb: func(s *render.Settings, r, attempt int) bool {
					return perturbText(&s.Docker.Repositories[r].Key, attempt)
				},
			},
			{
				title: "PORT", width: 6, field: "port", number: true, limit: 5,
				visible: func(s *render.Settings) bool { return s.Docker.Method == render.DockerPorts },
				get:     func(s *render.Settings, r int) string { return formatNumber(s.Docker.Repositories[r].Port) },
				set:     func(s *render.Settings, r int, v string) { s.Docker.Repositories[r].Port = parseNumber(v) },
				perturb: func(s *render.Settings, r, attempt int) bool {
					return perturbNumber(&s.Docker.Repositories[r].Port, attempt)
				},
			},
		},
		count: func(s *render.Settings) int { return len(s.Docker.Repositories) },
		insert: func(s *render.Settings, at int) {
			s.Docker.Repositories = slices.Insert(s.Docker.Repositories, at, render.DockerRepository{Port: nextFreePort(s)})
		},
		remove:  func(s *render.Settings, r int) { s.Docker.Repositories = slices.Delete(s.Docker.Repositories, r, r+1) },
		note:    dockerNote,
		noteCol: "CLIENTS USE",
	}
	out[stepDocker] = []item{
		choiceItem("Method", "proxy.docker.method", methods, func(s *render.Settings) *render.DockerMethod { return &s.Docker.Method }),
		{kind: itemTable, label: "Repositories", path: "proxy.docker.repositories", proxy: true, table: repos,
			visible: func(m *Model) bool { return m.settings.Docker.Method != render.DockerNone },
			hint:    "Docker repositories by key; a virtual repository covering the others is the usual choice."},
	}

	out[stepExtras] = []item{
		{kind: itemInfo, label: "High availability", info: haInfo},
		toggleItem("mTLS", "proxy.mtls.enabled", "Ask clients for a certificate signed by the client CA; Artifactory gets it in a header.",
			func(s *render.Settings) *bool { return &s.MTLS.Enabled }),
		withVisible(textItem("Client CA", "proxy.mtls.clientCA", "PEM file of the CA(s) that sign client certificates.",
			func(s *render.Settings) *string { return &s.MTLS.ClientCA }), mtlsOn),
		withVisible(numberItem("Verify depth", "proxy.mtls.verifyDepth", "How many CAs may sit above a client certificate (2: intermediate and root).", 2,
			func(s *render.Settings) *int { return &s.MTLS.VerifyDepth }), mtlsOn),
		withVisible(textItem("Header", "proxy.mtls.header", "Header that carries the client certificate to Artifactory.",
			func(s *render.Settings) *string { return &s.MTLS.Header }), mtlsOn),
		withVisible(toggleItem("Required", "proxy.mtls.required", "On: refuse clients without a certificate. Off: ask, but let them in.",
			func(s *render.Settings) *bool { return &s.MTLS.Required }), mtlsOn),
		toggleItem("Base-URL header", "proxy.overrideBaseUrlHeader", "Send X-JFrog-Override-Base-Url so Artifactory builds links with the public name and scheme.",
			func(s *render.Settings) *bool { return &s.OverrideBaseURLHeader }),
	}

	out[stepReview] = reviewItems()
	return out
}

func withVisible(it item, f func(m *Model) bool) item {
	it.visible = f
	return it
}

// haInfo explains what the node list means for high availability.
func haInfo(m *Model) string {
	n := len(m.settings.Nodes)
	if n > 1 {
		return fmt.Sprintf("%d nodes: requests are balanced and a failed node is skipped (nodes are on step 2).", n)
	}
	return "1 node: add nodes on step 2 to balance the load and survive a failed node."
}

// dockerNote is what a Docker client types for the row, and for the
// subdomain method whether the certificate covers that name.
func dockerNote(m *Model, row int) string {
	s, st := &m.settings, &m.styles
	r := s.Docker.Repositories[row]
	switch s.Docker.Method {
	case render.DockerSubdomain:
		if row >= len(m.dockerHosts) {
			return ""
		}
		host := m.dockerHosts[row]
		if m.certsCurrent() && m.certs.Leaf != nil {
			if m.certs.Covers(host) {
				return st.okText.Render(glyphOK) + " " + st.subtle.Render(host)
			}
			return st.errorText.Render(glyphError+" "+host) + st.subtle.Render(" not in the certificate")
		}
		return st.subtle.Render(host)
	case render.DockerPorts:
		if r.Port == 0 {
			return ""
		}
		return st.subtle.Render(s.ServerName + ":" + strconv.Itoa(r.Port))
	case render.DockerRepositoryPath:
		return st.subtle.Render(s.ServerName + "/" + r.Key + "/IMAGE")
	}
	return ""
}

// nextFreePort suggests a port for a new row of the ports method: one above
// the highest port in use (the validator still checks it).
func nextFreePort(s *render.Settings) int {
	if s.Docker.Method != render.DockerPorts {
		return 0
	}
	highest := 5000
	for _, r := range s.Docker.Repositories {
		highest = max(highest, r.Port)
	}
	if highest >= 65535 {
		return 0
	}
	return highest + 1
}

// stepOfPath maps a finding path to the step whose item shows it; findings
// no item shows belong to the review step, which lists everything.
func stepOfPath(all *[stepCount][]item, path string) stepID {
	for sid := range stepCount {
		for i := range all[sid] {
			it := &all[sid][i]
			if it.path == "" || !it.proxy {
				continue
			}
			if path == it.path || (it.kind == itemTable && strings.HasPrefix(path, it.path+"[")) {
				return sid
			}
		}
	}
	return stepReview
}

// renderStepBar draws "1 Provider › 2 Nodes › [3 Name & TLS] › ...", with
// the steps that hold errors marked; when too wide, other steps shrink to
// their numbers.
func (m *Model) renderStepBar(width int) string {
	st := &m.styles
	build := func(short bool) string {
		parts := make([]string, 0, stepCount)
		for sid := range stepCount {
			label := strconv.Itoa(int(sid) + 1)
			if !short || sid == m.step {
				label += " " + steps[sid].short
			}
			if m.stepIssues[sid].errors > 0 && sid != stepReview {
				label += glyphError
			}
			switch {
			case sid == m.step:
				parts = append(parts, st.stepCurrent.Render("["+label+"]"))
			case m.stepIssues[sid].errors > 0 && sid != stepReview:
				parts = append(parts, st.stepError.Render(label))
			default:
				parts = append(parts, st.stepOther.Render(label))
			}
		}
		return strings.Join(parts, st.faint.Render(" › "))
	}
	bar := build(false)
	if ansi.StringWidth(bar) > width {
		bar = build(true)
	}
	return ansi.Truncate(bar, width, "…")
}
