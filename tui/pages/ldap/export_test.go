package ldap

// LockoutRiskControl is how the panel names its toggle in the hint of a
// skipped bind: the goldens take ldapcheck's words with it.
var LockoutRiskControl = lockoutRiskControl
