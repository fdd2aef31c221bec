package tui

import (
	"slices"
	"strconv"

	tea "charm.land/bubbletea/v2"

	"frontdoor/render"
)

// itemKind is what a line of a step is, and so which keys it takes.
type itemKind int

const (
	itemText   itemKind = iota // free text, edited in the shared editor
	itemNumber                 // digits only, edited in the shared editor
	itemToggle                 // on/off
	itemChoice                 // one of a few values
	itemTable                  // rows of cells (nodes, Docker repositories)
	itemButton                 // an action (save)
	itemInfo                   // read-only line, never focused
)

// choice is one value of a choice item.
type choice struct{ value, label, help string }

// item is one line of a step, bound to the model by accessors so that the
// settings stay the only copy of every value. Items that edit the proxy
// settings (proxy=true) re-validate and re-render the preview on change.
type item struct {
	kind  itemKind
	label string
	path  string // finding path shown under the item ("" for none)
	hint  string // shown under the item while it has the focus
	proxy bool

	visible func(m *Model) bool // nil: always shown

	get  func(m *Model) string // text, number (as text), choice (value)
	set  func(m *Model, v string)
	getB func(m *Model) bool
	setB func(m *Model, v bool)

	choices   []choice
	table     *rowTable
	info      func(m *Model) string
	press     func(m *Model) tea.Cmd
	charLimit int

	// perturb changes this item's value in s to a nearby value of the same
	// grammar (attempt 0, 1, ... are different candidates; false when there
	// are no more). The preview renders both and marks the lines that differ:
	// the lines this item produces, found without knowing the templates.
	perturb func(s *render.Settings, attempt int) bool
}

func (it *item) shown(m *Model) bool { return it.visible == nil || it.visible(m) }

func (it *item) focusable() bool { return it.kind != itemInfo }

// textItem edits a string of the proxy settings.
func textItem(label, path, hint string, ptr func(*render.Settings) *string) item {
	return item{
		kind: itemText, label: label, path: path, hint: hint, proxy: true,
		get:     func(m *Model) string { return *ptr(&m.settings) },
		set:     func(m *Model, v string) { *ptr(&m.settings) = v },
		perturb: func(s *render.Settings, attempt int) bool { return perturbText(ptr(s), attempt) },
	}
}

// numberItem edits an int of the proxy settings; an empty field is 0, which
// the validator reports as out of range.
func numberItem(label, path, hint string, limit int, ptr func(*render.Settings) *int) item {
	return item{
		kind: itemNumber, label: label, path: path, hint: hint, proxy: true, charLimit: limit,
		get:     func(m *Model) string { return formatNumber(*ptr(&m.settings)) },
		set:     func(m *Model, v string) { *ptr(&m.settings) = parseNumber(v) },
		perturb: func(s *render.Settings, attempt int) bool { return perturbNumber(ptr(s), attempt) },
	}
}

func toggleItem(label, path, hint string, ptr func(*render.Settings) *bool) item {
	return item{
		kind: itemToggle, label: label, path: path, hint: hint, proxy: true,
		getB: func(m *Model) bool { return *ptr(&m.settings) },
		setB: func(m *Model, v bool) { *ptr(&m.settings) = v },
		perturb: func(s *render.Settings, attempt int) bool {
			if attempt > 0 {
				return false
			}
			*ptr(s) = !*ptr(s)
			return true
		},
	}
}

// choiceItem edits a string-typed enum (provider, Docker method, TLS profile).
func choiceItem[T ~string](label, path string, choices []choice, ptr func(*render.Settings) *T) item {
	values := make([]string, len(choices))
	for i, c := range choices {
		values[i] = c.value
	}
	return item{
		kind: itemChoice, label: label, path: path, proxy: true, choices: choices,
		get: func(m *Model) string { return string(*ptr(&m.settings)) },
		set: func(m *Model, v string) { *ptr(&m.settings) = T(v) },
		perturb: func(s *render.Settings, attempt int) bool {
			if attempt >= len(values)-1 {
				return false
			}
			cur := max(slices.Index(values, string(*ptr(s))), 0)
			*ptr(s) = T(values[(cur+1+attempt)%len(values)])
			return true
		},
	}
}

func formatNumber(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// parseNumber reads the digits the editor lets through; the editor caps the
// length, so the value always fits an int.
func parseNumber(v string) int {
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0
	}
	return n
}

// perturbText gives variants that stay inside every text grammar the
// validator knows (hostname, path, header, repository key) for usual values.
func perturbText(p *string, attempt int) bool {
	switch attempt {
	case 0:
		*p += "z"
	case 1:
		*p = "z" + *p
	case 2:
		*p = "/z"
	default:
		return false
	}
	return true
}

func perturbNumber(p *int, attempt int) bool {
	switch attempt {
	case 0:
		*p++
	case 1:
		*p += 2
	case 2:
		if *p <= 1 {
			return false
		}
		*p--
	default:
		return false
	}
	return true
}

// choiceIndex is the position of v among the choices (0 when unknown).
func choiceIndex(choices []choice, v string) int {
	for i, c := range choices {
		if c.value == v {
			return i
		}
	}
	return 0
}
