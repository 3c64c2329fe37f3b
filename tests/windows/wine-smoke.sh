#!/usr/bin/env bash
# Windows smoke test: runs the win-x64 zeusd under Wine and checks what a Windows operator sees first.
#
#   tests/windows/wine-smoke.sh
#
# Installs Wine (Debian's wine + wine64) when missing, builds the daemon and tests/windows/PipeClient for win-x64, then
# checks --version, the Windows-only command-line rules, TCP mode (curl from Linux: Wine shares the loopback) and the
# default named-pipe mode (pipe-client runs inside Wine, where the pipe lives): /discover, a write read back, the
# Windows persistence rule, a stream, and Ctrl-C ending the daemon with exit 0. One line per check; the first failure
# stops the run with the reason and the daemon's log. Every wait is bounded; temp dirs and the Wine processes of the
# private prefix are removed on exit.
#
# What Wine cannot prove: pipe security. Wine runs every process as one user and ignores both the DACL built from
# --pipe-sddl and FILE_FLAG_FIRST_PIPE_INSTANCE, so "other users are refused" and "a second daemon on the same pipe name
# fails" need a real Windows machine. The SDDL is still parsed, so an invalid one fails here as it does on Windows.
#
# Builds are JIT (no ReadyToRun, single-file or trimming): Wine 8.0 cannot start a ReadyToRun build ("Failed to load
# System.Private.CoreLib.dll"). The release profile's code is the same; only its packaging differs.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD

say() { printf 'wine-smoke: %s\n' "$*"; }
ok() { printf 'wine-smoke: ok    %s\n' "$*"; }

work=$(mktemp -d "${TMPDIR:-/tmp}/zeusd-wine.XXXXXX")
daemon_pid=
daemon_log=
fail() {
    printf 'wine-smoke: FAIL  %s\n' "$*" >&2
    if [[ -n $daemon_log && -s $daemon_log ]]; then
        printf 'wine-smoke: daemon log (%s), last 40 lines:\n' "$daemon_log" >&2
        tail -n 40 "$daemon_log" | sed 's/^/    /' >&2
    fi
    exit 1
}
cleanup() {
    if [[ -n $daemon_pid ]] && kill -0 "$daemon_pid" 2>/dev/null; then
        kill -KILL "$daemon_pid" 2>/dev/null || true
    fi
    # Ends every process of this private prefix (wineserver, services, winedevice), nothing else.
    if [[ -n ${WINESERVER_BIN:-} && -d $work/prefix ]]; then
        timeout 20 "$WINESERVER_BIN" -k >/dev/null 2>&1 || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'fail "interrupted"' INT TERM

# --- Wine ---------------------------------------------------------------------------------------------------------
wine_bin() { command -v wine || command -v wine64 || true; }
if [[ -z $(wine_bin) ]]; then
    [[ $(id -u) -eq 0 ]] || fail "Wine is not installed and installing it needs root (apt-get install wine wine64)"
    command -v apt-get >/dev/null || fail "Wine is not installed and there is no apt-get to install it"
    say "installing wine wine64 (apt)"
    started=$SECONDS
    export DEBIAN_FRONTEND=noninteractive
    timeout 600 apt-get update -q >"$work/apt.log" 2>&1 || { cat "$work/apt.log" >&2; fail "apt-get update failed"; }
    timeout 900 apt-get install -y -q --no-install-recommends wine wine64 >>"$work/apt.log" 2>&1 \
        || { tail -n 30 "$work/apt.log" >&2; fail "apt-get install wine wine64 failed"; }
    say "installed in $((SECONDS - started)) s"
fi
WINE=$(wine_bin)
[[ -n $WINE ]] || fail "no wine or wine64 on PATH after installing"
WINESERVER_BIN=$(command -v wineserver || ls /usr/lib/wine/wineserver64 /usr/lib/wine/wineserver 2>/dev/null | head -n 1 || true)
say "$("$WINE" --version 2>/dev/null || echo 'wine (version unknown)')"

# A private prefix, so that nothing of the machine's own Wine setup (or another run) is shared: the pipe namespace is
# per prefix (per wineserver). mshtml off: no Gecko download prompt. winedbg off: with the debugger on, a crashing
# program makes wine exit 0, which would hide a crash. mscoree stays: without it Wine's loader refuses the managed DLLs
# ("Could not load file or assembly '...System.Runtime.dll'").
export WINEPREFIX=$work/prefix WINEDEBUG=-all WINEDLLOVERRIDES='mshtml=;winedbg.exe=d' WINEARCH=win64
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# --- build --------------------------------------------------------------------------------------------------------
jit=(-c Release -r win-x64 --self-contained -p:PublishReadyToRun=false -p:PublishSingleFile=false -p:PublishTrimmed=false
     -nologo -v quiet)
say "building zeusd and pipe-client for win-x64 (JIT)"
started=$SECONDS
timeout 900 dotnet publish src/Zeusd "${jit[@]}" -o "$work/zeusd" >"$work/build.log" 2>&1 \
    || { cat "$work/build.log" >&2; fail "dotnet publish src/Zeusd -r win-x64 failed"; }
timeout 900 dotnet publish tests/windows/PipeClient "${jit[@]}" -o "$work/client" >>"$work/build.log" 2>&1 \
    || { cat "$work/build.log" >&2; fail "dotnet publish tests/windows/PipeClient -r win-x64 failed"; }
zeusd=$work/zeusd/zeusd.exe
client=$work/client/pipe-client.exe
[[ -f $zeusd && -f $client ]] || fail "the win-x64 publish did not produce zeusd.exe and pipe-client.exe"
say "built in $((SECONDS - started)) s"

say "creating the Wine prefix"
started=$SECONDS
timeout 180 "$WINE" wineboot -i >"$work/wineboot.log" 2>&1 || { cat "$work/wineboot.log" >&2; fail "wineboot -i failed"; }
say "prefix ready in $((SECONDS - started)) s"
started=$SECONDS

# --- helpers ------------------------------------------------------------------------------------------------------
# run_zeusd SECONDS ARGS...: a one-shot zeusd.exe; sets $out, $err and $rc.
run_zeusd() {
    local seconds=$1
    shift
    rc=0
    timeout "$seconds" "$WINE" "$zeusd" "$@" >"$work/out" 2>"$work/err" || rc=$?
    out=$(<"$work/out")
    err=$(<"$work/err")
    [[ $rc -ne 124 ]] || fail "zeusd.exe $* did not finish within $seconds s"
}

# pipe ARGS...: pipe-client.exe inside Wine; sets $status (the status code), $body (what follows the status line), $rc.
pipe() {
    rc=0
    timeout 60 "$WINE" "$client" "$@" >"$work/out" 2>"$work/err" || rc=$?
    [[ $rc -ne 124 ]] || fail "pipe-client $* did not finish within 60 s"
    [[ $rc -eq 0 ]] || fail "pipe-client $* exited $rc: $(<"$work/err")"
    status=$(head -n 1 "$work/out" | awk '{print $2}')
    body=$(tail -n +2 "$work/out")
}

# start_daemon LOG ARGS...: zeusd.exe serve in the background. SIGINT reaches it: a background job of a script would
# otherwise start with SIGINT ignored.
start_daemon() {
    daemon_log=$1
    shift
    ( trap - INT; exec "$WINE" "$zeusd" serve "$@" ) >"$daemon_log" 2>&1 &
    daemon_pid=$!
}

# wait_log TEXT SECONDS: until the daemon's log contains TEXT (fixed string); fails if the daemon exits first.
wait_log() {
    local text=$1 seconds=$2 deadline=$((SECONDS + $2))
    until grep -qF -- "$text" "$daemon_log"; do
        if ! kill -0 "$daemon_pid" 2>/dev/null; then
            local code=0
            wait "$daemon_pid" || code=$?
            daemon_pid=
            fail "zeusd exited $code before logging '$text'"
        fi
        ((SECONDS < deadline)) || fail "zeusd did not log '$text' within $seconds s"
        sleep 0.2
    done
}

# stop_daemon WHAT: Ctrl-C, then the exit code must be 0 within 30 s. Wine turns SIGINT into CTRL_C_EVENT for the
# console control handlers (SetConsoleCtrlHandler), which .NET's host receives as SIGINT, as on Windows. The host's
# "Application is shutting down..." line (logged at --log-level debug) shows the event reached .NET rather than Wine
# ending the process.
stop_daemon() {
    local what=$1 deadline=$((SECONDS + 30)) code=0
    kill -INT "$daemon_pid"
    while kill -0 "$daemon_pid" 2>/dev/null; do
        if ((SECONDS >= deadline)); then
            kill -KILL "$daemon_pid" 2>/dev/null || true
            fail "$what: zeusd did not exit within 30 s of Ctrl-C"
        fi
        sleep 0.2
    done
    wait "$daemon_pid" || code=$?
    daemon_pid=
    [[ $code -eq 0 ]] || fail "$what: zeusd exited $code after Ctrl-C (expected 0)"
    grep -qF 'Application is shutting down...' "$daemon_log" \
        || fail "$what: zeusd exited 0 but its host never saw the Ctrl-C (no 'Application is shutting down...')"
}

expect() { # expect WHAT ACTUAL EXPECTED
    [[ $2 == "$3" ]] || fail "$1: got '$2', expected '$3'"
}
expect_contains() { # expect_contains WHAT TEXT NEEDLE
    [[ $2 == *"$3"* ]] || fail "$1: expected '$3' in: $2"
}

# --- checks -------------------------------------------------------------------------------------------------------
version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$repo/Directory.Build.props" | head -n 1)
run_zeusd 60 --version
expect "zeusd --version exit code" "$rc" 0
if [[ -n $version ]]; then
    expect "zeusd --version" "$out" "zeusd $version"
else
    [[ $out =~ ^zeusd\ [0-9]+\.[0-9]+\.[0-9]+ ]] || fail "zeusd --version printed '$out'"
fi
ok "zeusd --version: $out"

run_zeusd 60 serve --simulate --mode uds
expect "--mode uds exit code" "$rc" 2
expect_contains "--mode uds" "$err" "Invalid value 'uds' for '--mode'. Possible values: named-pipe, tcp."
ok "--mode uds refused (exit 2): only named-pipe and tcp exist on Windows"

for flag in --socket-path --socket-permissions --socket-uid --socket-gid; do
    run_zeusd 60 serve --simulate "$flag" 1
    expect "$flag exit code" "$rc" 2
    expect_contains "$flag" "$err" "Unrecognized command or argument '$flag'"
done
ok "--socket-path, --socket-permissions, --socket-uid, --socket-gid unknown on Windows (exit 2)"

run_zeusd 60 serve --simulate --enable gpu-read,cpu-read
expect "--enable cpu-read exit code" "$rc" 1
expect_contains "--enable cpu-read" "$err" \
    "Error: API group 'cpu-read' is only supported on Linux. Remove it from --enable to start zeusd on this platform."
ok "--enable cpu-read refused (exit 1): RAPL is Linux only"

run_zeusd 60 serve --simulate --pipe-sddl 'not an sddl'
expect "--pipe-sddl 'not an sddl' exit code" "$rc" 1
expect_contains "--pipe-sddl 'not an sddl'" "$err" "Error: Failed to parse pipe SDDL 'not an sddl'"
# A framework message must be a sentence, not a resource key such as ArgumentException_InvalidSDSddlForm.
[[ ! $err =~ [A-Z][A-Za-z]+_[A-Z][A-Za-z]+ ]] || fail "--pipe-sddl 'not an sddl': the message is a resource key: $err"
ok "an invalid --pipe-sddl fails startup (exit 1): $(head -n 1 <<<"$err")"

# TCP mode, from Linux.
port=$((20000 + RANDOM % 20000))
start_daemon "$work/tcp.log" --simulate --mode tcp --tcp-bind-address "127.0.0.1:$port" --log-level debug
wait_log "Listening on 127.0.0.1:$port" 90
tcp=$(curl -sS -m 10 -w '\n%{http_code}' "http://127.0.0.1:$port/gpu/get_power?gpu_ids=0") || fail "curl to zeusd.exe over TCP failed"
expect "TCP GET /gpu/get_power?gpu_ids=0 status" "$(tail -n 1 <<<"$tcp")" 200
[[ $(head -n 1 <<<"$tcp") =~ ^\{\"timestamp_ms\":[0-9]+,\"power_mw\":\{\"0\":[0-9]+\}\}$ ]] \
    || fail "TCP GET /gpu/get_power?gpu_ids=0: unexpected body $(head -n 1 <<<"$tcp")"
ok "--mode tcp: curl from Linux GET /gpu/get_power?gpu_ids=0 -> 200 $(head -n 1 <<<"$tcp")"
stop_daemon "TCP mode"
ok "--mode tcp: Ctrl-C -> exit 0"

# Named pipe with --pipe-name and --pipe-sddl.
start_daemon "$work/named.log" --simulate --pipe-name '\\.\pipe\zeusd-smoke' --pipe-sddl 'D:(A;;GRGW;;;WD)' --log-level debug
wait_log 'Listening on named pipe \\.\pipe\zeusd-smoke (SDDL: D:(A;;GRGW;;;WD))' 90
pipe --pipe 'zeusd-smoke' /discover
expect "GET /discover over --pipe-name zeusd-smoke" "$status" 200
ok "--pipe-name \\\\.\\pipe\\zeusd-smoke --pipe-sddl D:(A;;GRGW;;;WD): GET /discover -> 200"
stop_daemon "named pipe zeusd-smoke"

# The default mode (named pipe \\.\pipe\zeusd, default SDDL, default API groups): nothing but --simulate.
start_daemon "$work/default.log" --simulate --log-level debug
wait_log 'Listening on named pipe \\.\pipe\zeusd (SDDL: D:(A;;GRGW;;;AU))' 90
ok "default mode: listening on named pipe \\\\.\\pipe\\zeusd (SDDL: D:(A;;GRGW;;;AU))"

pipe /discover
expect "GET /discover status" "$status" 200
expect_contains "GET /discover" "$body" '"enabled_api_groups":["gpu-control","gpu-read"]'
expect_contains "GET /discover" "$body" '"cpus":[]'
[[ $(grep -o '"id":' <<<"$body" | wc -l) -eq 4 ]] || fail "GET /discover: expected 4 simulated GPUs in $body"
ok "named pipe: GET /discover -> 200, 4 GPUs, no CPUs, groups gpu-control,gpu-read (the Windows default)"

pipe --method POST '/gpu/set_power_limit?gpu_ids=0&power_limit_mw=175000&block=true'
expect "POST /gpu/set_power_limit status (body '$body')" "$status" 200
pipe '/gpu/get_power_limit?gpu_ids=0'
expect "GET /gpu/get_power_limit?gpu_ids=0 after the write" "$body" '{"0":{"power_limit_mw":175000}}'
ok "named pipe: POST /gpu/set_power_limit 175000 mW -> 200, read back $body"

pipe --method POST '/gpu/set_persistence_mode?gpu_ids=0&enabled=false&block=true'
expect "POST /gpu/set_persistence_mode enabled=false status" "$status" 400
expect_contains "POST /gpu/set_persistence_mode enabled=false" "$body" "Persistence mode cannot be disabled on this platform."
refusal=$body
pipe --method POST '/gpu/set_persistence_mode?gpu_ids=0&enabled=true&block=true'
expect "POST /gpu/set_persistence_mode enabled=true status (body '$body')" "$status" 200
pipe '/gpu/get_persistence_mode?gpu_ids=0'
expect "GET /gpu/get_persistence_mode?gpu_ids=0" "$body" '{"0":{"enabled":true}}'
ok "named pipe: persistence enabled=false -> 400 $refusal; enabled=true -> 200; read back enabled"

pipe --headers --events 2 /gpu/stream_power
expect "GET /gpu/stream_power status" "$status" 200
grep -qix 'Content-Type: text/event-stream' <<<"$body" || fail "GET /gpu/stream_power: not text/event-stream: $body"
events=$(grep -cE '^data: \{"timestamp_ms":[0-9]+,"gpu_id":[0-3],"power_mw":[0-9]+\}$' <<<"$body" || true)
[[ $events -ge 2 ]] || fail "GET /gpu/stream_power: expected 2 power events, got: $body"
wait_log 'GPU power stream closed (client left: True)' 30
ok "named pipe: GET /gpu/stream_power -> 200 text/event-stream, $events events, the client's disconnect seen by the daemon"

stop_daemon "named-pipe mode"
ok "named pipe: Ctrl-C -> exit 0 (CTRL_C_EVENT reached the .NET host)"
say "all checks passed: checks $((SECONDS - started)) s, $SECONDS s in all"
