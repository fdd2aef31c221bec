#!/usr/bin/env bash
# Runs every test of frontdoor: gofmt, vet, go.mod tidiness, staticcheck, unit
# and golden tests, real nginx/Apache checks and end-to-end runs, real slapd
# LDAP tests, the tmux walk through the wizard, the fuzz seeds plus a short
# fuzz run, each benchmark once, and (as root) the .deb: built, installed with
# dpkg, used.
# On a fresh Debian machine it first installs the servers the tests need
# (as root); run it from the repository root: bash scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
# Each pair is a program and its package; "-" for packages without a program
# (checked with dpkg). man-db: the .deb test reads the man page; hyperfine:
# scripts/perf.sh. The Samba AD DC of the LDAP tests needs samba,
# samba-ad-dc, samba-ad-provision, winbind, and faketime (an expired password).
# haproxy, caddy: the render tests check and run their snippets.
for pair in nginx:nginx-light apache2ctl:apache2 slapd:slapd ldapsearch:ldap-utils tmux:tmux openssl:openssl \
  samba:samba winbindd:winbind faketime:faketime -:samba-ad-provision -:samba-ad-dc \
  man:man-db hyperfine:hyperfine haproxy:haproxy caddy:caddy; do
  bin=${pair%%:*} pkg=${pair#*:}
  if [ "$bin" = - ]; then
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || need+=("$pkg")
    continue
  fi
  command -v "$bin" >/dev/null 2>&1 || [ -x "/usr/sbin/$bin" ] || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "missing packages: ${need[*]} (run as root, or: sudo apt-get install ${need[*]})" >&2
    exit 1
  fi
  echo "installing: ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

export PATH="$PATH:/usr/local/go/bin:/usr/sbin"
go version
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then echo "gofmt needed: $unformatted" >&2; exit 1; fi
go vet ./...
# go.mod and go.sum say exactly what the code needs (tidy would change nothing).
go mod tidy -diff || { echo "go.mod/go.sum are not tidy: run go mod tidy" >&2; exit 1; }
go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...
go build -o /dev/null .
go test -count=1 ./...
go test -count=1 -run='^$' -fuzz=FuzzFieldValues -fuzztime=20s ./render
bench_log=$(mktemp)
go test -count=1 -run='^$' -bench=. -benchtime=1x ./... >"$bench_log" 2>&1 || { cat "$bench_log"; exit 1; }

# package.sh's version rule (the .deb says dirty exactly when the binary
# does, tagged or not): it builds the package twice, so it runs here rather
# than in every `go test ./...`.
FRONTDOOR_PACKAGE_TEST=1 go test -count=1 -run '^TestPackageVersionIsTheBinarys$' .

# The .deb as an admin gets it: installed with dpkg, the binary, the man page
# and the completions where they belong. Needs root (dpkg -i); it is removed
# again unless frontdoor was installed before.
if [ "$(id -u)" = 0 ] && command -v dpkg >/dev/null; then
  pkg_out=$(mktemp -d)
  deb=$(OUT=$pkg_out bash scripts/package.sh | tail -1)
  had_frontdoor=$(dpkg-query -W -f='${Status}' frontdoor 2>/dev/null | grep -c 'install ok installed' || true)
  # --path-include: container images often exclude /usr/share/man from dpkg.
  dpkg --path-include='/usr/share/man/man1/frontdoor.1.gz' -i "$deb" >/dev/null
  /usr/bin/frontdoor --version
  man -w frontdoor
  MANPAGER=cat MANWIDTH=80 man frontdoor 2>&1 | grep -q 'frontdoor render' || { echo "man frontdoor: no 'frontdoor render' in the page" >&2; exit 1; }
  for f in /usr/share/bash-completion/completions/frontdoor /usr/share/zsh/vendor-completions/_frontdoor \
    /usr/share/fish/vendor_completions.d/frontdoor.fish; do
    [ -s "$f" ] || { echo "the .deb did not install $f" >&2; exit 1; }
  done
  bash -c 'source /usr/share/bash-completion/completions/frontdoor && complete -p frontdoor' >/dev/null
  [ "$had_frontdoor" = 1 ] || dpkg -r frontdoor >/dev/null
  rm -rf "$pkg_out"
elif [ "${CI:-}" = true ]; then
  echo "CI=true: the .deb install test needs root and dpkg" >&2
  exit 1
else
  echo "skipped: the .deb install test (needs root and dpkg)"
fi
echo "all tests passed"
