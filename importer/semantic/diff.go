package semantic

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// ChangeKind says what happened to a fact.
type ChangeKind string

const (
	Added   ChangeKind = "added"
	Removed ChangeKind = "removed"
	Changed ChangeKind = "changed"
)

// Mark starts a change's report line. Changed is "±", not the "~" of
// unified diffs: nginx regexes start with "~" (proxy_cookie_path
// ~*^/.* /, location ~ ^/artifactory/), and the value follows the mark, so
// "~" would leave a reader unsure which is which.
func (k ChangeKind) Mark() string {
	switch k {
	case Added:
		return "+"
	case Removed:
		return "-"
	case Changed:
		return "±"
	}
	return "?"
}

// Legend explains the marks, for the heading above a list of changes.
var Legend = Removed.Mark() + " old only, " + Added.Mark() + " new only, " + Changed.Mark() + " changed"

// Change is one difference between two models, on the ports where it is
// the same change.
type Change struct {
	Kind   ChangeKind `json:"kind"`
	Aspect Aspect     `json:"aspect"`
	Ports  []int      `json:"ports,omitempty"`
	Key    string     `json:"key"`
	Old    string     `json:"old,omitempty"`
	New    string     `json:"new,omitempty"`
	OldPos Pos        `json:"oldSource,omitzero"`
	// Why says the change is intended and why (set by the importer:
	// "Artifactory 7 layout"), "" when it is not explained.
	Why string `json:"why,omitempty"`
}

// Diff lists what changes from old to new, by aspect, one change per fact
// (merged across the ports it is the same on).
func Diff(old, new *Model) []Change {
	return DiffFacts(old.Facts(), new.Facts())
}

// DiffFacts is Diff of facts already computed (sorted as Facts sorts
// them: the diff is one merge of the two lists).
func DiffFacts(old, new []Fact) []Change {
	var raw []portChange
	i, j := 0, 0
	for i < len(old) || j < len(new) {
		c := 0
		switch {
		case i == len(old):
			c = 1
		case j == len(new):
			c = -1
		default:
			c = factCompare(old[i], new[j])
		}
		switch {
		case c < 0:
			f := old[i]
			raw = append(raw, portChange{Change{Kind: Removed, Aspect: f.Aspect, Key: f.Key, Old: f.Value, OldPos: f.Pos}, f.Port})
			i++
		case c > 0:
			f := new[j]
			raw = append(raw, portChange{Change{Kind: Added, Aspect: f.Aspect, Key: f.Key, New: f.Value}, f.Port})
			j++
		default:
			if f, n := old[i], new[j]; n.Value != f.Value {
				raw = append(raw, portChange{Change{Kind: Changed, Aspect: f.Aspect, Key: f.Key, Old: f.Value, New: n.Value, OldPos: f.Pos}, f.Port})
			}
			i++
			j++
		}
	}
	return merge(raw)
}

type portChange struct {
	c    Change
	port int
}

// merge joins the changes that are the same on several ports.
func merge(raw []portChange) []Change {
	type changeID struct {
		kind             ChangeKind
		aspect           Aspect
		key, old, newVal string
	}
	var out []Change
	index := map[changeID]int{}
	for _, r := range raw {
		k := changeID{r.c.Kind, r.c.Aspect, r.c.Key, r.c.Old, r.c.New}
		i, ok := index[k]
		if !ok {
			i = len(out)
			index[k] = i
			out = append(out, r.c)
		}
		if r.port != 0 {
			out[i].Ports = append(out[i].Ports, r.port)
		}
	}
	for i := range out {
		sort.Ints(out[i].Ports)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Aspect != b.Aspect {
			return aspectIndex(a.Aspect) < aspectIndex(b.Aspect)
		}
		if a.Key != b.Key {
			return a.Key < b.Key
		}
		return portsText(a.Ports) < portsText(b.Ports)
	})
	return out
}

func portsText(ports []int) string {
	s := make([]string, len(ports))
	for i, p := range ports {
		s[i] = strconv.Itoa(p)
	}
	return strings.Join(s, ", ")
}

// String is the change as one line of a report:
//
//	± routes / (port 443): to localhost:8081, / sent as /artifactory/ → to localhost:8082
func (c Change) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s", c.Kind.Mark(), c.Aspect)
	if c.Key != "" {
		fmt.Fprintf(&b, " %s", c.Key)
	}
	switch len(c.Ports) {
	case 0:
	case 1:
		fmt.Fprintf(&b, " (port %s)", portsText(c.Ports))
	default:
		fmt.Fprintf(&b, " (ports %s)", portsText(c.Ports))
	}
	switch c.Kind {
	case Added:
		if !plainFact(c.New) {
			fmt.Fprintf(&b, ": %s", c.New)
		}
	case Removed:
		if !plainFact(c.Old) {
			fmt.Fprintf(&b, ": %s", c.Old)
		}
	case Changed:
		fmt.Fprintf(&b, ": %s → %s", c.Old, c.New)
	}
	if c.Why != "" {
		fmt.Fprintf(&b, " [%s]", c.Why)
	}
	return b.String()
}

// plainFact reports whether a fact's value only says it holds (a name
// answered, an upstream server sharing the load): the key says it all.
func plainFact(v string) bool {
	return v == "answers" || v == Active || v == "set"
}
