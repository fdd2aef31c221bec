package render

import "fmt"

// tb is the part of testing.TB the structural checkers use, so the
// *CheckersCatch tests can feed them broken snippets and collect what they
// report.
type tb interface {
	Helper()
	Error(args ...any)
	Errorf(format string, args ...any)
	Fatal(args ...any)
	Fatalf(format string, args ...any)
}

// recorder collects a checker's complaints; Fatal stops the checker via panic.
type recorder struct{ msgs []string }

type fatalStop struct{}

func (r *recorder) Helper()           {}
func (r *recorder) Error(args ...any) { r.msgs = append(r.msgs, fmt.Sprint(args...)) }
func (r *recorder) Errorf(format string, args ...any) {
	r.msgs = append(r.msgs, fmt.Sprintf(format, args...))
}
func (r *recorder) Fatal(args ...any)                 { r.Error(args...); panic(fatalStop{}) }
func (r *recorder) Fatalf(format string, args ...any) { r.Errorf(format, args...); panic(fatalStop{}) }

// complaints runs check with a recorder and returns what it reported.
func complaints(check func(t tb)) (msgs []string) {
	r := &recorder{}
	defer func() {
		if p := recover(); p != nil {
			if _, ok := p.(fatalStop); !ok {
				panic(p)
			}
		}
		msgs = r.msgs
	}()
	check(r)
	return r.msgs
}
