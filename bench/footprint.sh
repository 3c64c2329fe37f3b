#!/usr/bin/env bash
# What a zeusd binary costs while it waits: idle RSS, idle wake-ups, RSS under 64 connections and after them.
#
#   bench/footprint.sh [-i IDLE_SECONDS] [-d LOAD_SECONDS] [-c CONNS] [-e VAR=VALUE]... BINARY [extra serve arguments]
#
# -e adds a variable to the daemon's otherwise empty environment (e.g. -e DOTNET_GCgen0size=0x100000 to try a GC knob).
# The daemon serves 2 fake GPUs (../shared/bench/fakenvml-min, built with ../shared/bench/build.sh --no-rust into
# /tmp/zbench, like compare.sh) on a private Unix socket, with an empty environment apart from the fake's variables.
#  1. RSS 2 s after the first 200, then wake-ups over IDLE_SECONDS (default 60) with no client and no stream: the
#     context switches of all the daemon's threads (/proc/PID/task/*/status, voluntary + involuntary), in total and
#     per thread name, which tells which timer is waking it.
#  2. RSS while udsload keeps CONNS (default 64) connections busy with GET /gpu/get_power for LOAD_SECONDS
#     (default 5; sampled every 0.5 s, the peak is reported), then 10 s after the load, and VmHWM.
# Bounded: the load runs LOAD_SECONDS; the daemon is stopped with SIGTERM (its own PID) at the end.
set -euo pipefail
idle=60 load=5 conns=64 extra_env=()
while getopts "i:d:c:e:" opt; do
    case $opt in
        e) extra_env+=("$OPTARG") ;;
        i) idle=$OPTARG ;;
        d) load=$OPTARG ;;
        c) conns=$OPTARG ;;
        *) exit 2 ;;
    esac
done
shift $((OPTIND - 1))
binary=$(readlink -f "$1")
shift
zbench=${ZBENCH:-/tmp/zbench}
udsload=$zbench/bin/udsload
[[ -x $udsload && -e $zbench/fakenvml/libnvidia-ml.so.1 ]] || {
    echo "footprint.sh: build the tools first: ../shared/bench/build.sh --no-rust" >&2
    exit 1
}

dir=$(mktemp -d)
sock=$dir/zeusd.sock
pid=
cleanup() {
    [[ -n $pid ]] && kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    rm -rf "$dir"
}
trap cleanup EXIT

kib() { awk -v k="$2" '$1 == k":" { print $2 }' "/proc/$1/status"; }
mib() { awk -v v="$1" 'BEGIN { printf "%.1f", v / 1024 }'; }
# One line per thread: "<name> <context switches>".
switches() {
    local t
    for t in /proc/"$1"/task/*; do
        printf '%s %s\n' "$(tr ' ' _ <"$t/comm")" \
            "$(awk '/^(non)?voluntary_ctxt_switches:/ { s += $2 } END { print s }' "$t/status" 2>/dev/null || echo 0)"
    done
}

env -i LD_LIBRARY_PATH="$zbench/fakenvml" FAKENVML_GPUS=2 "${extra_env[@]}" \
    "$binary" serve --socket-path "$sock" --gpu-backend nvml --enable gpu-read,gpu-control "$@" >"$dir/log" 2>&1 &
pid=$!
"$udsload" -u "$sock" -r 'GET /gpu/get_power?gpu_ids=0,1' --wait-ready 20 >/dev/null
sleep 2
echo "binary: $binary ($(stat -c %s "$binary") bytes)"
echo "threads: $(ls /proc/$pid/task | wc -l)"
echo "idle RSS 2 s after first 200: $(mib "$(kib $pid VmRSS)") MiB (RssAnon $(mib "$(kib $pid RssAnon)"), RssFile $(mib "$(kib $pid RssFile)"))"

switches $pid | sort >"$dir/before"
sleep "$idle"
switches $pid | sort >"$dir/after"
total=$(join -a2 -e0 -o 2.1,1.2,2.2 <(awk '{ a[$1] += $2 } END { for (k in a) print k, a[k] }' "$dir/before" | sort) \
    <(awk '{ a[$1] += $2 } END { for (k in a) print k, a[k] }' "$dir/after" | sort) |
    awk -v s="$idle" '{ d = $3 - $2; t += d; if (d) printf "  %-24s %6d (%.2f/s)\n", $1, d, d / s } END { printf "TOTAL %d %.2f\n", t, t / s }' | tee "$dir/wakeups" | tail -1)
echo "idle wake-ups over $idle s: $(awk '{ print $2 " (" $3 "/s)" }' <<<"$total")"
grep -v '^TOTAL' "$dir/wakeups" || true
echo "idle RSS after $idle s: $(mib "$(kib $pid VmRSS)") MiB (VmHWM so far $(mib "$(kib $pid VmHWM)") MiB)"

peak=0
"$udsload" -u "$sock" -r 'GET /gpu/get_power?gpu_ids=0,1' -c "$conns" -d "$load" -w 0 -q >"$dir/load" 2>&1 &
loader=$!
while kill -0 "$loader" 2>/dev/null; do
    r=$(kib $pid VmRSS)
    ((r > peak)) && peak=$r
    sleep 0.5
done
wait "$loader" || { echo "footprint.sh: udsload failed:"; cat "$dir/load"; exit 1; }
echo "load: $conns connections, $load s: $(grep -oE 'rps=[0-9.]+' "$dir/load" | tail -1)"
echo "RSS under load (peak of 0.5 s samples): $(mib $peak) MiB"
sleep 10
echo "RSS 10 s after the load: $(mib "$(kib $pid VmRSS)") MiB (RssAnon $(mib "$(kib $pid RssAnon)")); VmHWM $(mib "$(kib $pid VmHWM)") MiB"
