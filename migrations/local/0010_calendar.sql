-- Calendar sync (Google Calendar, Outlook through Microsoft Graph): the connected calendars and
-- which event each interview has in them. Local to this device, not synced: each device that
-- connects a calendar pushes to it itself. The OAuth tokens are not here: they live in the OS
-- keychain (or, without one, in a file of the data folder).
CREATE TABLE calendar_account (
    provider        TEXT PRIMARY KEY,        -- 'google' | 'outlook'
    connected_at    INTEGER NOT NULL,
    token_store     TEXT NOT NULL,           -- 'keychain' | 'file'
    last_sync_at    INTEGER,
    last_success_at INTEGER,
    last_error      TEXT
);

-- One row per interview pushed: the provider's event id, its etag and a hash of what was last
-- sent, so a sync sends only what changed. No foreign key: the row outlives a deleted interview
-- until the sync that deletes its event.
CREATE TABLE calendar_event (
    provider     TEXT NOT NULL REFERENCES calendar_account(provider) ON DELETE CASCADE,
    interview_id TEXT NOT NULL,
    event_id     TEXT NOT NULL,
    etag         TEXT,
    hash         TEXT NOT NULL,
    pushed_at    INTEGER NOT NULL,
    PRIMARY KEY (provider, interview_id)
);
