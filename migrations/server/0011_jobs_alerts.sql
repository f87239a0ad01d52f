-- Background jobs and alerts (issue 17): a durable queue that every server process works off
-- (claimed with FOR UPDATE SKIP LOCKED, retried with backoff, failed jobs kept for an admin to
-- inspect and replay), and the alert rules' state (design 12.2).

CREATE TABLE jobs (
    id           bigserial PRIMARY KEY,
    -- What runs it: `alert.webhook`, `alert.email`, `retention.run`.
    kind         text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$'),
    payload      jsonb NOT NULL DEFAULT '{}'::jsonb,
    state        text NOT NULL DEFAULT 'queued'
                 CHECK (state IN ('queued', 'running', 'done', 'failed')),
    -- Tries started (a claim counts one).
    attempts     integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    max_attempts integer NOT NULL DEFAULT 5 CHECK (max_attempts >= 1),
    last_error   text,
    -- Every failed try: [{"at": …, "attempt": n, "error": "…"}], oldest first.
    errors       jsonb NOT NULL DEFAULT '[]'::jsonb,
    -- Not before this (the backoff of a retry).
    run_at       timestamptz NOT NULL DEFAULT now(),
    -- The claim of a running job: its token and until when it holds; past it, the process is
    -- taken for dead and the job goes back to the queue.
    lease_id     uuid,
    locked_until timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz
);
-- The worker: the next due job; leases run out.
CREATE INDEX jobs_due ON jobs (run_at, id) WHERE state = 'queued';
CREATE INDEX jobs_leases ON jobs (locked_until) WHERE state = 'running';
-- The admin's list: newest first, by state and by kind.
CREATE INDEX jobs_state_id ON jobs (state, id);
CREATE INDEX jobs_kind_id ON jobs (kind, id);

-- Each rule's latest evaluation (one row per rule; what the console shows as its value).
CREATE TABLE alert_checks (
    rule         text PRIMARY KEY,
    value        double precision,
    threshold    double precision NOT NULL,
    firing       boolean NOT NULL,
    message      text NOT NULL,
    evaluated_at timestamptz NOT NULL DEFAULT now()
);

-- Each time a rule fired, and when it resolved. At most one firing row per rule.
CREATE TABLE alerts (
    id          bigserial PRIMARY KEY,
    rule        text NOT NULL,
    state       text NOT NULL CHECK (state IN ('firing', 'resolved')),
    value       double precision,
    threshold   double precision NOT NULL,
    message     text NOT NULL,
    fired_at    timestamptz NOT NULL DEFAULT now(),
    resolved_at timestamptz,
    CHECK ((state = 'resolved') = (resolved_at IS NOT NULL))
);
CREATE UNIQUE INDEX alerts_one_firing ON alerts (rule) WHERE state = 'firing';
