//! The load forecast's backtest on a seeded history:
//! `cargo run -p qoder-server --release --example forecast-backtest [-- DAYS [SEED]]`.
//!
//! Makes a fresh PostgreSQL database (on $QODER_TEST_PG, default
//! postgres://postgres@127.0.0.1:5432; dropped at the end), applies the migrations, writes a
//! generated history (`forecast::seed`, 28 days by default, ending 2026-12-07 00:00 UTC, seed 7)
//! into `traffic_minutes` and `ai_calls`, then runs the endpoint's own code
//! (`forecast::compute`: read the hourly series, fit, backtest) for both series and both
//! horizons and prints the method, its backtest error (and WAPE) and the time it took, beside the
//! error of the seasonal naive forecast (each hour as it was a week before) on the same hours;
//! then the mean of the same backtest over 12 generated histories (the model's code alone).

use std::time::Instant;

use chrono::{DateTime, TimeDelta, Utc};
use qoder_server::config::{Config, Secret};
use qoder_server::forecast::{self, Series, model, seed};
use sqlx::{Connection, PgConnection};

fn server_url() -> String {
    std::env::var("QODER_TEST_PG").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

async fn admin(sql: String) -> anyhow::Result<()> {
    let mut c = PgConnection::connect(&format!("{}/postgres", server_url())).await?;
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(&mut c).await?;
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let days: u32 = args.next().map(|d| d.parse()).transpose()?.unwrap_or(28);
    let seed_value: u64 = args.next().map(|s| s.parse()).transpose()?.unwrap_or(7);
    let end: DateTime<Utc> = DateTime::parse_from_rfc3339("2026-12-07T00:00:00Z")?.to_utc();
    let name = format!("qoder_forecast_{}", std::process::id());
    admin(format!("CREATE DATABASE {name}")).await?;
    let result = run(&name, days, seed_value, end).await;
    admin(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await?;
    result
}

async fn run(name: &str, days: u32, seed_value: u64, end: DateTime<Utc>) -> anyhow::Result<()> {
    let config = Config {
        database_url: Secret::new(format!("{}/{name}", server_url())),
        ..Config::default()
    };
    let pool = qoder_server::connect(&config).await?;
    let options = seed::Options { days, seed: seed_value, ..seed::Options::default() };
    let hours = seed::generate(end, &options);
    let started = Instant::now();
    let w = seed::write(&pool, &hours, seed_value).await?;
    println!(
        "seeded {} hours ending {end} (seed {seed_value}): {} requests, {} hosted-AI calls, in {:.1} s",
        w.hours,
        w.requests,
        w.ai_calls,
        started.elapsed().as_secs_f64()
    );
    println!(
        "{:<9} {:>7}  {:<44} {:>14} {:>7}  {:>14} {:>7} {:>7}",
        "series", "horizon", "method", "backtest", "WAPE", "seasonal naive", "WAPE", "time"
    );
    for series in [Series::Requests, Series::AiCalls] {
        for horizon in [model::DAY, model::WEEK] {
            let started = Instant::now();
            let f = forecast::compute(&pool, series, horizon, end).await?;
            let took = started.elapsed();
            let values = forecast::hourly(
                &pool,
                series,
                end - TimeDelta::days(forecast::FIT_DAYS),
                forecast::hour_of(end),
            )
            .await?;
            let naive = naive_error(&values, horizon);
            let method = f.method_label.clone().unwrap_or_else(|| format!("{:?}", f.status));
            let b = f.backtest.as_ref();
            if let Some(b) = b {
                assert_eq!(b.horizon, horizon, "the backtest holds out the forecast's horizon");
            }
            println!(
                "{:<9} {:>5} h  {:<44} {:>14} {:>7}  {:>14} {:>7} {:>5.2} s",
                series.as_str(),
                horizon,
                method,
                b.map_or("none".into(), |b| format!("{} {:.2} %", metric(b.metric), b.value)),
                b.map_or("".into(), |b| format!("{:.2} %", b.wape)),
                naive.map_or("none".into(), |(m, v, _)| format!("{} {v:.2} %", metric(m))),
                naive.map_or("".into(), |(_, _, w)| format!("{w:.2} %")),
                took.as_secs_f64()
            );
        }
    }

    // One held-out day or week is a small sample: the same backtest on 12 generated histories
    // (seeds 0–11, ends 13 hours apart), the model's code alone.
    const RUNS: u64 = 12;
    println!("\nmean over {RUNS} generated histories (seeds 0-{}, model only):", RUNS - 1);
    for (name, pick) in [
        ("requests", (|h: &seed::HourLoad| h.requests) as fn(&seed::HourLoad) -> i64),
        ("ai_calls", |h: &seed::HourLoad| h.ai_calls),
    ] {
        for horizon in [model::DAY, model::WEEK] {
            let (mut m, mut w, mut nm, mut nw) = (0.0, 0.0, 0.0, 0.0);
            for run in 0..RUNS {
                let o = seed::Options { days, seed: run, ..seed::Options::default() };
                let hours = seed::generate(end - TimeDelta::hours(13 * run as i64), &o);
                let values: Vec<f64> = hours.iter().map(|h| pick(h) as f64).collect();
                let b = model::backtest(&values, horizon)?
                    .ok_or_else(|| anyhow::anyhow!("no backtest for {name}"))?;
                let (_, naive, naive_wape) =
                    naive_error(&values, horizon).ok_or_else(|| anyhow::anyhow!("no naive"))?;
                m += b.value / RUNS as f64;
                w += b.wape / RUNS as f64;
                nm += naive / RUNS as f64;
                nw += naive_wape / RUNS as f64;
            }
            println!(
                "{name:<9} {horizon:>5} h  model MAPE {m:5.2} % WAPE {w:5.2} %   seasonal naive MAPE {nm:5.2} % WAPE {nw:5.2} %"
            );
        }
    }
    pool.close().await;
    Ok(())
}

fn metric(m: model::Metric) -> &'static str {
    match m {
        model::Metric::Mape => "MAPE",
        model::Metric::Wape => "WAPE",
    }
}

/// The error (and WAPE) of repeating the week before over the last `horizon` hours.
fn naive_error(values: &[f64], horizon: usize) -> Option<(model::Metric, f64, f64)> {
    let start = values.iter().position(|v| *v != 0.0)?;
    let v = &values[start..];
    if v.len() < horizon + model::WEEK {
        return None;
    }
    let n = v.len();
    let (actual, naive) = (&v[n - horizon..], &v[n - horizon - model::WEEK..n - model::WEEK]);
    let (m, value) = model::error(actual, naive)?;
    Some((m, value, model::wape(actual, naive)?))
}
