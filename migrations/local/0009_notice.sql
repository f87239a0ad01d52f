-- Desktop notifications: what this device has notified, snoozed or dismissed for each reminder
-- or interview. Local only, never synced: each device notifies on its own. `fire_at` is the
-- due time the row is for, so a reminder or interview moved to a new time notifies again;
-- `missed` marks one that fell due while the app was not running.
CREATE TABLE notice (
    kind          TEXT NOT NULL,
    item_id       TEXT NOT NULL,
    fire_at       INTEGER NOT NULL,
    shown_at      INTEGER,
    snoozed_until INTEGER,
    dismissed_at  INTEGER,
    missed        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (kind, item_id)
);

-- When this device last looked for due items: an item that fell due after that, while the app
-- was not running, was missed.
CREATE TABLE notice_clock (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    last_tick INTEGER NOT NULL
);
