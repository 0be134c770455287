#!/usr/bin/env bash
# The main job on the embedded default. Extra arguments go to `lethe demo`.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$repo/scripts/setup.sh"
cd "$repo"
exec dotnet "$repo/src/Silo/bin/Release/net10.0/lethe.dll" demo "$@"
