//! Background jobs: a durable queue in PostgreSQL (`jobs`, migration 0011) that every server
//! process works off. [`enqueue`] writes a job on any executor (pass the transaction of the
//! change that causes it: the job exists if and only if the change committed). The worker of
//! each process ([`run_forever`], started by `serve`) claims one due job at a time with
//! `FOR UPDATE SKIP LOCKED` (two processes never take the same job), runs its kind's handler,
//! and marks it done, or queued again after an exponential backoff, or failed after
//! `max_attempts` tries (or at once for an error that no retry can fix, such as an unknown
//! kind). A claim is a lease: a job still `running` when its lease has run out belonged to a
//! process that died, and goes back to the queue. Admins list failed jobs, inspect their payload
//! and every error, and replay them (audited).
//!
//! Kinds: [`kind::ALERT_WEBHOOK`] and [`kind::ALERT_EMAIL`] (an alert's notification,
//! `crate::alerts`), [`kind::RETENTION_RUN`] (every retention policy, scheduled every
//! `jobs.retention_every_hours`).

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sqlx::{PgExecutor, PgPool, Postgres, QueryBuilder, Row};
use uuid::Uuid;

use crate::AppState;
use crate::audit::{self, action};
use crate::http::error::ApiError;

/// The kinds this server runs.
pub mod kind {
    /// An alert's notification POSTed to `alerts.webhook_url`.
    pub const ALERT_WEBHOOK: &str = "alert.webhook";
    /// An alert's notification mailed through `alerts.smtp_url`.
    pub const ALERT_EMAIL: &str = "alert.email";
    /// Every retention policy, executed (`crate::admin::retention::run`).
    pub const RETENTION_RUN: &str = "retention.run";
    pub const ALL: [&str; 3] = [ALERT_WEBHOOK, ALERT_EMAIL, RETENTION_RUN];
}

/// The states of a job.
pub const STATES: [&str; 4] = ["queued", "running", "done", "failed"];
/// Tries of a job enqueued with [`enqueue`] (the table's default).
pub const DEFAULT_MAX_ATTEMPTS: i32 = 5;
/// The longest wait between two tries.
pub const MAX_BACKOFF: Duration = Duration::from_secs(3600);
/// Finished (`done`) jobs are deleted after this many days; failed ones stay until replayed.
pub const KEEP_DONE_DAYS: i32 = 30;
/// Errors longer than this are cut (a webhook's body, a long SMTP answer).
const MAX_ERROR_CHARS: usize = 2000;
/// How often a worker looks for jobs whose lease ran out, and schedules the periodic ones.
const SWEEP_EVERY: Duration = Duration::from_secs(10);
/// How long `serve` waits at shutdown for the job being run to finish.
pub const STOP_WAIT: Duration = Duration::from_secs(15);
/// The advisory lock of the scheduler (one process at a time schedules).
const SCHEDULE_LOCK: i64 = 0x716f_6465_725f_6a6f; // "qoder_jo"

/// Puts a job in the queue, due now, with [`DEFAULT_MAX_ATTEMPTS`]; its id.
pub async fn enqueue(db: impl PgExecutor<'_>, kind: &str, payload: &Value) -> sqlx::Result<i64> {
    enqueue_with(db, kind, payload, DEFAULT_MAX_ATTEMPTS).await
}

/// [`enqueue`] with its own number of tries.
pub async fn enqueue_with(
    db: impl PgExecutor<'_>,
    kind: &str,
    payload: &Value,
    max_attempts: i32,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO jobs (kind, payload, max_attempts) VALUES ($1, $2::jsonb, $3) RETURNING id",
    )
    .bind(kind)
    .bind(payload.to_string())
    .bind(max_attempts.max(1))
    .fetch_one(db)
    .await
}

/// A job as the admin's list shows it.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    pub state: String,
    pub attempts: i32,
    pub max_attempts: i32,
    pub last_error: Option<String>,
    /// When it is due (after a failed try: when it is tried again).
    pub run_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

/// One failed try.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Attempt {
    pub at: DateTime<Utc>,
    pub attempt: i32,
    pub error: String,
}

/// A job with its payload and every failed try, oldest first.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct JobDetail {
    #[serde(flatten)]
    pub job: Job,
    pub payload: Value,
    pub errors: Vec<Attempt>,
}

/// Query of `GET /api/admin/jobs`: newest first; `before` is the `next` of the previous page.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Filter {
    pub state: Option<String>,
    pub kind: Option<String>,
    pub before: Option<i64>,
    pub limit: Option<i64>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Page {
    pub jobs: Vec<Job>,
    pub next: Option<i64>,
    /// The kinds this server runs (for the console's filter).
    pub kinds: Vec<String>,
}

pub const MAX_PAGE: i64 = 200;

const COLUMNS: &str = "id, kind, state, attempts, max_attempts, last_error, run_at, created_at, \
                       updated_at, finished_at";

fn job(r: &sqlx::postgres::PgRow) -> sqlx::Result<Job> {
    Ok(Job {
        id: r.try_get("id")?,
        kind: r.try_get("kind")?,
        state: r.try_get("state")?,
        attempts: r.try_get("attempts")?,
        max_attempts: r.try_get("max_attempts")?,
        last_error: r.try_get("last_error")?,
        run_at: r.try_get("run_at")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
        finished_at: r.try_get("finished_at")?,
    })
}

fn json_of(text: &str) -> sqlx::Result<Value> {
    serde_json::from_str(text).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

/// One page of jobs, newest first.
pub async fn list(pool: &PgPool, f: &Filter) -> Result<Page, ApiError> {
    let limit = f.limit.unwrap_or(50);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(ApiError::Validation(format!("limit: 1 to {MAX_PAGE}")));
    }
    let mut q: QueryBuilder<Postgres> =
        QueryBuilder::new(format!("SELECT {COLUMNS} FROM jobs WHERE true"));
    if let Some(s) = f.state.as_deref().filter(|s| !s.is_empty()) {
        if !STATES.contains(&s) {
            return Err(ApiError::Validation(format!(
                "state: one of {}, not {s:?}",
                STATES.join(", ")
            )));
        }
        q.push(" AND state = ").push_bind(s.to_string());
    }
    if let Some(k) = f.kind.as_deref().filter(|k| !k.is_empty()) {
        q.push(" AND kind = ").push_bind(k.to_string());
    }
    if let Some(b) = f.before {
        q.push(" AND id < ").push_bind(b);
    }
    q.push(" ORDER BY id DESC LIMIT ").push_bind(limit + 1);
    let rows = q.build().fetch_all(pool).await?;
    let mut jobs = rows.iter().map(job).collect::<sqlx::Result<Vec<_>>>()?;
    let more = jobs.len() as i64 > limit;
    jobs.truncate(usize::try_from(limit).unwrap_or(0));
    let next = if more { jobs.last().map(|j| j.id) } else { None };
    Ok(Page { jobs, next, kinds: kind::ALL.iter().map(|k| k.to_string()).collect() })
}

/// One job with its payload and error history.
pub async fn detail(db: impl PgExecutor<'_>, id: i64) -> Result<JobDetail, ApiError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS}, payload::text AS payload, errors::text AS errors FROM jobs WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(db)
    .await?
    .ok_or(ApiError::NotFound("no such job"))?;
    let errors: Vec<Attempt> = serde_json::from_str(row.try_get("errors")?)
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("job {id}'s errors: {e}")))?;
    Ok(JobDetail { job: job(&row)?, payload: json_of(row.try_get("payload")?)?, errors })
}

/// Puts a failed job back in the queue, due now, with its tries counted from zero (its error
/// history is kept); audited in the same transaction. 404 if there is no such job, 409 if it is
/// not failed.
pub async fn replay(pool: &PgPool, ctx: &audit::Ctx, id: i64) -> Result<JobDetail, ApiError> {
    let mut tx = pool.begin().await?;
    let row: Option<(String, String, i32, Option<String>)> = sqlx::query_as(
        "SELECT kind, state, attempts, last_error FROM jobs WHERE id = $1 FOR UPDATE",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((kind, state, attempts, last_error)) = row else {
        return Err(ApiError::NotFound("no such job"));
    };
    if state != "failed" {
        return Err(ApiError::Conflict(format!(
            "job {id} is {state}: only a failed job can be replayed"
        )));
    }
    sqlx::query(
        "UPDATE jobs SET state = 'queued', attempts = 0, run_at = now(), finished_at = NULL,
                         updated_at = now()
         WHERE id = $1",
    )
    .bind(id)
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut *tx,
        ctx,
        action::JOB_REPLAYED,
        Some(&format!("job:{id}")),
        json!({"kind": kind, "attempts": attempts, "last_error": last_error}),
    )
    .await?;
    let d = detail(&mut *tx, id).await?;
    tx.commit().await?;
    Ok(d)
}

/// The queue at a glance (admin health, `/metrics`, the alert rules).
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Depth {
    /// Waiting, due or not (a retry's backoff).
    pub queued: i64,
    /// Waiting and due now.
    pub due: i64,
    pub running: i64,
    /// Failed and not replayed.
    pub failed: i64,
    /// Seconds the oldest due job has waited.
    pub oldest_due_secs: Option<f64>,
}

pub async fn depth(db: impl PgExecutor<'_>) -> sqlx::Result<Depth> {
    let r = sqlx::query(
        "SELECT count(*) FILTER (WHERE state = 'queued') AS queued,
                count(*) FILTER (WHERE state = 'queued' AND run_at <= now()) AS due,
                count(*) FILTER (WHERE state = 'running') AS running,
                count(*) FILTER (WHERE state = 'failed') AS failed,
                extract(epoch FROM now() - min(run_at) FILTER (WHERE state = 'queued' AND run_at <= now()))::float8
                    AS oldest_due_secs
         FROM jobs WHERE state IN ('queued', 'running', 'failed')",
    )
    .fetch_one(db)
    .await?;
    Ok(Depth {
        queued: r.try_get("queued")?,
        due: r.try_get("due")?,
        running: r.try_get("running")?,
        failed: r.try_get("failed")?,
        oldest_due_secs: r.try_get("oldest_due_secs")?,
    })
}

/// Why a try did not succeed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// Worth trying again later (a network error, a 5xx).
    Retry(String),
    /// No retry can fix it (an unknown kind, a payload this server cannot read, a channel that
    /// is not configured): failed at once.
    Permanent(String),
}

/// A claimed job.
struct Claimed {
    id: i64,
    kind: String,
    payload: Value,
    attempts: i32,
    lease: Uuid,
}

/// The wait before try `attempt + 1`: `base` doubled for each try after the first, at most
/// [`MAX_BACKOFF`].
pub fn backoff(base: Duration, attempt: i32) -> Duration {
    let doublings = u32::try_from(attempt.saturating_sub(1)).unwrap_or(0).min(20);
    base.saturating_mul(1 << doublings).min(MAX_BACKOFF)
}

async fn claim(pool: &PgPool, lease: Duration) -> sqlx::Result<Option<Claimed>> {
    let id = Uuid::now_v7();
    let row = sqlx::query(
        "UPDATE jobs SET state = 'running', attempts = attempts + 1, lease_id = $1,
                         locked_until = now() + make_interval(secs => $2), updated_at = now()
         WHERE id = (SELECT id FROM jobs WHERE state = 'queued' AND run_at <= now()
                     ORDER BY run_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
         RETURNING id, kind, payload::text AS payload, attempts",
    )
    .bind(id)
    .bind(lease.as_secs_f64())
    .fetch_optional(pool)
    .await?;
    let Some(r) = row else { return Ok(None) };
    Ok(Some(Claimed {
        id: r.try_get("id")?,
        kind: r.try_get("kind")?,
        payload: json_of(r.try_get("payload")?)?,
        attempts: r.try_get("attempts")?,
        lease: id,
    }))
}

fn cut(mut s: String) -> String {
    if let Some((i, _)) = s.char_indices().nth(MAX_ERROR_CHARS) {
        s.truncate(i);
        s.push('…');
    }
    s
}

/// Records a try's outcome; the job's new state (`None` if the lease was lost meanwhile).
async fn finish(
    pool: &PgPool,
    job: &Claimed,
    outcome: Result<(), Failure>,
    base: Duration,
) -> sqlx::Result<Option<String>> {
    let (permanent, error) = match outcome {
        Ok(()) => {
            return sqlx::query_scalar(
                "UPDATE jobs SET state = 'done', finished_at = now(), updated_at = now(),
                                 lease_id = NULL, locked_until = NULL
                 WHERE id = $1 AND lease_id = $2 RETURNING state",
            )
            .bind(job.id)
            .bind(job.lease)
            .fetch_optional(pool)
            .await;
        }
        Err(Failure::Retry(e)) => (false, cut(e)),
        Err(Failure::Permanent(e)) => (true, cut(e)),
    };
    let delay = backoff(base, job.attempts);
    sqlx::query_scalar(
        "UPDATE jobs SET
             state = CASE WHEN $3 OR attempts >= max_attempts THEN 'failed' ELSE 'queued' END,
             finished_at = CASE WHEN $3 OR attempts >= max_attempts THEN now() END,
             run_at = CASE WHEN $3 OR attempts >= max_attempts THEN run_at
                           ELSE now() + make_interval(secs => $4) END,
             last_error = $5,
             errors = errors || jsonb_build_array(jsonb_build_object(
                 'at', now(), 'attempt', attempts, 'error', $5::text)),
             lease_id = NULL, locked_until = NULL, updated_at = now()
         WHERE id = $1 AND lease_id = $2 RETURNING state",
    )
    .bind(job.id)
    .bind(job.lease)
    .bind(permanent)
    .bind(delay.as_secs_f64())
    .bind(&error)
    .fetch_optional(pool)
    .await
}

/// Jobs whose lease ran out go back to the queue (or fail, out of tries); done jobs older than
/// [`KEEP_DONE_DAYS`] are deleted. Returns the jobs taken back.
pub async fn sweep(pool: &PgPool) -> sqlx::Result<u64> {
    let taken = sqlx::query(
        "UPDATE jobs SET
             state = CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'queued' END,
             finished_at = CASE WHEN attempts >= max_attempts THEN now() END,
             run_at = now(),
             last_error = 'the process running it stopped before it finished (its lease ran out)',
             errors = errors || jsonb_build_array(jsonb_build_object('at', now(), 'attempt', attempts,
                 'error', 'the process running it stopped before it finished (its lease ran out)')),
             lease_id = NULL, locked_until = NULL, updated_at = now()
         WHERE state = 'running' AND locked_until < now()",
    )
    .execute(pool)
    .await?
    .rows_affected();
    sqlx::query(
        "DELETE FROM jobs WHERE state = 'done' AND finished_at < now() - make_interval(days => $1)",
    )
    .bind(KEEP_DONE_DAYS)
    .execute(pool)
    .await?;
    Ok(taken)
}

/// Enqueues the periodic jobs that are due (one process at a time: an advisory lock): a
/// `retention.run` when none was made in the last `retention_every_hours`.
pub async fn schedule(state: &AppState) -> sqlx::Result<()> {
    let hours = state.config.jobs.retention_every_hours;
    if hours == 0 {
        return Ok(());
    }
    let mut tx = state.pool.begin().await?;
    let locked: bool = sqlx::query_scalar("SELECT pg_try_advisory_xact_lock($1)")
        .bind(SCHEDULE_LOCK)
        .fetch_one(&mut *tx)
        .await?;
    if !locked {
        return Ok(());
    }
    let due: bool = sqlx::query_scalar(
        "SELECT NOT EXISTS (SELECT 1 FROM jobs WHERE kind = $1
                            AND created_at > now() - make_interval(hours => $2))",
    )
    .bind(kind::RETENTION_RUN)
    .bind(i32::try_from(hours).unwrap_or(i32::MAX))
    .fetch_one(&mut *tx)
    .await?;
    if due {
        let id = enqueue_with(
            &mut *tx,
            kind::RETENTION_RUN,
            &json!({"scheduled": true, "every_hours": hours}),
            state.config.jobs.max_attempts,
        )
        .await?;
        tracing::info!(job = id, "retention run scheduled");
    }
    tx.commit().await
}

/// Runs one try of a job by its kind.
async fn run(state: &AppState, http: &reqwest::Client, job: &Claimed) -> Result<(), Failure> {
    match job.kind.as_str() {
        kind::ALERT_WEBHOOK => crate::alerts::send_webhook(state, http, &job.payload).await,
        kind::ALERT_EMAIL => crate::alerts::send_email(state, &job.payload).await,
        kind::RETENTION_RUN => {
            let req = crate::admin::retention::RunRequest { data_type: None, dry_run: false };
            crate::admin::retention::run(state, &audit::Ctx::system(), &req)
                .await
                .map(|report| {
                    let rows: i64 = report.items.iter().map(|i| i.rows).sum();
                    tracing::info!(job = job.id, rows, "retention run done");
                })
                .map_err(|e| Failure::Retry(format!("retention run: {e}")))
        }
        other => Err(Failure::Permanent(format!(
            "unknown job kind {other:?}: this server runs {}",
            kind::ALL.join(", ")
        ))),
    }
}

/// Sleeps `d`, or less when told to stop (or when the sender is gone); whether to stop.
async fn pause(stop: &mut tokio::sync::watch::Receiver<bool>, d: Duration) -> bool {
    tokio::select! {
        _ = tokio::time::sleep(d) => *stop.borrow(),
        changed = stop.changed() => changed.is_err() || *stop.borrow(),
    }
}

/// The worker of this process: claims due jobs one at a time and runs them, until `stop` turns
/// true (it returns after the job it is running) or it is aborted.
pub async fn run_forever(state: AppState, mut stop: tokio::sync::watch::Receiver<bool>) {
    let cfg = state.config.jobs.clone();
    let http = match reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("qoder-server/", env!("CARGO_PKG_VERSION")))
        .build()
    {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "cannot make the jobs' HTTP client; no job runs in this process");
            return;
        }
    };
    let poll = Duration::from_millis(cfg.poll_ms);
    let lease = Duration::from_secs(cfg.lease_secs);
    let base = Duration::from_secs(cfg.retry_base_secs);
    let mut swept: Option<Instant> = None;
    while !*stop.borrow() {
        if swept.is_none_or(|t| t.elapsed() >= SWEEP_EVERY) {
            swept = Some(Instant::now());
            match sweep(&state.pool).await {
                Ok(0) => {}
                Ok(n) => tracing::warn!(jobs = n, "jobs whose process stopped are queued again"),
                Err(e) => tracing::warn!(error = %e, "jobs sweep failed"),
            }
            if let Err(e) = schedule(&state).await {
                tracing::warn!(error = %e, "scheduling periodic jobs failed");
            }
        }
        let job = match claim(&state.pool, lease).await {
            Ok(Some(job)) => job,
            Ok(None) => {
                if pause(&mut stop, poll).await {
                    return;
                }
                continue;
            }
            Err(e) => {
                tracing::warn!(error = %e, "claiming a job failed");
                if pause(&mut stop, poll).await {
                    return;
                }
                continue;
            }
        };
        let outcome = match tokio::time::timeout(lease, run(&state, &http, &job)).await {
            Ok(outcome) => outcome,
            Err(_) => Err(Failure::Retry(format!("did not finish within {} s", lease.as_secs()))),
        };
        if let Err(f) = &outcome {
            tracing::warn!(job = job.id, kind = %job.kind, attempt = job.attempts, failure = ?f, "job try failed");
        }
        match finish(&state.pool, &job, outcome, base).await {
            Ok(Some(s)) => tracing::debug!(job = job.id, state = %s, "job try recorded"),
            Ok(None) => tracing::warn!(job = job.id, "job's lease was lost before it finished"),
            Err(e) => tracing::warn!(job = job.id, error = %e, "recording a job's outcome failed"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        let b = Duration::from_secs(30);
        assert_eq!(backoff(b, 1), Duration::from_secs(30));
        assert_eq!(backoff(b, 2), Duration::from_secs(60));
        assert_eq!(backoff(b, 4), Duration::from_secs(240));
        assert_eq!(backoff(b, 12), MAX_BACKOFF);
        assert_eq!(backoff(b, 1000), MAX_BACKOFF);
        assert_eq!(backoff(b, 0), b);
    }

    #[test]
    fn long_errors_are_cut() {
        assert_eq!(cut("short".into()), "short");
        let long = cut("é".repeat(5000));
        assert_eq!(long.chars().count(), MAX_ERROR_CHARS + 1);
        assert!(long.ends_with('…'));
    }
}
