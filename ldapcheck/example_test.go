package ldapcheck_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"frontdoor/ldapcheck"
)

// How `frontdoor ldap users` lists what the server will see: steps as they
// end, then a table (or one JSON document with --json).
func ExampleListUsers() {
	s := ldapcheck.NewSetting("corp")
	s.URL = "ldaps://dc1.corp.example:636/DC=corp,DC=example"
	s.Search = ldapcheck.Search{Filter: "(sAMAccountName={0})", Base: "OU=Staff", SubTree: true,
		ManagerDN: "svc-reader@corp.example", ManagerPasswordEnv: "FRONTDOOR_LDAP_MANAGER_PASSWORD"}
	opt := ldapcheck.Options{Getenv: os.Getenv} // no user, no user password: nothing binds as a user
	list := ldapcheck.ListUsers(context.Background(), s, nil, opt, ldapcheck.ListOptions{Limit: 20},
		func(st ldapcheck.Step) { fmt.Println(st.Status.Symbol(), st.Name+":", st.Detail) })
	ldapcheck.WriteUsers(os.Stdout, list)
	if !list.OK() {
		os.Exit(1)
	}
}

// How `frontdoor ldap test --user alice --lookup-only` runs everything but
// the user's bind: no password is asked for or sent.
func ExampleRun_lookupOnly() {
	s := ldapcheck.NewSetting("corp")
	s.URL = "ldaps://dc1.corp.example:636/DC=corp,DC=example"
	s.Search = ldapcheck.Search{Filter: "(sAMAccountName={0})", Base: "OU=Staff", SubTree: true,
		ManagerDN: `CORP\svc-reader`, ManagerPasswordEnv: "FRONTDOOR_LDAP_MANAGER_PASSWORD"}
	res := ldapcheck.Run(context.Background(), s, nil, ldapcheck.Options{Username: "alice", LookupOnly: true, Getenv: os.Getenv}, nil)
	if !res.OK() { // with LookupOnly: the user was found
		for _, c := range res.WhyNotFound {
			fmt.Println(c.Cause, c.Detail, "→", c.Fix)
		}
	}
	if res.Lockout != nil {
		fmt.Printf("locks after %d wrong passwords; %d so far\n", res.Lockout.Threshold, res.Lockout.Failures)
	}
}

func ExampleWriteUsers() {
	list := ldapcheck.UserList{Users: []ldapcheck.ListedUser{
		{DN: "CN=Alice Archer,OU=Staff,DC=corp,DC=example", Login: "alice", Email: "alice@corp.example",
			Groups: []ldapcheck.Group{{Setting: "corp-groups", Name: "Developers"}}},
		{DN: "CN=Bob Baker,OU=Staff,DC=corp,DC=example", Login: "bob", Flags: []ldapcheck.UserFlag{ldapcheck.FlagNoEmail}},
	}, More: true}
	ldapcheck.WriteUsers(os.Stdout, list)
	b, _ := json.Marshal(list.Users[1])
	fmt.Println(string(b))
	// Output:
	// LOGIN  EMAIL               GROUPS      FLAGS     DN
	// alice  alice@corp.example  Developers  -         CN=Alice Archer,OU=Staff,DC=corp,DC=example
	// bob    -                   -           no-email  CN=Bob Baker,OU=Staff,DC=corp,DC=example
	// (more users match: raise the limit to list them)
	// {"dn":"CN=Bob Baker,OU=Staff,DC=corp,DC=example","login":"bob","bases":null,"flags":["no-email"]}
}
