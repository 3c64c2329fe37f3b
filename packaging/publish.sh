#!/usr/bin/env bash
# Release build: one executable per target that runs without .NET installed.
#
#   packaging/publish.sh [RID...] [--] [extra dotnet publish arguments, e.g. -v quiet]
#
# RIDs default to "linux-x64 linux-arm64".
#   linux-x64, linux-arm64   NativeAOT (src/Zeusd/Properties/PublishProfiles/NativeAot.pubxml): machine code, no JIT.
#                            The target that is not the host's architecture is cross-compiled with clang + lld against
#                            Debian's cross sysroot packages (gcc-<arch>-linux-gnu, libc6-dev-<arch>-cross).
#   win-x64                  self-contained single file, trimmed, ReadyToRun (SingleFile.pubxml): NativeAOT does not
#                            cross-compile across operating systems.
# Missing build tools (clang, lld, llvm-objcopy, the cross sysroot) are installed with apt-get when running as root;
# otherwise the script says which packages to install.
# Variants, for example:
#   packaging/publish.sh linux-x64 -- -p:OptimizationPreference=Size
#   packaging/publish.sh linux-x64 -- -p:PublishProfile=SingleFile   # the previous single-file build, for comparison
# Each executable lands alone in artifacts/publish/<RID>/ (zeusd, or zeusd.exe for win-*); the DWARF of a NativeAOT
# build goes to artifacts/symbols/<RID>/zeusd.dbg (not needed to run; for gdb/perf on a crash or profile).
set -euo pipefail
cd "$(dirname "$0")/.."

rids=()
while [[ $# -gt 0 && $1 != -* ]]; do
    rids+=("$1")
    shift
done
if [[ $# -gt 0 && $1 == -- ]]; then
    shift
fi
((${#rids[@]})) || rids=(linux-x64 linux-arm64)

host_arch=$(uname -m)
case $host_arch in
    x86_64) host_rid_arch=x64 ;;
    aarch64) host_rid_arch=arm64 ;;
    *) host_rid_arch=$host_arch ;;
esac

# The Debian names of a target architecture: GNU triple's first part, cross-gcc package infix, libc cross package infix.
gnu_arch() { case $1 in x64) echo x86_64 ;; arm64) echo aarch64 ;; *) return 1 ;; esac; }
deb_cross_gcc() { case $1 in x64) echo gcc-x86-64-linux-gnu ;; arm64) echo gcc-aarch64-linux-gnu ;; esac; }
deb_cross_libc() { case $1 in x64) echo libc6-dev-amd64-cross ;; arm64) echo libc6-dev-arm64-cross ;; esac; }

# Installs the Debian packages in $@ that are not installed yet.
ensure_packages() {
    local missing=() pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' || missing+=("$pkg")
    done
    ((${#missing[@]})) || return 0
    if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
        echo "publish.sh: missing build packages: ${missing[*]} (install them, e.g. sudo apt-get install ${missing[*]})" >&2
        exit 1
    fi
    echo "publish.sh: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null 2>&1 || {
        apt-get update -q >/dev/null
        apt-get install -y -q --no-install-recommends "${missing[@]}"
    }
}

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

publish_one() {
    local rid=$1
    shift
    local out="artifacts/publish/$rid" symbols="artifacts/symbols/$rid" exe props=()
    rm -rf "$out" "$symbols"
    case $rid in
        linux-*)
            local arch=${rid#linux-}
            props=(-p:PublishProfile=NativeAot)
            if [[ $arch == "$host_rid_arch" ]]; then
                ensure_packages clang llvm
            else
                # Cross: clang with --target=<arch>-linux-gnu (the ILCompiler targets pass it) finds Debian's cross
                # layout (/usr/<triple>/lib, /usr/lib/gcc-cross/<triple>) by itself. No SysRoot: with
                # --sysroot=/usr/<triple>, lld resolves the absolute paths inside that layout's libc.so linker script
                # below the sysroot again and fails. lld links for any architecture; llvm-objcopy strips for any.
                local triple
                triple=$(gnu_arch "$arch")-linux-gnu
                ensure_packages clang lld llvm "$(deb_cross_gcc "$arch")" "$(deb_cross_libc "$arch")"
                [[ -d /usr/$triple/lib ]] || { echo "publish.sh: no /usr/$triple/lib after installing the cross packages" >&2; exit 1; }
                props+=(-p:LinkerFlavor=lld -p:ObjCopyName=llvm-objcopy)
            fi
            ;;
        win-*)
            props=(-p:PublishProfile=SingleFile)
            ;;
        *)
            echo "publish.sh: unsupported RID $rid (linux-x64, linux-arm64, win-x64)" >&2
            exit 2
            ;;
    esac

    dotnet publish src/Zeusd -r "$rid" "${props[@]}" -o "$out" -nologo "$@"

    exe="$out/zeusd"
    [[ $rid == win-* ]] && exe="$out/zeusd.exe"
    if [[ -f $out/zeusd.dbg ]]; then
        mkdir -p "$symbols"
        mv "$out/zeusd.dbg" "$symbols/"
    fi
    local stray
    stray=$(find "$out" -mindepth 1 ! -path "$exe")
    if [[ -n $stray ]]; then
        echo "publish.sh: unexpected files beside the executable:" >&2
        echo "$stray" >&2
        exit 1
    fi
    echo "publish.sh: $exe ($(stat -c %s "$exe") bytes)"
    sha256sum "$exe"
}

for rid in "${rids[@]}"; do
    publish_one "$rid" "$@"
done
