-- Received sync records that could not be opened or read (wrong key, damaged, not a change of
-- the device that sent it). They are set aside here, counted in the sync status, and the read
-- mark moves past them, so one bad record does not stop sync for good. Nothing of the content
-- is kept; the reason is ours.
CREATE TABLE sync_set_aside (
    device_id  TEXT NOT NULL,
    collection TEXT NOT NULL,
    idx        INTEGER NOT NULL,
    record_id  TEXT NOT NULL,
    reason     TEXT NOT NULL,
    at         INTEGER NOT NULL,
    PRIMARY KEY (device_id, collection, idx)
) WITHOUT ROWID;
