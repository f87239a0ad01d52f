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

-- A change is announced like a feature flag's (channel qoder_flags, migration 0006): every
-- server process reads the order again at its next hosted-AI call.
CREATE TRIGGER ai_provider_settings_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON ai_provider_settings FOR EACH STATEMENT EXECUTE FUNCTION qoder_flags_changed();
