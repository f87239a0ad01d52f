-- Bulk screening: a batch of resumes (a folder, a zip or a list of files) ranked against one
-- job description, and one row per file found. A file's parsed resume is kept once it is read,
-- so a run of the batch after a crash, a kill or a cancel parses only the files not done.
-- Local only: these tables have no sync triggers.

CREATE TABLE bulk_batch (
    id            TEXT PRIMARY KEY,
    source_json   TEXT NOT NULL,
    -- The source's identity for picking up an interrupted run (canonical path(s)).
    source_key    TEXT NOT NULL,
    jd_text       TEXT NOT NULL,
    jd_sha256     TEXT NOT NULL,
    jd_title      TEXT,
    criteria_json TEXT NOT NULL DEFAULT '{}',
    state         TEXT NOT NULL CHECK (state IN ('running', 'cancelled', 'done')),
    concurrency   INTEGER NOT NULL CHECK (concurrency >= 1),
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX bulk_batch_by_source ON bulk_batch(source_key, jd_sha256, created_at);

CREATE TABLE bulk_candidate (
    id               INTEGER PRIMARY KEY,
    batch_id         TEXT NOT NULL REFERENCES bulk_batch(id) ON DELETE CASCADE,
    -- The path as found (for a zip entry: archive!/entry).
    file             TEXT NOT NULL,
    sha256           TEXT NOT NULL,
    size             INTEGER NOT NULL,
    status           TEXT NOT NULL
                     CHECK (status IN ('queued', 'done', 'failed', 'duplicate')),
    duplicate_of     INTEGER REFERENCES bulk_candidate(id) ON DELETE SET NULL,
    error_code       TEXT,
    error_message    TEXT,
    name             TEXT,
    email            TEXT,
    phone            TEXT,
    -- What screening shows of the resume: location, latest title, years, degrees (JSON).
    profile_json     TEXT,
    -- The parsed resume (JSON), kept so ranking again needs no parse.
    parsed_json      TEXT,
    parsed_at        INTEGER,
    score            INTEGER CHECK (score BETWEEN 0 AND 100),
    components_json  TEXT,
    semantic         INTEGER NOT NULL DEFAULT 0,
    knockouts_json   TEXT,
    flagged          INTEGER NOT NULL DEFAULT 0,
    same_person_as   INTEGER REFERENCES bulk_candidate(id) ON DELETE SET NULL,
    rank             INTEGER,
    recruiter_status TEXT NOT NULL DEFAULT 'new'
                     CHECK (recruiter_status IN ('new', 'shortlisted', 'rejected', 'contacted')),
    notes            TEXT NOT NULL DEFAULT '',
    UNIQUE (batch_id, file)
);
CREATE INDEX bulk_candidate_by_batch ON bulk_candidate(batch_id, status, rank);
CREATE INDEX bulk_candidate_by_sha ON bulk_candidate(batch_id, sha256);
