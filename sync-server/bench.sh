#!/usr/bin/env bash
# Loopback load test of status and pull: starts qoder-server on a scratch database, signs up one
# account, pushes 1,000 records, then runs wrk (Debian package `wrk`) with 100 connections against
# GET /api/sync/status and GET /api/sync/records and prints the figures. The database is dropped at
# the end. Usage: sync-server/bench.sh [seconds per endpoint, default 15] [cargo profile, default dev]
# The bench user makes thousands of requests a second, so the server runs with
# QODER_API_RATE_LIMIT=1000000000 (the per-user limit is still checked on every request: the
# upsert is part of what is measured; only the threshold is raised).
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-15}"
profile="${2:-dev}"
pg="${QODER_TEST_PG:-postgres://postgres@127.0.0.1:5432}"
db="qoder_bench_$$"
port=18181
command -v wrk >/dev/null || { echo "bench: wrk is needed (apt-get install wrk)" >&2; exit 1; }
cargo build -q -p qoder-server --profile "$profile"
dir=debug; [ "$profile" = dev ] || dir="$profile"
psql "$pg/postgres" -qc "CREATE DATABASE $db"
QODER_LISTEN="127.0.0.1:$port" QODER_DATABASE_URL="$pg/$db" QODER_LOG=warn \
QODER_API_RATE_LIMIT=1000000000 \
QODER_JWT_SECRET="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" \
  "target/$dir/qoder-server" &
server=$!
cleanup() { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; psql "$pg/postgres" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)"; }
trap cleanup EXIT
for _ in $(seq 50); do curl -sf "127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.2; done
device=0190a3f4-0000-7000-8000-00000000b001
secret=$(printf 'b%.0s' $(seq 64))
token=$(curl -sf -XPOST "127.0.0.1:$port/api/auth/register" -H 'content-type: application/json' \
  -d "{\"email\":\"bench@example.com\",\"secret\":\"$secret\",\"device_id\":\"$device\"}" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
python3 - "$device" > /tmp/qoder-bench-push.json <<'PY'
import base64, json, os, sys, uuid
dev = sys.argv[1]
recs = [{"id": str(uuid.uuid4()), "device_id": dev, "collection": "jobs", "idx": i, "ts": i,
         "ciphertext": base64.b64encode(os.urandom(512)).decode()} for i in range(1000)]
print(json.dumps({"records": recs}))
PY
curl -sf -XPOST "127.0.0.1:$port/api/sync/records" -H 'content-type: application/json' \
  -H "authorization: Bearer $token" --data @/tmp/qoder-bench-push.json >/dev/null
for path in "/api/sync/status" "/api/sync/records?device=$device&collection=jobs&after=500&limit=20"; do
  echo "== GET $path ($secs s, 100 connections, 2 threads, profile $profile)"
  wrk -t2 -c100 -d"${secs}s" --latency -H "authorization: Bearer $token" "http://127.0.0.1:$port$path" \
    | grep -E "Requests/sec|Latency|50%|99%|Non-2xx|errors"
done
