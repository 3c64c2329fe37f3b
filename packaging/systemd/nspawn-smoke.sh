#!/usr/bin/env bash
# Runs the release binary under packaging/systemd/zeusd.service with a real systemd as PID 1: a minimal Debian 12
# booted with systemd-nspawn. Checks that `systemctl start` returns only once the socket serves (Type=notify), that
# the hardening is in effect (capabilities, no_new_privs, seccomp, own network namespace), that socket group and
# mode work for a member and not for others, that journal priorities survive, and the TCP drop-in.
#
#   packaging/systemd/nspawn-smoke.sh [ZEUSD_BINARY]     (default: artifacts/publish/linux-x64/zeusd)
#
# Needs root, `apt-get install debootstrap systemd-container`, and Debian's mirror for the first run (the root file
# system is kept in $ZEUSD_NSPAWN_ROOT, default /var/tmp/zeusd-nspawn-bookworm). Manual: not part of .ci/run.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
binary=$(realpath "${1:-$here/../../artifacts/publish/linux-x64/zeusd}")
root=${ZEUSD_NSPAWN_ROOT:-/var/tmp/zeusd-nspawn-bookworm}

if [[ ! -x $root/usr/lib/systemd/systemd ]]; then
    debootstrap --variant=minbase --include=systemd,systemd-sysv,dbus,curl,passwd bookworm "$root" http://deb.debian.org/debian
fi
# Fresh state each run: the binary, the unit, the defaults; no drop-ins or test users from a previous run.
install -m 0755 "$binary" "$root/usr/local/bin/zeusd"
install -m 0644 "$here/zeusd.service" "$root/etc/systemd/system/zeusd.service"
install -m 0644 "$here/zeusd.defaults" "$root/etc/default/zeusd"
rm -rf "$root/etc/systemd/system/zeusd.service.d" "$root/etc/systemd/system/multi-user.target.wants/zeusd.service"
echo zeusd-smoke > "$root/etc/hostname"

SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=1 systemd-nspawn -D "$root" -b --register=no --keep-unit --console=passive \
    --private-network > /tmp/zeusd-nspawn.log 2>&1 &
nspawn=$!
trap 'kill "$nspawn" 2>/dev/null; wait "$nspawn" 2>/dev/null || true' EXIT
init=
for _ in $(seq 100); do
    init=$(pgrep -P "$nspawn" | head -1 || true)
    [[ -n $init ]] && break
    sleep 0.1
done
[[ -n $init ]] || { cat /tmp/zeusd-nspawn.log; exit 1; }
inside() { nsenter -t "$init" -a "$@"; }
state=
for _ in $(seq 600); do
    state=$(inside systemctl is-system-running 2>/dev/null || true)
    [[ $state == running || $state == degraded ]] && break
    sleep 0.1
done
[[ $state == running || $state == degraded ]] || { echo "container did not boot (state: $state)"; cat /tmp/zeusd-nspawn.log; exit 1; }

failures=0
check() { # check NAME COMMAND...
    local name=$1
    shift
    if "$@" >/dev/null 2>&1; then echo "PASS  $name"; else echo "FAIL  $name"; failures=$((failures + 1)); fi
}
set_args() { inside sh -c "printf 'ZEUSD_ARGS=\"%s\"\n' '$1' > /etc/default/zeusd"; }

inside sh -c 'getent group zeusd >/dev/null || groupadd --system zeusd; id alice >/dev/null 2>&1 || useradd -m -G zeusd alice; id bob >/dev/null 2>&1 || useradd -m bob'
gid=$(inside getent group zeusd | cut -d: -f3)
set_args "--simulate --socket-permissions 660 --socket-gid $gid --num-workers 10"

check "systemctl start returns success" inside systemctl start zeusd
# No retry: Type=notify means the socket answered before `systemctl start` returned.
check "socket serves as soon as start returns" inside runuser -u alice -- curl -sf --unix-socket /run/zeusd/zeusd.sock http://localhost/discover
pid=$(inside systemctl show -p MainPID --value zeusd)
status=$(inside cat "/proc/$pid/status" || true)
check "capability bounding set is CAP_CHOWN+CAP_SYS_ADMIN" grep -q $'^CapBnd:\t0000000000200001$' <<<"$status"
check "no_new_privs" grep -q $'^NoNewPrivs:\t1$' <<<"$status"
check "seccomp filter" grep -q $'^Seccomp:\t2$' <<<"$status"
check "own network namespace" test "$(inside readlink "/proc/$pid/ns/net")" != "$(inside readlink /proc/1/ns/net)"
check "socket is root:zeusd 660" test "$(inside stat -c '%U:%G %a' /run/zeusd/zeusd.sock)" = "root:zeusd 660"
check "group member can set a power limit" inside runuser -u alice -- curl -sf -X POST --unix-socket /run/zeusd/zeusd.sock \
    'http://localhost/gpu/set_power_limit?gpu_ids=0&power_limit_mw=200000&block=true'
check "non-member is refused" bash -c "! nsenter -t $init -a runuser -u bob -- curl -sf --unix-socket /run/zeusd/zeusd.sock http://localhost/discover"
check "journal has the info line" bash -c "nsenter -t $init -a journalctl -u zeusd -p info -o cat | grep -q 'Listening on /run/zeusd/zeusd.sock'"
check "journal keeps it at info (not notice)" bash -c "! nsenter -t $init -a journalctl -u zeusd -p notice -o cat | grep -q 'Listening on'"
echo "      exposure: $(inside systemd-analyze security zeusd.service --no-pager | tail -1)"
check "systemctl stop ends cleanly" inside systemctl stop zeusd
check "result after stop is success" test "$(inside systemctl show -p Result --value zeusd)" = success

set_args "--simulate --mode tcp"
check "TCP without the drop-in fails to start" bash -c "! nsenter -t $init -a systemctl start zeusd"
inside systemctl reset-failed zeusd
inside mkdir -p /etc/systemd/system/zeusd.service.d
install -m 0644 "$here/zeusd-tcp.conf" "$root/etc/systemd/system/zeusd.service.d/tcp.conf"
inside systemctl daemon-reload
check "TCP with zeusd-tcp.conf starts" inside systemctl start zeusd
check "TCP serves" inside curl -sf http://127.0.0.1:4938/discover
check "journal keeps priorities (warning)" bash -c "nsenter -t $init -a journalctl -u zeusd -p warning -o cat | grep -q 'TCP mode without authentication'"
echo "      exposure with zeusd-tcp.conf: $(inside systemd-analyze security zeusd.service --no-pager | tail -1)"
inside systemctl stop zeusd

echo "nspawn-smoke: $failures failed check(s)"
exit $((failures > 0))
