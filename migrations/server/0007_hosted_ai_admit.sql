-- One hit of the fixed-window counter p_key in rate_limits (db::rate::hit): the window's count
-- after it and the seconds until the window ends. One definition for every caller.
CREATE FUNCTION rate_hit(p_key text, p_window bigint,
                         OUT o_hits bigint, OUT o_resets_in double precision)
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO rate_limits AS r (key, window_start, hits)
    VALUES (p_key, floor(extract(epoch FROM now()) / p_window)::bigint * p_window, 1)
    ON CONFLICT (key) DO UPDATE SET
        hits = CASE WHEN r.window_start = EXCLUDED.window_start THEN r.hits + 1 ELSE 1 END,
        window_start = EXCLUDED.window_start
    RETURNING r.hits::bigint, (r.window_start + p_window - extract(epoch FROM now()))::float8
    INTO o_hits, o_resets_in;
END;
$$;

-- The hosted AI's admission of one call in one statement (one database round trip instead of
-- about eight): the request counted against the user's API rate limit (p_rate_key, p_rate_window,
-- p_rate_limit: what rate::check_api counts for every other endpoint), the plan in force for the
-- user, the global and the user's daily budgets, and one use of each limit the call counts
-- against, all or none.
--
-- p_features: the usage features the call counts against, in the fixed order of
-- billing::usage::meters (bullet_points, jd_matching, resume_analysis), so that transactions lock
-- counter rows in one order. The meters mirror billing::usage::meters: bullet points count over
-- the UTC day on every plan; JD matchings and resume analyses over the plan's limit_period.
-- p_day / p_month: the first instants of the UTC day and month containing the caller's clock.
-- p_in_force: billing::plans::IN_FORCE; p_free: the plan of a user with none in force.
--
-- One row back: r_outcome is 'rate_limited' (over the API rate limit; r_retry: seconds until
-- the window ends; nothing else is looked at), 'taken', 'limit' (r_feature's r_limit is reached; r_used is its
-- count), 'budget' (the user's spend r_spent is at the user's budget), 'capacity' (everyone's
-- spend is at the global budget) or 'no_plan' (r_plan names a plan that has no row).
--
-- A use is taken by a conditional upsert (… DO UPDATE … WHERE used < limit): the row lock
-- orders two callers, even in two server processes, and the second sees the first's count. A
-- refusal of a later meter undoes the earlier ones by rolling back the block's subtransaction.
CREATE FUNCTION hosted_ai_admit(
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
