#!/usr/bin/env bash
# The whole test suite, as README promises: starts the services the tests need (a throwaway
# PostgreSQL on loopback), runs every test of the workspace against them, and stops them again.
#
#   scripts/test.sh            # everything
#   scripts/test.sh -p screening   # extra arguments go to `cargo test`
#
# Without root (no apt-get) and without a local PostgreSQL, the PostgreSQL variants of the store
# and server tests are skipped with a notice; everything else still runs.
set -euo pipefail
cd "$(dirname "$0")/.."

cleanup() {
  if [ -n "${RAQIB_PG_STOP:-}" ]; then eval "$RAQIB_PG_STOP" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

if [ -z "${RAQIB_TEST_POSTGRES_URL:-}" ] && [ -x scripts/start-postgres.sh ]; then
  # start-postgres.sh prints `export VAR=...` lines for the URL and the stop command.
  if out=$(scripts/start-postgres.sh); then
    eval "$out"
  else
    echo "warning: PostgreSQL could not be started; its test variants are skipped" >&2
  fi
fi

cargo test --workspace --locked "$@"
