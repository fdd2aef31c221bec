#!/usr/bin/env bash
# ldap-bench.sh: time `frontdoor ldap test` as a whole process against
# `ldapsearch` doing one bind + search on the same local slapd, and print the
# ratio (target: frontdoor no slower than ldapsearch, ratio <= 1.00).
#
#   scripts/ldap-bench.sh            # 50 runs each
#   N=200 scripts/ldap-bench.sh      # more runs
#   STRICT=1 scripts/ldap-bench.sh   # exit 1 when frontdoor is slower
#
# Needs: go, slapd + slapadd (Debian slapd), ldapsearch (ldap-utils), python3
# (to pick a free port). Uses 127.0.0.1 only; everything lives in a temp dir.
set -euo pipefail

N=${N:-50}
root=$(cd "$(dirname "$0")/.." && pwd)
SLAPD=${SLAPD:-/usr/sbin/slapd}
SLAPADD=${SLAPADD:-/usr/sbin/slapadd}
for tool in "$SLAPD" "$SLAPADD" ldapsearch go python3; do
	command -v "$tool" >/dev/null || { echo "ldap-bench: $tool not found" >&2; exit 2; }
done

tmp=$(mktemp -d /tmp/frontdoor-ldap-bench.XXXXXX)
slapd_pid=
cleanup() {
	if [ -n "$slapd_pid" ]; then kill "$slapd_pid" 2>/dev/null || true; wait "$slapd_pid" 2>/dev/null || true; fi
	rm -rf "$tmp"
}
trap cleanup EXIT

echo "building frontdoor..."
(cd "$root" && CGO_ENABLED=0 go build -o "$tmp/frontdoor" .) # the static build the README recommends

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url="ldap://127.0.0.1:$port"
mkdir "$tmp/data"
cat >"$tmp/slapd.conf" <<CONF
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile $tmp/slapd.pid
database mdb
maxsize 10485760
directory $tmp/data
suffix "dc=example,dc=com"
rootdn "cn=admin,dc=example,dc=com"
rootpw secret
access to attrs=userPassword by anonymous auth by self write by * none
access to * by * read
CONF
"$SLAPADD" -f "$tmp/slapd.conf" -l "$root/ldapcheck/testdata/directory.ldif" >/dev/null 2>&1
# -d 0: stay in the foreground, so $! is slapd itself.
"$SLAPD" -f "$tmp/slapd.conf" -h "$url/" -d 0 2>"$tmp/slapd.log" &
slapd_pid=$!

# Passwords of the throw-away fixture directory, passed by file / environment,
# never on a command line.
printf '%s' reader-pw >"$tmp/manager.pw"
chmod 600 "$tmp/manager.pw"
export FRONTDOOR_LDAP_PASSWORD=alice-pw
export FD_BENCH_MANAGER_PW=reader-pw

ldapsearch_once() {
	ldapsearch -LLL -x -H "$url" -D cn=reader,dc=example,dc=com -y "$tmp/manager.pw" \
		-b ou=people,dc=example,dc=com '(uid=alice)' mail >/dev/null
}
for _ in $(seq 100); do ldapsearch_once 2>/dev/null && break; sleep 0.05; done
ldapsearch_once || { echo "ldap-bench: slapd did not start:" >&2; cat "$tmp/slapd.log" >&2; exit 1; }

cat >"$tmp/frontdoor.yaml" <<YAML
proxy:
  provider: nginx
  serverName: artifactory.example.com
ldap:
  settings:
    - key: bench
      url: $url/dc=example,dc=com
      search:
        filter: (uid={0})
        base: ou=people
        managerDn: cn=reader,dc=example,dc=com
        managerPasswordEnv: FD_BENCH_MANAGER_PW
YAML
frontdoor_once() {
	"$tmp/frontdoor" ldap test --config "$tmp/frontdoor.yaml" --user alice >/dev/null
}
frontdoor_once || { echo "ldap-bench: frontdoor ldap test failed:" >&2; "$tmp/frontdoor" ldap test --config "$tmp/frontdoor.yaml" --user alice >&2; exit 1; }

# time_runs CMD: total nanoseconds for N runs (after 3 warm-up runs).
time_runs() {
	for _ in 1 2 3; do "$@"; done
	local start end
	start=$(date +%s%N)
	for _ in $(seq "$N"); do "$@"; done
	end=$(date +%s%N)
	echo $((end - start))
}

fd_ns=$(time_runs frontdoor_once)
ls_ns=$(time_runs ldapsearch_once)
# Interleave a second round so a burst of load on the machine hits both.
fd_ns=$((fd_ns + $(time_runs frontdoor_once)))
ls_ns=$((ls_ns + $(time_runs ldapsearch_once)))
runs=$((2 * N))

awk -v fd="$fd_ns" -v ls="$ls_ns" -v n="$runs" 'BEGIN {
	printf "frontdoor ldap test (manager bind, search, user bind): %7.2f ms/run\n", fd / n / 1e6
	printf "ldapsearch (bind, search):                             %7.2f ms/run\n", ls / n / 1e6
	printf "ratio frontdoor/ldapsearch: %.2f (target <= 1.00) over %d runs each\n", fd / ls, n
}'
if [ "${STRICT:-0}" = 1 ] && [ "$fd_ns" -gt "$ls_ns" ]; then
	echo "ldap-bench: frontdoor is slower than ldapsearch" >&2
	exit 1
fi

# Package initialisation runs in every process whatever the command: show the
# costliest ones, so a heavy import on the ldap path is easy to spot.
echo "slowest package inits of frontdoor (GODEBUG=inittrace=1):"
GODEBUG=inittrace=1 "$tmp/frontdoor" ldap --help 2>&1 >/dev/null |
	awk '/^init / { printf "  %-50s %s %s\n", $2, $5, $6 }' | sort -k2 -g -r | head -5
