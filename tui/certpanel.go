package tui

import (
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"frontdoor/render"
)

// renderCertPanel shows what the certificate and key files hold, read by a
// command (render.LoadCertificates) whenever their paths change: subject,
// names, issuer, expiry, key match, and which Docker subdomains it covers.
// The findings about them come from render.CheckCertificates, under the fields.
func (m *Model) renderCertPanel(width int) []string {
	s, st := &m.settings, &m.styles
	if !s.HTTPS.Enabled || (s.HTTPS.Certificate == "" && s.HTTPS.Key == "") {
		return nil
	}
	out := []string{"", st.heading.Render("Certificate")}
	const labelW = 10
	row := func(label, value string) {
		lines := strings.Split(ansi.Wrap(value, max(10, width-2-labelW), ""), "\n")
		out = append(out, "  "+st.label.Render(padRight(label, labelW))+lines[0])
		for _, l := range lines[1:] {
			out = append(out, strings.Repeat(" ", 2+labelW)+l)
		}
	}
	if !m.certsCurrent() {
		if m.certWant == [2]string{s.HTTPS.Certificate, s.HTTPS.Key} {
			return append(out, st.subtle.Render("  reading the files…"))
		}
		return append(out, st.subtle.Render("  read when the paths are complete"))
	}
	ci := m.certs
	if ci.Leaf == nil {
		row("File", st.warnText.Render(glyphWarning+" "+fileProblem(ci.CertErr)))
		return out
	}
	leaf := ci.Leaf
	row("Subject", dnText(leaf.Subject))
	row("Names", namesText(ci.Names()))
	row("Issuer", dnText(leaf.Issuer))
	row("Expires", m.expiryText(leaf.NotAfter))
	switch {
	case ci.KeyMatches:
		row("Key", st.okText.Render(glyphOK+" matches the certificate"))
	case ci.KeyErr != nil:
		row("Key", st.warnText.Render(glyphWarning+" "+fileProblem(ci.KeyErr)))
	case ci.KeyLoaded:
		row("Key", st.errorText.Render(glyphError+" does not belong to this certificate"))
	}
	if s.Docker.Method == render.DockerSubdomain && len(m.dockerHosts) > 0 {
		var missing []string
		for _, h := range m.dockerHosts {
			if !ci.Covers(h) {
				missing = append(missing, h)
			}
		}
		switch {
		case len(missing) == 0:
			row("Docker", st.okText.Render(fmt.Sprintf("%s covers all %d repository subdomains", glyphOK, len(m.dockerHosts))))
		default:
			row("Docker", st.errorText.Render(fmt.Sprintf("%s %d of %d subdomains not covered: %s", glyphError, len(missing), len(m.dockerHosts), namesText(missing))))
		}
	}
	return out
}

// expiryText is the expiry date and how far away it is.
func (m *Model) expiryText(notAfter time.Time) string {
	st := &m.styles
	date := notAfter.UTC().Format("2006-01-02")
	days := int(notAfter.Sub(m.opts.Now()).Hours() / 24)
	switch {
	case days < 0:
		return st.errorText.Render(fmt.Sprintf("%s %s: expired %d days ago", glyphError, date, -days))
	case days < 30:
		return st.warnText.Render(fmt.Sprintf("%s %s: in %d days", glyphWarning, date, days))
	}
	return st.okText.Render(glyphOK) + fmt.Sprintf(" %s: in %d days", date, days)
}

// dnText prefers the common name, the part people recognise.
func dnText(n pkix.Name) string {
	if n.CommonName != "" {
		return "CN=" + n.CommonName
	}
	return n.String()
}

func namesText(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	const shown = 4
	if len(names) > shown {
		return strings.Join(names[:shown], ", ") + fmt.Sprintf(" and %d more", len(names)-shown)
	}
	return strings.Join(names, ", ")
}

// fileProblem says briefly why a file was not read.
func fileProblem(err error) string {
	switch {
	case err == nil:
		return "not read"
	case errors.Is(err, fs.ErrNotExist):
		return "not on this machine: not checked"
	case errors.Is(err, fs.ErrPermission):
		return "not readable by this user: not checked"
	}
	return firstLine(err.Error())
}
