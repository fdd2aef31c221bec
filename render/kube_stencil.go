package render

// kubeStencil is one per-repository object of a Kubernetes output (an
// Ingress, an HTTPRoute), written once by the usual writers with slot bytes
// where the repository's name, key and host go, then cut at the slots. At
// 1,000 repositories the objects are megabytes: writing each as a dozen
// long constant parts and its few values, instead of a hundred short
// strings, is most of the speed, and so is appending to a local slice (one
// store into the output per object: the output lives on the heap, so each
// store there pays a GC write barrier while a collection runs, which at
// these sizes is most of the time).
type kubeStencil struct {
	parts  []string // constant text; a slot between each two
	slots  []byte   // slotName, slotKey or slotHost after parts[i]
	prefix string   // of the object's name, for slotName
}

// The slot bytes: control characters, which validation refuses in every
// value a template writes, so a constant never holds one.
const (
	slotName = 1 // the object's name: prefix and key, as writeKubeObjectName writes them
	slotKey  = 2 // the repository key, as typed
	slotHost = 3 // the repository's host name
)

// The slots as text, for the writers' string parameters.
const (
	slotKeyText  = "\x02"
	slotHostText = "\x03"
)

// newKubeStencil runs write once, which writes one object with slotName,
// slotKeyText and slotHostText in place of the repository's values.
func newKubeStencil(prefix string, write func(b *text)) *kubeStencil {
	var b text
	write(&b)
	s := &kubeStencil{prefix: prefix}
	start := 0
	for i, c := range b.b {
		if c == slotName || c == slotKey || c == slotHost {
			s.parts = append(s.parts, string(b.b[start:i]))
			s.slots = append(s.slots, c)
			start = i + 1
		}
	}
	s.parts = append(s.parts, string(b.b[start:]))
	return s
}

// write appends the object of the repository key (host: its host name) to b.
func (s *kubeStencil) write(b *text, key, host string) {
	out := text{b: b.b} // local: no write barrier per append
	for i, slot := range s.slots {
		out.b = append(out.b, s.parts[i]...)
		switch slot {
		case slotName:
			writeKubeObjectName(&out, s.prefix, key)
		case slotKey:
			out.b = append(out.b, key...)
		case slotHost:
			out.b = append(out.b, host...)
		}
	}
	out.b = append(out.b, s.parts[len(s.slots)]...)
	b.b = out.b
}
