-- Desktop notifications: what this device has notified, snoozed or dismissed for each reminder
-- or interview. Local only, never synced: each device notifies on its own. `fire_at` is the
-- due time the row is for, so a reminder or interview moved to a new time notifies again.
CREATE TABLE notice (
    kind          TEXT NOT NULL,
    item_id       TEXT NOT NULL,
    fire_at       INTEGER NOT NULL,
    shown_at      INTEGER,
    snoozed_until INTEGER,
    dismissed_at  INTEGER,
    PRIMARY KEY (kind, item_id)
);
