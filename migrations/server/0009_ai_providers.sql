-- The hosted AI's providers as admins arrange them (issue 17, "AI providers"): per configured
-- provider name, whether calls use it and its place in the failover order (0 first). A
-- configured provider with no row is enabled and comes after those with one; a row of a
-- provider no longer configured is kept (it applies again if the provider comes back).
CREATE TABLE ai_provider_settings (
    name        text PRIMARY KEY,
    enabled     boolean NOT NULL DEFAULT true,
    position    integer NOT NULL CHECK (position >= 0),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- The providers screen's last-24-hours figures, per provider.
CREATE INDEX ai_calls_provider_day ON ai_calls (provider, created_at);
