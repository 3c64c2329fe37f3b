#!/usr/bin/env bash
# Daemon CPU per /metrics scrape: 8 fake GPUs (the test fake NVML, no call log) and 2 fake RAPL packages, N scrapes on
# one keep-alive connection, CPU time of the daemon process (utime+stime from /proc) divided by N.
# Usage: bench/metrics-scrape.sh ZEUSD_BINARY FAKE_NVML_DIR [N]
set -euo pipefail
bin=$1 nvml=$2 n=${3:-2000} path=${4:-/metrics}
dir=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
for p in 0 1; do
    for z in "intel-rapl:$p" "intel-rapl:$p/intel-rapl:$p:0"; do
        mkdir -p "$dir/rapl/$z"
        echo 1000000 >"$dir/rapl/$z/energy_uj"; echo 262143328850 >"$dir/rapl/$z/max_energy_range_uj"
    done
    echo "package-$p" >"$dir/rapl/intel-rapl:$p/name"; echo dram >"$dir/rapl/intel-rapl:$p/intel-rapl:$p:0/name"
done
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
LD_LIBRARY_PATH=$nvml FAKENVML_GPU_COUNT=8 ZEUSD_RAPL_DIR=$dir/rapl "$bin" serve --socket-path "$dir/zeusd.sock" \
    --gpu-backend nvml --enable gpu-read,cpu-read --metrics-bind-address "127.0.0.1:$port" >"$dir/log" 2>&1 &
pid=$!
for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$port/metrics" && break; sleep 0.1; done
curl -sf "http://127.0.0.1:$port/metrics" | grep -c '^zeusd_gpu_up{.*} 1$' | sed 's/^/gpus up: /'
urls=$(for _ in $(seq 200); do printf 'url = "http://127.0.0.1:%s%s"\noutput = "/dev/null"\n' "$port" "$path"; done)
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
# Warm-up (JIT, queues' inline measurement), then the measured loop.
for _ in $(seq 5); do curl -s -K - <<<"$urls"; done
before=$(cpu); start=$(date +%s.%N)
for _ in $(seq $((n / 200))); do curl -s -K - <<<"$urls"; done
after=$(cpu); end=$(date +%s.%N)
ticks=$(getconf CLK_TCK)
awk -v b="$before" -v a="$after" -v t="$ticks" -v n="$n" -v s="$start" -v e="$end" \
    'BEGIN { printf "scrapes: %d in %.2f s; daemon CPU: %.3f s = %.1f us per scrape\n", n, e - s, (a - b) / t, (a - b) / t / n * 1e6 }'
