package app

import (
	"errors"
	"fmt"

	"frontdoor/config"
	"frontdoor/render"
)

// OpenSettings opens the settings file for a command that installs from it
// (save): a file must exist, so a script run in the wrong directory never
// installs the built-in example, and a --config naming no file is a typo,
// not a new file. Errors are exit 2 (a *UsageError or a *config.Error), or
// 1 when the file cannot be read at all.
func OpenSettings(command, path string, explicit bool) (*config.Document, error) {
	doc, err := config.Open(path, explicit)
	if err != nil {
		return nil, err
	}
	switch doc.Source() {
	case config.FromExample:
		return nil, &UsageError{Command: command, Message: fmt.Sprintf("no %s here: give --config PATH (the built-in example is never installed; run `frontdoor` to write settings)", doc.Path())}
	case config.FromNew:
		return nil, &UsageError{Command: command, Message: fmt.Sprintf("%s: file does not exist (give the settings file to install from; `frontdoor --config %s` writes a new one)", doc.Path(), doc.Path())}
	}
	return doc, nil
}

// CommandLine is the request of `frontdoor save`: the settings as read,
// with a --provider applied for this run only, and the target resolved from
// the flags, the save: section and detection. The settings file is never
// rewritten (Remember is false).
func CommandLine(doc *config.Document, flags Flags) (Request, error) {
	loaded := doc.Settings()
	f := doc.Settings()
	if flags.Provider.Given {
		f.Proxy.Provider = render.Provider(flags.Provider.Value)
	}
	t, err := Resolve(f.Proxy.Provider, loaded, flags)
	if err != nil {
		return Request{}, err
	}
	req := Request{Doc: doc, Settings: f, Target: t, Verify: flags.Verify}
	if flags.Verify {
		if t.Provider.IsKubernetes() {
			u := fileOnly(t.Provider, "leave out --verify")
			u.Command = flags.Command
			return Request{}, u
		}
		if err := verifyNeedsReload(t, flags.Command); err != nil {
			return Request{}, err
		}
		req.VerifyOptions.Timeout = flags.VerifyTimeout.Value
		if flags.VerifyAddr.Given {
			req.VerifyOptions.Addr, _ = parseVerifyAddr(flags.VerifyAddr.Value) // Validate read it
		}
	}
	return req, nil
}

// OpenOptional opens the settings file for a command that can do without
// one (restore: the save: section and provider help, but a backup can be
// put back without them). No file gives nil, nil.
func OpenOptional(path string, explicit bool) (*config.Document, error) {
	doc, err := config.Open(path, explicit)
	if err != nil {
		return nil, err
	}
	if doc.Source() == config.FromExample || doc.Source() == config.FromNew {
		if explicit {
			return nil, &UsageError{Message: fmt.Sprintf("%s: file does not exist", doc.Path())}
		}
		return nil, nil
	}
	return doc, nil
}

// IsUsage reports whether err is a usage error (exit 2 with its message).
func IsUsage(err error) bool {
	var u *UsageError
	return errors.As(err, &u)
}
