-- Device sync (crates/core/src/sync): this device's account and keys, its outgoing records, how
-- far other devices' logs were read, and the merged per-entity state. See docs in
-- crates/core/src/sync/mod.rs.

-- One row when this device is signed in to a sync server. The data key and tokens live here,
-- in the user's own data directory, readable by the user only (like the database itself).
CREATE TABLE sync_account (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    server          TEXT NOT NULL,
    email           TEXT NOT NULL,
    user_id         TEXT NOT NULL,
    device_id       TEXT NOT NULL,
    access_token    TEXT NOT NULL,
    refresh_token   TEXT NOT NULL,
    data_key        BLOB NOT NULL,
    enabled         INTEGER NOT NULL DEFAULT 1,
    clock_wall      INTEGER NOT NULL DEFAULT 0,
    clock_counter   INTEGER NOT NULL DEFAULT 0,
    last_attempt_at INTEGER,
    last_sync_at    INTEGER,
    last_error      TEXT
);

-- The next index of this device's log, per collection.
CREATE TABLE sync_log (
    collection TEXT PRIMARY KEY,
    next_idx   INTEGER NOT NULL
) WITHOUT ROWID;

-- Encrypted records written here and not yet acknowledged by the server (pushes are
-- idempotent, so a crash between push and acknowledgement just pushes them again).
CREATE TABLE sync_outbox (
    collection TEXT NOT NULL,
    idx        INTEGER NOT NULL,
    record     TEXT NOT NULL,
    size       INTEGER NOT NULL,
    PRIMARY KEY (collection, idx)
) WITHOUT ROWID;

-- How far each device's log was read: every index up to `contiguous`, and those in `beyond`.
CREATE TABLE sync_read (
    device_id  TEXT NOT NULL,
    collection TEXT NOT NULL,
    contiguous INTEGER NOT NULL,
    beyond     TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (device_id, collection)
) WITHOUT ROWID;

-- Per entity: the merged state (qoder_sync::materialise::EntityState as JSON), the local row as
-- sync last saw or wrote it (what a local edit is compared with), whether the merged state could
-- not be written to the local tables yet, and how many conflict copies it holds.
CREATE TABLE sync_entity (
    collection TEXT NOT NULL,
    entity     TEXT NOT NULL,
    state      TEXT NOT NULL,
    local      TEXT,
    pending    TEXT,
    conflicts  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (collection, entity)
) WITHOUT ROWID;
CREATE INDEX sync_entity_pending ON sync_entity(collection) WHERE pending IS NOT NULL;
CREATE INDEX sync_entity_conflicts ON sync_entity(collection) WHERE conflicts > 0;

-- Entities changed here since the last export (written by the triggers below).
CREATE TABLE sync_dirty (
    collection TEXT NOT NULL,
    entity     TEXT NOT NULL,
    PRIMARY KEY (collection, entity)
) WITHOUT ROWID;

-- Holds a row only inside the transaction that writes pulled changes, so the triggers do not
-- mistake them for local edits.
CREATE TABLE sync_guard (applying INTEGER PRIMARY KEY);

CREATE TRIGGER sync_dirty_resume_insert AFTER INSERT ON resume
WHEN EXISTS (SELECT 1 FROM sync_account) AND NOT EXISTS (SELECT 1 FROM sync_guard)
BEGIN
    INSERT OR IGNORE INTO sync_dirty(collection, entity) VALUES ('resumes', new.id);
END;

CREATE TRIGGER sync_dirty_resume_update AFTER UPDATE ON resume
WHEN EXISTS (SELECT 1 FROM sync_account) AND NOT EXISTS (SELECT 1 FROM sync_guard)
BEGIN
    INSERT OR IGNORE INTO sync_dirty(collection, entity) VALUES ('resumes', new.id);
END;

CREATE TRIGGER sync_dirty_resume_delete AFTER DELETE ON resume
WHEN EXISTS (SELECT 1 FROM sync_account) AND NOT EXISTS (SELECT 1 FROM sync_guard)
BEGIN
    INSERT OR IGNORE INTO sync_dirty(collection, entity) VALUES ('resumes', old.id);
END;

CREATE TRIGGER sync_dirty_resume_version_insert AFTER INSERT ON resume_version
WHEN EXISTS (SELECT 1 FROM sync_account) AND NOT EXISTS (SELECT 1 FROM sync_guard)
BEGIN
    INSERT OR IGNORE INTO sync_dirty(collection, entity) VALUES ('versions', new.id);
END;

CREATE TRIGGER sync_dirty_resume_version_update AFTER UPDATE ON resume_version
WHEN EXISTS (SELECT 1 FROM sync_account) AND NOT EXISTS (SELECT 1 FROM sync_guard)
BEGIN
    INSERT OR IGNORE INTO sync_dirty(collection, entity) VALUES ('versions', new.id);
END;

CREATE TRIGGER sync_dirty_resume_version_delete AFTER DELETE ON resume_version
WHEN EXISTS (SELECT 1 FROM sync_account) AND NOT EXISTS (SELECT 1 FROM sync_guard)
BEGIN
    INSERT OR IGNORE INTO sync_dirty(collection, entity) VALUES ('versions', old.id);
END;

CREATE TRIGGER sync_dirty_version_tag_insert AFTER INSERT ON version_tag
WHEN EXISTS (SELECT 1 FROM sync_account) AND NOT EXISTS (SELECT 1 FROM sync_guard)
BEGIN
    INSERT OR IGNORE INTO sync_dirty(collection, entity) VALUES ('versions', new.version_id);
END;

CREATE TRIGGER sync_dirty_version_tag_update AFTER UPDATE ON version_tag
WHEN EXISTS (SELECT 1 FROM sync_account) AND NOT EXISTS (SELECT 1 FROM sync_guard)
BEGIN
    INSERT OR IGNORE INTO sync_dirty(collection, entity) VALUES ('versions', new.version_id);
END;

CREATE TRIGGER sync_dirty_version_tag_delete AFTER DELETE ON version_tag
WHEN EXISTS (SELECT 1 FROM sync_account) AND NOT EXISTS (SELECT 1 FROM sync_guard)
BEGIN
    INSERT OR IGNORE INTO sync_dirty(collection, entity) VALUES ('versions', old.version_id);
END;

CREATE TRIGGER sync_dirty_job_insert AFTER INSERT ON job
WHEN EXISTS (SELECT 1 FROM sync_account) AND NOT EXISTS (SELECT 1 FROM sync_guard)
BEGIN
    INSERT OR IGNORE INTO sync_dirty(collection, entity) VALUES ('jobs', new.id);
END;

CREATE TRIGGER sync_dirty_job_update AFTER UPDATE ON job
WHEN EXISTS (SELECT 1 FROM sync_account) AND NOT EXISTS (SELECT 1 FROM sync_guard)
BEGIN
    INSERT OR IGNORE INTO sync_dirty(collection, entity) VALUES ('jobs', new.id);
END;

CREATE TRIGGER sync_dirty_job_delete AFTER DELETE ON job
WHEN EXISTS (SELECT 1 FROM sync_account) AND NOT EXISTS (SELECT 1 FROM sync_guard)
BEGIN
    INSERT OR IGNORE INTO sync_dirty(collection, entity) VALUES ('jobs', old.id);
END;

CREATE TRIGGER sync_dirty_status_change_insert AFTER INSERT ON status_change
WHEN EXISTS (SELECT 1 FROM sync_account) AND NOT EXISTS (SELECT 1 FROM sync_guard)
BEGIN
    INSERT OR IGNORE INTO sync_dirty(collection, entity) VALUES ('status_changes', new.job_id || '|' || new.at || '|' || new.to_status);
END;

CREATE TRIGGER sync_dirty_status_change_update AFTER UPDATE ON status_change
WHEN EXISTS (SELECT 1 FROM sync_account) AND NOT EXISTS (SELECT 1 FROM sync_guard)
BEGIN
    INSERT OR IGNORE INTO sync_dirty(collection, entity) VALUES ('status_changes', new.job_id || '|' || new.at || '|' || new.to_status);
END;

CREATE TRIGGER sync_dirty_status_change_delete AFTER DELETE ON status_change
WHEN EXISTS (SELECT 1 FROM sync_account) AND NOT EXISTS (SELECT 1 FROM sync_guard)
BEGIN
    INSERT OR IGNORE INTO sync_dirty(collection, entity) VALUES ('status_changes', old.job_id || '|' || old.at || '|' || old.to_status);
END;

CREATE TRIGGER sync_dirty_interview_insert AFTER INSERT ON interview
WHEN EXISTS (SELECT 1 FROM sync_account) AND NOT EXISTS (SELECT 1 FROM sync_guard)
BEGIN
    INSERT OR IGNORE INTO sync_dirty(collection, entity) VALUES ('interviews', new.id);
END;

CREATE TRIGGER sync_dirty_interview_update AFTER UPDATE ON interview
WHEN EXISTS (SELECT 1 FROM sync_account) AND NOT EXISTS (SELECT 1 FROM sync_guard)
BEGIN
    INSERT OR IGNORE INTO sync_dirty(collection, entity) VALUES ('interviews', new.id);
END;

CREATE TRIGGER sync_dirty_interview_delete AFTER DELETE ON interview
WHEN EXISTS (SELECT 1 FROM sync_account) AND NOT EXISTS (SELECT 1 FROM sync_guard)
BEGIN
    INSERT OR IGNORE INTO sync_dirty(collection, entity) VALUES ('interviews', old.id);
END;

CREATE TRIGGER sync_dirty_reminder_insert AFTER INSERT ON reminder
WHEN EXISTS (SELECT 1 FROM sync_account) AND NOT EXISTS (SELECT 1 FROM sync_guard)
BEGIN
    INSERT OR IGNORE INTO sync_dirty(collection, entity) VALUES ('reminders', new.id);
END;

CREATE TRIGGER sync_dirty_reminder_update AFTER UPDATE ON reminder
WHEN EXISTS (SELECT 1 FROM sync_account) AND NOT EXISTS (SELECT 1 FROM sync_guard)
BEGIN
    INSERT OR IGNORE INTO sync_dirty(collection, entity) VALUES ('reminders', new.id);
END;

CREATE TRIGGER sync_dirty_reminder_delete AFTER DELETE ON reminder
WHEN EXISTS (SELECT 1 FROM sync_account) AND NOT EXISTS (SELECT 1 FROM sync_guard)
BEGIN
    INSERT OR IGNORE INTO sync_dirty(collection, entity) VALUES ('reminders', old.id);
END;

CREATE TRIGGER sync_dirty_setting_insert AFTER INSERT ON setting
WHEN EXISTS (SELECT 1 FROM sync_account) AND NOT EXISTS (SELECT 1 FROM sync_guard) AND new.key NOT LIKE 'sync.%'
BEGIN
    INSERT OR IGNORE INTO sync_dirty(collection, entity) VALUES ('settings', new.key);
END;

CREATE TRIGGER sync_dirty_setting_update AFTER UPDATE ON setting
WHEN EXISTS (SELECT 1 FROM sync_account) AND NOT EXISTS (SELECT 1 FROM sync_guard) AND new.key NOT LIKE 'sync.%'
BEGIN
    INSERT OR IGNORE INTO sync_dirty(collection, entity) VALUES ('settings', new.key);
END;

CREATE TRIGGER sync_dirty_setting_delete AFTER DELETE ON setting
WHEN EXISTS (SELECT 1 FROM sync_account) AND NOT EXISTS (SELECT 1 FROM sync_guard) AND old.key NOT LIKE 'sync.%'
BEGIN
    INSERT OR IGNORE INTO sync_dirty(collection, entity) VALUES ('settings', old.key);
END;
