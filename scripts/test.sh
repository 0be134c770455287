#!/usr/bin/env bash
# Installs what the tests need, builds, and runs every test project.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$repo/scripts/setup.sh"
cd "$repo"
dotnet test "$repo/Cluster.sln" -c Release --no-build -nologo "$@"
