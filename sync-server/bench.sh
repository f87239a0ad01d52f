#!/usr/bin/env bash
# Loopback load test of status and pull: starts qoder-server on a scratch database, signs up one
# account, pushes 1,000 records, then runs wrk (Debian package `wrk`) against
# GET /api/sync/status and GET /api/sync/records and prints the figures. The database is dropped at
# the end.
#
#   sync-server/bench.sh [SECONDS per endpoint, default 15] [cargo profile, default dev]
#       100 connections on each endpoint in turn.
#   sync-server/bench.sh --soak [SECONDS, default 600] [cargo profile, default release]
#       status and pull at once (50 connections each) for SECONDS; the server's RSS is sampled
#       every 30 s; prints requests, non-2xx answers and socket errors, and RSS first/last/max.
#
# The bench user makes thousands of requests a second, so the server runs with
# QODER_API_RATE_LIMIT=1000000000 (the per-user limit is still checked on every request: the
# upsert is part of what is measured; only the threshold is raised), and with access tokens that
# outlive the run.
set -euo pipefail
cd "$(dirname "$0")/.."
soak=""
if [ "${1:-}" = "--soak" ]; then
  soak=1
  shift
  secs="${1:-600}"
  profile="${2:-release}"
else
  secs="${1:-15}"
  profile="${2:-dev}"
fi
case "$secs" in '' | *[!0-9]*) echo "bench: SECONDS must be a whole number" >&2; exit 2 ;; esac
pg="${QODER_TEST_PG:-postgres://postgres@127.0.0.1:5432}"
db="qoder_bench_$$"
port=18181
command -v wrk >/dev/null || { echo "bench: wrk is needed (apt-get install wrk)" >&2; exit 1; }
cargo build -q -p qoder-server --profile "$profile"
dir=debug; [ "$profile" = dev ] || dir="$profile"
psql "$pg/postgres" -qc "CREATE DATABASE $db"
work=$(mktemp -d)
QODER_LISTEN="127.0.0.1:$port" QODER_DATABASE_URL="$pg/$db" QODER_LOG=warn \
QODER_API_RATE_LIMIT=1000000000 QODER_ACCESS_TOKEN_TTL=$((secs * 2 + 900)) \
QODER_JWT_SECRET="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" \
  "target/$dir/qoder-server" &
server=$!
cleanup() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  psql "$pg/postgres" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)"
  rm -rf "$work"
}
trap cleanup EXIT
for _ in $(seq 50); do curl -sf "127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.2; done
device=0190a3f4-0000-7000-8000-00000000b001
secret=$(printf 'b%.0s' $(seq 64))
token=$(curl -sf -XPOST "127.0.0.1:$port/api/auth/register" -H 'content-type: application/json' \
  -d "{\"email\":\"bench@example.com\",\"secret\":\"$secret\",\"device_id\":\"$device\"}" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
python3 - "$device" > "$work/push.json" <<'PY'
import base64, json, os, sys, uuid
dev = sys.argv[1]
recs = [{"id": str(uuid.uuid4()), "device_id": dev, "collection": "jobs", "idx": i, "ts": i,
         "ciphertext": base64.b64encode(os.urandom(512)).decode()} for i in range(1000)]
print(json.dumps({"records": recs}))
PY
curl -sf -XPOST "127.0.0.1:$port/api/sync/records" -H 'content-type: application/json' \
  -H "authorization: Bearer $token" --data @"$work/push.json" >/dev/null
status="/api/sync/status"
pull="/api/sync/records?device=$device&collection=jobs&after=500&limit=20"

if [ -z "$soak" ]; then
  for path in "$status" "$pull"; do
    echo "== GET $path ($secs s, 100 connections, 2 threads, profile $profile)"
    wrk -t2 -c100 -d"${secs}s" --latency -H "authorization: Bearer $token" "http://127.0.0.1:$port$path" \
      | grep -E "Requests/sec|Latency|50%|99%|Non-2xx|errors"
  done
  exit 0
fi

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$server/status"; }
echo "== soak: status and pull at once, 50 connections each, $secs s, profile $profile"
wrk -t1 -c50 -d"${secs}s" --latency -H "authorization: Bearer $token" "http://127.0.0.1:$port$status" > "$work/status.txt" &
w1=$!
wrk -t1 -c50 -d"${secs}s" --latency -H "authorization: Bearer $token" "http://127.0.0.1:$port$pull" > "$work/pull.txt" &
w2=$!
start=$(date +%s)
: > "$work/rss.txt"
while kill -0 "$w1" 2>/dev/null || kill -0 "$w2" 2>/dev/null; do
  now=$(( $(date +%s) - start ))
  kib=$(rss_kib)
  echo "$now $kib" >> "$work/rss.txt"
  awk -v t="$now" -v k="$kib" 'BEGIN { printf "  t=%4ds  RSS %6.1f MiB\n", t, k / 1024 }'
  # Sample every 30 s, waking each second to notice the end of the run.
  for _ in $(seq 30); do
    kill -0 "$w1" 2>/dev/null || kill -0 "$w2" 2>/dev/null || break
    sleep 1
  done
done
wait "$w1" "$w2" || true
kib=$(rss_kib)
echo "$(( $(date +%s) - start )) $kib" >> "$work/rss.txt"
python3 - "$work" <<'PY'
import re, sys
work = sys.argv[1]
total_req = total_bad = total_sock = 0
for name in ("status", "pull"):
    text = open(f"{work}/{name}.txt").read()
    req = int(re.search(r"(\d+) requests in", text).group(1))
    bad = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", text)) else 0
    sock = sum(map(int, m.groups())) if (m := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)) else 0
    rps = re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)
    p99 = re.search(r"99%\s+(\S+)", text).group(1)
    print(f"{name:>6}: {req} requests, {rps} req/s, p99 {p99}, non-2xx {bad}, socket errors {sock}")
    total_req += req; total_bad += bad; total_sock += sock
rss = [int(l.split()[1]) for l in open(f"{work}/rss.txt") if l.strip()]
mib = lambda k: f"{k / 1024:.1f} MiB"
print(f" total: {total_req} requests, non-2xx {total_bad}, socket errors {total_sock}")
print(f"   RSS: first {mib(rss[0])}, last {mib(rss[-1])}, max {mib(max(rss))} ({len(rss)} samples)")
PY
