#!/usr/bin/env bash
# Prepares a private runtime in which libtorch 2.10 (TorchSharp-cpu 0.107) loads on Debian 12.
#
# libtorch's native shim needs glibc >= 2.38 and GCC 13's libstdc++; Debian 12 has glibc 2.36.
# This fetches Debian 13's libc6, libstdc++6 and libgcc-s1 by package name with apt-get, using
# private lists, cache and sources (the system's apt configuration and installed packages are
# left as they are), unpacks them into a folder, and copies the .NET host with its ELF
# interpreter and rpath pointing there. Processes started from that host (the torch test host)
# then run on Debian 13's C and C++ runtimes; everything else on the machine is untouched.
#
# Usage: scripts/torch-runtime.sh [DIR]   (default: $LETHE_TORCH_RUNTIME or artifacts/torch-runtime)
# Prints the patched host's path on stdout. Safe to run again: it skips what is already there.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="$(mkdir -p "${1:-${LETHE_TORCH_RUNTIME:-$repo/artifacts/torch-runtime}}" && cd "${1:-${LETHE_TORCH_RUNTIME:-$repo/artifacts/torch-runtime}}" && pwd)"
suite=trixie
packages=(libc6 libstdc++6 libgcc-s1)
sysroot="$root/sysroot"
libdir="$sysroot/usr/lib/x86_64-linux-gnu"
interpreter="$libdir/ld-linux-x86-64.so.2"
host="$root/dotnet/dotnet"

log() { echo "torch-runtime: $*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    log "need root to run: $*"; exit 1; fi
}

if [ "$(dpkg --print-architecture)" != amd64 ]; then log "only amd64 is supported"; exit 1; fi

if ! command -v patchelf >/dev/null; then
  log "installing patchelf"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq patchelf >/dev/null
fi

# Private apt: its own sources, lists, cache and (empty) dpkg status; only reads the system's keyrings.
fetch_packages() {
  local apt="$root/apt"
  mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/debs" "$apt/empty"
  cat >"$apt/sources.list" <<EOF
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $suite main
EOF
  : >"$apt/status"
  local options=(
    -o "Dir::Etc::SourceList=$apt/sources.list" -o "Dir::Etc::SourceParts=$apt/empty"
    -o "Dir::Etc::Preferences=$apt/empty/none" -o "Dir::Etc::PreferencesParts=$apt/empty"
    -o "Dir::State::Lists=$apt/lists" -o "Dir::State::status=$apt/status"
    -o "Dir::Cache=$apt/cache" -o "Dir::Cache::archives=$apt/cache/archives"
    -o "Debug::NoLocking=true" -o "APT::Sandbox::User=root"
    -o "APT::Architecture=amd64" -o "APT::Architectures=amd64"
  )
  log "fetching ${packages[*]} from Debian $suite"
  apt-get "${options[@]}" update -qq >&2
  (cd "$apt/debs" && rm -f ./*.deb && apt-get "${options[@]}" download "${packages[@]}" >&2)
  rm -rf "$sysroot.partial"
  mkdir -p "$sysroot.partial"
  for deb in "$apt/debs"/*.deb; do dpkg-deb -x "$deb" "$sysroot.partial"; done
  rm -rf "$sysroot"
  mv "$sysroot.partial" "$sysroot"
  rm -rf "$apt"  # lists and packages are not needed once unpacked
}

[ -x "$interpreter" ] && [ -e "$libdir/libstdc++.so.6" ] && [ -e "$libdir/libgcc_s.so.1" ] || fetch_packages

# The host is a copy of the dotnet muxer beside links to the installed SDK, runtimes and hostfxr,
# so it finds them as it would from its own folder. DT_RPATH (not RUNPATH) so that it also
# governs the libraries the runtime loads later with dlopen (coreclr, libtorch and their deps).
system_host="$(readlink -f "$(command -v dotnet)")"
system_root="$(dirname "$system_host")"
if [ ! -x "$host" ] || [ "$(patchelf --print-interpreter "$host" 2>/dev/null)" != "$interpreter" ] \
   || ! cmp -s "$root/dotnet/.source" <(sha256sum "$system_host"); then
  log "patching a copy of $system_host"
  mkdir -p "$root/dotnet"
  for entry in "$system_root"/*; do
    [ "$(basename "$entry")" = dotnet ] || ln -sfn "$entry" "$root/dotnet/$(basename "$entry")"
  done
  cp "$system_host" "$host.partial"
  patchelf --set-interpreter "$interpreter" --force-rpath --set-rpath "$libdir" "$host.partial"
  mv "$host.partial" "$host"
  sha256sum "$system_host" >"$root/dotnet/.source"
fi

"$host" --list-runtimes >/dev/null || { log "the patched host does not start"; exit 1; }
echo "$host"
