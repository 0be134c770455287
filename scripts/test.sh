#!/usr/bin/env bash
# Installs what the tests need, builds, starts a PostgreSQL 15 of the suite's own (scripts/postgres.sh,
# 127.0.0.1 only, stopped and removed at the end, also on failure), and runs every test project.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$repo/scripts/setup.sh"
cd "$repo"

postgres_dir="$(mktemp -d "${TMPDIR:-/tmp}/lethe-postgres.XXXXXX")"
trap '"$repo/scripts/postgres.sh" stop "$postgres_dir"' EXIT
trap 'exit 130' INT TERM
LETHE_TEST_POSTGRES="$("$repo/scripts/postgres.sh" start "$postgres_dir")"
export LETHE_TEST_POSTGRES
echo "test: PostgreSQL 15 for the tests at ${LETHE_TEST_POSTGRES%%;Username*}" >&2

dotnet test "$repo/Cluster.sln" -c Release --no-build -nologo "$@"
