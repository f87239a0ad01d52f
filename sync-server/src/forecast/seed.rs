//! A realistic, reproducible load history for the forecast: hourly HTTP requests and hosted-AI
//! calls with a daily cycle (quiet around 04:00 UTC, busiest in the European afternoon and the
//! American morning), a weekly one (weekends lighter), a mild growth trend, multiplicative noise,
//! counting noise and a few short bursts — drawn from a fixed RNG seed, so the same seed and end
//! hour give the same history. [`write`] puts it in the tables the forecast reads
//! (`traffic_minutes`, `ai_calls` through the hosted AI's own batch writer), for
//! `qoder-server seed-history`, the browser test and `examples/forecast-backtest.rs`.

use std::f64::consts::PI;

use chrono::{DateTime, Datelike, TimeDelta, Timelike, Utc};
use qoder_llm::Usage;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sqlx::PgPool;
use uuid::Uuid;

use crate::hosted_ai::recorder::{self, CallRecord};

/// What to generate.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    pub days: u32,
    pub seed: u64,
    /// Mean requests an hour at the start.
    pub requests_per_hour: f64,
    /// Mean hosted-AI calls an hour at the start.
    pub ai_calls_per_hour: f64,
}

impl Default for Options {
    fn default() -> Self {
        Options { days: 28, seed: 7, requests_per_hour: 1500.0, ai_calls_per_hour: 40.0 }
    }
}

/// One generated hour.
#[derive(Clone, Debug, PartialEq)]
pub struct HourLoad {
    pub hour: DateTime<Utc>,
    pub requests: i64,
    /// Requests answered 5xx.
    pub errors: i64,
    pub ai_calls: i64,
}

/// The daily cycle at `hour` (UTC hour of day, fractional): a mean of 1.
fn daily(hour: f64, depth: f64) -> f64 {
    1.0 + depth * (2.0 * PI * (hour - 9.0) / 24.0).sin()
        + 0.2 * depth * (4.0 * PI * (hour - 11.0) / 24.0).sin()
}

/// The weekly cycle: Monday first.
const WEEKLY: [f64; 7] = [1.04, 1.08, 1.06, 1.02, 0.92, 0.62, 0.66];

/// A standard normal draw (Box–Muller).
fn normal(rng: &mut StdRng) -> f64 {
    let u1: f64 = rng.gen_range(f64::EPSILON..1.0);
    let u2: f64 = rng.r#gen();
    (-2.0 * u1.ln()).sqrt() * (2.0 * PI * u2).cos()
}

/// A count with mean `mean`: Poisson-like spread (normal approximation), never negative.
fn count(rng: &mut StdRng, mean: f64) -> i64 {
    (mean + mean.sqrt() * normal(rng)).round().max(0.0) as i64
}

/// The `days * 24` hours before `end`'s hour, oldest first.
pub fn generate(end: DateTime<Utc>, o: &Options) -> Vec<HourLoad> {
    let end = super::hour_of(end);
    let hours = i64::from(o.days) * 24;
    let mut rng = StdRng::seed_from_u64(o.seed);
    (0..hours)
        .map(|i| {
            let hour = end - TimeDelta::hours(hours - i);
            let h = f64::from(hour.hour());
            let week = WEEKLY[hour.weekday().num_days_from_monday() as usize];
            // About +15 % over four weeks.
            let trend = 1.0 + 0.15 * i as f64 / (28.0 * 24.0);
            let noise = (0.06 * normal(&mut rng)).exp();
            let burst = if rng.gen_bool(0.01) { rng.gen_range(1.3..1.8) } else { 1.0 };
            let load = trend * week * noise * burst;
            let requests = count(&mut rng, o.requests_per_hour * daily(h, 0.55) * load);
            let errors = count(&mut rng, requests as f64 * 0.003);
            // AI calls follow working hours more closely, weekends lighter still, noisier.
            let ai_noise = (0.1 * normal(&mut rng)).exp();
            let ai_week = if week < 0.8 { week * 0.75 } else { week };
            let ai_calls = count(
                &mut rng,
                o.ai_calls_per_hour * daily(h, 0.8) * trend * ai_week * ai_noise * burst,
            );
            HourLoad { hour, requests, errors, ai_calls }
        })
        .collect()
}

/// What [`write`] wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Written {
    pub hours: usize,
    pub requests: i64,
    pub ai_calls: i64,
}

/// Refuses a database that already holds load older than a day (a server with real history):
/// generated rows would mix with it. `force` skips the check.
pub async fn check_empty(pool: &PgPool) -> anyhow::Result<()> {
    let (traffic, calls): (bool, bool) = sqlx::query_as(
        "SELECT EXISTS (SELECT 1 FROM traffic_minutes WHERE minute < now() - interval '1 day'),
                EXISTS (SELECT 1 FROM ai_calls WHERE created_at < now() - interval '1 day')",
    )
    .fetch_one(pool)
    .await?;
    if traffic || calls {
        anyhow::bail!(
            "this database already has request counts or AI calls older than a day; \
             seed-history is for test and demo databases (--force adds to them anyway)"
        );
    }
    Ok(())
}

/// Writes `hours` into `traffic_minutes` (each hour's requests spread evenly over its minutes,
/// added to what is there) and `ai_calls` (calls at random seconds of their hour, the existing
/// accounts' or the nil account's, through the hosted AI's batch writer, which also keeps the
/// daily spend). Hours not yet over are skipped.
pub async fn write(pool: &PgPool, hours: &[HourLoad], seed: u64) -> anyhow::Result<Written> {
    let now = Utc::now();
    let hours: Vec<&HourLoad> =
        hours.iter().filter(|h| h.hour + TimeDelta::hours(1) <= now).collect();
    let buckets = crate::traffic::BUCKET_COUNT;
    let mut written = Written::default();
    for chunk in hours.chunks(24 * 7) {
        let mut minutes = Vec::with_capacity(chunk.len() * 60);
        let mut requests = Vec::with_capacity(chunk.len() * 60);
        let mut errors = Vec::with_capacity(chunk.len() * 60);
        let mut histograms = Vec::with_capacity(chunk.len() * 60 * buckets);
        for h in chunk {
            for m in 0..60i64 {
                let share = |n: i64| n * (m + 1) / 60 - n * m / 60;
                let r = share(h.requests);
                minutes.push(h.hour + TimeDelta::minutes(m));
                requests.push(r);
                errors.push(share(h.errors));
                // Most answers fast: 70 % in the first bucket, 25 % in the second, the rest in
                // the third.
                let mut histogram = vec![0i64; buckets];
                histogram[1] = r / 4;
                histogram[2] = r / 20;
                histogram[0] = r - histogram[1] - histogram[2];
                histograms.extend(histogram);
            }
            written.requests += h.requests;
        }
        crate::traffic::add_minutes(pool, &minutes, &requests, &errors, &histograms).await?;
    }

    let mut users: Vec<Uuid> =
        sqlx::query_scalar("SELECT id FROM users ORDER BY id LIMIT 100").fetch_all(pool).await?;
    if users.is_empty() {
        users.push(Uuid::nil());
    }
    // The calls' details come from their own stream: the hourly counts do not depend on them.
    let mut rng = StdRng::seed_from_u64(seed ^ 0x5eed_ca11);
    let mut batch = Vec::with_capacity(recorder::BATCH);
    for h in &hours {
        for _ in 0..h.ai_calls {
            batch.push(call(&mut rng, h.hour, &users));
            if batch.len() == recorder::BATCH {
                recorder::write(pool, &batch).await?;
                batch.clear();
            }
        }
        written.ai_calls += h.ai_calls;
    }
    if !batch.is_empty() {
        recorder::write(pool, &batch).await?;
    }
    written.hours = hours.len();
    Ok(written)
}

fn call(rng: &mut StdRng, hour: DateTime<Utc>, users: &[Uuid]) -> CallRecord {
    let (feature, tokens_in, tokens_out) = match rng.gen_range(0..10) {
        0..=4 => ("review", rng.gen_range(1500..4000), rng.gen_range(300..900)),
        5..=7 => ("rewrite", rng.gen_range(800..2500), rng.gen_range(200..700)),
        _ => ("generate_points", rng.gen_range(1000..3000), rng.gen_range(150..500)),
    };
    let (provider, model, price_in, price_out) = if rng.gen_bool(0.7) {
        ("openai", "gpt-4o-mini", 0.15e-6, 0.6e-6)
    } else {
        ("anthropic", "claude-3-5-haiku", 0.8e-6, 4e-6)
    };
    let cache_hit = rng.gen_bool(0.15);
    let ok = rng.gen_bool(0.98);
    let cost_usd = if cache_hit || !ok {
        0.0
    } else {
        tokens_in as f64 * price_in + tokens_out as f64 * price_out
    };
    CallRecord {
        user: users[rng.gen_range(0..users.len())],
        at: hour + TimeDelta::seconds(rng.gen_range(0..3600)),
        usage: Usage {
            feature: feature.into(),
            provider: provider.into(),
            model: model.into(),
            tokens_in,
            tokens_out,
            estimated: false,
            cost_usd,
            latency_ms: if cache_hit { rng.gen_range(2..15) } else { rng.gen_range(400..4000) },
            cache_hit,
            outcome: if ok { "ok" } else { "upstream" }.into(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_history_is_reproducible_and_shaped_like_load() {
        let end = DateTime::parse_from_rfc3339("2026-12-07T19:30:00Z").unwrap().to_utc();
        let o = Options::default();
        let a = generate(end, &o);
        assert_eq!(a, generate(end, &o), "same seed, same history");
        assert_ne!(a, generate(end, &Options { seed: 8, ..o }));
        assert_eq!(a.len(), 28 * 24);
        assert_eq!(a.last().unwrap().hour, super::super::hour_of(end) - TimeDelta::hours(1));
        assert!(a.iter().all(|h| h.requests > 0 && h.errors >= 0 && h.ai_calls >= 0));
        let mean = |f: &dyn Fn(&HourLoad) -> bool| {
            let v: Vec<f64> = a.iter().filter(|h| f(h)).map(|h| h.requests as f64).collect();
            v.iter().sum::<f64>() / v.len() as f64
        };
        let weekend = |h: &HourLoad| h.hour.weekday().num_days_from_monday() >= 5;
        assert!(mean(&|h| !weekend(h)) > 1.3 * mean(&weekend));
        assert!(mean(&|h| h.hour.hour() == 15) > 2.0 * mean(&|h| h.hour.hour() == 4));
        // The trend: the last week busier than the first.
        let week = |w: usize| a[w * 168..(w + 1) * 168].iter().map(|h| h.requests).sum::<i64>();
        assert!(week(3) > week(0));
    }
}
