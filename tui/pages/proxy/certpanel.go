package proxy

import (
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"frontdoor/render"
	"frontdoor/tui/common"
	"frontdoor/tui/document"
)

// CertPanel shows what the certificate and key files hold, read by a
// command (render.LoadCertificates) whenever their paths change: subject,
// names, issuer, expiry, key match, and which Docker subdomains it covers.
// The findings about them come from render.CheckCertificates, under the
// fields. reading says the files for the current paths were asked for.
func CertPanel(st *common.Styles, d *document.Document, reading bool, width int) []string {
	s := &d.File.Proxy
	if !s.HTTPS.Enabled || (s.HTTPS.Certificate == "" && s.HTTPS.Key == "") {
		return nil
	}
	out := []string{"", st.Heading.Render("Certificate")}
	const labelW = 10
	// row wraps plain text and styles each line, so no style runs across lines.
	row := func(label, value string, styles ...common.Style) {
		sty := st.Value
		if len(styles) > 0 {
			sty = styles[0]
		}
		lines := common.WrapText(value, max(10, width-2-labelW))
		out = append(out, "  "+st.Label.Render(common.PadRight(label, labelW))+sty.Render(lines[0]))
		for _, l := range lines[1:] {
			out = append(out, strings.Repeat(" ", 2+labelW)+sty.Render(l))
		}
	}
	// Loaded for these paths but not read (the client CA alone: the
	// paths have an error) is as good as not loaded here.
	if !d.CertsCurrent() || d.Certs.Leaf == nil && d.Certs.CertErr == nil {
		if reading {
			return append(out, st.Subtle.Render("  reading the files…"))
		}
		return append(out, st.Subtle.Render("  read when the paths are complete"))
	}
	ci := d.Certs
	if ci.Leaf == nil {
		glyph, style := fileProblemMark(st, ci.CertErr)
		row("File", glyph+" "+fileProblem(ci.CertErr), style)
		return out
	}
	leaf := ci.Leaf
	row("Subject", dnText(leaf.Subject))
	row("Names", namesText(ci.Names()))
	row("Issuer", dnText(leaf.Issuer))
	expiry, style := expiryText(st, leaf.NotAfter, d.Now())
	row("Expires", expiry, style)
	switch {
	case ci.KeyMatches:
		row("Key", common.GlyphOK+" matches the certificate", st.OKText)
	case ci.KeyErr != nil:
		glyph, style := fileProblemMark(st, ci.KeyErr)
		row("Key", glyph+" "+fileProblem(ci.KeyErr), style)
	case ci.KeyLoaded:
		row("Key", common.GlyphError+" does not belong to this certificate", st.ErrorText)
	}
	if hosts := d.DockerHosts; s.Docker.Method == render.DockerSubdomain && len(hosts) > 0 {
		var missing []string
		for _, h := range hosts {
			if !ci.Covers(h) {
				missing = append(missing, h)
			}
		}
		switch {
		case len(missing) == 0 && len(hosts) == 1:
			row("Docker", common.GlyphOK+" covers "+hosts[0], st.OKText)
		case len(missing) == 0:
			row("Docker", fmt.Sprintf("%s covers all %d repository subdomains", common.GlyphOK, len(hosts)), st.OKText)
		default:
			row("Docker", fmt.Sprintf("%s %d of %d subdomains not covered: %s", common.GlyphError, len(missing), len(hosts), namesText(missing)), st.ErrorText)
		}
	}
	return out
}

// expiryText is the expiry date and how far away it is, with its style.
func expiryText(st *common.Styles, notAfter, now time.Time) (string, common.Style) {
	date := notAfter.UTC().Format("2006-01-02")
	days := int(notAfter.Sub(now).Hours() / 24)
	switch {
	case days < 0:
		return fmt.Sprintf("%s %s: expired %d days ago", common.GlyphError, date, -days), st.ErrorText
	case days < 30:
		return fmt.Sprintf("%s %s: in %d days", common.GlyphWarning, date, days), st.WarnText
	}
	return fmt.Sprintf("%s %s: in %d days", common.GlyphOK, date, days), st.Value
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
func fileProblemMark(st *common.Styles, err error) (string, common.Style) {
	if err == nil || render.NotChecked(err) {
		return common.GlyphWarning, st.WarnText
	}
	return common.GlyphError, st.ErrorText
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
	return common.FirstLine(err.Error())
}
