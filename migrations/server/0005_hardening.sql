-- Ciphertext bytes stored per account, kept by each push in its own transaction, for the
-- per-account quota (summing an account's records on every push would scan them all).
CREATE TABLE account_usage (
    user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    bytes   bigint NOT NULL DEFAULT 0
);

INSERT INTO account_usage (user_id, bytes)
SELECT user_id, sum(octet_length(ciphertext)) FROM records GROUP BY user_id;

-- Expired refresh tokens are pruned by their expiry.
CREATE INDEX refresh_tokens_expires ON refresh_tokens (expires_at);
