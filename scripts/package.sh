#!/usr/bin/env bash
# package.sh: build frontdoor for admins: a static binary and a .deb with
#   /usr/bin/frontdoor
#   /usr/share/man/man1/frontdoor.1.gz                  (written by `frontdoor man` from the CLI's own help)
#   /usr/share/bash-completion/completions/frontdoor    (`frontdoor completion bash`)
#   /usr/share/zsh/vendor-completions/_frontdoor        (`frontdoor completion zsh`)
#   /usr/share/fish/vendor_completions.d/frontdoor.fish (`frontdoor completion fish`)
#
#   bash scripts/package.sh                 # dist/frontdoor_<version>_<arch>.deb and dist/frontdoor
#   GOARCH=arm64 bash scripts/package.sh    # another architecture
#   OUT=/tmp/pkg bash scripts/package.sh    # another output directory
#
# The version comes from git: `git describe` of the last v* tag (stamped with
# -ldflags), else the module's pseudo-version from the build info
# (v0.0.0-<commit time>-<revision>); "dirty" when `git status --porcelain`
# lists anything (untracked files too), the rule Go stamps the binary by.
# The last line of stdout is the path of the .deb.
# Needs: go, git. nfpm runs through `go run` (it does not enter go.mod).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"

NFPM=github.com/goreleaser/nfpm/v2/cmd/nfpm@v2.45.2
OUT=${OUT:-dist}
GOARCH=${GOARCH:-$(go env GOARCH)}
MAINTAINER=${MAINTAINER:-"frontdoor maintainers <root@localhost>"}
mkdir -p "$OUT"
work=$(mktemp -d /tmp/frontdoor-package.XXXXXX)
trap 'rm -rf "$work"' EXIT

# Version: binary (Go module style) and package (Debian style).
ldflags="-s -w"
buildvcs=true
if ! git rev-parse --verify -q HEAD >/dev/null 2>&1; then
	# Not a git checkout (a source tarball): no revision to name.
	echo "package: not a git checkout: version 0.0.0+unknown" >&2
	commit_epoch=${SOURCE_DATE_EPOCH:-$(date +%s)}
	buildvcs=false
	deb_version=0.0.0+unknown
else
	commit_epoch=$(git log -1 --format=%ct)
	# One rule for "dirty", Go's own (the binary's build info, vcs.modified,
	# which --version shows): anything in `git status --porcelain`, untracked
	# files included. `git describe --dirty` and `git diff` look at tracked
	# files only, so the .deb said clean where the binary said dirty.
	dirty=
	[ -z "$(git status --porcelain 2>/dev/null)" ] || dirty=1
	if describe=$(git describe --tags --match 'v[0-9]*' 2>/dev/null); then
		describe="$describe${dirty:+-dirty}"
		ldflags="$ldflags -X main.version=$describe"
		# v1.2.0 -> 1.2.0; v1.2.0-3-g2280e31 -> 1.2.0+3.g2280e31; -dirty -> .dirty
		deb_version=$(sed -E 's/^v//; s/-([0-9]+)-g([0-9a-f]+)/+\1.g\2/; s/-dirty$/.dirty/' <<<"$describe")
		case "$deb_version" in *+*) ;; *.dirty) deb_version=${deb_version%.dirty}+dirty ;; esac
	else
		deb_version="0.0.0+git$(date -u -d "@$commit_epoch" +%Y%m%d%H%M%S).$(git rev-parse --short=12 HEAD)${dirty:+.dirty}"
	fi
fi

# The static binary: no cgo (runs on any Linux of the architecture, starts
# faster), no build paths, VCS revision and time in the build info.
CGO_ENABLED=0 GOOS=linux GOARCH=$GOARCH go build -trimpath -buildvcs=$buildvcs -ldflags "$ldflags" -o "$OUT/frontdoor" .
go version -m "$OUT/frontdoor" | grep -q 'CGO_ENABLED=0' || { echo "package: $OUT/frontdoor is not static" >&2; exit 1; }

# Man page and completions come from the binary itself; a cross build gets
# them from a host build of the same source.
gen="$OUT/frontdoor"
if [ "$GOARCH" != "$(go env GOHOSTARCH)" ]; then
	gen="$work/frontdoor-host"
	CGO_ENABLED=0 GOARCH= go build -trimpath -buildvcs=$buildvcs -ldflags "$ldflags" -o "$gen" .
fi
"$gen" man | gzip -9n >"$work/frontdoor.1.gz"
"$gen" completion bash >"$work/frontdoor.bash"
"$gen" completion zsh >"$work/_frontdoor"
"$gen" completion fish >"$work/frontdoor.fish"

cat >"$work/nfpm.yaml" <<EOF
name: frontdoor
arch: $GOARCH
platform: linux
version: "$deb_version"
version_schema: none
section: admin
priority: optional
maintainer: "$MAINTAINER"
description: |-
  Terminal wizard for Artifactory behind a reverse proxy, and its LDAP settings
  Over SSH on the server, frontdoor edits the reverse-proxy settings for nginx,
  Apache, HAProxy, Caddy, a Kubernetes Ingress (ingress-nginx) or the Gateway
  API with live validation and a live snippet preview, installs the snippet
  safely (backup, atomic write, the server's own check: nginx -t,
  apache2ctl -t, haproxy -c, caddy validate; rollback), checks the door from a
  client's side, and tests LDAP settings against the real directory. Every step
  also runs without a terminal.
recommends:
  - bash-completion
suggests:
  - nginx-light | nginx | apache2 | haproxy | caddy
  - ldap-utils
mtime: $(date -u -d "@$commit_epoch" +%Y-%m-%dT%H:%M:%SZ)
contents:
  - src: $OUT/frontdoor
    dst: /usr/bin/frontdoor
    file_info: {mode: 0755}
  - src: $work/frontdoor.1.gz
    dst: /usr/share/man/man1/frontdoor.1.gz
    file_info: {mode: 0644}
  - src: $work/frontdoor.bash
    dst: /usr/share/bash-completion/completions/frontdoor
    file_info: {mode: 0644}
  - src: $work/_frontdoor
    dst: /usr/share/zsh/vendor-completions/_frontdoor
    file_info: {mode: 0644}
  - src: $work/frontdoor.fish
    dst: /usr/share/fish/vendor_completions.d/frontdoor.fish
    file_info: {mode: 0644}
EOF

deb="$OUT/frontdoor_${deb_version}_$GOARCH.deb"
rm -f "$deb"
go run "$NFPM" pkg --packager deb --config "$work/nfpm.yaml" --target "$deb" >&2
echo "$deb"
