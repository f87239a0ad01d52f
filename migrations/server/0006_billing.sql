-- Plans and billing: plans as data, Stripe customers and subscriptions, coupons, usage counters
-- per user/feature/period, processed Stripe events, hosted-AI call records, feature flags.
-- Stripe product and price ids are settings (QODER_STRIPE_PRICES), not rows.

-- Design "SubscriptionPlan". A limit of NULL means unlimited; limit_period is the period the
-- two AI limits count over ('month': the calendar month in UTC, 'day': the UTC day).
CREATE TABLE plans (
    id                    text PRIMARY KEY,
    name                  text NOT NULL,
    price_cents           integer NOT NULL CHECK (price_cents >= 0),
    currency              text NOT NULL DEFAULT 'usd',
    interval              text NOT NULL CHECK (interval IN ('month', 'year')),
    interval_count        integer NOT NULL CHECK (interval_count >= 1),
    discount_percent      integer NOT NULL DEFAULT 0 CHECK (discount_percent BETWEEN 0 AND 100),
    limit_period          text NOT NULL CHECK (limit_period IN ('day', 'month')),
    resume_analysis_limit integer CHECK (resume_analysis_limit >= 0),
    jd_matching_limit     integer CHECK (jd_matching_limit >= 0),
    -- AI bullet points: at most this many a request and generations a UTC day (all plans).
    points_per_request    integer NOT NULL DEFAULT 8,
    points_daily_limit    integer NOT NULL DEFAULT 50,
    sort_order            integer NOT NULL DEFAULT 0,
    active                boolean NOT NULL DEFAULT true
);

INSERT INTO plans (id, name, price_cents, interval, interval_count, discount_percent,
                   limit_period, resume_analysis_limit, jd_matching_limit, sort_order) VALUES
    ('free',            'Free',            0,    'month', 1, 0,  'month', 7,  7,  0),
    ('pro_monthly',     'Pro monthly',     1000, 'month', 1, 0,  'day',   12, 12, 1),
    ('pro_quarterly',   'Pro quarterly',   2700, 'month', 3, 10, 'day',   12, 12, 2),
    ('pro_halfyearly',  'Pro half-yearly', 5400, 'month', 6, 10, 'day',   12, 12, 3);

-- One Stripe customer per account (made at the first checkout).
CREATE TABLE billing_customers (
    user_id            uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    stripe_customer_id text NOT NULL UNIQUE,
    created_at         timestamptz NOT NULL DEFAULT now()
);

-- Stripe subscriptions as last read from Stripe (never from an event's payload alone), one row
-- per Stripe subscription: an old subscription's late event cannot overwrite a newer one.
CREATE TABLE subscriptions (
    stripe_subscription_id text PRIMARY KEY,
    user_id                uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    plan_id                text NOT NULL REFERENCES plans (id),
    status                 text NOT NULL,
    current_period_start   timestamptz,
    current_period_end     timestamptz,
    cancel_at_period_end   boolean NOT NULL DEFAULT false,
    updated_at             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX subscriptions_user ON subscriptions (user_id);

-- Stripe event ids, stored in the transaction that applies the event: a replay applies once.
CREATE TABLE stripe_events (
    id           text PRIMARY KEY,
    type         text NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now()
);

-- Design "Coupon". Mirrored to a Stripe coupon and promotion code so Checkout applies the
-- same discount. used_count is raised by one conditional UPDATE (race-free).
CREATE TABLE coupons (
    code                     text PRIMARY KEY,
    kind                     text NOT NULL CHECK (kind IN ('percentage', 'fixed_amount')),
    value                    integer NOT NULL CHECK (value > 0),
    currency                 text NOT NULL DEFAULT 'usd',
    min_order_cents          integer,
    max_uses                 integer CHECK (max_uses >= 1),
    used_count               integer NOT NULL DEFAULT 0,
    valid_from               timestamptz NOT NULL DEFAULT now(),
    valid_to                 timestamptz,
    active                   boolean NOT NULL DEFAULT true,
    stripe_coupon_id         text,
    stripe_promotion_code_id text,
    created_at               timestamptz NOT NULL DEFAULT now(),
    CHECK (kind <> 'percentage' OR value <= 100),
    CHECK (max_uses IS NULL OR used_count <= max_uses)
);

-- Who used a coupon, and in which Checkout session (an expired session gives the use back).
CREATE TABLE coupon_redemptions (
    code         text NOT NULL REFERENCES coupons (code) ON DELETE CASCADE,
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    session_id   text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (code, user_id)
);

-- Design "UsageRecord": hosted-AI uses per user, feature and period (the period's first
-- instant). A new period is a new row, so nothing has to reset counters.
CREATE TABLE usage_counters (
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    feature      text NOT NULL,
    period_start timestamptz NOT NULL,
    used         integer NOT NULL DEFAULT 0 CHECK (used >= 0),
    PRIMARY KEY (user_id, feature, period_start)
);

-- Every hosted-AI provider call (cache hits and failures too), for the cost dashboard and the
-- daily budgets. No prompt or answer text.
CREATE TABLE ai_calls (
    id          bigserial PRIMARY KEY,
    user_id     uuid REFERENCES users (id) ON DELETE SET NULL,
    feature     text NOT NULL,
    provider    text NOT NULL,
    model       text NOT NULL,
    tokens_in   bigint NOT NULL,
    tokens_out  bigint NOT NULL,
    cost_usd    double precision NOT NULL,
    latency_ms  bigint NOT NULL,
    cache_hit   boolean NOT NULL,
    outcome     text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ai_calls_user_day ON ai_calls (user_id, created_at);
CREATE INDEX ai_calls_day ON ai_calls (created_at);

-- US dollars of hosted AI per UTC day, per user and for everyone (scope 'all'), kept by each
-- recorded call, for the daily budgets (summing ai_calls on every call would grow with the day).
CREATE TABLE ai_daily_spend (
    day      date NOT NULL,
    scope    text NOT NULL,
    cost_usd double precision NOT NULL DEFAULT 0,
    PRIMARY KEY (day, scope)
);

-- Feature flags (design "Feature Flags"): a default, then per-plan, then per-user overrides
-- (the most specific wins). Every change is announced on channel qoder_flags so each process
-- drops its cached copy.
CREATE TABLE feature_flags (
    key         text PRIMARY KEY CHECK (key ~ '^[a-z0-9_.-]{1,64}$'),
    enabled     boolean NOT NULL,
    description text NOT NULL DEFAULT ''
);

CREATE TABLE feature_flag_overrides (
    id      bigserial PRIMARY KEY,
    flag    text NOT NULL REFERENCES feature_flags (key) ON DELETE CASCADE,
    plan_id text REFERENCES plans (id) ON DELETE CASCADE,
    user_id uuid REFERENCES users (id) ON DELETE CASCADE,
    enabled boolean NOT NULL,
    CHECK ((plan_id IS NULL) <> (user_id IS NULL))
);
CREATE UNIQUE INDEX feature_flag_overrides_plan ON feature_flag_overrides (flag, plan_id)
    WHERE plan_id IS NOT NULL;
CREATE UNIQUE INDEX feature_flag_overrides_user ON feature_flag_overrides (flag, user_id)
    WHERE user_id IS NOT NULL;

CREATE FUNCTION qoder_flags_changed() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('qoder_flags', '');
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER feature_flags_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON feature_flags FOR EACH STATEMENT EXECUTE FUNCTION qoder_flags_changed();
CREATE TRIGGER feature_flag_overrides_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON feature_flag_overrides FOR EACH STATEMENT EXECUTE FUNCTION qoder_flags_changed();

INSERT INTO feature_flags (key, enabled, description) VALUES
    ('hosted_ai', true, 'The hosted AI (POST /v1/ai/complete) and the app''s "Use QoderResume AI" provider'),
    ('sync', true, 'Device sync'),
    ('bulk_upload', false, 'Importing many resumes at once (Pro)'),
    ('priority_support', false, 'Priority support (Pro)');
INSERT INTO feature_flag_overrides (flag, plan_id, enabled)
SELECT f, p, true FROM unnest(ARRAY['bulk_upload', 'priority_support']) AS f,
    unnest(ARRAY['pro_monthly', 'pro_quarterly', 'pro_halfyearly']) AS p;
