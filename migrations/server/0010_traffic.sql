-- Requests per minute, summed over every server process (issue 17): what the alerts on the error
-- rate and the p95 latency read across processes, and the load forecast's hourly requests. Each
-- process adds what it counted since its last flush (every few seconds) to the minute's row.
CREATE TABLE traffic_minutes (
    minute    timestamptz PRIMARY KEY CHECK (minute = date_trunc('minute', minute)),
    requests  bigint NOT NULL CHECK (requests >= 0),
    -- Answers with a 5xx status.
    errors    bigint NOT NULL CHECK (errors >= 0),
    -- Latency histogram: counts per bucket, upper bounds in crate::traffic::BOUNDS_MS, then the
    -- overflow bucket.
    buckets   bigint[] NOT NULL
);
