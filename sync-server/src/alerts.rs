//! Alerts (design 12.2 "Alerting Strategy"): rules evaluated on the server every
//! `alerts.interval_secs` by one process at a time (a PostgreSQL advisory lock), each compared
//! with its threshold from `[alerts]`. A rule that starts breaking its threshold fires (a row in
//! `alerts`); one that stops resolves it. Each transition enqueues one notification job per
//! configured channel (`crate::jobs`: a webhook POST of JSON, an email over SMTP), so a
//! notification survives a restart and is retried. Every rule carries its runbook (what it
//! means, what to check, what to do), shown in the console and sent in each notification.

use std::time::Duration;

use chrono::{DateTime, Datelike, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::{PgPool, Postgres, Row, Transaction};

use crate::AppState;
use crate::config::AlertsConfig;
use crate::http::error::ApiError;
use crate::jobs::{self, Failure};

/// The advisory lock of the evaluation (one process at a time).
const EVALUATE_LOCK: i64 = 0x716f_6465_725f_616c; // "qoder_al"
/// Hosted-AI provider calls older than this are not looked at.
pub const PROVIDER_WINDOW_MINUTES: i32 = 15;
/// Calls a provider must have made in the window before it can be called down.
pub const PROVIDER_MIN_CALLS: i64 = 3;
/// The window of the HTTP rules.
pub const HTTP_WINDOW_MINUTES: i64 = 5;

/// What a rule means, what to look at, what to do.
#[derive(Clone, Copy, Debug, Serialize, PartialEq)]
pub struct Runbook {
    pub meaning: &'static str,
    pub check: &'static str,
    pub action: &'static str,
}

impl Runbook {
    /// The runbook as text (notifications).
    pub fn text(&self) -> String {
        format!(
            "What it means: {}\nWhat to check: {}\nWhat to do: {}",
            self.meaning, self.check, self.action
        )
    }
}

/// Which side of the threshold is bad.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Firing at or above the threshold.
    Above,
    /// Firing below it.
    Below,
}

/// One rule.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rule {
    pub id: &'static str,
    pub name: &'static str,
    /// `critical` or `warning` (design 12.2).
    pub severity: &'static str,
    /// `share` (0–1), `ms`, `minutes`, `jobs`, `bytes`.
    pub unit: &'static str,
    pub direction: Direction,
    pub runbook: Runbook,
}

impl Rule {
    fn threshold(&self, c: &AlertsConfig) -> f64 {
        match self.id {
            "http_error_rate" => c.error_rate,
            "http_p95_latency" => c.p95_ms,
            "ai_budget" => c.ai_budget_share,
            "ai_provider_down" => c.provider_error_rate,
            "job_backlog" => c.backlog_minutes,
            "jobs_failed" => c.failed_jobs as f64,
            "db_size" => c.db_size_bytes as f64,
            "disk_free" => c.disk_free_share,
            _ => f64::INFINITY,
        }
    }

    fn breaks(&self, value: f64, threshold: f64) -> bool {
        match self.direction {
            Direction::Above => value >= threshold,
            Direction::Below => value < threshold,
        }
    }
}

pub static RULES: [Rule; 8] = [
    Rule {
        id: "http_error_rate",
        name: "HTTP error rate",
        severity: "critical",
        unit: "share",
        direction: Direction::Above,
        runbook: Runbook {
            meaning: "Too many requests over the last 5 minutes were answered with a 5xx status (all server processes together): users' syncs, sign-ins or hosted-AI calls are failing.",
            check: "The server log (errors carry the request id); GET /api/admin/health (database ok, pool exhausted?); GET /metrics (which route and status); the AI providers screen when the failing route is /v1/ai/complete.",
            action: "If the database is down or its pool is exhausted, restore it or raise db_max_connections; if one route fails, roll back the last deployment; if a provider fails, disable it on the AI providers screen. The alert resolves by itself when the rate falls.",
        },
    },
    Rule {
        id: "http_p95_latency",
        name: "HTTP p95 latency",
        severity: "warning",
        unit: "ms",
        direction: Direction::Above,
        runbook: Runbook {
            meaning: "One request in twenty took longer than the threshold over the last 5 minutes: the service is slow for users.",
            check: "GET /api/admin/health (database ping, pool idle connections, requests in flight, memory); slow queries in PostgreSQL (pg_stat_activity, pg_stat_statements); the hosted-AI providers' latency.",
            action: "Relieve the database (kill runaway queries, add the missing index, raise db_max_connections), add a server process behind the load balancer, or move a slow AI provider down the failover order.",
        },
    },
    Rule {
        id: "ai_budget",
        name: "Hosted-AI spend vs budget",
        severity: "critical",
        unit: "share",
        direction: Direction::Above,
        runbook: Runbook {
            meaning: "This UTC month's hosted-AI spend has reached the threshold share of the month's budget (ai_global_daily_budget_usd × the month's days). Past the daily budget, calls are refused.",
            check: "The LLM cost screen: spend by day, feature, provider and model, the cache hit rate, the projection to the month's end; unusual use by one account (its detail shows its AI cost).",
            action: "Raise ai_global_daily_budget_usd if the use is expected; otherwise move traffic to a cheaper provider or model, lower ai_user_daily_budget_usd, or turn the hosted_ai feature flag off for a plan.",
        },
    },
    Rule {
        id: "ai_provider_down",
        name: "AI provider down",
        severity: "critical",
        unit: "share",
        direction: Direction::Above,
        runbook: Runbook {
            meaning: "A hosted-AI provider failed too many of its last calls (15 minutes): calls fail over to the next provider, slower and maybe dearer, or fail when none is left.",
            check: "The AI providers screen (error rate, last error: upstream, rate_limited, timeout…); the provider's status page; its API key and quota.",
            action: "Disable the provider or move it down the failover order on the AI providers screen (in force at once); renew a revoked key in the server's secrets; enable it again when it recovers.",
        },
    },
    Rule {
        id: "job_backlog",
        name: "Job queue backlog",
        severity: "warning",
        unit: "minutes",
        direction: Direction::Above,
        runbook: Runbook {
            meaning: "The oldest due background job has waited longer than the threshold: notifications and scheduled work are late.",
            check: "The Jobs screen (queued and running jobs, their kinds); the server processes are up (each runs a worker); the log for 'job try failed' or 'claiming a job failed'.",
            action: "Start a stopped server process; if one kind is slow (a webhook that hangs), fix its endpoint; a job stuck running goes back to the queue when its lease (jobs.lease_secs) runs out.",
        },
    },
    Rule {
        id: "jobs_failed",
        name: "Failed jobs",
        severity: "warning",
        unit: "jobs",
        direction: Direction::Above,
        runbook: Runbook {
            meaning: "Background jobs ran out of tries and failed: an alert notification was not delivered, or a scheduled retention run did not happen.",
            check: "The Jobs screen filtered on failed: each job's kind, payload and the error of every try (a webhook's status, the SMTP answer).",
            action: "Fix the cause (the webhook endpoint, the SMTP server or its credentials in [alerts]), then replay the jobs from the Jobs screen. The alert resolves when no failed job is left.",
        },
    },
    Rule {
        id: "db_size",
        name: "Database size",
        severity: "warning",
        unit: "bytes",
        direction: Direction::Above,
        runbook: Runbook {
            meaning: "The PostgreSQL database has grown past the threshold.",
            check: "The largest tables (pg_total_relation_size): records, audit_log, ai_calls; the retention policies and their last runs; dead tuples (autovacuum).",
            action: "Run or shorten the retention policies (Retention screen), let autovacuum catch up, or give the database more disk and raise alerts.db_size_bytes.",
        },
    },
    Rule {
        id: "disk_free",
        name: "Disk free space",
        severity: "critical",
        unit: "share",
        direction: Direction::Below,
        runbook: Runbook {
            meaning: "The disk of the data directory (alerts.data_dir, or PostgreSQL's when readable from this host) is nearly full; PostgreSQL stops writing when it is.",
            check: "df on the host; what grows: the database (see Database size), WAL (a stuck replication slot or archive command), logs.",
            action: "Free space (old logs, WAL once its slot is dropped), run the retention policies, or grow the volume.",
        },
    },
];

pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// One rule's evaluation. `value: None`: it could not be measured (no hosted AI, no budget, a
/// directory that cannot be read), so it neither fires nor resolves.
#[derive(Clone, Debug, PartialEq)]
pub struct Check {
    pub rule: &'static Rule,
    pub value: Option<f64>,
    pub threshold: f64,
    pub firing: bool,
    pub message: String,
}

impl Check {
    fn new(rule: &'static Rule, c: &AlertsConfig, value: Option<f64>, message: String) -> Self {
        let threshold = rule.threshold(c);
        let firing = value.is_some_and(|v| rule.breaks(v, threshold));
        Check { rule, value, threshold, firing, message }
    }
}

fn pct(share: f64) -> String {
    format!("{:.1}%", share * 100.0)
}

fn unmeasured(rule: &'static Rule, c: &AlertsConfig, why: impl std::fmt::Display) -> Check {
    Check::new(rule, c, None, format!("not measured: {why}"))
}

fn rule_of(id: &str) -> &'static Rule {
    // The ids below are the table's own.
    rule(id).unwrap_or(&RULES[0])
}

/// The HTTP rules, over the last [`HTTP_WINDOW_MINUTES`] of every process's traffic
/// (`crate::traffic`). Quiet (measured, never firing) below `min_requests`.
async fn http_traffic(pool: &PgPool, c: &AlertsConfig) -> anyhow::Result<[Check; 2]> {
    let since = Utc::now() - chrono::Duration::minutes(HTTP_WINDOW_MINUTES);
    let w = crate::traffic::window(pool, since).await?;
    let requests = w.requests as f64;
    let errors = w.errors as f64;
    let rate = w.error_rate();
    let few = requests < c.min_requests as f64;
    let quiet = |mut check: Check| {
        if few {
            check.firing = false;
            check.message = format!(
                "{} (only {requests} requests in {HTTP_WINDOW_MINUTES} min, fewer than alerts.min_requests = {}: not judged)",
                check.message, c.min_requests
            );
        }
        check
    };
    let error_rate = quiet(Check::new(
        rule_of("http_error_rate"),
        c,
        Some(rate),
        format!(
            "{} of {requests} requests in the last {HTTP_WINDOW_MINUTES} min answered 5xx ({})",
            errors,
            pct(rate)
        ),
    ));
    let p95: Option<f64> = w.p95_ms;
    let latency = quiet(match p95 {
        Some(ms) => Check::new(
            rule_of("http_p95_latency"),
            c,
            Some(ms),
            format!(
                "p95 latency {ms:.0} ms over {requests} requests in the last {HTTP_WINDOW_MINUTES} min"
            ),
        ),
        None => Check::new(
            rule_of("http_p95_latency"),
            c,
            Some(0.0),
            format!("no request in the last {HTTP_WINDOW_MINUTES} min"),
        ),
    });
    Ok([error_rate, latency])
}

async fn ai_budget(pool: &PgPool, state: &AppState) -> anyhow::Result<Check> {
    let c = &state.config.alerts;
    let r = rule_of("ai_budget");
    let spent: f64 = sqlx::query_scalar(
        "SELECT coalesce(sum(cost_usd), 0)::float8 FROM ai_daily_spend
         WHERE scope = 'all' AND day >= date_trunc('month', now() AT TIME ZONE 'UTC')::date",
    )
    .fetch_one(pool)
    .await?;
    let days = crate::admin::usage::days_in_month(Utc::now().date_naive());
    let budget = state.config.ai_global_daily_budget_usd * f64::from(days);
    if budget <= 0.0 {
        return Ok(unmeasured(r, c, "no hosted-AI budget (ai_global_daily_budget_usd is 0)"));
    }
    let share = spent / budget;
    Ok(Check::new(
        r,
        c,
        Some(share),
        format!(
            "${spent:.2} of this month's ${budget:.2} hosted-AI budget spent ({}; {} of {days} days gone)",
            pct(share),
            Utc::now().day()
        ),
    ))
}

async fn ai_providers(pool: &PgPool, state: &AppState) -> anyhow::Result<Check> {
    let c = &state.config.alerts;
    let r = rule_of("ai_provider_down");
    let Some(ai) = &state.ai else {
        return Ok(unmeasured(r, c, "this server has no hosted AI"));
    };
    // The enabled ones: a provider an admin turned off is not "down" (it gets no calls).
    let stored: Vec<(String, bool, i32)> =
        sqlx::query_as("SELECT name, enabled, position FROM ai_provider_settings")
            .fetch_all(pool)
            .await?;
    let names: Vec<String> =
        ai.arrange(&stored).into_iter().filter(|s| s.enabled).map(|s| s.name).collect();
    let rows: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT provider, count(*), count(*) FILTER (WHERE outcome <> 'ok')
         FROM (SELECT provider, outcome,
                      row_number() OVER (PARTITION BY provider ORDER BY created_at DESC, id DESC) AS n
               FROM ai_calls
               WHERE NOT cache_hit AND provider = ANY($1)
                 AND created_at > now() - make_interval(mins => $2)) recent
         WHERE n <= $3 GROUP BY provider",
    )
    .bind(&names)
    .bind(PROVIDER_WINDOW_MINUTES)
    .bind(c.provider_calls)
    .fetch_all(pool)
    .await?;
    let judged: Vec<(String, f64, i64, i64)> = rows
        .into_iter()
        .filter(|(_, calls, _)| *calls >= PROVIDER_MIN_CALLS)
        .map(|(name, calls, errors)| (name, errors as f64 / calls as f64, errors, calls))
        .collect();
    let worst = judged.iter().map(|j| j.1).fold(0.0_f64, f64::max);
    let threshold = r.threshold(c);
    let down: Vec<String> = judged
        .iter()
        .filter(|j| j.1 >= threshold)
        .map(|(name, _, errors, calls)| {
            format!("{name} ({errors} of its last {calls} calls failed)")
        })
        .collect();
    let message = if !down.is_empty() {
        format!("down: {}", down.join(", "))
    } else if judged.is_empty() {
        format!(
            "no provider made {PROVIDER_MIN_CALLS} calls in the last {PROVIDER_WINDOW_MINUTES} minutes"
        )
    } else {
        format!("worst provider error rate {} over their last calls", pct(worst))
    };
    Ok(Check::new(r, c, Some(worst), message))
}

async fn queue(pool: &PgPool, c: &AlertsConfig) -> anyhow::Result<[Check; 2]> {
    let d = jobs::depth(pool).await?;
    let minutes = d.oldest_due_secs.unwrap_or(0.0).max(0.0) / 60.0;
    let backlog = Check::new(
        rule_of("job_backlog"),
        c,
        Some(minutes),
        format!(
            "{} due job(s); the oldest has waited {minutes:.1} min; {} running",
            d.due, d.running
        ),
    );
    let failed = Check::new(
        rule_of("jobs_failed"),
        c,
        Some(d.failed as f64),
        format!("{} failed job(s) not replayed", d.failed),
    );
    Ok([backlog, failed])
}

async fn db_size(pool: &PgPool, c: &AlertsConfig) -> anyhow::Result<Check> {
    let bytes: i64 =
        sqlx::query_scalar("SELECT pg_database_size(current_database())").fetch_one(pool).await?;
    Ok(Check::new(
        rule_of("db_size"),
        c,
        Some(bytes as f64),
        format!("the database takes {:.1} MB", bytes as f64 / 1e6),
    ))
}

/// Free and total bytes of the disk holding `dir`.
#[cfg(unix)]
fn disk_space(dir: &std::path::Path) -> std::io::Result<(u64, u64)> {
    let s = rustix::fs::statvfs(dir)?;
    Ok((s.f_bavail.saturating_mul(s.f_frsize), s.f_blocks.saturating_mul(s.f_frsize)))
}

#[cfg(not(unix))]
fn disk_space(_dir: &std::path::Path) -> std::io::Result<(u64, u64)> {
    Err(std::io::Error::other("not measured on this platform"))
}

async fn disk(pool: &PgPool, c: &AlertsConfig) -> Check {
    let r = rule_of("disk_free");
    let dir = match &c.data_dir {
        Some(d) => d.clone(),
        // PostgreSQL tells its data directory to superusers and pg_read_all_settings only.
        None => {
            match sqlx::query_scalar::<_, String>("SHOW data_directory").fetch_one(pool).await {
                Ok(d) => d.into(),
                Err(_) => {
                    return unmeasured(
                        r,
                        c,
                        "set alerts.data_dir (PostgreSQL does not tell this role its data directory)",
                    );
                }
            }
        }
    };
    let shown = dir.display().to_string();
    match tokio::task::spawn_blocking(move || disk_space(&dir)).await {
        Ok(Ok((free, total))) if total > 0 => {
            let share = free as f64 / total as f64;
            Check::new(
                r,
                c,
                Some(share),
                format!(
                    "{} free on the disk of {shown} ({:.1} of {:.1} GB)",
                    pct(share),
                    free as f64 / 1e9,
                    total as f64 / 1e9
                ),
            )
        }
        Ok(Ok(_)) => unmeasured(r, c, format!("{shown}: the disk reports no size")),
        Ok(Err(e)) => unmeasured(r, c, format!("{shown} cannot be read here: {e}")),
        Err(e) => unmeasured(r, c, format!("{shown}: {e}")),
    }
}

/// Measures every rule now. A rule whose measure fails is reported unmeasured with the error.
pub async fn evaluate(state: &AppState) -> Vec<Check> {
    let pool = &state.pool;
    let c = &state.config.alerts;
    let failed = |id: &str, e: anyhow::Error| unmeasured(rule_of(id), c, format!("error: {e:#}"));
    let mut checks = Vec::with_capacity(RULES.len());
    match http_traffic(pool, c).await {
        Ok(pair) => checks.extend(pair),
        Err(e) => {
            checks.push(failed("http_error_rate", anyhow::anyhow!("{e:#}")));
            checks.push(failed("http_p95_latency", e));
        }
    }
    checks.push(ai_budget(pool, state).await.unwrap_or_else(|e| failed("ai_budget", e)));
    checks.push(ai_providers(pool, state).await.unwrap_or_else(|e| failed("ai_provider_down", e)));
    match queue(pool, c).await {
        Ok(pair) => checks.extend(pair),
        Err(e) => {
            checks.push(failed("job_backlog", anyhow::anyhow!("{e:#}")));
            checks.push(failed("jobs_failed", e));
        }
    }
    checks.push(db_size(pool, c).await.unwrap_or_else(|e| failed("db_size", e)));
    checks.push(disk(pool, c).await);
    checks
}

/// A notification of one transition, as the webhook receives it and the email says it.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Notification {
    pub rule: String,
    pub name: String,
    pub severity: String,
    /// `firing` or `resolved`.
    pub state: String,
    pub value: Option<f64>,
    pub threshold: f64,
    pub unit: String,
    pub message: String,
    pub runbook: String,
    pub fired_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
}

/// The channels configured.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Channels {
    pub webhook: bool,
    pub email: bool,
}

pub fn channels(c: &AlertsConfig) -> Channels {
    Channels {
        webhook: !c.webhook_url.expose().is_empty(),
        email: !c.smtp_url.expose().is_empty() && !c.email_to.is_empty(),
    }
}

async fn notify(
    tx: &mut Transaction<'_, Postgres>,
    state: &AppState,
    n: &Notification,
) -> sqlx::Result<()> {
    let ch = channels(&state.config.alerts);
    let payload = serde_json::to_value(n).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    let tries = state.config.jobs.max_attempts;
    if ch.webhook {
        jobs::enqueue_with(&mut **tx, jobs::kind::ALERT_WEBHOOK, &payload, tries).await?;
    }
    if ch.email {
        jobs::enqueue_with(&mut **tx, jobs::kind::ALERT_EMAIL, &payload, tries).await?;
    }
    Ok(())
}

/// Records a check and fires or resolves its rule; `Some(state)` when it changed.
async fn apply(
    tx: &mut Transaction<'_, Postgres>,
    state: &AppState,
    check: &Check,
) -> sqlx::Result<Option<&'static str>> {
    sqlx::query(
        "INSERT INTO alert_checks (rule, value, threshold, firing, message, evaluated_at)
         VALUES ($1, $2, $3, $4, $5, now())
         ON CONFLICT (rule) DO UPDATE SET value = excluded.value, threshold = excluded.threshold,
             firing = excluded.firing, message = excluded.message, evaluated_at = now()",
    )
    .bind(check.rule.id)
    .bind(check.value)
    .bind(check.threshold)
    .bind(check.firing)
    .bind(&check.message)
    .execute(&mut **tx)
    .await?;
    let open: Option<(i64, DateTime<Utc>)> = sqlx::query_as(
        "SELECT id, fired_at FROM alerts WHERE rule = $1 AND state = 'firing' FOR UPDATE",
    )
    .bind(check.rule.id)
    .fetch_optional(&mut **tx)
    .await?;
    let r = check.rule;
    let note = |st: &str, fired_at, resolved_at| Notification {
        rule: r.id.into(),
        name: r.name.into(),
        severity: r.severity.into(),
        state: st.into(),
        value: check.value,
        threshold: check.threshold,
        unit: r.unit.into(),
        message: check.message.clone(),
        runbook: r.runbook.text(),
        fired_at,
        resolved_at,
    };
    match open {
        None if check.firing => {
            let fired_at: DateTime<Utc> = sqlx::query_scalar(
                "INSERT INTO alerts (rule, state, value, threshold, message)
                 VALUES ($1, 'firing', $2, $3, $4) RETURNING fired_at",
            )
            .bind(r.id)
            .bind(check.value)
            .bind(check.threshold)
            .bind(&check.message)
            .fetch_one(&mut **tx)
            .await?;
            notify(tx, state, &note("firing", fired_at, None)).await?;
            tracing::warn!(rule = r.id, value = ?check.value, message = %check.message, "alert firing");
            Ok(Some("firing"))
        }
        Some((id, fired_at)) if !check.firing && check.value.is_some() => {
            let resolved_at: DateTime<Utc> = sqlx::query_scalar(
                "UPDATE alerts SET state = 'resolved', resolved_at = now() WHERE id = $1
                 RETURNING resolved_at",
            )
            .bind(id)
            .fetch_one(&mut **tx)
            .await?;
            notify(tx, state, &note("resolved", fired_at, Some(resolved_at))).await?;
            tracing::info!(rule = r.id, value = ?check.value, "alert resolved");
            Ok(Some("resolved"))
        }
        _ => Ok(None),
    }
}

/// One evaluation, if this process gets the lock and no process evaluated within the last
/// half interval; whether it ran.
pub async fn evaluate_once(state: &AppState) -> anyhow::Result<bool> {
    let interval = state.config.alerts.interval_secs as f64;
    let mut tx = state.pool.begin().await?;
    let locked: bool = sqlx::query_scalar("SELECT pg_try_advisory_xact_lock($1)")
        .bind(EVALUATE_LOCK)
        .fetch_one(&mut *tx)
        .await?;
    if !locked {
        return Ok(false);
    }
    let since: Option<f64> = sqlx::query_scalar(
        "SELECT extract(epoch FROM now() - max(evaluated_at))::float8 FROM alert_checks",
    )
    .fetch_one(&mut *tx)
    .await?;
    if since.is_some_and(|s| s < interval / 2.0) {
        return Ok(false);
    }
    let checks = evaluate(state).await;
    for check in &checks {
        apply(&mut tx, state, check).await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// Evaluates the rules every `alerts.interval_secs` until aborted (0: never).
pub async fn run_forever(state: AppState) {
    let secs = state.config.alerts.interval_secs;
    if secs == 0 {
        return;
    }
    let mut tick = tokio::time::interval(Duration::from_secs(secs));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    loop {
        tick.tick().await;
        if let Err(e) = evaluate_once(&state).await {
            tracing::warn!(error = %format!("{e:#}"), "evaluating the alert rules failed");
        }
    }
}

fn notification(payload: &Value) -> Result<Notification, Failure> {
    serde_json::from_value(payload.clone())
        .map_err(|e| Failure::Permanent(format!("not an alert notification: {e}")))
}

/// The `alert.webhook` job: POSTs the notification to `alerts.webhook_url` (10 s timeout);
/// anything but a 2xx answer is an error worth a retry.
pub async fn send_webhook(
    state: &AppState,
    http: &reqwest::Client,
    payload: &Value,
) -> Result<(), Failure> {
    let n = notification(payload)?;
    let url = state.config.alerts.webhook_url.expose();
    if url.is_empty() {
        return Err(Failure::Permanent("no alerts.webhook_url is configured".into()));
    }
    let resp = http
        .post(url)
        .timeout(Duration::from_secs(10))
        .json(&n)
        .send()
        .await
        .map_err(|e| Failure::Retry(format!("the webhook did not answer: {}", chain(e))))?;
    let status = resp.status();
    if status.is_success() {
        return Ok(());
    }
    let body: String = resp.text().await.unwrap_or_default().chars().take(300).collect();
    Err(Failure::Retry(format!("the webhook answered {status}: {body}")))
}

/// A reqwest error with its causes (`error sending request: … Connection refused`), without the
/// URL (it may hold a token).
fn chain(e: reqwest::Error) -> String {
    let e = e.without_url();
    let mut text = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        let s_text = s.to_string();
        if !text.contains(&s_text) {
            text.push_str(": ");
            text.push_str(&s_text);
        }
        source = s.source();
    }
    text
}

/// The subject and the plain-text body of an alert email.
pub fn email_text(n: &Notification) -> (String, String) {
    let subject = format!("[qoder-server] {}: {} ({})", n.state.to_uppercase(), n.name, n.severity);
    let value = n.value.map_or_else(|| "not measured".to_string(), |v| format!("{v:.4}"));
    let mut body = format!(
        "{} is {}.\n\n{}\n\nValue: {value} (threshold {:.4}, {})\nFired at: {}\n",
        n.name,
        n.state,
        n.message,
        n.threshold,
        n.unit,
        n.fired_at.to_rfc3339()
    );
    if let Some(r) = n.resolved_at {
        body.push_str(&format!("Resolved at: {}\n", r.to_rfc3339()));
    }
    body.push_str(&format!("\nRunbook ({})\n{}\n", n.rule, n.runbook));
    (subject, body)
}

/// The `alert.email` job: mails the notification to `alerts.email_to` through
/// `alerts.smtp_url` (10 s timeout).
pub async fn send_email(state: &AppState, payload: &Value) -> Result<(), Failure> {
    use lettre::message::{Mailbox, header::ContentType};
    use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

    let n = notification(payload)?;
    let c = &state.config.alerts;
    if c.smtp_url.expose().is_empty() || c.email_to.is_empty() {
        return Err(Failure::Permanent(
            "no alerts.smtp_url and alerts.email_to are configured".into(),
        ));
    }
    let bad = |e: &dyn std::fmt::Display| Failure::Permanent(format!("alert email settings: {e}"));
    let from: Mailbox = c.email_from.parse().map_err(|e| bad(&e))?;
    let (subject, body) = email_text(&n);
    let mut m = Message::builder().from(from).subject(subject);
    for to in &c.email_to {
        m = m.to(to.parse::<Mailbox>().map_err(|e| bad(&e))?);
    }
    let message = m.header(ContentType::TEXT_PLAIN).body(body).map_err(|e| bad(&e))?;
    let mailer = AsyncSmtpTransport::<Tokio1Executor>::from_url(c.smtp_url.expose())
        .map_err(|e| bad(&e))?
        .timeout(Some(Duration::from_secs(10)))
        .build();
    mailer
        .send(message)
        .await
        .map(|_| ())
        .map_err(|e| Failure::Retry(format!("the SMTP server refused or did not answer: {e}")))
}

/// A rule as `GET /api/admin/alerts` shows it.
#[derive(Clone, Debug, Serialize)]
pub struct RuleStatus {
    pub rule: String,
    pub name: String,
    pub severity: String,
    pub unit: String,
    pub direction: Direction,
    /// From the settings now.
    pub threshold: f64,
    /// The latest evaluation's.
    pub value: Option<f64>,
    /// `firing`, `ok`, or `unknown` (not measured, or not evaluated yet).
    pub state: String,
    /// Firing: since it fired; ok: since it last resolved.
    pub since: Option<DateTime<Utc>>,
    pub message: Option<String>,
    pub evaluated_at: Option<DateTime<Utc>>,
    pub runbook: Runbook,
}

/// One firing of a rule, and its resolution.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AlertEvent {
    pub id: i64,
    pub rule: String,
    pub state: String,
    pub value: Option<f64>,
    pub threshold: f64,
    pub message: String,
    pub fired_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Alerts {
    pub interval_secs: u64,
    pub channels: Channels,
    /// Rules firing now.
    pub firing: usize,
    pub rules: Vec<RuleStatus>,
    /// The latest 50 firings, newest first.
    pub history: Vec<AlertEvent>,
}

/// Every rule with its latest value and state, and the recent history.
pub async fn overview(state: &AppState) -> Result<Alerts, ApiError> {
    let c = &state.config.alerts;
    let checks = sqlx::query("SELECT rule, value, firing, message, evaluated_at FROM alert_checks")
        .fetch_all(&state.pool)
        .await?;
    let history = sqlx::query(
        "SELECT id, rule, state, value, threshold, message, fired_at, resolved_at
         FROM alerts ORDER BY id DESC LIMIT 50",
    )
    .fetch_all(&state.pool)
    .await?
    .iter()
    .map(|r| {
        Ok(AlertEvent {
            id: r.try_get("id")?,
            rule: r.try_get("rule")?,
            state: r.try_get("state")?,
            value: r.try_get("value")?,
            threshold: r.try_get("threshold")?,
            message: r.try_get("message")?,
            fired_at: r.try_get("fired_at")?,
            resolved_at: r.try_get("resolved_at")?,
        })
    })
    .collect::<sqlx::Result<Vec<_>>>()?;
    // The latest event of each rule (history holds 50; an older one is read on its own).
    let mut rules = Vec::with_capacity(RULES.len());
    for r in &RULES {
        let check = checks
            .iter()
            .find(|row| row.try_get::<String, _>("rule").ok().as_deref() == Some(r.id));
        let value: Option<f64> =
            check.map(|row| row.try_get::<Option<f64>, _>("value")).transpose()?.flatten();
        let firing =
            check.map(|row| row.try_get::<bool, _>("firing")).transpose()?.unwrap_or(false);
        let last: Option<(String, DateTime<Utc>, Option<DateTime<Utc>>)> = sqlx::query_as(
            "SELECT state, fired_at, resolved_at FROM alerts WHERE rule = $1 ORDER BY id DESC LIMIT 1",
        )
        .bind(r.id)
        .fetch_optional(&state.pool)
        .await?;
        let (st, since) = match (&last, check) {
            (Some((s, fired, _)), _) if s == "firing" => ("firing", Some(*fired)),
            (_, Some(_)) if firing => ("firing", None),
            (_, Some(_)) if value.is_some() => ("ok", last.as_ref().and_then(|l| l.2)),
            _ => ("unknown", None),
        };
        rules.push(RuleStatus {
            rule: r.id.into(),
            name: r.name.into(),
            severity: r.severity.into(),
            unit: r.unit.into(),
            direction: r.direction,
            threshold: r.threshold(c),
            value,
            state: st.into(),
            since,
            message: check.map(|row| row.try_get::<String, _>("message")).transpose()?,
            evaluated_at: check
                .map(|row| row.try_get::<DateTime<Utc>, _>("evaluated_at"))
                .transpose()?,
            runbook: r.runbook,
        });
    }
    let firing = rules.iter().filter(|r| r.state == "firing").count();
    Ok(Alerts { interval_secs: c.interval_secs, channels: channels(c), firing, rules, history })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_has_a_threshold_and_a_runbook() {
        let c = AlertsConfig::default();
        for r in &RULES {
            assert!(r.threshold(&c).is_finite(), "{}", r.id);
            assert!(!r.runbook.meaning.is_empty() && !r.runbook.check.is_empty());
            assert!(!r.runbook.action.is_empty());
            assert!(matches!(r.severity, "critical" | "warning"));
        }
        let ids: std::collections::BTreeSet<_> = RULES.iter().map(|r| r.id).collect();
        assert_eq!(ids.len(), RULES.len());
    }

    #[test]
    fn checks_fire_on_the_bad_side_only_when_measured() {
        let c = AlertsConfig::default();
        let errors = rule_of("http_error_rate");
        assert!(Check::new(errors, &c, Some(0.05), String::new()).firing);
        assert!(!Check::new(errors, &c, Some(0.049), String::new()).firing);
        assert!(!Check::new(errors, &c, None, String::new()).firing);
        let disk = rule_of("disk_free");
        assert!(Check::new(disk, &c, Some(0.05), String::new()).firing);
        assert!(!Check::new(disk, &c, Some(0.5), String::new()).firing);
    }

    #[test]
    fn the_email_carries_the_state_values_and_runbook() {
        let r = rule_of("ai_budget");
        let n = Notification {
            rule: r.id.into(),
            name: r.name.into(),
            severity: r.severity.into(),
            state: "firing".into(),
            value: Some(0.95),
            threshold: 0.9,
            unit: "share".into(),
            message: "$95 of $100".into(),
            runbook: r.runbook.text(),
            fired_at: Utc::now(),
            resolved_at: None,
        };
        let (subject, body) = email_text(&n);
        assert_eq!(subject, "[qoder-server] FIRING: Hosted-AI spend vs budget (critical)");
        assert!(body.contains("$95 of $100") && body.contains("0.9500 (threshold 0.9000"));
        assert!(body.contains(r.runbook.action), "{body}");
    }
}
