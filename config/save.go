package config

import (
	"strings"

	"frontdoor/finding"
)

// SaveSettings is the `save:` section of frontdoor.yaml: how the snippet was
// installed, so the next `frontdoor save` or a restarted wizard installs it
// the same way (and a dry run into a copy is not followed by a save to the
// real server by accident). Every key is optional; one left out means the
// command's flag or what frontdoor detects. Flags given on the command line
// win over these for that run.
//
//	save:
//	  target: /etc/nginx/sites-available/artifactory.conf  # the snippet file (--to)
//	  link: /etc/nginx/sites-enabled/artifactory.conf      # the symlink that enables it (--link)
//	  check: nginx -t                 # run after writing; a failure rolls back (--check)
//	  reload: systemctl reload nginx  # run after a passing check (--reload)
//	  noCheck: false                  # true: install without a check, no rollback (--no-check)
//	  keep: 5                         # backups of the snippet to keep (--keep; 0: the default, 5)
//
// Commands are split on spaces and run without a shell.
type SaveSettings struct {
	Target  string `yaml:"target,omitempty"`
	Link    string `yaml:"link,omitempty"`
	Check   string `yaml:"check,omitempty"`
	Reload  string `yaml:"reload,omitempty"`
	NoCheck bool   `yaml:"noCheck,omitempty"`
	Keep    int    `yaml:"keep,omitempty"`
}

// DefaultKeep is how many backups a save keeps when save.keep is not set.
const DefaultKeep = 5

// Backups returns how many backups to keep: Keep, or DefaultKeep.
func (s SaveSettings) Backups() int {
	if s.Keep > 0 {
		return s.Keep
	}
	return DefaultKeep
}

// Validate checks the save section on its own; whether the target and the
// commands exist is the save's business, at save time.
func (s SaveSettings) Validate() finding.Findings {
	var l finding.List
	if s.Keep < 0 {
		l.Errorf("save.keep", "%d backups: use 1 or more (0 or left out: %d)", s.Keep, DefaultKeep)
	}
	if s.NoCheck && strings.TrimSpace(s.Check) != "" {
		l.Errorf("save.noCheck", "save.check and save.noCheck contradict each other: remove one")
	}
	for _, p := range []struct{ path, value string }{{"save.target", s.Target}, {"save.link", s.Link}} {
		if p.value != "" && !strings.HasPrefix(p.value, "/") {
			l.Errorf(p.path, "%q is a relative path: give the full path (starting with /), so the save does not depend on the directory it runs in", p.value)
		}
	}
	for _, p := range []struct{ path, value string }{{"save.target", s.Target}, {"save.link", s.Link}, {"save.check", s.Check}, {"save.reload", s.Reload}} {
		if strings.ContainsAny(p.value, "\n\r\x00") {
			l.Errorf(p.path, "a line break in the value: give one line")
		}
	}
	return l.Out
}
