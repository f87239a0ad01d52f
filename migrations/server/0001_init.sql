-- Accounts, devices, refresh tokens, login throttling, wrapped keys and the encrypted record
-- store of qoder-server. Migrations only add; never change one that has landed.

CREATE TABLE users (
    id            uuid PRIMARY KEY,
    email         text NOT NULL UNIQUE,
    password_hash text NOT NULL,
    role          text NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
    created_at    timestamptz NOT NULL DEFAULT now()
);

-- A device id belongs to one user; a device writes only its own logs.
CREATE TABLE devices (
    id         uuid PRIMARY KEY,
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX devices_user ON devices (user_id);

-- Refresh tokens, stored as SHA-256 of the token. A spent or revoked token presented again
-- revokes its whole family (every token descended from one login).
CREATE TABLE refresh_tokens (
    token_hash bytea PRIMARY KEY,
    family_id  uuid NOT NULL,
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    device_id  uuid NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz,
    revoked_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_device ON refresh_tokens (user_id, device_id);

-- Failed logins per (normalised) email, whether or not the account exists, so that throttling
-- says nothing about which accounts exist and is shared by every server process.
CREATE TABLE login_failures (
    email        text PRIMARY KEY,
    failures     integer NOT NULL DEFAULT 0,
    window_start timestamptz NOT NULL DEFAULT now(),
    locked_until timestamptz
);

-- The data key wrapped by a key the server cannot derive.
CREATE TABLE key_blobs (
    user_id    uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    blob       bytea NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Per-device append-only logs of encrypted records.
CREATE TABLE records (
    id         uuid PRIMARY KEY,
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    device_id  uuid NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    collection text NOT NULL,
    idx        bigint NOT NULL CHECK (idx >= 0),
    ts         bigint NOT NULL,
    ciphertext bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (user_id, device_id, collection, idx)
);
