#!/usr/bin/env bash
# The whole test suite, as README promises: starts the services the tests need (a throwaway
# PostgreSQL on loopback), runs every test of the workspace against them, then the analyst UI's
# end-to-end tests in headless Chromium (scripts/e2e.sh), and stops the services again.
#
#   scripts/test.sh            # everything
#   scripts/test.sh -p screening   # extra arguments go to `cargo test` (the browser tests are
#                                  # then left out; run scripts/e2e.sh on its own)
#
# Without root (no apt-get) and without a local PostgreSQL, the PostgreSQL variants of the store
# and server tests are skipped with a notice; without Chromium the browser tests are skipped with
# a notice. CI sets RAQIB_REQUIRE_POSTGRES=1 and RAQIB_REQUIRE_BROWSER=1 to make both fatal.
set -euo pipefail
cd "$(dirname "$0")/.."

started_pg=
cleanup() {
  if [ -n "$started_pg" ]; then scripts/start-postgres.sh --stop >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

if [ -z "${RAQIB_TEST_POSTGRES_URL:-}" ]; then
  # start-postgres.sh installs PostgreSQL if it can, starts a throwaway cluster on loopback
  # and prints its URL.
  if url=$(scripts/start-postgres.sh); then
    export RAQIB_TEST_POSTGRES_URL="$url"
    started_pg=1
  elif [ -n "${RAQIB_REQUIRE_POSTGRES:-}" ]; then
    echo "error: PostgreSQL could not be started and RAQIB_REQUIRE_POSTGRES is set" >&2
    exit 1
  else
    echo "warning: PostgreSQL could not be started; its test variants are skipped" >&2
  fi
fi

cargo test --workspace --locked "$@"

if [ $# -eq 0 ]; then
  # `cargo test --workspace` has just built the debug binary the browser tests drive.
  RAQIB_BIN="${RAQIB_BIN:-${CARGO_TARGET_DIR:-$PWD/target}/debug/raqib}" scripts/e2e.sh
fi
