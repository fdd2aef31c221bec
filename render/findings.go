package render

import (
	"fmt"
	"strings"
)

// Severity says whether a finding blocks rendering.
type Severity int

const (
	Error   Severity = iota // blocks rendering and saving
	Warning                 // shown, but the snippet is still produced
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
}

// String formats a finding as one line: "PATH: error: MESSAGE".
func (f Finding) String() string {
	return fmt.Sprintf("%s: %s: %s", f.Path, f.Severity, f.Message)
}

// Findings is the result of validating settings.
type Findings []Finding

// HasErrors reports whether any finding blocks rendering.
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
// ("proxy.https" matches "proxy.https.port" but not "proxy.httpsX").
func (fs Findings) For(path string) Findings {
	var out Findings
	for _, f := range fs {
		if f.Path == path || strings.HasPrefix(f.Path, path+".") || strings.HasPrefix(f.Path, path+"[") {
			out = append(out, f)
		}
	}
	return out
}

// String renders the findings one per line.
func (fs Findings) String() string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString(f.String())
		b.WriteByte('\n')
	}
	return b.String()
}

// InvalidError is returned by Render when the settings have errors.
type InvalidError struct{ Findings Findings }

func (e *InvalidError) Error() string {
	errs := e.Findings.Errors()
	if len(errs) == 1 {
		return "invalid settings: " + errs[0].String()
	}
	return fmt.Sprintf("invalid settings (%d errors), first: %s", len(errs), errs[0])
}

// findingList collects findings while validating.
type findingList struct{ out Findings }

func (l *findingList) errorf(path, format string, args ...any) {
	l.out = append(l.out, Finding{Path: path, Severity: Error, Message: fmt.Sprintf(format, args...)})
}

func (l *findingList) warnf(path, format string, args ...any) {
	l.out = append(l.out, Finding{Path: path, Severity: Warning, Message: fmt.Sprintf(format, args...)})
}
