-- QoderResume local caches (cache.sqlite): safe to delete; never synced.

CREATE TABLE embedding (
    text_hash TEXT NOT NULL,
    model_id  TEXT NOT NULL,
    dim       INTEGER NOT NULL,
    vector    BLOB NOT NULL,
    PRIMARY KEY (text_hash, model_id)
) WITHOUT ROWID;

CREATE TABLE llm_cache (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    created_at INTEGER NOT NULL
) WITHOUT ROWID;
