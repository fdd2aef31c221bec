package render

import (
	"slices"
	"strconv"
	"strings"
)

// RowMark is the one mark a table shows beside a Docker repository row.
type RowMark int

const (
	RowUnchecked RowMark = iota // no finding, but the subdomain's certificate was not read: no mark
	RowOK                       // no finding, and the certificate covers the subdomain (if any): ✓
	RowWarning                  // warnings only: !
	RowError                    // at least one error: ✗
)

// RepositoryVerdict sums up one row of proxy.docker.repositories, so a table
// shows one mark per row that agrees with the findings: never ✓ beside a ✗
// for the same key.
type RepositoryVerdict struct {
	Mark     RowMark
	Address  string   // what a Docker client types, e.g. docker-local.artifactory.example.com ("" when unknown)
	Findings Findings // every finding about the row (key and port), errors first
}

// RepositoryVerdicts gives one verdict per repository of s. fs are the
// findings for the same settings: Validate's, plus CheckCertificates' when
// the certificate was read. ci is that certificate, or nil when it was not
// read (or was read for other paths): the subdomain method's rows are then
// RowUnchecked rather than RowOK. A row is RowError when any finding about it
// is an error (a duplicate key flags every copy), RowWarning for warnings
// only.
func RepositoryVerdicts(s *Settings, fs Findings, ci *CertInfo) []RepositoryVerdict {
	repos := s.Docker.Repositories
	out := make([]RepositoryVerdict, len(repos))
	const prefix = "proxy.docker.repositories["
	for _, f := range fs {
		rest, ok := strings.CutPrefix(f.Path, prefix)
		if !ok {
			continue
		}
		index, _, ok := strings.Cut(rest, "]")
		i, err := strconv.Atoi(index)
		if !ok || err != nil || i < 0 || i >= len(out) {
			continue
		}
		out[i].Findings = append(out[i].Findings, f)
	}
	certRead := ci != nil && ci.Leaf != nil && s.HTTPS.Enabled
	// The server name as clients type it, worked out once rather than per
	// row: the table asks after every keystroke, with up to thousands of rows.
	name := ServerNameForConfig(s.ServerName)
	for i := range out {
		v := &out[i]
		v.Address = dockerAddress(s, name, repos[i])
		// Errors first, so Findings[0] is what a one-line table shows.
		slices.SortStableFunc(v.Findings, func(a, b Finding) int { return int(a.Severity) - int(b.Severity) })
		switch {
		case v.Findings.HasErrors():
			v.Mark = RowError
		case len(v.Findings) > 0:
			v.Mark = RowWarning
		case s.Docker.Method != DockerSubdomain:
			v.Mark = RowOK
		case certRead && ci.Covers(v.Address):
			v.Mark = RowOK
		default:
			// Not read, or not covered while fs lacks CheckCertificates'
			// finding about it: claim nothing either way.
			v.Mark = RowUnchecked
		}
	}
	return out
}

// dockerAddress is what a Docker client types to reach repository r; name
// is ServerNameForConfig(s.ServerName).
func dockerAddress(s *Settings, name string, r DockerRepository) string {
	if s.ServerName == "" {
		return ""
	}
	switch s.Docker.Method {
	case DockerSubdomain:
		if r.Key == "" {
			return ""
		}
		return r.Key + "." + s.ServerName
	case DockerPorts:
		if r.Port <= 0 {
			return ""
		}
		return name + ":" + strconv.Itoa(r.Port)
	case DockerRepositoryPath:
		if r.Key == "" {
			return ""
		}
		return name + "/" + r.Key + "/IMAGE"
	}
	return ""
}
