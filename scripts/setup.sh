#!/usr/bin/env bash
# Installs what Lethe needs on a fresh Debian machine and builds it (Release).
# Sourced by demo.sh and test.sh; safe to run again (it skips what is already there).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "setup: need root to run: $*" >&2; exit 1; fi
}

apt_updated=0
need_package() { # need_package PACKAGE TEST-COMMAND...
  local package=$1; shift
  if "$@" >/dev/null 2>&1; then return; fi
  if [ "$apt_updated" -eq 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
  echo "setup: installing $package" >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null
}

need_package libopenblas0-pthread sh -c 'ldconfig -p | grep -q "libopenblas.so.0 "'
need_package postgresql-15 test -x /usr/lib/postgresql/15/bin/initdb
command -v dotnet >/dev/null || { echo "setup: the .NET 10 SDK is required (dotnet not on PATH)" >&2; exit 1; }

echo "setup: building (Release)" >&2
dotnet build "$repo/Cluster.sln" -c Release -nologo -clp:ErrorsOnly >&2
