//! The `ai_calls` records and the daily spend, written off the request path: a call hands its
//! provider usages to a bounded queue and answers; one writer task per process takes whatever
//! is queued (up to [`BATCH`] records) and writes it in one statement (the `ai_calls` rows and
//! the `ai_daily_spend` sums, the user's and everyone's, together), so the hot `all` spend row
//! is updated once a batch rather than once a call.
//!
//! Nothing is dropped: a full queue makes the caller wait (back-pressure, not loss); a failed
//! write is retried with backoff; [`Recorder::flush`] waits until everything queued before it
//! is written, and `serve` calls it after the last request. The daily budgets read the spend,
//! so they see a call's cost once its batch is written (milliseconds later); a budget could
//! already be passed by the calls in flight, whose cost is only known when they end.

use std::time::Duration;

use chrono::{DateTime, Utc};
use qoder_llm::Usage;
use sqlx::PgPool;
use tokio::sync::{mpsc, oneshot};
use uuid::Uuid;

/// Records the queue holds before a caller waits.
pub const QUEUE: usize = 4096;
/// Most records written in one statement.
pub const BATCH: usize = 512;
/// Attempts of one batch before it is given up (logged with its size); about a minute.
pub const ATTEMPTS: u32 = 12;

/// One provider call of a hosted-AI request.
#[derive(Clone, Debug)]
pub struct CallRecord {
    pub user: Uuid,
    /// When the request's provider calls ended (the day its cost counts on).
    pub at: DateTime<Utc>,
    pub usage: Usage,
}

enum Msg {
    Calls(Vec<CallRecord>),
    Flush(oneshot::Sender<()>),
}

/// The queue of one process; cheap to clone.
#[derive(Clone)]
pub struct Recorder {
    tx: mpsc::Sender<Msg>,
}

impl Recorder {
    /// Starts the writer task on the current runtime. It ends once every `Recorder` is dropped
    /// and the queue is written.
    pub fn start(pool: PgPool) -> Recorder {
        let (tx, rx) = mpsc::channel(QUEUE);
        tokio::spawn(run(pool, rx));
        Recorder { tx }
    }

    fn records(user: Uuid, usages: Vec<Usage>) -> Option<Msg> {
        if usages.is_empty() {
            return None;
        }
        let at = Utc::now();
        Some(Msg::Calls(usages.into_iter().map(|usage| CallRecord { user, at, usage }).collect()))
    }

    /// Queues the provider calls of one request of `user`; waits while the queue is full.
    pub async fn record(&self, user: Uuid, usages: Vec<Usage>) {
        if let Some(m) = Self::records(user, usages)
            && self.tx.send(m).await.is_err()
        {
            tracing::error!("the hosted-AI call writer has stopped; calls not recorded");
        }
    }

    /// Waits until every record queued before this call is written (or given up).
    pub async fn flush(&self) {
        let (done, written) = oneshot::channel();
        if self.tx.send(Msg::Flush(done)).await.is_ok() {
            let _ = written.await;
        }
    }
}

async fn run(pool: PgPool, mut rx: mpsc::Receiver<Msg>) {
    let mut batch: Vec<CallRecord> = Vec::with_capacity(BATCH);
    let mut waiting: Vec<oneshot::Sender<()>> = Vec::new();
    while let Some(first) = rx.recv().await {
        let mut next = Some(first);
        while let Some(m) = next.take() {
            match m {
                Msg::Calls(c) => batch.extend(c),
                Msg::Flush(done) => waiting.push(done),
            }
            if batch.len() < BATCH {
                next = rx.try_recv().ok();
            }
        }
        if !batch.is_empty() {
            write_with_retries(&pool, &batch).await;
            batch.clear();
        }
        for done in waiting.drain(..) {
            let _ = done.send(());
        }
    }
}

async fn write_with_retries(pool: &PgPool, batch: &[CallRecord]) {
    let mut wait = Duration::from_millis(50);
    for attempt in 1..=ATTEMPTS {
        match write(pool, batch).await {
            Ok(()) => return,
            Err(e) if attempt < ATTEMPTS => {
                tracing::warn!(error = %e, attempt, records = batch.len(), "cannot record hosted-AI calls; retrying");
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(Duration::from_secs(10));
            }
            Err(e) => {
                tracing::error!(error = %e, records = batch.len(), "hosted-AI calls not recorded");
            }
        }
    }
}

fn int(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Writes `batch` in one statement: the `ai_calls` rows (a user deleted meanwhile is recorded
/// as NULL, as its rows would be) and the spend of each (day, user) and (day, everyone),
/// upserted in (day, scope) order, one order for every process (no deadlock).
pub async fn write(pool: &PgPool, batch: &[CallRecord]) -> sqlx::Result<()> {
    let mut users = Vec::with_capacity(batch.len());
    let mut at = Vec::with_capacity(batch.len());
    let mut feature = Vec::with_capacity(batch.len());
    let mut provider = Vec::with_capacity(batch.len());
    let mut model = Vec::with_capacity(batch.len());
    let mut tokens_in = Vec::with_capacity(batch.len());
    let mut tokens_out = Vec::with_capacity(batch.len());
    let mut cost = Vec::with_capacity(batch.len());
    let mut latency = Vec::with_capacity(batch.len());
    let mut cache_hit = Vec::with_capacity(batch.len());
    let mut outcome = Vec::with_capacity(batch.len());
    for r in batch {
        users.push(r.user);
        at.push(r.at);
        feature.push(r.usage.feature.as_str());
        provider.push(r.usage.provider.as_str());
        model.push(r.usage.model.as_str());
        tokens_in.push(int(r.usage.tokens_in));
        tokens_out.push(int(r.usage.tokens_out));
        cost.push(r.usage.cost_usd);
        latency.push(int(r.usage.latency_ms));
        cache_hit.push(r.usage.cache_hit);
        outcome.push(r.usage.outcome.as_str());
    }
    sqlx::query(
        "WITH r AS ( \
             SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::text[], \
                 $5::text[], $6::bigint[], $7::bigint[], $8::float8[], $9::bigint[], \
                 $10::bool[], $11::text[]) \
             AS r(user_id, at, feature, provider, model, tokens_in, tokens_out, cost_usd, \
                 latency_ms, cache_hit, outcome) \
         ), calls AS ( \
             INSERT INTO ai_calls (user_id, feature, provider, model, tokens_in, tokens_out, \
                 cost_usd, latency_ms, cache_hit, outcome, created_at) \
             SELECT u.id, r.feature, r.provider, r.model, r.tokens_in, r.tokens_out, \
                 r.cost_usd, r.latency_ms, r.cache_hit, r.outcome, r.at \
             FROM r LEFT JOIN users u ON u.id = r.user_id \
         ) \
         INSERT INTO ai_daily_spend AS d (day, scope, cost_usd) \
         SELECT s.day, s.scope, sum(s.cost) FROM ( \
             SELECT (r.at AT TIME ZONE 'UTC')::date AS day, r.user_id::text AS scope, \
                 r.cost_usd AS cost FROM r \
             UNION ALL \
             SELECT (r.at AT TIME ZONE 'UTC')::date, 'all', r.cost_usd FROM r \
         ) s GROUP BY s.day, s.scope HAVING sum(s.cost) > 0 ORDER BY s.day, s.scope \
         ON CONFLICT (day, scope) DO UPDATE SET cost_usd = d.cost_usd + EXCLUDED.cost_usd",
    )
    .bind(&users)
    .bind(&at)
    .bind(&feature)
    .bind(&provider)
    .bind(&model)
    .bind(&tokens_in)
    .bind(&tokens_out)
    .bind(&cost)
    .bind(&latency)
    .bind(&cache_hit)
    .bind(&outcome)
    .execute(pool)
    .await?;
    Ok(())
}
