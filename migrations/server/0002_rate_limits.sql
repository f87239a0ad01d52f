-- Fixed-window counters shared by every server process: requests per user a minute, failed
-- logins per client IP. UNLOGGED: no WAL, so the one upsert per request costs no fsync; after a
-- PostgreSQL crash the table is empty, which only resets the current windows.
CREATE UNLOGGED TABLE rate_limits (
    key          text PRIMARY KEY,
    -- Start of the current window, seconds since the Unix epoch (the database's clock).
    window_start bigint NOT NULL,
    hits         integer NOT NULL
) WITH (fillfactor = 50);
