package tui

import (
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

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
	// row wraps plain text and styles each line, so no style runs across lines.
	row := func(label, value string, styles ...style) {
		sty := st.value
		if len(styles) > 0 {
			sty = styles[0]
		}
		lines := wrapText(value, max(10, width-2-labelW))
		out = append(out, "  "+st.label.Render(padRight(label, labelW))+sty.Render(lines[0]))
		for _, l := range lines[1:] {
			out = append(out, strings.Repeat(" ", 2+labelW)+sty.Render(l))
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
		glyph, style := m.fileProblemMark(ci.CertErr)
		row("File", glyph+" "+fileProblem(ci.CertErr), style)
		return out
	}
	leaf := ci.Leaf
	row("Subject", dnText(leaf.Subject))
	row("Names", namesText(ci.Names()))
	row("Issuer", dnText(leaf.Issuer))
	expiry, style := m.expiryText(leaf.NotAfter)
	row("Expires", expiry, style)
	switch {
	case ci.KeyMatches:
		row("Key", glyphOK+" matches the certificate", st.okText)
	case ci.KeyErr != nil:
		glyph, style := m.fileProblemMark(ci.KeyErr)
		row("Key", glyph+" "+fileProblem(ci.KeyErr), style)
	case ci.KeyLoaded:
		row("Key", glyphError+" does not belong to this certificate", st.errorText)
	}
	if s.Docker.Method == render.DockerSubdomain && len(m.dockerHosts) > 0 {
		var missing []string
		for _, h := range m.dockerHosts {
			if !ci.Covers(h) {
				missing = append(missing, h)
			}
		}
		switch {
		case len(missing) == 0 && len(m.dockerHosts) == 1:
			row("Docker", glyphOK+" covers "+m.dockerHosts[0], st.okText)
		case len(missing) == 0:
			row("Docker", fmt.Sprintf("%s covers all %d repository subdomains", glyphOK, len(m.dockerHosts)), st.okText)
		default:
			row("Docker", fmt.Sprintf("%s %d of %d subdomains not covered: %s", glyphError, len(missing), len(m.dockerHosts), namesText(missing)), st.errorText)
		}
	}
	return out
}

// expiryText is the expiry date and how far away it is, with its style.
func (m *Model) expiryText(notAfter time.Time) (string, style) {
	st := &m.styles
	date := notAfter.UTC().Format("2006-01-02")
	days := int(notAfter.Sub(m.opts.Now()).Hours() / 24)
	switch {
	case days < 0:
		return fmt.Sprintf("%s %s: expired %d days ago", glyphError, date, -days), st.errorText
	case days < 30:
		return fmt.Sprintf("%s %s: in %d days", glyphWarning, date, days), st.warnText
	}
	return fmt.Sprintf("%s %s: in %d days", glyphOK, date, days), st.value
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

// fileProblemMark rates a file problem as render.CheckCertificates does: a
// file that is missing here or unreadable was not checked (a warning); one
// that was read but cannot be used (not PEM, encrypted) is an error.
func (m *Model) fileProblemMark(err error) (string, style) {
	if err == nil || render.NotChecked(err) {
		return glyphWarning, m.styles.warnText
	}
	return glyphError, m.styles.errorText
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
