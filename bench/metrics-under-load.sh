#!/usr/bin/env bash
# set_power_limit latency with and without a real Prometheus scraping /metrics 10 times a second (issue 19: p99
# unchanged). 2 GPUs of ../shared/bench's minimal fake NVML; udsload at 1 and 16 connections; rounds alternate
# "no scraper" and "Prometheus at 100 ms" on the same daemon. Needs Debian's prometheus.
# Usage: bench/metrics-under-load.sh ZEUSD_BINARY [ROUNDS] [SECONDS]
set -euo pipefail
bin=$(realpath "$1") rounds=${2:-3} secs=${3:-5}
zb=${ZBENCH:-/tmp/zbench}
dir=$(mktemp -d)
pid= prom=
trap '[[ -n $prom ]] && kill "$prom" 2>/dev/null; [[ -n $pid ]] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
mport=$(free_port) pport=$(free_port)
LD_LIBRARY_PATH=$zb/fakenvml FAKENVML_GPUS=2 "$bin" serve --socket-path "$dir/z.sock" --enable gpu-read,gpu-control \
    --metrics-bind-address "127.0.0.1:$mport" >"$dir/log" 2>&1 &
pid=$!
"$zb/bin/udsload" -u "$dir/z.sock" --wait-ready 10 -q -d 0.2 -w 0 >/dev/null
cat >"$dir/prometheus.yml" <<YML
global: { scrape_interval: 100ms, scrape_timeout: 100ms }
scrape_configs: [ { job_name: zeusd, static_configs: [ { targets: ["127.0.0.1:$mport"] } ] } ]
YML
start_prometheus() {
    prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/tsdb" \
        --web.listen-address="127.0.0.1:$pport" >"$dir/prom.log" 2>&1 &
    prom=$!
    for _ in $(seq 100); do
        curl -sf "http://127.0.0.1:$pport/api/v1/query?query=up" | grep -q '"value":\[[0-9.]*,"1"\]' && return
        sleep 0.1
    done
    echo "prometheus did not scrape zeusd" >&2; exit 1
}
stop_prometheus() { kill "$prom"; wait "$prom" 2>/dev/null || true; prom=; }
# Scrapes Prometheus made of zeusd in the last minute (the run is shorter than that), as Prometheus counts them.
scrapes() { curl -s "http://127.0.0.1:$pport/api/v1/query" --data-urlencode 'query=count_over_time(up[1m])' | grep -oE '"[0-9]+"\]' | tr -dc 0-9; }
load() { "$zb/bin/udsload" -u "$dir/z.sock" -q -c "$1" -w 1 -d "$secs" \
    -r 'POST /gpu/set_power_limit?gpu_ids=0&power_limit_mw=200000&block=true' | grep -oE 'p50_us=[0-9.]+|p99_us=[0-9.]+|rps=[0-9.]+' | tr '\n' ' '; }
for c in 1 16; do
    for r in $(seq "$rounds"); do
        echo "c=$c round $r  no scraper:          $(load "$c")"
        start_prometheus
        out=$(load "$c")
        n=$(scrapes)
        stop_prometheus
        echo "c=$c round $r  prometheus @100 ms:  $out scrapes=$n"
    done
done
