-- The admin console and compliance (issue 17): the audit log, account state an admin sets
-- (disabled, plan override), retention policies, and the indexes of the admin's user search.

-- Security events and admin actions, written in the transaction of the action they record.
-- Append-only for every role, the table's owner included (a REVOKE does not bind a superuser
-- or the owner; these triggers do): an UPDATE or TRUNCATE is refused, a DELETE only passes for
-- rows older than the least retention (design AUDIT_LOG_RETENTION_DAYS, 2,555 days), and an
-- INSERT gets the database's clock (a row cannot be back-dated).
CREATE TABLE audit_log (
    id          bigserial PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    -- The account acting (NULL: anonymous, e.g. a failed login, or the server itself).
    actor       uuid,
    action      text NOT NULL CHECK (action ~ '^[a-z][a-z_]*(\.[a-z_]+)+$'),
    -- What was acted on: `user:<id>`, `flag:<key>`, `retention:<type>`, …
    target      text,
    ip          text,
    user_agent  text,
    request_id  text,
    details     jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_log_at ON audit_log (at, id);
CREATE INDEX audit_log_actor ON audit_log (actor, id) WHERE actor IS NOT NULL;
CREATE INDEX audit_log_action ON audit_log (action text_pattern_ops, id);
CREATE INDEX audit_log_target ON audit_log (target, id) WHERE target IS NOT NULL;

CREATE FUNCTION audit_log_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        NEW.at := now();
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' THEN
        IF OLD.at < now() - interval '2555 days' THEN
            RETURN OLD;
        END IF;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP USING ERRCODE = 'QD002';
END;
$$;

CREATE TRIGGER audit_log_insert BEFORE INSERT ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_guard();
CREATE TRIGGER audit_log_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_guard();
CREATE TRIGGER audit_log_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_guard();

-- An admin may disable an account (its sign-ins and tokens stop working) and give it a plan
-- regardless of Stripe (the override wins over any subscription).
ALTER TABLE users
    ADD COLUMN disabled_at timestamptz,
    ADD COLUMN plan_override text REFERENCES plans (id);
CREATE INDEX users_disabled ON users (id) WHERE disabled_at IS NOT NULL;
CREATE INDEX users_plan_override ON users (plan_override, id) WHERE plan_override IS NOT NULL;
CREATE INDEX subscriptions_plan ON subscriptions (plan_id, user_id);
CREATE INDEX refresh_tokens_user_created ON refresh_tokens (user_id, created_at);

-- Each process keeps the set of disabled accounts with its feature flags (billing::flags):
-- a change is announced on the same channel, so every process drops its copy at once.
CREATE TRIGGER users_disabled_changed AFTER UPDATE OF disabled_at ON users
    FOR EACH STATEMENT EXECUTE FUNCTION qoder_flags_changed();

-- The admin's email search (a substring, LIKE '%…%') uses trigrams where PostgreSQL ships
-- pg_trgm (contrib); without it the search scans, which still works.
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    CREATE INDEX users_email_trgm ON users USING gin (email gin_trgm_ops);
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'pg_trgm is not available (%): the email search scans', SQLERRM;
END;
$$;

-- Retention per data type (design "Data Retention Policy Management"): rows older than
-- retention_days are deleted when the policy runs. last_* is the latest execution's report.
CREATE TABLE retention_policies (
    data_type      text PRIMARY KEY,
    retention_days integer NOT NULL CHECK (retention_days >= 1),
    description    text NOT NULL,
    last_run_at    timestamptz,
    last_deleted   bigint,
    updated_at     timestamptz NOT NULL DEFAULT now()
);
INSERT INTO retention_policies (data_type, retention_days, description) VALUES
    ('audit_log', 2555, 'Audit trail (design AUDIT_LOG_RETENTION_DAYS; the table refuses deleting younger rows)'),
    ('ai_calls', 2555, 'Hosted-AI call records: feature, provider, tokens, cost; no text (design AUTO_ANONYMIZATION_DAYS)'),
    ('ai_daily_spend', 2555, 'Hosted-AI spend per UTC day, per user and overall (design AUTO_ANONYMIZATION_DAYS)'),
    ('usage_counters', 400, 'Plan usage per user, feature and period (a year of history and the current month)'),
    ('stripe_events', 30, 'Ids of processed Stripe events, kept against replays (Stripe retries for 3 days)');

-- The plan in force now honours an admin's override first (the rest is 0007's function).
CREATE OR REPLACE FUNCTION hosted_ai_admit(
    p_rate_key text,
    p_rate_window bigint,
    p_rate_limit bigint,
    p_user uuid,
    p_features text[],
    p_day timestamptz,
    p_month timestamptz,
    p_in_force text[],
    p_free text,
    p_user_budget double precision,
    p_global_budget double precision)
RETURNS TABLE (r_plan text, r_period text, r_outcome text, r_feature text, r_limit bigint,
               r_used bigint, r_spent double precision, r_retry double precision)
LANGUAGE plpgsql AS $$
DECLARE
    v_plan_id text;
    v_plan plans%ROWTYPE;
    v_today date := (p_day AT TIME ZONE 'UTC')::date;
    v_spent double precision;
    v_feature text;
    v_limit bigint;
    v_start timestamptz;
    v_used integer;
    v_hits bigint;
    v_resets double precision;
BEGIN
    SELECT h.o_hits, h.o_resets_in INTO v_hits, v_resets FROM rate_hit(p_rate_key, p_rate_window) h;
    IF v_hits > p_rate_limit THEN
        RETURN QUERY SELECT NULL::text, NULL::text, 'rate_limited'::text, NULL::text, 0::bigint,
            0::bigint, 0::double precision, v_resets;
        RETURN;
    END IF;
    v_plan_id := coalesce(
        (SELECT u.plan_override FROM users u WHERE u.id = p_user),
        (SELECT s.plan_id FROM subscriptions s
          WHERE s.user_id = p_user AND s.status = ANY (p_in_force)
          ORDER BY s.current_period_end DESC NULLS LAST LIMIT 1),
        p_free);
    SELECT * INTO v_plan FROM plans pl WHERE pl.id = v_plan_id;
    IF NOT FOUND THEN
        RETURN QUERY SELECT v_plan_id, NULL::text, 'no_plan'::text, NULL::text, 0::bigint,
            0::bigint, 0::double precision, 0::double precision;
        RETURN;
    END IF;
    IF coalesce((SELECT d.cost_usd FROM ai_daily_spend d
                  WHERE d.day = v_today AND d.scope = 'all'), 0) >= p_global_budget THEN
        RETURN QUERY SELECT v_plan.id, v_plan.limit_period, 'capacity'::text, NULL::text,
            0::bigint, 0::bigint, 0::double precision, 0::double precision;
        RETURN;
    END IF;
    v_spent := coalesce((SELECT d.cost_usd FROM ai_daily_spend d
                          WHERE d.day = v_today AND d.scope = p_user::text), 0);
    IF v_spent >= p_user_budget THEN
        RETURN QUERY SELECT v_plan.id, v_plan.limit_period, 'budget'::text, NULL::text,
            0::bigint, 0::bigint, v_spent, 0::double precision;
        RETURN;
    END IF;
    BEGIN
        FOREACH v_feature IN ARRAY p_features LOOP
            v_limit := CASE v_feature
                WHEN 'bullet_points' THEN v_plan.points_daily_limit
                WHEN 'jd_matching' THEN v_plan.jd_matching_limit
                WHEN 'resume_analysis' THEN v_plan.resume_analysis_limit
            END;
            IF v_feature NOT IN ('bullet_points', 'jd_matching', 'resume_analysis') THEN
                RAISE EXCEPTION 'hosted_ai_admit: unknown feature %', v_feature;
            END IF;
            v_start := CASE WHEN v_feature = 'bullet_points' OR v_plan.limit_period = 'day'
                            THEN p_day ELSE p_month END;
            v_used := NULL;
            -- NULL: unlimited (still counted).
            IF v_limit IS NULL OR v_limit >= 1 THEN
                INSERT INTO usage_counters AS c (user_id, feature, period_start, used)
                VALUES (p_user, v_feature, v_start, 1)
                ON CONFLICT (user_id, feature, period_start)
                DO UPDATE SET used = c.used + 1
                    WHERE v_limit IS NULL OR c.used < v_limit
                RETURNING c.used INTO v_used;
            END IF;
            IF v_used IS NULL THEN
                RAISE EXCEPTION USING ERRCODE = 'QD001';
            END IF;
        END LOOP;
    EXCEPTION WHEN SQLSTATE 'QD001' THEN
        -- The uses this block took are rolled back with it; the variables keep their values.
        SELECT c.used INTO v_used FROM usage_counters c
         WHERE c.user_id = p_user AND c.feature = v_feature AND c.period_start = v_start;
        RETURN QUERY SELECT v_plan.id, v_plan.limit_period, 'limit'::text, v_feature,
            coalesce(v_limit, 0), coalesce(v_used, 0)::bigint, v_spent, 0::double precision;
        RETURN;
    END;
    RETURN QUERY SELECT v_plan.id, v_plan.limit_period, 'taken'::text, NULL::text, 0::bigint,
        0::bigint, v_spent, 0::double precision;
END;
$$;
