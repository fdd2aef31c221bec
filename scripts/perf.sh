#!/usr/bin/env bash
# perf.sh: the whole-process numbers of issue 8, measured in one run on one
# machine and printed as ratios, so a busy machine shifts both sides alike:
#   - `frontdoor render` of 1,000 Docker repositories vs 1 (goal <= 1.5x), for
#     the subdomain method (one server block) and the ports method (one per
#     repository); `frontdoor --version` as the floor (process start alone);
#   - package init at process start (GODEBUG=inittrace=1);
#   - where the time of 1,000 repositories goes: an in-process CPU profile of
#     BenchmarkRenderCommand (main_render_test.go), top functions of ours;
#   - the wizard's start and peak memory, through scripts/wizard-start.sh.
# It prints numbers; it never fails on them (no timed assertions).
#
#   bash scripts/perf.sh              # 100 runs of each command
#   N=300 bash scripts/perf.sh        # more runs
#   WIZARD=0 bash scripts/perf.sh     # without the wizard (it takes longer)
#
# Needs: go. Uses hyperfine when installed (Debian: hyperfine), else a loop.
set -euo pipefail

N=${N:-100}
root=$(cd "$(dirname "$0")/.." && pwd)
export PATH="$PATH:/usr/local/go/bin"
tmp=$(mktemp -d /tmp/frontdoor-perf.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

echo "building frontdoor as shipped (CGO_ENABLED=0, -trimpath)..."
(cd "$root" && CGO_ENABLED=0 go build -trimpath -o "$tmp/frontdoor" .)
bin=$tmp/frontdoor

settings() { # settings METHOD N: a frontdoor.yaml with N Docker repositories
	printf 'proxy:\n  serverName: artifactory.example.com\n  docker:\n    method: %s\n    repositories:\n' "$1"
	for ((i = 0; i < $2; i++)); do
		if [ "$1" = ports ]; then echo "      - {key: docker-$i, port: $((10000 + i))}"; else echo "      - {key: docker-$i}"; fi
	done
}
for m in subdomain ports; do
	settings $m 1 >"$tmp/$m-1.yaml"
	settings $m 1000 >"$tmp/$m-1000.yaml"
done

names=(floor subdomain-1 subdomain-1000 ports-1 ports-1000)
cmds=("$bin --version")
for m in subdomain ports; do
	cmds+=("$bin render --config $tmp/$m-1.yaml" "$bin render --config $tmp/$m-1000.yaml")
done
for c in "${cmds[@]}"; do $c >/dev/null || { echo "perf: '$c' failed" >&2; exit 1; }; done

declare -A mean
if command -v hyperfine >/dev/null; then
	hyperfine -N --warmup 10 --runs "$N" --export-csv "$tmp/times.csv" "${cmds[@]}" >/dev/null 2>&1
	i=0
	# CSV: command,mean,stddev,median,user,system,min,max. The median: other
	# work on a shared machine makes outliers, and the mean follows them.
	while IFS=, read -r _ _ _ median _; do
		mean[${names[$i]}]=$(awk -v s="$median" 'BEGIN{printf "%.2f", s*1000}')
		i=$((i + 1))
	done < <(tail -n +2 "$tmp/times.csv")
	how="hyperfine, $N runs each after 10 warm-ups, median"
else
	for i in "${!cmds[@]}"; do
		for ((w = 0; w < 10; w++)); do ${cmds[$i]} >/dev/null; done
		start=$(date +%s%N)
		for ((r = 0; r < N; r++)); do ${cmds[$i]} >/dev/null; done
		mean[${names[$i]}]=$(awk -v t="$(($(date +%s%N) - start))" -v n="$N" 'BEGIN{printf "%.2f", t/n/1e6}')
	done
	how="a shell loop (no hyperfine), $N runs each, mean"
fi

ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2fx", a/b}'; }
echo
echo "frontdoor whole-process timings ($how; $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg))"
printf '  %-44s %8s ms\n' "floor: frontdoor --version" "${mean[floor]}"
for m in subdomain ports; do
	printf '  %-44s %8s ms\n' "render, 1 repository ($m)" "${mean[$m-1]}"
	printf '  %-44s %8s ms   ratio %s (goal <= 1.50x)\n' "render, 1,000 repositories ($m)" "${mean[$m-1000]}" "$(ratio "${mean[$m-1000]}" "${mean[$m-1]}")"
done
if [ -x /usr/bin/time ]; then
	rss=$(/usr/bin/time -f %M "$bin" render --config "$tmp/ports-1000.yaml" 2>&1 >/dev/null | tail -1)
	printf '  %-44s %8s MB\n' "peak RSS, render 1,000 repositories (ports)" "$(awk -v k="$rss" 'BEGIN{printf "%.1f", k/1024}')"
fi

echo
echo "package init at process start (GODEBUG=inittrace=1, render of 1 repository):"
GODEBUG=inittrace=1 "$bin" render --config "$tmp/subdomain-1.yaml" 2>&1 >/dev/null |
	awk '/^init /{n++; t+=$5; print $5, $2} END{printf "%.2f ms in %d packages\n", t, n > "/dev/stderr"}' 2>"$tmp/init-total" |
	sort -rn | head -8 | awk '{printf "  %6.3f ms  %s\n", $1, $2}'
printf '  total: %s\n' "$(cat "$tmp/init-total")"

echo
echo "where 1,000 repositories go (in-process CPU profile of BenchmarkRenderCommand, cumulative):"
for m in subdomain ports; do
	(cd "$root" && go test -run '^$' -bench "BenchmarkRenderCommand/$m-1000\$" -benchtime 200x -cpuprofile "$tmp/$m.prof" -o "$tmp/frontdoor.test" . >"$tmp/$m.bench")
	echo "  $m: $(awk '/ns\/op/{printf "%.2f ms/op, %s B/op, %s allocs/op", $3/1e6, $5, $7}' "$tmp/$m.bench")"
	go tool pprof -top -cum "$tmp/frontdoor.test" "$tmp/$m.prof" 2>/dev/null |
		grep -E ' frontdoor/[a-z]+\.[A-Za-z(]|yaml.*\.(Unmarshal|Decode|parse)|text/template\.\(\*Template\)\.Execute$|runtime\.(mallocgc|gcBgMarkWorker)$' |
		awk '{printf "    %6s %6s  %s\n", $4, $5, $6}' | head -14
done

if [ "${WIZARD:-1}" != 0 ] && [ -f "$root/scripts/wizard-start.sh" ]; then
	echo
	echo "wizard (scripts/wizard-start.sh):"
	BIN=$bin N=${WIZARD_N:-10} bash "$root/scripts/wizard-start.sh"
fi
