#!/usr/bin/env bash
# Load test of `raqib serve` with wrk: POST /v1/screen at 64 connections for 30 s (release
# build), then a second run during which a list file is corrupted and a reload is requested:
# the reload must fail with 422, every request must still succeed, the old lists keep serving.
#
#   scripts/loadtest.sh                 # builds the release binary if needed
#   RAQIB_BIN=path/to/raqib DURATION=30s CONNECTIONS=64 THREADS=2 scripts/loadtest.sh
#   BASELINE_BIN=path/to/old/raqib scripts/loadtest.sh   # also runs the steady phase on an
#                                       # older binary first (fresh database each) and prints
#                                       # the new/old ratio: compare within one run on a noisy
#                                       # machine
#   FLOOR_DURATION=10s                  # GET /healthz at the same connections after the
#                                       # steady phase: the spread the shared machine itself
#                                       # adds (empty: skipped)
#
# Two ways to load it, because they answer two questions:
#  * saturation (wrk, closed loop): every connection sends its next request as soon as the
#    last answer arrives, so the server runs flat out. This gives the most requests/s the
#    machine can serve; the latency it reports is mostly queueing, bounded below by Little's
#    law (64 connections / requests per second: 64 / 5,000 req/s = 12.8 ms mean).
#  * fixed rates (oha -q, open loop, --latency-correction): each of RATES requests/s offered
#    over the same 64 connections, whatever the server does. This gives the latency a client
#    sees at that throughput, with coordinated omission corrected (a stalled server is charged
#    for the requests that should have been sent meanwhile). oha needs more CPU per request
#    than wrk, so a rate near the saturation figure overloads the shared cores and its
#    latencies explode: read the curve. Skipped if RATES is empty.
#
# The server and the load generator share this machine's two cores, so the figures are a
# lower bound for a dedicated server. Needs wrk (Debian: apt-get install -y wrk; installed
# here if missing) and oha for the fixed-rate phase (`cargo install oha --locked`, installed
# here if missing).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="${RAQIB_BIN:-${CARGO_TARGET_DIR:-$ROOT/target}/release/raqib}"
DURATION="${DURATION:-30s}"
RELOAD_DURATION="${RELOAD_DURATION:-15s}"
CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-2}"
RATES="${RATES:-1000 2000 3000 5000}"
RATE_DURATION="${RATE_DURATION:-20s}"
PORT="${PORT:-18088}"
WORK="$(mktemp -d /tmp/raqib-load.XXXXXX)"
SERVER_PID=""

cleanup() {
    if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

if ! command -v wrk >/dev/null; then
    echo "loadtest: installing wrk" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >&2
fi
if [ -n "$RATES" ] && ! command -v oha >/dev/null; then
    echo "loadtest: installing oha" >&2
    cargo install oha --locked >&2
fi
if [ ! -x "$BIN" ]; then
    echo "loadtest: building the release binary" >&2
    (cd "$ROOT" && cargo build --release -p raqib)
fi

# The lists: a copy of the embedded default files, so the reload phase can corrupt one.
mkdir -p "$WORK/lists"
cp -r "$ROOT"/data/lists/* "$WORK/lists/"
rm -f "$WORK"/lists/*.md  # documentation, not a list

start_server() {  # $1 = binary, $2 = database file; sets SERVER_PID and RAQIB_KEY
    KEY="$("$1" keys create --database "$2" --member "Load Test Bank" --role admin 2>/dev/null)"
    export RAQIB_KEY="$KEY"
    "$1" serve --bind "127.0.0.1:$PORT" --database "$2" --lists "$WORK"/lists/* >"$WORK/serve.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 120); do
        if curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; then break; fi
        sleep 0.5
    done
    curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null || { cat "$WORK/serve.log" >&2; exit 1; }
    cat "$WORK/serve.log" >&2
}

stop_server() {
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
}

# MIX=names (default): 16 listed and unlisted names in several scripts and spellings.
# MIX=cheap: one made-up name with no hits (small answer, nothing to mark as suppressed, no
# hit rows): isolates the fixed per-request cost. The matcher still searches typo keys, so it
# is not free.
if [ "${MIX:-names}" = "cheap" ]; then
    NAMES_LUA='"Qzxv Wkjhq"'
else
    NAMES_LUA='"Abu Bakr al-Baghdadi", "أبو بكر البغدادي", "Ebubekir el-Bağdadi", "BAGHDADI, Abu Bakr",
  "Ayman al-Zawahiri", "Hamza bin Laden", "John Smith", "Maria Garcia Lopez",
  "Kim Jong Un", "Viktor Bout", "Al-Rashid Trust", "Acme Trading LLC",
  "Mohammed Ahmed", "Khalid Yusuf al-Baghdadi", "Olena Petrenko", "Banco Delta Asia"'
fi
python3 - "$WORK/bodies.txt" <<PY
import json, sys
names = [ $NAMES_LUA ]
with open(sys.argv[1], "w", encoding="utf-8") as f:
    for i, n in enumerate(names, 1):
        f.write(json.dumps({"name": n, "reference": f"load-{i}"}, ensure_ascii=False) + "\n")
PY
cat >"$WORK/screen.lua" <<LUA
local names = { $NAMES_LUA }
local bodies = {}
for i, n in ipairs(names) do
  bodies[i] = '{"name":"' .. n .. '","reference":"load-' .. i .. '"}'
end
local i = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("RAQIB_KEY")
request = function()
  i = (i % #bodies) + 1
  return wrk.format(nil, "/v1/screen", nil, bodies[i])
end
LUA


summarise() {  # $1 = wrk output file, $2 = label
    local f="$1"
    local rps p50 p99 non2xx sockerr
    rps="$(awk '/Requests\/sec/ {print $2}' "$f")"
    p50="$(awk '$1=="50%" {print $2}' "$f")"
    p99="$(awk '$1=="99%" {print $2}' "$f")"
    non2xx="$(awk '/Non-2xx or 3xx responses/ {print $NF}' "$f")"
    sockerr="$(grep -o 'Socket errors:.*' "$f" || true)"
    echo "$2: requests/s=$rps p50=$p50 p99=$p99 non_2xx=${non2xx:-0} ${sockerr:-socket_errors=0}"
}

store_report() {  # $1 = database file, $2 = label: rows stored and bytes per screening
    python3 - "$1" "$2" <<'PY'
import os, sqlite3, sys
db, label = sys.argv[1], sys.argv[2]
c = sqlite3.connect(db)
c.execute("pragma wal_checkpoint(truncate)")
n = c.execute("select count(*) from screenings").fetchone()[0]
h = c.execute("select count(*) from hits").fetchone()[0]
size = os.path.getsize(db) + (os.path.getsize(db + "-wal") if os.path.exists(db + "-wal") else 0)
print(f"{label} stored: {n} screenings, {h} hits; database {size / 1e6:.1f} MB, {size / max(n, 1):.0f} bytes per screening")
PY
}

steady() {  # $1 = binary, $2 = label, $3 = wrk output file
    rm -f "$WORK/$2.db" "$WORK/$2.db-wal" "$WORK/$2.db-shm"
    start_server "$1" "$WORK/$2.db"
    # Warm-up (not reported).
    wrk -t"$THREADS" -c"$CONNECTIONS" -d3s -s "$WORK/screen.lua" "http://127.0.0.1:$PORT" >/dev/null
    echo "== $2 /v1/screen: $CONNECTIONS connections, $THREADS wrk threads, $DURATION, load average $(cut -d' ' -f1 /proc/loadavg)" >&2
    local cpu0 stat0 cpu1 stat1
    cpu0="$(server_ticks)"; stat0="$(machine_ticks)"
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$WORK/screen.lua" "http://127.0.0.1:$PORT" | tee "$3" >&2
    cpu1="$(server_ticks)"; stat1="$(machine_ticks)"
    summarise "$3" "$2"
    cpu_report "$3" "$2" "$cpu0" "$cpu1" "$stat0" "$stat1"
    server_report "$2"
}

server_ticks() { awk '{print $14 + $15}' "/proc/$SERVER_PID/stat"; }  # utime + stime
machine_ticks() { awk '/^cpu / {t = 0; for (i = 2; i <= NF; i++) t += $i; print $5 + $6, t; exit}' /proc/stat; }  # idle, total

# Where the time goes: server CPU per request, the machine's idle share, and Little's law
# (connections / throughput = the mean latency of a closed loop: no server makes a closed
# loop's mean latency lower than that at a given throughput).
cpu_report() {  # $1 = wrk output, $2 = label, $3 $4 = server ticks before/after, $5 $6 = machine "idle total" before/after
    python3 - "$@" "$CONNECTIONS" "$(getconf CLK_TCK)" <<'PY'
import re, sys
out, label, c0, c1, s0, s1, conns, hz = sys.argv[1:]
text = open(out).read()
m = re.search(r"(\d+) requests in ([\d.]+)(\w+)", text)
rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
if not m or not rps:
    sys.exit(0)
n, rps = int(m.group(1)), float(rps.group(1))
(i0, t0), (i1, t1) = map(int, s0.split()), map(int, s1.split())
cpu = (int(c1) - int(c0)) / int(hz)
print("%s cpu: server %.0f us per request, machine idle %.0f%%; Little's law: %s connections / %.0f req/s = %.2f ms mean latency"
      % (label, cpu / max(n, 1) * 1e6, 100 * (i1 - i0) / max(t1 - t0, 1), conns, rps, int(conns) / max(rps, 1) * 1e3))
PY
}

# The harness's own floor: the same connections against GET /healthz (no matching, no
# storage), on the same shared cores. Its p99/p50 is the spread the machine adds to any
# request. FLOOR_DURATION= (empty) skips it.
floor() {  # $1 = label
    [ -n "${FLOOR_DURATION:-10s}" ] || return 0
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${FLOOR_DURATION:-10s}" --latency "http://127.0.0.1:$PORT/healthz" >"$WORK/floor.txt"
    summarise "$WORK/floor.txt" "$1 floor (GET /healthz)"
}

server_report() {  # $1 = label: the server's own view from /metrics (bucket bounds, not exact)
    curl -s "http://127.0.0.1:$PORT/metrics" >"$WORK/metrics.txt"
    python3 - "$1" "$WORK/metrics.txt" <<'PY'
import re, sys
label, path = sys.argv[1], sys.argv[2]
hist, vals = {}, {}
for line in open(path):
    m = re.match(r'(\w+)_bucket\{(?:route="/v1/screen",)?le="([^"]+)"\} (\d+)', line)
    if m:
        hist.setdefault(m.group(1), []).append((m.group(2), int(m.group(3))))
        continue
    m = re.match(r'(raqib_store_\w+) ([0-9.e+-]+)$', line)
    if m:
        vals[m.group(1)] = float(m.group(2))

def q(name, p):
    b = hist.get(name, [])
    total = b[-1][1] if b else 0
    for le, n in b:
        if total and n >= p * total:
            return "<=+Inf" if le == "+Inf" else "<=%gms" % (float(le) * 1000)
    return "=-"

handler = "raqib_http_request_duration_seconds"
wait = "raqib_store_wait_seconds"
commit = "raqib_store_commit_duration_seconds"
commits = vals.get("raqib_store_commits_total", 0)
jobs = vals.get("raqib_store_jobs_total", 0)
mean = vals.get(commit + "_sum", 0) / max(vals.get(commit + "_count", 1), 1)
print("%s server-side (incl. warm-up): /v1/screen handler p50%s p99%s; store wait p50%s p99%s; "
      "%d commits, %.1f jobs each, mean commit %.2f ms, commit p99%s"
      % (label, q(handler, .5), q(handler, .99), q(wait, .5), q(wait, .99),
         commits, jobs / max(commits, 1), mean * 1000, q(commit, .99)))
PY
}

fixed_rate() {  # $1 = label, $2 = oha output file prefix: each of RATES for RATE_DURATION
    local rate f rps p50 p99 p999 ok
    for rate in $RATES; do
        f="$2-$rate.txt"
        echo "== $1 /v1/screen at a fixed $rate req/s: $CONNECTIONS connections, $RATE_DURATION, latency-corrected, load average $(cut -d' ' -f1 /proc/loadavg)" >&2
        oha --no-tui -c "$CONNECTIONS" -q "$rate" -z "$RATE_DURATION" --latency-correction -u ms \
            -m POST -T application/json -H "Authorization: Bearer $RAQIB_KEY" -Z "$WORK/bodies.txt" \
            "http://127.0.0.1:$PORT/v1/screen" >"$f"
        rps="$(awk '/Requests\/sec/ {print $2}' "$f")"
        p50="$(awk '$1=="50.00%" {print $3}' "$f")"
        p99="$(awk '$1=="99.00%" {print $3}' "$f")"
        p999="$(awk '$1=="99.90%" {print $3}' "$f")"
        ok="$(awk '/Success rate/ {print $3}' "$f")"
        echo "$1 fixed-rate: offered=$rate requests/s=$rps p50=${p50}ms p99=${p99}ms p99.9=${p999}ms success=$ok"
    done
}

if [ -n "${BASELINE_BIN:-}" ]; then
    steady "$BASELINE_BIN" baseline "$WORK/wrk0.txt"
    fixed_rate baseline "$WORK/oha0"
    stop_server
    store_report "$WORK/baseline.db" baseline
fi
DB="$WORK/steady.db"
steady "$BIN" steady "$WORK/wrk1.txt"
floor steady
fixed_rate steady "$WORK/oha1"
if [ -n "${BASELINE_BIN:-}" ]; then
    awk -v a="$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk0.txt")" -v b="$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk1.txt")" \
        'BEGIN { if (a > 0) printf "ratio steady/baseline requests/s: %.2f\n", b / a }'
fi

echo "== reload with a corrupt list file under load ($RELOAD_DURATION)" >&2
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$RELOAD_DURATION" --latency -s "$WORK/screen.lua" "http://127.0.0.1:$PORT" >"$WORK/wrk2.txt" &
WRK_PID=$!
sleep 4
VICTIM="$(ls "$WORK"/lists/*.zst | head -1)"
head -c 5000 "$VICTIM" >"$VICTIM.tmp" && mv "$VICTIM.tmp" "$VICTIM"
RELOAD_STATUS="$(curl -s -o "$WORK/reload.json" -w '%{http_code}' -X POST -H "Authorization: Bearer $KEY" "http://127.0.0.1:$PORT/v1/lists/reload")"
wait "$WRK_PID"
cat "$WORK/wrk2.txt" >&2
summarise "$WORK/wrk2.txt" "during-reload"
echo "reload: HTTP $RELOAD_STATUS $(head -c 400 "$WORK/reload.json")"
LISTS="$(curl -s -H "Authorization: Bearer $KEY" "http://127.0.0.1:$PORT/v1/lists")"
echo "after reload: $(echo "$LISTS" | python3 -c 'import json,sys; d=json.load(sys.stdin); print("entities", d["entities"], "version", d["lists_version"], "last_reload.ok", d["last_reload"]["ok"])')"

store_report "$DB" steady

# Fail the script if any request failed or the reload did not fail cleanly.
FAIL=0
for f in "$WORK/wrk1.txt" "$WORK/wrk2.txt"; do
    if grep -q 'Non-2xx\|Socket errors' "$f"; then FAIL=1; fi
done
# oha: every answer a 200 (requests still in flight at the deadline are not failures)
for f in "$WORK"/oha1-*.txt; do
    [ -f "$f" ] || continue
    if grep -A20 'Status code distribution' "$f" | grep -q '^ *\[[13-5][0-9][0-9]\] [0-9]* responses'; then FAIL=1; fi
    if grep -A20 'Error distribution' "$f" | grep '^ *\[[0-9]' | grep -qv 'aborted due to deadline'; then FAIL=1; fi
done
[ "$RELOAD_STATUS" = "422" ] || FAIL=1
exit $FAIL
