-- The data key wrapped under the user's recovery code (a second opaque blob; the server cannot
-- open it any more than the password's).
CREATE TABLE recovery_blobs (
    user_id    uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    blob       bytea NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
