#!/usr/bin/env bash
# Installs what the tests need, builds, starts a PostgreSQL 15 of the suite's own (scripts/postgres.sh,
# 127.0.0.1 only, stopped and removed at the end, also on failure), and runs every test project.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$repo/scripts/setup.sh"
# promtool (Debian's prometheus package) lints the /metrics exposition in the HTTP tests.
need_package prometheus command -v promtool
cd "$repo"

# libtorch 2.10 (the torch backend's tests) needs glibc >= 2.38: on older systems (Debian 12) its tests
# run under a private runtime (scripts/torch-runtime.sh); the test project reads LETHE_TORCH_DOTNET.
glibc="$(getconf GNU_LIBC_VERSION | awk '{print $2}')"
if [ "$(printf '%s\n' 2.38 "$glibc" | sort -V | head -n1)" != 2.38 ]; then
  LETHE_TORCH_DOTNET="$("$repo/scripts/torch-runtime.sh")"
  export LETHE_TORCH_DOTNET
fi

postgres_dir="$(mktemp -d "${TMPDIR:-/tmp}/lethe-postgres.XXXXXX")"
trap '"$repo/scripts/postgres.sh" stop "$postgres_dir"' EXIT
trap 'exit 130' INT TERM
LETHE_TEST_POSTGRES="$("$repo/scripts/postgres.sh" start "$postgres_dir")"
export LETHE_TEST_POSTGRES
echo "test: PostgreSQL 15 for the tests at ${LETHE_TEST_POSTGRES%%;Username*}" >&2

dotnet test "$repo/Cluster.sln" -c Release --no-build -nologo "$@"
