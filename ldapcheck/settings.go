// Package ldapcheck holds frontdoor's LDAP settings, their validation, and the
// step-by-step test bind and search against a real directory.
package ldapcheck

// Config is the `ldap:` section of frontdoor.yaml.
type Config struct {
	Settings []Setting      `yaml:"settings"`
	Groups   []GroupSetting `yaml:"groups,omitempty"`
}

// Setting is one LDAP connection (the vendor's ldapSettings entry).
// Passwords are never stored here: only a reference to where they live.
type Setting struct {
	Key                string `yaml:"key"`
	Enabled            bool   `yaml:"enabled"`
	URL                string `yaml:"url"`
	StartTLS           bool   `yaml:"startTls"`
	CAFile             string `yaml:"caFile"`
	InsecureSkipVerify bool   `yaml:"insecureSkipVerify"`
	UserDNPattern      string `yaml:"userDnPattern"`
	Search             Search `yaml:"search"`
	EmailAttribute     string `yaml:"emailAttribute"`
	AutoCreateUser     bool   `yaml:"autoCreateUser"`
}

// Search is how a user is looked up when no DN pattern binds them directly.
type Search struct {
	Filter              string `yaml:"filter"`
	Base                string `yaml:"base"`
	SubTree             bool   `yaml:"subTree"`
	ManagerDN           string `yaml:"managerDn"`
	ManagerPasswordEnv  string `yaml:"managerPasswordEnv,omitempty"`
	ManagerPasswordFile string `yaml:"managerPasswordFile,omitempty"`
}

// GroupSetting maps directory groups for one LDAP setting.
type GroupSetting struct {
	Name            string `yaml:"name"`
	LDAPSetting     string `yaml:"ldapSetting"`
	BaseDN          string `yaml:"baseDn"`
	NameAttribute   string `yaml:"nameAttribute"`
	MemberAttribute string `yaml:"memberAttribute"`
	SubTree         bool   `yaml:"subTree"`
	Filter          string `yaml:"filter"`
	Strategy        string `yaml:"strategy"`
}
