// The Check screen's questions and their live findings: the address every
// name goes to, the CA file, the Docker login; what a run will check.

package check

import (
	"net/netip"
	"os"
	"path/filepath"
	"strings"

	"frontdoor/doorcheck"
	"frontdoor/finding"
	"frontdoor/render"
	"frontdoor/tui/common"
	"frontdoor/tui/components/form"
)

// Fields are the Check screen's questions: the address every name goes to
// instead of DNS, the CA file (shown when the door speaks HTTPS), the
// Docker user and password (shown when the settings have Docker
// repositories), then the Check button. tls says whether the door speaks
// HTTPS, docker whether the settings have Docker repositories; describe
// says what a run will check.
func Fields(st *common.Styles, tls, docker func() bool, describe func() string) []form.Field[Inputs] {
	return []form.Field[Inputs]{
		{
			Kind: form.Text, Label: "Test against", Path: addressPath, Placeholder: "what DNS says", Limit: 45,
			Hint: "An IP address every name of the door goes to instead of asking DNS, as curl's --resolve does: " +
				"127.0.0.1 right after a save on this machine, or the proxy's address before DNS points at it. Empty: DNS.",
			Get: func(in *Inputs) string { return in.Address },
			Set: func(in *Inputs, v string) { in.Address = v },
		},
		{
			Kind: form.Text, Label: "CA file", Path: caFilePath, Placeholder: "none: the system's CAs",
			Visible: func(*Inputs) bool { return tls() },
			Hint: "A PEM file of the CA that issued the door's certificate (a private CA), trusted besides the system's CAs, " +
				"as frontdoor check --ca does. Empty: the system's CAs, as clients have them.",
			Get: func(in *Inputs) string { return in.CAFile },
			Set: func(in *Inputs, v string) { in.CAFile = v },
		},
		{
			Kind: form.Text, Label: "Docker user", Placeholder: "optional: anonymous",
			Visible: func(*Inputs) bool { return docker() },
			Hint: "Logs in to each Docker repository's token endpoint and tries a manifest request with the token. " +
				"Sent only over verified HTTPS to the door's own names.",
			Get: func(in *Inputs) string { return in.User },
			Set: func(in *Inputs, v string) { in.User = v },
		},
		{
			Kind: form.Text, Label: "Password", Secret: true,
			Visible: func(in *Inputs) bool { return docker() && strings.TrimSpace(in.User) != "" },
			Hint:    "The user's password or API key: kept in memory for one run, never stored or shown.",
			Get:     func(in *Inputs) string { return in.Password },
			Set:     func(in *Inputs, v string) { in.Password = v },
		},
		{
			Kind: form.Button, Action: "run",
			Draw: func(_ *Inputs, focused bool, width int) []string {
				const label = "[ Check ]"
				style := st.Bold
				if focused {
					style = st.LabelFocused
				}
				// What it checks goes on under itself rather than being cut.
				return common.Titled(style.Render(label)+" ", describe(), st.Subtle, "", width)
			},
		},
	}
}

// tls reports whether the door speaks HTTPS, so a CA file matters: the
// proxy's own HTTPS, or a load balancer's in front.
func (p *Page) tls() bool {
	s := p.doc.Settings()
	return s.HTTPS.Enabled || s.Public.Scheme == "https"
}

// docker reports whether the settings have Docker repositories to log in to.
func (p *Page) docker() bool {
	s := p.doc.Settings()
	return s.Docker.Method != render.DockerNone && len(s.Docker.Repositories) > 0
}

// plan is the check of the settings as edited (the source names the
// settings file, "as edited" when they differ from it).
func (p *Page) plan() (doorcheck.Plan, error) {
	s := p.doc.Settings().Clone()
	source := p.doc.SettingsPath()
	if p.doc.ProxyDirty() {
		source += ", as edited"
	}
	return doorcheck.FromSettings(&s, source)
}

// describe says what a run will check, for the button: "4 doors".
func (p *Page) describe() string {
	if p.doc.Proxy.Issues.Errors > 0 {
		text := "fix " + common.CountNoun(p.doc.Proxy.Issues.Errors, "error") + " in the HTTP settings first"
		if e := p.doc.Proxy.Findings.Errors(); len(e) > 0 {
			text += ": " + strings.TrimPrefix(e[0].Path, "proxy.")
		}
		return text + " (enter goes there)" // as Save's button: the root shows its field (FixHTTP)
	}
	plan, err := p.plan()
	if err != nil {
		return err.Error()
	}
	return "checks " + plan.Describe() + ", " + against(p.address()) // doorcheck's words, as frontdoor check says them
}

func (p *Page) address() string { return normalAddress(p.inputs.Address) }

func normalAddress(v string) string { return strings.Trim(strings.TrimSpace(v), "[]") }

// AddressProblem says what is wrong with an address typed into Test
// against ("" when it is fine: an IP address, or nothing for DNS).
func AddressProblem(v string) string {
	if a := normalAddress(v); a != "" {
		if _, err := netip.ParseAddr(a); err != nil {
			return "not an IP address: give one such as 127.0.0.1 or ::1, or leave it empty for DNS"
		}
	}
	return ""
}

// caFile is the CA file typed: trimmed, a leading ~/ for the home
// directory (the shell does that for --ca); "" when the door has no HTTPS
// (the field is hidden).
func (p *Page) caFile() string {
	if !p.tls() {
		return ""
	}
	return normalCAFile(p.inputs.CAFile)
}

func normalCAFile(v string) string {
	v = strings.TrimSpace(v)
	if rest, ok := strings.CutPrefix(v, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, rest)
		}
	}
	return v
}

// addressFinding is what is wrong with the address typed (nil: nothing).
func (p *Page) addressFinding() *finding.Finding {
	if msg := AddressProblem(p.inputs.Address); msg != "" {
		return &finding.Finding{Path: addressPath, Severity: finding.Error, Message: msg}
	}
	return nil
}
