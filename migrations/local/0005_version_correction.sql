-- Corrections a user made to what the parser read from a stored version (the parse itself is
-- kept as it was): one value per field, applied whenever the version's parsed resume is read,
-- so matching, the ATS report and exports see the corrected values. A field is `name`, `email`,
-- `phone`, `location`, or `experience[N].title` / `.employer` / `.dates`; an empty value clears
-- the field. Synced with the version (the triggers mark it changed, like its tags).

CREATE TABLE version_correction (
    version_id TEXT NOT NULL REFERENCES resume_version(id) ON DELETE CASCADE,
    field      TEXT NOT NULL,
    value      TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (version_id, field)
) WITHOUT ROWID;

CREATE TRIGGER sync_dirty_version_correction_insert AFTER INSERT ON version_correction
WHEN EXISTS (SELECT 1 FROM sync_account) AND NOT EXISTS (SELECT 1 FROM sync_guard)
BEGIN
    INSERT OR IGNORE INTO sync_dirty(collection, entity) VALUES ('versions', new.version_id);
END;

CREATE TRIGGER sync_dirty_version_correction_update AFTER UPDATE ON version_correction
WHEN EXISTS (SELECT 1 FROM sync_account) AND NOT EXISTS (SELECT 1 FROM sync_guard)
BEGIN
    INSERT OR IGNORE INTO sync_dirty(collection, entity) VALUES ('versions', new.version_id);
END;

CREATE TRIGGER sync_dirty_version_correction_delete AFTER DELETE ON version_correction
WHEN EXISTS (SELECT 1 FROM sync_account) AND NOT EXISTS (SELECT 1 FROM sync_guard)
BEGIN
    INSERT OR IGNORE INTO sync_dirty(collection, entity) VALUES ('versions', old.version_id);
END;
