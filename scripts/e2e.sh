#!/usr/bin/env bash
# End-to-end tests of the analyst web UI in a real headless Chromium (Debian's
# /usr/bin/chromium driven by playwright-core; nothing is downloaded at test time).
#
#   scripts/e2e.sh                       # builds the debug binary if RAQIB_BIN is unset
#   RAQIB_BIN=target/release/raqib scripts/e2e.sh
#   RAQIB_REQUIRE_BROWSER=1 scripts/e2e.sh   # CI: a missing Chromium is a failure, not a skip
#
# The tests start `raqib serve` on a free loopback port with a throwaway SQLite database, create
# member keys with `raqib keys create`, run the analyst story (sign in, screen, decide, audit,
# AMLSim transactions, fan-in alert graph, case and report, a second member sees nothing) under
# a concurrent screening load, and save screenshots of each step under test-output/e2e/.
# Extra arguments go to `node --test` (e.g. --test-name-pattern=screen).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

chromium=${RAQIB_CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
  if [ -n "${RAQIB_REQUIRE_BROWSER:-}" ] && [ "${RAQIB_REQUIRE_BROWSER}" != 0 ]; then
    echo "error: no Chromium at $chromium and RAQIB_REQUIRE_BROWSER is set (apt-get install chromium)" >&2
    exit 1
  fi
  echo "SKIPPED: browser end-to-end tests need Chromium at $chromium (apt-get install chromium); set RAQIB_REQUIRE_BROWSER=1 to make this an error" >&2
  # The UI's browser-free tests still run.
  if command -v node >/dev/null 2>&1; then
    (cd e2e && node --test tests/explain.test.mjs)
  fi
  exit 0
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "error: the browser end-to-end tests need node (>= 20) and npm" >&2
  exit 1
fi

if [ ! -d e2e/node_modules/playwright-core ]; then
  (cd e2e && npm ci --no-audit --no-fund)
fi

if [ -z "${RAQIB_BIN:-}" ]; then
  cargo build -p raqib
  RAQIB_BIN="${CARGO_TARGET_DIR:-$repo/target}/debug/raqib"
fi
case "$RAQIB_BIN" in /*) ;; *) RAQIB_BIN="$repo/$RAQIB_BIN" ;; esac
export RAQIB_BIN RAQIB_CHROMIUM="$chromium"

mkdir -p test-output/e2e
cd e2e
exec node --test --test-concurrency=1 --test-reporter=spec "$@" tests/*.test.mjs
