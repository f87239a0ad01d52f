//! Requests per minute across every server process (migration 0010): each process counts the
//! requests it answers, their 5xx errors and a latency histogram per minute in memory, and
//! [`flush_forever`] adds them to `traffic_minutes` every [`FLUSH_EVERY`]. The alerts read the
//! error rate and the p95 latency of the last minutes from it ([`window`]); the load forecast
//! reads hourly requests ([`hourly`]).
//!
//! Nothing counted is dropped by a failed flush: the counts stay in memory and go with the next
//! one (a process that dies loses at most its last few seconds).

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, DurationRound, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;

/// Upper bounds of the latency buckets, milliseconds; one more bucket holds the slower answers.
pub const BOUNDS_MS: [f64; 11] =
    [5.0, 10.0, 25.0, 50.0, 100.0, 250.0, 500.0, 1000.0, 2500.0, 5000.0, 10_000.0];
const BUCKETS: usize = BOUNDS_MS.len() + 1;
/// Counts in a minute's latency histogram: the bounds' buckets and the overflow.
pub const BUCKET_COUNT: usize = BUCKETS;
/// What the overflow bucket's answers are taken to have lasted at most: the request timeout.
const OVERFLOW_MS: f64 = crate::REQUEST_TIMEOUT.as_millis() as f64;

/// How often a process writes its counts.
pub const FLUSH_EVERY: Duration = Duration::from_secs(5);
/// How long minutes are kept: the forecast's history (14 days) and its 7-day backtest, with room.
pub const KEEP_DAYS: i64 = 60;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Counts {
    requests: i64,
    errors: i64,
    buckets: [i64; BUCKETS],
}

impl Counts {
    fn add(&mut self, other: &Counts) {
        self.requests += other.requests;
        self.errors += other.errors;
        for (a, b) in self.buckets.iter_mut().zip(other.buckets) {
            *a += b;
        }
    }
}

fn bucket_of(ms: f64) -> usize {
    BOUNDS_MS.iter().position(|&bound| ms <= bound).unwrap_or(BOUNDS_MS.len())
}

/// The 95th percentile of a histogram, interpolated linearly inside its bucket; `None` when empty.
pub fn p95(buckets: &[i64]) -> Option<f64> {
    quantile(buckets, 0.95)
}

fn quantile(buckets: &[i64], q: f64) -> Option<f64> {
    let total: i64 = buckets.iter().sum();
    if total <= 0 {
        return None;
    }
    let rank = q * total as f64;
    let mut below = 0i64;
    for (i, &count) in buckets.iter().enumerate() {
        if count > 0 && (below + count) as f64 >= rank {
            let lower = if i == 0 { 0.0 } else { BOUNDS_MS[i - 1] };
            let upper = BOUNDS_MS.get(i).copied().unwrap_or(OVERFLOW_MS);
            let within = ((rank - below as f64) / count as f64).clamp(0.0, 1.0);
            return Some(lower + (upper - lower) * within);
        }
        below += count;
    }
    Some(OVERFLOW_MS)
}

fn minute_of(at: DateTime<Utc>) -> DateTime<Utc> {
    at.duration_trunc(TimeDelta::minutes(1)).unwrap_or(at)
}

/// This process's counts not yet written, per minute.
#[derive(Debug, Default)]
pub struct Counter {
    pending: Mutex<BTreeMap<DateTime<Utc>, Counts>>,
}

impl Counter {
    pub fn new() -> Self {
        Self::default()
    }

    /// Counts one answered request.
    pub fn record(&self, status: u16, took: Duration) {
        self.record_at(Utc::now(), status, took);
    }

    fn record_at(&self, at: DateTime<Utc>, status: u16, took: Duration) {
        let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        let counts = pending.entry(minute_of(at)).or_default();
        counts.requests += 1;
        if status >= 500 {
            counts.errors += 1;
        }
        counts.buckets[bucket_of(took.as_secs_f64() * 1000.0)] += 1;
    }

    fn take(&self) -> BTreeMap<DateTime<Utc>, Counts> {
        std::mem::take(&mut *self.pending.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// Puts counts whose write failed back, to go with the next flush.
    fn restore(&self, counts: BTreeMap<DateTime<Utc>, Counts>) {
        let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        for (minute, c) in counts {
            pending.entry(minute).or_default().add(&c);
        }
    }

    /// Adds everything counted so far to `traffic_minutes`, in one statement.
    pub async fn flush(&self, pool: &PgPool) -> sqlx::Result<()> {
        let counts = self.take();
        if counts.is_empty() {
            return Ok(());
        }
        match write(pool, &counts).await {
            Ok(()) => Ok(()),
            Err(e) => {
                self.restore(counts);
                Err(e)
            }
        }
    }
}

async fn write(pool: &PgPool, counts: &BTreeMap<DateTime<Utc>, Counts>) -> sqlx::Result<()> {
    let minutes: Vec<DateTime<Utc>> = counts.keys().copied().collect();
    let requests: Vec<i64> = counts.values().map(|c| c.requests).collect();
    let errors: Vec<i64> = counts.values().map(|c| c.errors).collect();
    let histograms: Vec<i64> = counts.values().flat_map(|c| c.buckets).collect();
    add_minutes(pool, &minutes, &requests, &errors, &histograms).await
}

/// Adds counts to `traffic_minutes` in one statement, as a process's flush does (the seeded
/// history uses it too): per minute (truncated to the minute) its requests, its 5xx errors and
/// its latency histogram, [`BUCKET_COUNT`] counts per minute one after another in `histograms`
/// (a two-dimensional array does not bind).
pub async fn add_minutes(
    pool: &PgPool,
    minutes: &[DateTime<Utc>],
    requests: &[i64],
    errors: &[i64],
    histograms: &[i64],
) -> sqlx::Result<()> {
    if minutes.len() != requests.len()
        || minutes.len() != errors.len()
        || histograms.len() != minutes.len() * BUCKETS
    {
        return Err(sqlx::Error::Protocol(format!(
            "traffic: {} minutes with {} counts, {} errors and {} histogram buckets",
            minutes.len(),
            requests.len(),
            errors.len(),
            histograms.len()
        )));
    }
    sqlx::query(
        "INSERT INTO traffic_minutes (minute, requests, errors, buckets)
         SELECT m.minute, m.requests, m.errors,
                ($4::int8[])[(m.i::int4 - 1) * $5 + 1 : m.i::int4 * $5]
           FROM unnest($1::timestamptz[], $2::int8[], $3::int8[])
                WITH ORDINALITY AS m(minute, requests, errors, i)
         ON CONFLICT (minute) DO UPDATE SET
            requests = traffic_minutes.requests + EXCLUDED.requests,
            errors = traffic_minutes.errors + EXCLUDED.errors,
            buckets = ARRAY(SELECT coalesce(a, 0) + coalesce(b, 0)
                              FROM unnest(traffic_minutes.buckets, EXCLUDED.buckets) AS u(a, b))",
    )
    .bind(minutes.iter().map(|&m| minute_of(m)).collect::<Vec<_>>())
    .bind(requests)
    .bind(errors)
    .bind(histograms)
    .bind(BUCKETS as i32)
    .execute(pool)
    .await?;
    Ok(())
}

/// Flushes every [`FLUSH_EVERY`] (a failure is logged and retried with the next), and drops
/// minutes older than [`KEEP_DAYS`] once an hour; when `stop` turns true, flushes what is left
/// and returns.
pub async fn flush_forever(
    counter: std::sync::Arc<Counter>,
    pool: PgPool,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    let mut tick = tokio::time::interval(FLUSH_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut since_prune = Duration::MAX;
    loop {
        let stopping = tokio::select! {
            _ = tick.tick() => false,
            _ = stop.wait_for(|&s| s) => true,
        };
        if let Err(e) = counter.flush(&pool).await {
            tracing::warn!(error = %e, "cannot write the request counts; kept for the next try");
        }
        if stopping {
            return;
        }
        since_prune = since_prune.saturating_add(FLUSH_EVERY);
        if since_prune >= Duration::from_secs(3600) {
            since_prune = Duration::ZERO;
            if let Err(e) = prune(&pool, Utc::now() - TimeDelta::days(KEEP_DAYS)).await {
                tracing::warn!(error = %e, "cannot prune old request counts");
            }
        }
    }
}

async fn prune(pool: &PgPool, before: DateTime<Utc>) -> sqlx::Result<u64> {
    Ok(sqlx::query("DELETE FROM traffic_minutes WHERE minute < $1")
        .bind(before)
        .execute(pool)
        .await?
        .rows_affected())
}

/// Requests over a span of time, every process together.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Window {
    pub requests: i64,
    /// Answers with a 5xx status.
    pub errors: i64,
    /// `None` without requests.
    pub p95_ms: Option<f64>,
}

impl Window {
    /// The share of 5xx answers, 0 without requests.
    pub fn error_rate(&self) -> f64 {
        if self.requests > 0 { self.errors as f64 / self.requests as f64 } else { 0.0 }
    }
}

/// The requests of the minutes from `since` (its minute included) on, as written so far.
pub async fn window(pool: &PgPool, since: DateTime<Utc>) -> sqlx::Result<Window> {
    Ok(recent(pool, since, Utc::now()).await?.window(since))
}

/// One minute of requests, every process together.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Minute {
    pub minute: DateTime<Utc>,
    pub requests: i64,
    pub errors: i64,
    pub p95_ms: Option<f64>,
}

/// The minutes of a span, each one listed (zeros where nothing was counted), oldest first.
#[derive(Clone, Debug, Default)]
pub struct Recent {
    minutes: Vec<(DateTime<Utc>, Counts)>,
}

impl Recent {
    pub fn minutes(&self) -> Vec<Minute> {
        self.minutes
            .iter()
            .map(|(minute, c)| Minute {
                minute: *minute,
                requests: c.requests,
                errors: c.errors,
                p95_ms: p95(&c.buckets),
            })
            .collect()
    }

    /// The minutes from `since`'s on, together.
    pub fn window(&self, since: DateTime<Utc>) -> Window {
        let from = minute_of(since);
        let mut total = Counts::default();
        for (_, c) in self.minutes.iter().filter(|(m, _)| *m >= from) {
            total.add(c);
        }
        Window { requests: total.requests, errors: total.errors, p95_ms: p95(&total.buckets) }
    }
}

/// Every minute from `since`'s to `now`'s (both included), as written so far.
pub async fn recent(
    pool: &PgPool,
    since: DateTime<Utc>,
    now: DateTime<Utc>,
) -> sqlx::Result<Recent> {
    let (from, to) = (minute_of(since), minute_of(now));
    let rows: Vec<(DateTime<Utc>, i64, i64, Vec<i64>)> = sqlx::query_as(
        "SELECT minute, requests, errors, buckets FROM traffic_minutes
          WHERE minute >= $1 AND minute <= $2 ORDER BY minute",
    )
    .bind(from)
    .bind(to)
    .fetch_all(pool)
    .await?;
    let mut stored = rows.into_iter().peekable();
    let mut minutes = Vec::new();
    let mut at = from;
    while at <= to {
        let mut counts = Counts::default();
        if let Some((_, requests, errors, buckets)) = stored.next_if(|r| r.0 == at) {
            counts.requests = requests;
            counts.errors = errors;
            for (a, b) in counts.buckets.iter_mut().zip(buckets) {
                *a = b;
            }
        }
        minutes.push((at, counts));
        at += TimeDelta::minutes(1);
    }
    Ok(Recent { minutes })
}

/// One hour of requests.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hour {
    /// The hour's start.
    pub hour: DateTime<Utc>,
    pub requests: i64,
    pub errors: i64,
}

/// Requests per hour from `from`'s hour up to (not including) `to`'s, every hour listed (zeros
/// where nothing was counted).
pub async fn hourly(
    pool: &PgPool,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> sqlx::Result<Vec<Hour>> {
    let hour = |t: DateTime<Utc>| t.duration_trunc(TimeDelta::hours(1)).unwrap_or(t);
    let rows: Vec<(DateTime<Utc>, i64, i64)> = sqlx::query_as(
        "SELECT h.hour, coalesce(sum(t.requests), 0)::int8, coalesce(sum(t.errors), 0)::int8
           FROM generate_series($1::timestamptz, $2::timestamptz - interval '1 hour',
                                interval '1 hour') AS h(hour)
           LEFT JOIN traffic_minutes t
                  ON t.minute >= h.hour AND t.minute < h.hour + interval '1 hour'
          GROUP BY h.hour ORDER BY h.hour",
    )
    .bind(hour(from))
    .bind(hour(to))
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|(hour, requests, errors)| Hour { hour, requests, errors }).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_p95_falls_in_the_right_bucket() {
        assert_eq!(p95(&[0; BUCKETS]), None);
        // 100 answers in the 10–25 ms bucket: the p95 is 95% of the way through it.
        let mut b = [0; BUCKETS];
        b[2] = 100;
        assert!((p95(&b).expect("p95") - 24.25).abs() < 1e-9);
        // 90 fast ones and 10 in the 1–2.5 s bucket: the p95 is among the slow ones.
        let mut b = [0; BUCKETS];
        b[0] = 90;
        b[8] = 10;
        let p = p95(&b).expect("p95");
        assert!((1000.0..=2500.0).contains(&p), "{p}");
        // Everything over 10 s: at most the request timeout.
        let mut b = [0; BUCKETS];
        b[BUCKETS - 1] = 3;
        assert!(p95(&b).expect("p95") <= OVERFLOW_MS);
    }

    #[test]
    fn requests_are_counted_per_minute_with_their_errors() {
        let counter = Counter::new();
        let t = DateTime::parse_from_rfc3339("2026-12-07T10:00:30Z").expect("time").to_utc();
        counter.record_at(t, 200, Duration::from_millis(3));
        counter.record_at(t, 503, Duration::from_millis(40));
        counter.record_at(t + TimeDelta::minutes(1), 404, Duration::from_secs(60));
        let pending = counter.take();
        assert_eq!(pending.len(), 2);
        let first = &pending[&minute_of(t)];
        assert_eq!((first.requests, first.errors), (2, 1));
        assert_eq!(first.buckets[0] + first.buckets[3], 2);
        let second = pending.values().nth(1).expect("second minute");
        assert_eq!((second.requests, second.errors, second.buckets[BUCKETS - 1]), (1, 0, 1));
        // What a failed write puts back adds to what came since.
        counter.record_at(t, 200, Duration::from_millis(3));
        counter.restore(pending);
        assert_eq!(counter.take()[&minute_of(t)].requests, 3);
    }
}
