// Package accessible is the wizard for screen readers: no full screen, no
// colour, no redrawing; one question per line with huh's accessible prompts,
// each answer checked at once by the same validators as the full-screen
// wizard (Enter keeps the value in brackets), and every panel read out line
// by line. It asks the fields of the one form engine (the HTTP steps, the
// LDAP settings, the LDAP test's login) and saves and tests through the same
// screens' actions, so both modes ask the same things and say the same
// words.
package accessible

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"charm.land/huh/v2"
	"github.com/charmbracelet/colorprofile"

	"frontdoor/render"
	"frontdoor/tui/common"
	"frontdoor/tui/document"
	checkpage "frontdoor/tui/pages/check"
	"frontdoor/tui/pages/ldap"
	"frontdoor/tui/pages/proxy"
	"frontdoor/tui/pages/save"
)

// ErrAborted is returned when the user aborted a prompt (ctrl+c in huh).
var ErrAborted = errors.New("aborted")

// Config is what a session works on: the wizard's document and screens
// (their actions save and test), built by the root.
type Config struct {
	Doc    *document.Document
	Proxy  *proxy.Page
	LDAP   *ldap.Screen
	Save   *save.Model
	Check  *checkpage.Page
	Styles *common.Styles // without colour
	Status *common.Status // what the screens' actions said
	// Source says which settings are loaded; ConfigPath is where a save
	// writes them.
	Source, ConfigPath string
	LoadCertificates   func(certPath, keyPath string) *render.CertInfo
	LoadClientCA       func(path string) *render.ClientCAInfo
	Getenv             func(string) string
	// Offers are asked before the menu (importing the configuration there
	// is already).
	Offers []Offer
}

// Offer is a yes-or-no question asked before the menu; Do runs on yes and
// returns what to read out.
type Offer struct {
	Question, Detail string
	Do               func() ([]string, error)
}

type session struct {
	Config
	in  *input
	out io.Writer
	ctx context.Context
}

// Run runs a session on in/out until the user quits (or the input ends at
// the menu).
func Run(ctx context.Context, c Config, in io.Reader, out io.Writer) error {
	if c.Getenv == nil {
		c.Getenv = os.Getenv
	}
	s := &session{Config: c, in: &input{r: in, ctx: ctx}, ctx: ctx}
	// huh styles its prompts; a NoTTY writer drops every escape sequence.
	s.out = &colorprofile.Writer{Forward: out, Profile: colorprofile.NoTTY}
	s.println("frontdoor wizard, accessible mode: one question per line. Press Enter to keep the value in brackets.",
		"Settings: "+c.Source+".", "")
	for _, o := range c.Offers {
		if err := s.offer(o); err != nil {
			return err
		}
	}
	return s.menu()
}

// offer asks an Offer and reads out what a yes did.
func (s *session) offer(o Offer) error {
	s.println(o.Detail)
	yes := false
	if err := s.runField(huh.NewConfirm().Title(o.Question).Value(&yes)); err != nil {
		return err
	}
	if !yes || s.in.eof {
		s.println("Not imported.", "")
		return nil
	}
	lines, err := o.Do()
	if err != nil {
		s.println("Not imported: "+err.Error(), "")
		return nil
	}
	s.println(lines...)
	s.println("")
	return nil
}

func (s *session) println(lines ...string) {
	for _, l := range lines {
		fmt.Fprintln(s.out, strings.TrimRight(l, " "))
	}
}

// menu is the home menu, asked again after each part.
func (s *session) menu() error {
	const (
		http = "http"
		ldp  = "ldap"
		sv   = "save"
		chk  = "check"
		quit = "quit"
	)
	for {
		choice := http
		// The home menu's words (common.Areas), in its order.
		entry := func(a common.Area, value string) huh.Option[string] {
			if a.About == "" {
				return huh.NewOption(a.Name, value)
			}
			return huh.NewOption(a.Name+": "+a.About, value)
		}
		err := s.runField(huh.NewSelect[string]().Title("Home: what next? ["+common.AreaHTTP.Name+"]").Options(
			entry(common.AreaHTTP, http), entry(common.AreaLDAP, ldp), entry(common.AreaSave, sv),
			entry(common.AreaCheck, chk), entry(common.AreaQuit, quit),
		).Value(&choice))
		if err != nil {
			return err
		}
		if s.in.eof {
			return nil // the input ended: done, as after Quit
		}
		switch choice {
		case http:
			err = s.walkHTTP()
		case ldp:
			err = s.ldapMenu()
		case sv:
			err = s.review()
		case chk:
			err = s.checkDoor()
		case quit:
			return s.quit()
		}
		if err != nil {
			return err
		}
	}
}

// quit asks before dropping changes: save the settings and quit, quit
// without saving, or go back to the menu.
func (s *session) quit() error {
	if !s.Doc.Dirty() {
		return nil
	}
	const (
		saveQuit = "save"
		drop     = "drop"
		back     = "back"
	)
	choice := back
	s.println(save.QuitText(save.Unsaved(s.Doc, s.Proxy.FieldLabel), s.ConfigPath))
	if err := s.runField(huh.NewSelect[string]().Title("Quit? [Cancel]").Options(
		huh.NewOption("Save settings and quit: write "+s.ConfigPath+" (no snippet is installed)", saveQuit),
		huh.NewOption("Quit without saving", drop),
		huh.NewOption("Cancel: back to the menu", back),
	).Value(&choice)); err != nil {
		return err
	}
	switch {
	case choice == drop || s.in.eof:
		return nil
	case choice == saveQuit:
		done, ok := s.runJob(save.QuitJob(s.Doc))
		if ok && saved(done) {
			return nil
		}
		s.println("Not quitting: the settings were not written.", "")
	}
	return s.menu()
}
