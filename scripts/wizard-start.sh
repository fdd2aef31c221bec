#!/usr/bin/env bash
# wizard-start.sh: time the wizard as a whole process in a pseudo-terminal,
# from exec to its first frame (the home screen drawn), and its peak memory
# (max RSS) for a walk to the Docker step of 1,000 repositories with the
# preview beside the form. Targets (issue 8): first frame <= 20 ms, peak RSS
# <= 30 MB with 1,000 repositories. No timed assertion: it prints numbers,
# and the CPU time of the start sessions, which a busy machine shifts least.
#
#   scripts/wizard-start.sh               # 30 runs each, the binary built from this tree
#   N=100 scripts/wizard-start.sh         # more runs
#   BIN=/tmp/frontdoor scripts/wizard-start.sh   # an already built binary
#
# Needs: go, python3 (for the pty: no other tool here starts a program in a
# pty and reads its output with timestamps). Everything lives in a temp dir.
set -euo pipefail

N=${N:-30}
root=$(cd "$(dirname "$0")/.." && pwd)
command -v python3 >/dev/null || { echo "wizard-start: python3 not found" >&2; exit 2; }
tmp=$(mktemp -d /tmp/frontdoor-wizard-start.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

bin=${BIN:-}
if [ -z "$bin" ]; then
	command -v go >/dev/null || { echo "wizard-start: go not found" >&2; exit 2; }
	echo "building frontdoor as shipped (CGO_ENABLED=0, -trimpath)..."
	(cd "$root" && CGO_ENABLED=0 go build -trimpath -o "$tmp/frontdoor" .)
	bin=$tmp/frontdoor
fi

mkdir -p "$tmp/root/etc/nginx/sites-available" "$tmp/root/etc/nginx/sites-enabled"
settings() { # settings N: a frontdoor.yaml with N Docker repositories (ports method)
	echo "proxy:
  provider: nginx
  serverName: artifactory.example.com
  nodes: [localhost]
  artifactoryPort: 8081
  routerPort: 8082
  http: {enabled: true, port: 80}
  https: {enabled: false}
  docker:
    method: ports
    repositories:"
	for ((i = 0; i < $1; i++)); do echo "      - {key: docker-$i, port: $((10000 + i))}"; done
}
settings 3 >"$tmp/small.yaml"
settings 1000 >"$tmp/large.yaml"

python3 - "$bin" "$tmp" "$N" <<'EOF'
import fcntl, os, re, select, statistics, struct, subprocess, sys, termios, time

binary, tmp, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
ansi = re.compile(rb'\x1b(\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|P[^\x1b]*\x1b\\|[@-Z\\-_])')

def session(config, steps, cols=160, rows=48):
    """Runs the wizard in a new pty of cols x rows. steps: (text to wait for,
    keys to send then). Returns (seconds from start to each text, max RSS in
    KiB, CPU seconds: user+system of the whole session)."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack('HHHH', rows, cols, 0, 0))
    env = dict(os.environ, TERM='xterm-256color', COLORTERM='truecolor')
    env.pop('NO_COLOR', None)
    start = time.perf_counter()
    p = subprocess.Popen([binary, 'wizard', '--config', config, '--root', tmp + '/root'],
                         stdin=slave, stdout=slave, stderr=slave, env=env, cwd=tmp,
                         start_new_session=True,
                         preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0))
    os.close(slave)
    seen, times, out = b'', [], b''
    for want, keys in steps:
        deadline = time.perf_counter() + 10
        while want.encode() not in seen:
            left = deadline - time.perf_counter()
            if left <= 0:
                p.kill()
                sys.exit('wizard-start: never saw %r; screen text:\n%s' % (want, seen[-2000:].decode(errors='replace')))
            r, _, _ = select.select([master], [], [], left)
            if r:
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    chunk = b''
                out += chunk
                seen = ansi.sub(b'', out)
        times.append(time.perf_counter() - start)
        seen, out = b'', b''
        if keys:
            os.write(master, keys)
    # Drain until the process exits, so the pty never blocks it; reap it
    # ourselves (not through Popen) to read its peak RSS.
    while True:
        r, _, _ = select.select([master], [], [], 0.05)
        if r:
            try:
                os.read(master, 65536)
            except OSError:
                pass
        pid, status, usage = os.wait4(p.pid, os.WNOHANG)
        if pid == p.pid:
            break
    p.returncode = 0
    os.close(master)
    return times, usage.ru_maxrss, usage.ru_utime + usage.ru_stime

def report(name, xs, unit, scale):
    xs = sorted(x * scale for x in xs)
    print('%-46s median %7.1f %s   min %7.1f   max %7.1f   (n=%d)' % (name, statistics.median(xs), unit, xs[0], xs[-1], len(xs)))

home = 'Findings'  # a word of the home screen only
first3, first1000, rss3, rss1000, cpu3, cpu1000 = [], [], [], [], [], []
for _ in range(n):
    t, _, cpu = session(tmp + '/small.yaml', [(home, b'\x03')])
    first3.append(t[0])
    cpu3.append(cpu)
    t, _, cpu = session(tmp + '/large.yaml', [(home, b'\x03')])
    first1000.append(t[0])
    cpu1000.append(cpu)
    # The walk: home, the HTTP steps, down to the Docker table beside the preview.
    walk = [(home, b'\r'), ('Provider]', b'\x1b[6~'), ('Nodes]', b'\x1b[6~'), ('Name & TLS]', b'\x1b[6~'),
            ('CLIENTS USE', b'\t'), ('docker-0', b'\x03')]
    _, r, _ = session(tmp + '/small.yaml', walk)
    rss3.append(r)
    _, r, _ = session(tmp + '/large.yaml', walk)
    rss1000.append(r)
report('start to first frame, 3 repositories', first3, 'ms', 1000)
report('start to first frame, 1,000 repositories', first1000, 'ms', 1000)
# CPU time is what a busy machine shifts least: the frame waits for other
# programs, the CPU time of the session (start, first frame, ctrl+c) does not.
report('CPU (user+sys), start and quit, 3 repos', cpu3, 'ms', 1000)
report('CPU (user+sys), start and quit, 1,000 repos', cpu1000, 'ms', 1000)
report('peak RSS, walk to Docker, 3 repositories', rss3, 'MB', 1 / 1024)
report('peak RSS, walk to Docker, 1,000 repositories', rss1000, 'MB', 1 / 1024)
EOF
