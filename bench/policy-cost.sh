#!/usr/bin/env bash
# Daemon CPU per set_power_limit with and without --policy (issue 17: at most 5 % extra), from a client that is not
# root (root is never restricted, so a root client would measure the shortcut): udsload runs as uid/gid 65534 via
# setpriv. 2 GPUs of ../shared/bench's minimal fake NVML (build it with ../shared/bench/build.sh). Alternates the two
# daemons ROUNDS times at 1 and 64 connections and prints the median CPU µs per request of each, their ratio, and the
# median of the rounds' own ratios (each "with" round over the "without" round just before it: on a shared machine
# whose speed drifts between rounds, the paired ratio cancels the drift that the ratio of medians keeps), with the
# quartiles of the rounds' ratios: the spread a single figure hides.
# The daemons' output (the audit lines among it) goes where compare.sh sends it, /dev/null, unless LOG names a file: a file
# adds the kernel's copy of every line to the daemon's CPU (on ext4 about 0.15 µs per line, BENCHMARKS.md).
# COMPARE="BINARY2 ..." measures further binaries in the same rounds (each round runs every binary without and with the
# policy), so an A/B of two builds sees the same drift.
# Usage: [CONNS="1 64"] [LOG=FILE] [COMPARE="BINARY2 ..."] bench/policy-cost.sh ZEUSD_BINARY [ROUNDS] [SECONDS]
set -euo pipefail
bins=("$(realpath "$1")") rounds=${2:-3} secs=${3:-4}
for extra in ${COMPARE:-}; do bins+=("$(realpath "$extra")"); done
zb=${ZBENCH:-/tmp/zbench}
dir=$(mktemp -d)
chmod 755 "$dir"
pid=
trap '[[ -n $pid ]] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"' EXIT
cat >"$dir/policy.toml" <<'TOML'
[[grant]]
name = "bench"
users = ["*"]
scopes = ["gpu-read", "gpu-control"]
gpus = [0, 1]
power_limit_mw = { min = 100000, max = 300000 }
TOML
chmod 644 "$dir/policy.toml"
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
measure() { # $1 = binary, $2 = extra serve args, $3 = connections; prints CPU µs per request
    rm -f "$dir/z.sock"
    LD_LIBRARY_PATH=$zb/fakenvml FAKENVML_GPUS=2 "$1" serve --socket-path "$dir/z.sock" --enable gpu-read,gpu-control $2 \
        >"${LOG:-/dev/null}" 2>&1 &
    pid=$!
    "$zb/bin/udsload" -u "$dir/z.sock" --wait-ready 10 -q -d 0.2 -w 0 >/dev/null
    local before out requests after
    before=$(cpu)
    out=$(setpriv --reuid 65534 --regid 65534 --clear-groups "$zb/bin/udsload" -u "$dir/z.sock" -q -c "$3" -w 1 -d "$secs" \
        -r 'POST /gpu/set_power_limit?gpu_ids=0&power_limit_mw=200000&block=true')
    after=$(cpu)
    kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
    grep -q 'non200=0' <<<"$out" || { echo "non-200 answers: $out" >&2; exit 1; }
    requests=$(grep -oE 'requests=[0-9]+' <<<"$out" | cut -d= -f2)
    # CPU includes the 1 s warm-up: count its requests too by scaling with the measured rate.
    awk -v b="$before" -v a="$after" -v t="$(getconf CLK_TCK)" -v r="$requests" -v d="$secs" \
        'BEGIN { printf "%.1f\n", (a - b) / t / (r * (d + 1) / d) * 1e6 }'
}
median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
quartiles() { sort -n | awk '{v[NR]=$1} END {printf "%.3f-%.3f", v[int((NR+3)/4)], v[int((3*NR+3)/4)]}'; }
for c in ${CONNS:-1 64}; do
    declare -A off=() on=()
    for _ in $(seq "$rounds"); do
        for b in "${bins[@]}"; do
            off[$b]+="$(measure "$b" "" "$c") "
            on[$b]+="$(measure "$b" "--policy $dir/policy.toml" "$c") "
        done
    done
    for b in "${bins[@]}"; do
        read -ra o <<<"${off[$b]}"
        read -ra n <<<"${on[$b]}"
        m_off=$(printf '%s\n' "${o[@]}" | median) m_on=$(printf '%s\n' "${n[@]}" | median)
        ratios=$(for i in "${!o[@]}"; do awk -v a="${o[$i]}" -v b="${n[$i]}" 'BEGIN { printf "%.4f\n", b / a }'; done)
        paired=$(median <<<"$ratios") spread=$(quartiles <<<"$ratios")
        name=""; (( ${#bins[@]} > 1 )) && name="$b  "
        awk -v name="$name" -v c="$c" -v a="$m_off" -v b="$m_on" -v ro="${o[*]}" -v rn="${n[*]}" -v p="$paired" -v q="$spread" \
            'BEGIN { printf "%sc=%d  without policy %.1f us/req [%s]  with policy %.1f us/req [%s]  ratio %.3f  paired %.3f (quartiles %s)\n", name, c, a, ro, b, rn, b / a, p, q }'
    done
done
