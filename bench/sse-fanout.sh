#!/usr/bin/env bash
# SSE fan-out benchmark: K concurrent /gpu/stream_power subscribers against one daemon, measured with udsload
# (../shared/bench, built into $ZBENCH by its build.sh). Reports udsload's event counts and lag, plus the daemon's
# CPU per delivered event, its RSS, and the CPU that other processes used meanwhile (the box is shared).
#
# usage: bench/sse-fanout.sh [-k STREAMS] [-d SECONDS] [-w WARMUP] [-p PATH] 'DAEMON CMD with {sock}'
# e.g.   bench/sse-fanout.sh -k 1000 -d 60 '/tmp/zstream-pub/zeusd serve --socket-path {sock} --enable gpu-read'
# The daemon runs with LD_LIBRARY_PATH=$ZBENCH/fakenvml and FAKENVML_GPUS=${GPUS:-2} (the minimal fake NVML).
set -euo pipefail
ZBENCH="${ZBENCH:-/tmp/zbench}"
K=1000 D=60 W=5 P='/gpu/stream_power?gpu_ids=0,1'
while getopts "k:d:w:p:" o; do
  case "$o" in
    k) K=$OPTARG ;; d) D=$OPTARG ;; w) W=$OPTARG ;; p) P=$OPTARG ;;
    *) sed -n '2,9p' "$0" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[[ $# == 1 ]] || { sed -n '2,9p' "$0" >&2; exit 2; }
[[ -x $ZBENCH/bin/udsload ]] || { echo "build udsload first: ../shared/bench/build.sh --no-rust" >&2; exit 1; }

DIR=$(mktemp -d "${TMPDIR:-/tmp}/sse-fanout.XXXXXX")
SOCK=$DIR/zeusd.sock
CMD=${1//\{sock\}/$SOCK}
ulimit -n 65536 2>/dev/null || true
LD_LIBRARY_PATH="$ZBENCH/fakenvml${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" FAKENVML_GPUS="${GPUS:-2}" \
  bash -c "exec $CMD" >"$DIR/daemon.log" 2>&1 &
DPID=$!
LPID=
cleanup() { [[ -n $LPID ]] && kill "$LPID" 2>/dev/null; kill "$DPID" 2>/dev/null; wait 2>/dev/null; }
trap cleanup EXIT

"$ZBENCH/bin/udsload" -u "$SOCK" -r 'GET /discover' --wait-ready 30 >/dev/null
HZ=$(getconf CLK_TCK)
cpu_of() { awk '{print $14 + $15}' "/proc/$1/stat"; }            # utime+stime, clock ticks
busy_all() { awk '/^cpu /{print $2+$3+$4+$7+$8+$9}' /proc/stat; } # all CPUs, clock ticks
rss_kb() { awk '/^VmRSS/{print $2}' "/proc/$1/status"; }
RSS_IDLE=$(rss_kb "$DPID")

"$ZBENCH/bin/udsload" -u "$SOCK" --sse "$K" -p "$P" -d "$D" -w "$W" >"$DIR/udsload.out" 2>&1 &
LPID=$!
sleep "$W"; sleep 0.5
T0=$(date +%s.%N) D0=$(cpu_of "$DPID") L0=$(cpu_of "$LPID") A0=$(busy_all)
RSS_MAX=0
# Measure D-2 s inside udsload's D s window, so that both ends are clear of connection setup and teardown.
for ((i = 0; i < D - 2; i++)); do
  sleep 1
  r=$(rss_kb "$DPID"); ((r > RSS_MAX)) && RSS_MAX=$r
done
T1=$(date +%s.%N) D1=$(cpu_of "$DPID") L1=$(cpu_of "$LPID") A1=$(busy_all)
wait "$LPID" || true
LPID=
HWM=$(awk '/^VmHWM/{print $2}' "/proc/$DPID/status")
RESULT=$(grep '^RESULT' "$DIR/udsload.out" || { cat "$DIR/udsload.out" >&2; exit 1; })
EPS=$(sed -E 's/.* events_per_s=([0-9.]+).*/\1/' <<<"$RESULT")
NCPU=$(nproc)
awk -v t0="$T0" -v t1="$T1" -v d0="$D0" -v d1="$D1" -v l0="$L0" -v l1="$L1" -v a0="$A0" -v a1="$A1" -v hz="$HZ" \
    -v eps="$EPS" -v n="$NCPU" -v idle="$RSS_IDLE" -v rmax="$RSS_MAX" -v hwm="$HWM" -v k="$K" 'BEGIN {
  s = t1 - t0; dcpu = (d1 - d0) / hz; lcpu = (l1 - l0) / hz; all = (a1 - a0) / hz
  printf "daemon_cpu_pct=%.1f (of one core) daemon_cpu_us_per_event=%.2f client_cpu_pct=%.1f bg_pct=%.1f (of %d cores)\n",
    100 * dcpu / s, 1e6 * dcpu / (eps * s), 100 * lcpu / s, 100 * (all - dcpu - lcpu) / (s * n), n
  printf "rss_idle_mb=%.1f rss_max_mb=%.1f vmhwm_mb=%.1f rss_per_stream_kb=%.1f\n", idle / 1024, rmax / 1024, hwm / 1024, (rmax - idle) / k
}'
grep -v '^RESULT' "$DIR/udsload.out" || true
echo "$RESULT"
