#!/usr/bin/env bash
# Checks packaging/systemd/zeusd.service the way packaging/README.md reports it:
#   systemd-analyze verify          (in a temporary root holding the unit, the distribution's units and a zeusd binary)
#   systemd-analyze security        (--offline=true) for the unit alone and with the TCP drop-in
# Fails when verify complains or an exposure score exceeds 2.5.
#   packaging/systemd/check.sh [ZEUSD_BINARY]   (default: artifacts/publish/linux-x64/zeusd, else a stand-in file)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
limit=2.5
binary=${1:-$here/../../artifacts/publish/linux-x64/zeusd}

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/usr/local/bin" "$root/etc/systemd/system/zeusd.service.d" "$root/usr/lib/systemd"
cp -a /usr/lib/systemd/system "$root/usr/lib/systemd/"
cp "$here/zeusd.service" "$root/etc/systemd/system/"
if [[ -x $binary ]]; then
    cp "$binary" "$root/usr/local/bin/zeusd"
else
    # verify checks that ExecStart= is executable, nothing more.
    echo "check.sh: no published binary at $binary; verifying against an executable stand-in" >&2
    printf '#!/bin/sh\n' > "$root/usr/local/bin/zeusd"
    chmod +x "$root/usr/local/bin/zeusd"
fi

echo "== systemd-analyze verify zeusd.service ($(systemd-analyze --version | head -1))"
out=$(systemd-analyze verify --root="$root" zeusd.service 2>&1) || { echo "$out"; exit 1; }
if [[ -n $out ]]; then
    echo "$out"
    exit 1
fi
echo "clean"

status=0
score() {
    local label=$1
    local exposure
    exposure=$(systemd-analyze security --offline=true --root="$root" zeusd.service 2>&1 | grep -oE 'Overall exposure level for zeusd.service: [0-9.]+' | grep -oE '[0-9.]+$')
    echo "== systemd-analyze security --offline=true: $label: $exposure"
    if awk -v e="$exposure" -v l="$limit" 'BEGIN { exit !(e > l) }'; then
        echo "exposure $exposure is above $limit" >&2
        status=1
    fi
}
score "zeusd.service"
cp "$here/zeusd-tcp.conf" "$root/etc/systemd/system/zeusd.service.d/tcp.conf"
score "zeusd.service + zeusd-tcp.conf"
exit $status
