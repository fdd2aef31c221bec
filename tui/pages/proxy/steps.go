// Package proxy is the HTTP settings screen: six steps of fields with
// inline validation, the live snippet preview beside (or instead of) the
// form, the certificate panel, and the review step with the save component.
// The fields only bind values of the document: rules and messages come from
// render.Validate, the snippet from render.Render.
package proxy

import (
	"slices"

	"frontdoor/finding"
	"frontdoor/render"
	"frontdoor/tui/common"
	"frontdoor/tui/components/form"
	"frontdoor/tui/components/table"
	"frontdoor/tui/document"
)

type (
	field  = form.Field[document.Document]
	column = table.Column[document.Document]
)

// Step is one screen of the HTTP settings.
type Step int

const (
	StepProvider Step = iota
	StepNodes
	StepPublic
	StepDocker
	StepExtras
	StepReview
	StepCount
)

// StepInfo is what the step bar and the heading of a step say.
type StepInfo struct {
	Short, Title, Intro string
}

// Steps are the steps' names and intros.
var Steps = [StepCount]StepInfo{
	StepProvider: {"Provider", "Web server", "Which server fronts Artifactory. The snippet, the save target and the check follow from it."},
	StepNodes:    {"Nodes", "Artifactory nodes and ports", "Where Artifactory runs, as the proxy reaches it. Two or more nodes are load-balanced with failover."},
	StepPublic:   {"Name & TLS", "Public name, HTTP/HTTPS and certificate", "The name clients use, the listeners, and the certificate for HTTPS."},
	StepDocker:   {"Docker", "Docker access", "How Docker clients reach Docker repositories through the proxy."},
	StepExtras:   {"HA & mTLS", "High availability, mTLS and headers", "Client certificates and the headers the proxy sends to Artifactory."},
	StepReview:   {"Save", "Review and save", "Where the snippet goes, how it is checked, and the save itself."},
}

func settings(d *document.Document) *render.Settings { return &d.File.Proxy }

// text edits a string of the proxy settings.
func text(label, path, hint string, p func(*render.Settings) *string) field {
	return field{
		Kind: form.Text, Label: label, Path: path, Hint: hint,
		Get: func(d *document.Document) string { return *p(settings(d)) },
		Set: func(d *document.Document, v string) { *p(settings(d)) = v },
	}
}

// number edits an int of the proxy settings; an empty field is 0, which
// the validator reports as out of range.
func number(label, path, hint string, limit int, p func(*render.Settings) *int) field {
	return field{
		Kind: form.Number, Label: label, Path: path, Hint: hint, Limit: limit,
		Get: func(d *document.Document) string { return form.FormatNumber(*p(settings(d))) },
		Set: func(d *document.Document, v string) { *p(settings(d)) = form.ParseNumber(v) },
	}
}

func toggle(label, path, hint string, p func(*render.Settings) *bool) field {
	return field{
		Kind: form.Toggle, Label: label, Path: path, Hint: hint,
		GetBool: func(d *document.Document) bool { return *p(settings(d)) },
		SetBool: func(d *document.Document, v bool) { *p(settings(d)) = v },
	}
}

// choice edits a string-typed enum (provider, Docker method, TLS profile).
func choice[T ~string](label, path string, opts []form.Option, p func(*render.Settings) *T) field {
	return field{
		Kind: form.Choice, Label: label, Path: path,
		Options: func(*document.Document) []form.Option { return opts },
		Get:     func(d *document.Document) string { return string(*p(settings(d))) },
		Set:     func(d *document.Document, v string) { *p(settings(d)) = T(v) },
	}
}

func when(f field, visible func(*document.Document) bool) field {
	f.Visible = visible
	return f
}

// stepFields defines every field of the first five steps (the review
// step's come from the save component). st styles the Docker table's
// "clients use" column.
func stepFields(st *common.Styles) [StepCount][]field {
	var out [StepCount][]field
	httpOn := func(d *document.Document) bool { return d.File.Proxy.HTTP.Enabled }
	httpsOn := func(d *document.Document) bool { return d.File.Proxy.HTTPS.Enabled }
	mtlsOn := func(d *document.Document) bool { return d.File.Proxy.MTLS.Enabled }

	chooser := choice[render.Provider]("Web server", "proxy.provider", nil, func(s *render.Settings) *render.Provider { return &s.Provider })
	chooser.Options = providerOptions
	out[StepProvider] = append([]field{chooser}, providerFields()...)

	nodes := &table.Table[document.Document]{
		Path: "proxy.nodes", Noun: "node",
		Columns: []column{{
			Title: "HOST", Width: 32,
			Get: func(d *document.Document, r int) string { return settings(d).Nodes[r] },
			Set: func(d *document.Document, r int, v string) { settings(d).Nodes[r] = v },
		}},
		Count:  func(d *document.Document) int { return len(settings(d).Nodes) },
		Insert: func(d *document.Document, at int) { s := settings(d); s.Nodes = slices.Insert(s.Nodes, at, "") },
		Remove: func(d *document.Document, r int) { s := settings(d); s.Nodes = slices.Delete(s.Nodes, r, r+1) },
	}
	notKube := func(d *document.Document) bool { return !isKubernetes(d) }
	out[StepNodes] = append([]field{
		when(field{Kind: form.Table, Label: "Nodes", Path: "proxy.nodes", Table: nodes,
			Hint: "Hostnames or IP addresses of Artifactory, as the proxy reaches them (IPv6 as ::1)."}, notKube),
	}, serviceFields()...)
	out[StepNodes] = append(out[StepNodes],
		number("Artifactory port", "proxy.artifactoryPort", "Artifactory's own port (8081 by default): serves /artifactory/.", 5,
			func(s *render.Settings) *int { return &s.ArtifactoryPort }),
		number("Router port", "proxy.routerPort", "The JFrog router (8082 by default): serves the UI and the platform APIs.", 5,
			func(s *render.Settings) *int { return &s.RouterPort }),
	)

	profiles := []form.Option{
		{Value: render.TLSIntermediate, Label: "intermediate", Help: "TLS 1.2 and 1.3: works with nearly every client."},
		{Value: render.TLSModern, Label: "modern", Help: "TLS 1.3 only: for recent clients."},
	}
	automatic, secret := tlsFields()
	key := when(text("Private key", "proxy.https.key", "", func(s *render.Settings) *string { return &s.HTTPS.Key }), usesCertificateFiles)
	key.HintFunc = keyHint
	out[StepPublic] = []field{
		text("Server name", "proxy.serverName", "The name clients use, e.g. artifactory.example.com.",
			func(s *render.Settings) *string { return &s.ServerName }),
		toggle("HTTP", "proxy.http.enabled", "Listen for plain HTTP.", func(s *render.Settings) *bool { return &s.HTTP.Enabled }),
		when(number("HTTP port", "proxy.http.port", "Usually 80.", 5, func(s *render.Settings) *int { return &s.HTTP.Port }), httpOn),
		when(toggle("Redirect to HTTPS", "proxy.http.redirectToHttps", "Answer plain HTTP with a redirect to HTTPS.",
			func(s *render.Settings) *bool { return &s.HTTP.RedirectToHTTPS }), httpOn),
		toggle("HTTPS", "proxy.https.enabled", "Listen for HTTPS with the certificate below.", func(s *render.Settings) *bool { return &s.HTTPS.Enabled }),
		when(number("HTTPS port", "proxy.https.port", "Usually 443.", 5, func(s *render.Settings) *int { return &s.HTTPS.Port }), httpsOn),
		automatic,
		when(text("Certificate", "proxy.https.certificate", "PEM file on the proxy host: the certificate, then its chain.",
			func(s *render.Settings) *string { return &s.HTTPS.Certificate }), usesCertificateFiles),
		key,
		secret,
		when(choice("TLS profile", "proxy.https.tlsProfile", profiles, func(s *render.Settings) *string { return &s.HTTPS.TLSProfile }), httpsOn),
	}
	out[StepPublic] = append(out[StepPublic], publicFields()...)

	methods := []form.Option{
		{Value: string(render.DockerSubdomain), Label: "subdomain", Help: "<repository>.<server name>: needs a wildcard DNS record and a wildcard certificate."},
		{Value: string(render.DockerPorts), Label: "ports", Help: "<server name>:<port>: one port per repository."},
		{Value: string(render.DockerRepositoryPath), Label: "repositoryPath", Help: "<server name>/<repository>/<image>: nothing else to set up."},
		{Value: string(render.DockerNone), Label: "none", Help: "No Docker access through the proxy."},
	}
	repos := &table.Table[document.Document]{
		Path: "proxy.docker.repositories", Noun: "repository",
		Columns: []column{
			{
				Title: "KEY", Width: 22, Field: "key",
				Get: func(d *document.Document, r int) string { return settings(d).Docker.Repositories[r].Key },
				Set: func(d *document.Document, r int, v string) { settings(d).Docker.Repositories[r].Key = v },
			},
			{
				Title: "PORT", Width: 6, Field: "port", Number: true, Limit: 5,
				Visible: func(d *document.Document) bool { return settings(d).Docker.Method == render.DockerPorts },
				Get: func(d *document.Document, r int) string {
					return form.FormatNumber(settings(d).Docker.Repositories[r].Port)
				},
				Set: func(d *document.Document, r int, v string) {
					settings(d).Docker.Repositories[r].Port = form.ParseNumber(v)
				},
				// The preview marks a port's lines by rendering another
				// port: n+1, n+2, n-1 are the neighbours' (a clash every
				// time); a free one renders at the first try.
				Vary: func(d *document.Document, r, attempt int) bool {
					s := settings(d)
					p := render.SuggestDockerPort(s)
					if attempt > 0 || p == 0 {
						return false
					}
					s.Docker.Repositories[r].Port = p
					return true
				},
			},
		},
		Count: func(d *document.Document) int { return len(settings(d).Docker.Repositories) },
		Insert: func(d *document.Document, at int) {
			s := settings(d)
			port := 0
			if s.Docker.Method == render.DockerPorts {
				port = render.SuggestDockerPort(s) // one nothing else holds
			}
			s.Docker.Repositories = slices.Insert(s.Docker.Repositories, at, render.DockerRepository{Port: port})
		},
		Remove: func(d *document.Document, r int) {
			s := settings(d)
			s.Docker.Repositories = slices.Delete(s.Docker.Repositories, r, r+1)
		},
		Note: func(d *document.Document, row int, fs finding.Findings) string {
			return dockerNote(st, d, row, fs)
		},
		NoteTitle: "CLIENTS USE",
	}
	method := choice("Method", "proxy.docker.method", methods, func(s *render.Settings) *render.DockerMethod { return &s.Docker.Method })
	method.HintFunc = methodHint
	out[StepDocker] = []field{
		method,
		{Kind: form.Table, Label: "Repositories", Path: "proxy.docker.repositories", Table: repos,
			Visible: func(d *document.Document) bool { return settings(d).Docker.Method != render.DockerNone },
			Hint:    "Docker repositories by key; a virtual repository covering the others is the usual choice."},
	}

	out[StepExtras] = []field{
		{Kind: form.Info, Label: "High availability", Info: haInfo},
		toggle("mTLS", "proxy.mtls.enabled", "Ask clients for a certificate signed by the client CA; Artifactory gets it in a header.",
			func(s *render.Settings) *bool { return &s.MTLS.Enabled }),
	}
	out[StepExtras] = append(out[StepExtras], clientCAFields(mtlsOn)...)
	out[StepExtras] = append(out[StepExtras], depthFields(mtlsOn)...)
	out[StepExtras] = append(out[StepExtras],
		when(text("Header", "proxy.mtls.header", "Header that carries the client certificate to Artifactory.",
			func(s *render.Settings) *string { return &s.MTLS.Header }), mtlsOn),
		when(toggle("Required", "proxy.mtls.required", "On: refuse clients without a certificate. Off: ask, but let them in.",
			func(s *render.Settings) *bool { return &s.MTLS.Required }), mtlsOn),
		toggle("Base-URL header", "proxy.overrideBaseUrlHeader", "Send X-JFrog-Override-Base-Url so Artifactory builds links with the public name and scheme.",
			func(s *render.Settings) *bool { return &s.OverrideBaseURLHeader }),
	)
	return out
}

// dockerNote is what a Docker client types for the row, and for the
// subdomain method whether the certificate covers that name. The row's one
// mark comes from render.RepositoryVerdicts: ✓ only on a row without any
// finding, so never beside the ✗ of a duplicate key.
func dockerNote(st *common.Styles, d *document.Document, row int, _ finding.Findings) string {
	s := &d.File.Proxy
	v, ok := d.Verdict(row)
	if !ok || v.Address == "" {
		return ""
	}
	if s.Docker.Method != render.DockerSubdomain {
		return st.Subtle.Render(v.Address)
	}
	switch {
	case v.Mark == render.RowOK:
		return st.OKText.Render(common.GlyphOK) + " " + st.Subtle.Render(v.Address)
	case d.CertsCurrent() && d.Certs.Leaf != nil && !d.Certs.Covers(v.Address):
		// The row's ✗ and its finding under it say why in full (words here
		// ran past 80 columns and were cut).
		return st.ErrorText.Render(v.Address)
	}
	return st.Subtle.Render(v.Address)
}
