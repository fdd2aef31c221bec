package render

import "frontdoor/finding"

// The proxy validator reports in the shared finding shape.
type (
	Severity     = finding.Severity
	Finding      = finding.Finding
	Findings     = finding.Findings
	InvalidError = finding.InvalidError
)

const (
	Error   = finding.Error
	Warning = finding.Warning
)
