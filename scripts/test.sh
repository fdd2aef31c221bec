#!/usr/bin/env bash
# Runs every test of frontdoor: vet, unit and golden tests, real nginx/Apache
# checks and end-to-end runs, real slapd LDAP tests, the tmux walk through the
# wizard, the fuzz seeds plus a short fuzz run, and each benchmark once.
# On a fresh Debian machine it first installs the servers the tests need
# (as root); run it from the repository root: bash scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
for pair in nginx:nginx-light apache2ctl:apache2 slapd:slapd ldapsearch:ldap-utils tmux:tmux openssl:openssl; do
  bin=${pair%%:*} pkg=${pair#*:}
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
go build -o /dev/null .
go test -count=1 ./...
go test -count=1 -run='^$' -fuzz=FuzzFieldValues -fuzztime=20s ./render
bench_log=$(mktemp)
go test -count=1 -run='^$' -bench=. -benchtime=1x ./... >"$bench_log" 2>&1 || { cat "$bench_log"; exit 1; }
echo "all tests passed"
