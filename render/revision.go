package render

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"frontdoor/internal/lazyregexp"
)

// A web server's configuration (nginx, Apache, HAProxy, Caddy) answers its
// own revision at RevisionPath, to clients on this machine only (127.0.0.1
// and ::1; others are denied). `save --verify` asks for it after a reload:
// a server that still answers the previous revision (or none) did not take
// the new configuration, however well its old one answers the other
// probes (one server block on a port answers any Host). The revision is a
// hash of the snippet itself: it names no secret and says nothing about the
// settings that the file does not.
const RevisionPath = "/.frontdoor/revision"

// revisionWord starts the answer at RevisionPath: "frontdoor revision
// 0123456789abcdef".
const revisionWord = "frontdoor revision "

// revisionPlaceholder is what the templates write for {{.Revision}}: the
// revision is the hash of the output with it, and replaces it afterwards.
const revisionPlaceholder = "@frontdoor-revision@"

// revisionLen is the number of hex digits of a revision: 64 bits, plenty to
// tell two versions of one file apart.
const revisionLen = 16

var revisionAnswer = lazyregexp.New(`^` + revisionWord + `([0-9a-f]{16})\s*$`)
var revisionInFile = lazyregexp.New(revisionWord + `([0-9a-f]{16})`)

// stampRevision replaces the placeholder in out with the output's revision.
// An output without it (Kubernetes manifests, an admin's template that
// leaves the marker out) is returned as it is.
func stampRevision(out []byte) []byte {
	if !bytes.Contains(out, []byte(revisionPlaceholder)) {
		return out
	}
	return bytes.ReplaceAll(out, []byte(revisionPlaceholder), []byte(revisionOf(out)))
}

// revisionOf hashes an output whose revision is still the placeholder.
func revisionOf(withPlaceholder []byte) string {
	sum := sha256.Sum256(withPlaceholder)
	return hex.EncodeToString(sum[:])[:revisionLen]
}

// Revision is the revision a rendered configuration answers at
// RevisionPath, or "" when it has no marker that frontdoor stamped (a
// Kubernetes manifest, an admin's template without it, a file edited by
// hand since): the hash is taken again, so only a marker that matches the
// content counts.
func Revision(content []byte) string {
	m := revisionInFile().FindSubmatch(content)
	if m == nil {
		return ""
	}
	rev := string(m[1])
	if revisionOf(bytes.ReplaceAll(content, []byte(rev), []byte(revisionPlaceholder))) != rev {
		return ""
	}
	return rev
}

// RevisionAnswer reads what a server answered at RevisionPath: the revision
// it serves, and whether the body is a revision marker at all (a server
// without one answers whatever its other rules make of the path).
func RevisionAnswer(body []byte) (string, bool) {
	m := revisionAnswer().FindSubmatch(bytes.TrimSpace(body))
	if m == nil {
		return "", false
	}
	return string(m[1]), true
}

// IsRevisionMarker reports whether an nginx location or an Apache
// <Location> or ProxyPass path is the revision marker's (the importer knows
// them as frontdoor's own, not a route of the admin's).
func IsRevisionMarker(path string) bool {
	return strings.Trim(path, `"'`) == RevisionPath
}

// IsRevisionLine reports whether a line of a rendered output holds the
// revision: it changes with every other change of the file, so a front-end
// that marks the lines one setting produces (the wizard's preview) leaves
// it out.
func IsRevisionLine(line string) bool {
	return revisionInFile().MatchString(line)
}
