#!/usr/bin/env bash
# Release build: one self-contained, single-file, trimmed, ReadyToRun zeusd that runs without .NET installed.
#
#   packaging/publish.sh [RID] [-- extra dotnet publish arguments]
#
# RID defaults to linux-x64. Packs that restore here: linux-x64, win-x64 (linux-arm64's runtime packs are not served
# to this build machine; on one that has them, `packaging/publish.sh linux-arm64` works the same). The properties live
# in src/Zeusd/Properties/PublishProfiles/SingleFile.pubxml; variants, for example:
#   packaging/publish.sh linux-x64 -- -p:PublishTrimmed=false            # untrimmed (larger, same behavior)
#   packaging/publish.sh linux-x64 -- -p:EnableCompressionInSingleFile=true
#   packaging/publish.sh linux-x64 -- -p:PublishAot=true -p:PublishReadyToRun=false
#       # NativeAOT: needs the Microsoft.NETCore.App.Runtime.NativeAOT.<rid> / ILCompiler packs and clang or gcc + zlib;
#       # those packs are not served here, so this one is built elsewhere.
# The executable lands in artifacts/publish/<RID>/ (zeusd, or zeusd.exe for win-*), nothing else beside it.
set -euo pipefail
cd "$(dirname "$0")/.."

rid=linux-x64
if [[ $# -gt 0 && $1 != -- ]]; then
    rid=$1
    shift
fi
if [[ $# -gt 0 && $1 == -- ]]; then
    shift
fi
out="artifacts/publish/$rid"
rm -rf "$out"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet publish src/Zeusd -r "$rid" -p:PublishProfile=SingleFile -o "$out" -nologo "$@"

exe="$out/zeusd"
[[ $rid == win-* ]] && exe="$out/zeusd.exe"
stray=$(find "$out" -mindepth 1 ! -path "$exe")
if [[ -n $stray ]]; then
    echo "publish.sh: unexpected files beside the executable:" >&2
    echo "$stray" >&2
    exit 1
fi
echo "publish.sh: $exe ($(stat -c %s "$exe") bytes)"
sha256sum "$exe"
