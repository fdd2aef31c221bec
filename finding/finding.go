// Package finding is the shape every validator in frontdoor reports in: a
// settings path, a severity and a message that says how to fix it. The proxy
// validator (render) and the LDAP validator (ldapcheck) both speak it, so the
// CLI prints and the wizard places their findings the same way.
package finding

import (
	"fmt"
	"strings"
)

// Severity says whether a finding blocks the operation.
type Severity int

const (
	Error   Severity = iota // blocks rendering, saving, testing and exporting
	Warning                 // shown, but the operation goes on
)

func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// Finding is one validation result, tied to the settings key it is about
// (e.g. "proxy.docker.repositories[1].port") so the UI can show it beside the field.
type Finding struct {
	Path     string
	Severity Severity
	Message  string // what is wrong and how to fix it

	// Also counts the findings Dedup collapsed into this one: the same
	// message at other rows of the same list.
	Also int
}

// String formats a finding as one line: "PATH: error: MESSAGE", followed by
// "(and N more like it)" when Dedup collapsed repeats into it.
func (f Finding) String() string {
	s := fmt.Sprintf("%s: %s: %s", f.Path, f.Severity, f.Message)
	if f.Also > 0 {
		s += fmt.Sprintf(" (and %s more like it)", Count(f.Also))
	}
	return s
}

// Findings is the result of validating settings.
type Findings []Finding

// HasErrors reports whether any finding blocks the operation.
func (fs Findings) HasErrors() bool {
	for _, f := range fs {
		if f.Severity == Error {
			return true
		}
	}
	return false
}

// Errors returns only the blocking findings.
func (fs Findings) Errors() Findings { return fs.filter(Error) }

// Warnings returns only the non-blocking findings.
func (fs Findings) Warnings() Findings { return fs.filter(Warning) }

func (fs Findings) filter(sev Severity) Findings {
	var out Findings
	for _, f := range fs {
		if f.Severity == sev {
			out = append(out, f)
		}
	}
	return out
}

// For returns the findings about path itself or anything under it
// ("proxy.https" matches "proxy.https.port", not "proxy.httpsX";
// "ldap.settings[0]" matches "ldap.settings[0].url", not "ldap.settings[01]").
func (fs Findings) For(path string) Findings {
	var out Findings
	for _, f := range fs {
		if f.Path == path || strings.HasPrefix(f.Path, path+".") || strings.HasPrefix(f.Path, path+"[") {
			out = append(out, f)
		}
	}
	return out
}

// String renders the findings one per line, as Lines does: errors first,
// repeats collapsed, at most Limit lines.
func (fs Findings) String() string {
	var b strings.Builder
	for _, line := range fs.Lines(0) {
		b.WriteString(line)
		b.WriteByte('\n')
	}
	return b.String()
}

// List collects findings while a validator walks the settings.
type List struct{ Out Findings }

// Errorf adds a blocking finding.
func (l *List) Errorf(path, format string, args ...any) {
	l.Out = append(l.Out, Finding{Path: path, Severity: Error, Message: fmt.Sprintf(format, args...)})
}

// Warnf adds a non-blocking finding.
func (l *List) Warnf(path, format string, args ...any) {
	l.Out = append(l.Out, Finding{Path: path, Severity: Warning, Message: fmt.Sprintf(format, args...)})
}

// InvalidError is returned when settings with errors reach an operation that
// needs valid ones. What names the settings ("LDAP settings"; "settings" when empty).
type InvalidError struct {
	What     string
	Findings Findings
}

func (e *InvalidError) Error() string {
	if e.What == "" {
		e = &InvalidError{What: "settings", Findings: e.Findings}
	}
	errs := e.Findings.Errors()
	switch len(errs) {
	case 0:
		return "invalid " + e.What
	case 1:
		return fmt.Sprintf("invalid %s: %s", e.What, errs[0])
	}
	return fmt.Sprintf("invalid %s (%d errors), first: %s", e.What, len(errs), errs[0])
}
