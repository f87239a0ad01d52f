-- QoderResume local database (qoder.sqlite): user data.
-- Times are UTC milliseconds since the Unix epoch. Ids are UUIDv7 text.
-- Migrations only add; never edit this file once it has landed.

CREATE TABLE setting (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- Original files, content-addressed: files/<sha256[0..2]>/<sha256>.
CREATE TABLE blob (
    sha256     TEXT PRIMARY KEY,
    size       INTEGER NOT NULL,
    created_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE resume (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE resume_version (
    pk          INTEGER PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    resume_id   TEXT NOT NULL REFERENCES resume(id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    file_name   TEXT,
    format      TEXT,
    sha256      TEXT NOT NULL UNIQUE REFERENCES blob(sha256),
    size        INTEGER NOT NULL,
    text        TEXT NOT NULL,
    parsed_json TEXT NOT NULL,
    ats_json    TEXT NOT NULL,
    ats_score   INTEGER NOT NULL,
    notes       TEXT NOT NULL DEFAULT '',
    pinned      INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    UNIQUE (resume_id, seq)
);

CREATE TABLE version_tag (
    version_id TEXT NOT NULL REFERENCES resume_version(id) ON DELETE CASCADE,
    tag        TEXT NOT NULL,
    PRIMARY KEY (version_id, tag)
) WITHOUT ROWID;
CREATE INDEX version_tag_by_tag ON version_tag(tag);

CREATE TABLE vendor (
    name       TEXT PRIMARY KEY COLLATE NOCASE,
    created_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE job (
    pk                INTEGER PRIMARY KEY,
    id                TEXT NOT NULL UNIQUE,
    title             TEXT NOT NULL,
    company           TEXT,
    vendor_name       TEXT,
    vendor_contact    TEXT,
    rate_amount       REAL,
    rate_currency     TEXT,
    rate_period       TEXT,
    rate_kind         TEXT,
    rate_yearly       REAL,
    location          TEXT,
    work_mode         TEXT,
    source_url        TEXT,
    description       TEXT,
    resume_version_id TEXT REFERENCES resume_version(id),
    notes             TEXT,
    status            TEXT NOT NULL,
    applied_at        INTEGER,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
);
-- One index per (filter, sort) the list offers, so a page is an index walk.
CREATE INDEX job_created ON job(created_at, pk);
CREATE INDEX job_updated ON job(updated_at, pk);
CREATE INDEX job_title ON job(title COLLATE NOCASE, pk);
CREATE INDEX job_vendor ON job(vendor_name COLLATE NOCASE, pk);
CREATE INDEX job_rate ON job(rate_yearly, pk);
CREATE INDEX job_applied ON job(applied_at);
CREATE INDEX job_company ON job(company COLLATE NOCASE);
CREATE INDEX job_version ON job(resume_version_id) WHERE resume_version_id IS NOT NULL;
CREATE INDEX job_status_created ON job(status, created_at, pk);
CREATE INDEX job_status_updated ON job(status, updated_at, pk);
CREATE INDEX job_status_title ON job(status, title COLLATE NOCASE, pk);
CREATE INDEX job_status_vendor ON job(status, vendor_name COLLATE NOCASE, pk);
CREATE INDEX job_status_rate ON job(status, rate_yearly, pk);

CREATE TABLE status_change (
    pk      INTEGER PRIMARY KEY,
    job_id  TEXT NOT NULL REFERENCES job(id) ON DELETE CASCADE,
    from_status TEXT,
    to_status   TEXT NOT NULL,
    at      INTEGER NOT NULL,
    note    TEXT
);
CREATE INDEX status_change_job ON status_change(job_id, at);

CREATE TABLE interview (
    id               TEXT PRIMARY KEY,
    job_id           TEXT NOT NULL REFERENCES job(id) ON DELETE CASCADE,
    starts_at        INTEGER NOT NULL,
    duration_minutes INTEGER NOT NULL,
    timezone         TEXT,
    kind             TEXT NOT NULL,
    location         TEXT,
    link             TEXT,
    interviewers     TEXT NOT NULL DEFAULT '[]',
    notes            TEXT,
    created_at       INTEGER NOT NULL
);
CREATE INDEX interview_job ON interview(job_id);
CREATE INDEX interview_starts ON interview(starts_at);

CREATE TABLE reminder (
    id         TEXT PRIMARY KEY,
    job_id     TEXT REFERENCES job(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    due_at     INTEGER,
    after_days INTEGER,
    message    TEXT NOT NULL,
    done       INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE INDEX reminder_job ON reminder(job_id);
CREATE INDEX reminder_due ON reminder(done, due_at);

-- The local audit log: one row per change, written in the change's own transaction.
CREATE TABLE activity (
    pk        INTEGER PRIMARY KEY,
    at        INTEGER NOT NULL,
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    action    TEXT NOT NULL,
    detail    TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX activity_entity ON activity(entity, entity_id);

-- Full-text search (external content: the tables above hold the text once).
CREATE VIRTUAL TABLE job_fts USING fts5(
    title, company, vendor_name, description, notes,
    content = 'job', content_rowid = 'pk', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER job_fts_insert AFTER INSERT ON job BEGIN
    INSERT INTO job_fts(rowid, title, company, vendor_name, description, notes)
    VALUES (new.pk, new.title, new.company, new.vendor_name, new.description, new.notes);
END;
CREATE TRIGGER job_fts_delete AFTER DELETE ON job BEGIN
    INSERT INTO job_fts(job_fts, rowid, title, company, vendor_name, description, notes)
    VALUES ('delete', old.pk, old.title, old.company, old.vendor_name, old.description, old.notes);
END;
CREATE TRIGGER job_fts_update AFTER UPDATE OF title, company, vendor_name, description, notes ON job BEGIN
    INSERT INTO job_fts(job_fts, rowid, title, company, vendor_name, description, notes)
    VALUES ('delete', old.pk, old.title, old.company, old.vendor_name, old.description, old.notes);
    INSERT INTO job_fts(rowid, title, company, vendor_name, description, notes)
    VALUES (new.pk, new.title, new.company, new.vendor_name, new.description, new.notes);
END;

CREATE VIRTUAL TABLE resume_fts USING fts5(
    text, notes,
    content = 'resume_version', content_rowid = 'pk', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER resume_fts_insert AFTER INSERT ON resume_version BEGIN
    INSERT INTO resume_fts(rowid, text, notes) VALUES (new.pk, new.text, new.notes);
END;
CREATE TRIGGER resume_fts_delete AFTER DELETE ON resume_version BEGIN
    INSERT INTO resume_fts(resume_fts, rowid, text, notes) VALUES ('delete', old.pk, old.text, old.notes);
END;
CREATE TRIGGER resume_fts_update AFTER UPDATE OF text, notes ON resume_version BEGIN
    INSERT INTO resume_fts(resume_fts, rowid, text, notes) VALUES ('delete', old.pk, old.text, old.notes);
    INSERT INTO resume_fts(rowid, text, notes) VALUES (new.pk, new.text, new.notes);
END;
