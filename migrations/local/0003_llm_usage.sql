-- Every AI call (cache hits and failures included): the local usage view, today's spend per
-- provider (the daily limit) and today's number of generations. Local only; never synced.
CREATE TABLE llm_usage (
    id          INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,            -- unix ms
    day         TEXT NOT NULL,               -- the user's local date, YYYY-MM-DD
    feature     TEXT NOT NULL,               -- generate_points | rewrite | review
    provider    TEXT NOT NULL,
    model       TEXT NOT NULL,
    tokens_in   INTEGER NOT NULL,
    tokens_out  INTEGER NOT NULL,
    estimated   INTEGER NOT NULL DEFAULT 0,  -- token counts estimated, not reported
    cost_usd    REAL NOT NULL,
    latency_ms  INTEGER NOT NULL,
    cache_hit   INTEGER NOT NULL,
    outcome     TEXT NOT NULL                -- ok, or an error code
);
CREATE INDEX llm_usage_day ON llm_usage(day, provider);
