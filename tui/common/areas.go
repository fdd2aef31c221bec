package common

// Area is one part of the wizard, named once: the home menu (its number
// key and what it holds), the screens' titles in the header, the help, the
// quit dialog's list of what is unsaved and accessible mode's menu all use
// these words.
type Area struct {
	Key   string // the home menu's shortcut
	Name  string // "HTTP settings": the menu entry and the screen's title
	Short string // the home summary's row label ("HTTP")
	About string // what it holds, after the name on the home menu
}

// The areas of the home menu, in its order.
var (
	AreaHTTP  = Area{Key: "1", Name: "HTTP settings", Short: "HTTP", About: "provider, nodes, name and TLS, Docker, mTLS; live preview"}
	AreaLDAP  = Area{Key: "2", Name: "LDAP settings", Short: "LDAP", About: "directory connections and group mapping; test a login"}
	AreaSave  = Area{Key: "3", Name: "Save", Short: "Save", About: "review the target, install the snippet, check it"}
	AreaCheck = Area{Key: "4", Name: "Check", Short: "Check", About: "the door from a client's side: TLS, redirects, Docker"}
	AreaQuit  = Area{Key: "5", Name: "Quit", Short: "Quit"}
)

// Areas are the home menu's entries in order (the number keys 1-5).
var Areas = []Area{AreaHTTP, AreaLDAP, AreaSave, AreaCheck, AreaQuit}
