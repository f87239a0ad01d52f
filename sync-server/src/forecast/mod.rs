//! The load forecast (design phase 3 "Load Forecasting", `GET /api/admin/forecast`): hourly HTTP
//! requests (every process together, `crate::traffic`) and hosted-AI calls (`ai_calls`), the
//! next 24 hours or 7 days forecast with their 95 % interval, and the backtest error of the same
//! method on the most recent hours held out (`model`). `seed` makes a realistic history for
//! demonstrations, the browser test and the backtest example.
//!
//! The model is fitted on up to [`FIT_DAYS`] of history, starting at the first hour with any
//! load (hours before it are taken as "not running yet", not as zeros), and ending with the
//! last complete hour; the forecast starts with the current hour. Fitting runs on the blocking
//! pool. Each answer is kept per series and horizon for [`CACHE_FOR`] (or until the hour turns),
//! and concurrent requests for the same one wait for a single fit.

pub mod model;
pub mod seed;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, DurationRound, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;

use crate::http::error::ApiError;
use model::{Backtest, DAY, MIN_HISTORY, Method, ModelError, WEEK};

/// History the model is fitted on, at most.
pub const FIT_DAYS: i64 = 56;
/// History the answer carries for the chart.
pub const SHOWN_DAYS: i64 = 14;
/// How long an answer is reused.
pub const CACHE_FOR: Duration = Duration::from_secs(300);

/// What is forecast.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Series {
    /// HTTP requests answered, every process together.
    Requests,
    /// Hosted-AI provider calls (rows of `ai_calls`).
    AiCalls,
}

impl Series {
    pub fn as_str(self) -> &'static str {
        match self {
            Series::Requests => "requests",
            Series::AiCalls => "ai_calls",
        }
    }
}

/// `?series=requests|ai_calls&horizon=24|168` (default requests, 24).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForecastQuery {
    pub series: Option<String>,
    pub horizon: Option<String>,
}

impl ForecastQuery {
    pub fn parse(&self) -> Result<(Series, usize), ApiError> {
        let series = match self.series.as_deref().unwrap_or("requests") {
            "requests" => Series::Requests,
            "ai_calls" => Series::AiCalls,
            other => {
                return Err(ApiError::Validation(format!(
                    "series must be requests or ai_calls, not {other:?}"
                )));
            }
        };
        let horizon = match self.horizon.as_deref().unwrap_or("24") {
            "24" => DAY,
            "168" => WEEK,
            other => {
                return Err(ApiError::Validation(format!(
                    "horizon must be 24 or 168 (hours), not {other:?}"
                )));
            }
        };
        Ok((series, horizon))
    }
}

/// Whether there was enough history to forecast.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Ok,
    NotEnoughHistory,
}

/// One hour of history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HourValue {
    /// The hour's start (UTC).
    pub hour: DateTime<Utc>,
    pub value: f64,
}

/// One forecast hour and its interval.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ForecastHour {
    pub hour: DateTime<Utc>,
    pub value: f64,
    pub lower: f64,
    pub upper: f64,
}

/// The answer of `GET /api/admin/forecast`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Forecast {
    pub series: Series,
    /// Hours forecast.
    pub horizon: usize,
    pub status: Status,
    /// Why there is no forecast, for people.
    pub message: Option<String>,
    pub method: Option<Method>,
    pub method_label: Option<String>,
    /// The prediction intervals' level (0.95).
    pub level: f64,
    /// Hours of history the model was given (from the first hour with load).
    pub history_hours: usize,
    /// Hours of history needed to forecast at all.
    pub needed_hours: usize,
    /// The last [`SHOWN_DAYS`] of history, hourly, oldest first.
    pub history: Vec<HourValue>,
    /// The forecast hours, starting with the current one.
    pub forecast: Vec<ForecastHour>,
    /// The error of the method on the most recent `horizon` hours held out (24 hours when the
    /// history is too short to hold out 7 days); `None` when not measurable.
    pub backtest: Option<Backtest>,
    pub generated_at: DateTime<Utc>,
}

/// The start of `t`'s hour.
pub fn hour_of(t: DateTime<Utc>) -> DateTime<Utc> {
    t.duration_trunc(TimeDelta::hours(1)).unwrap_or(t)
}

/// Every hour from `from` up to `to` (hour starts), with the counts of `rows` (sparse or
/// filled, any order; rows outside are ignored) and 0 elsewhere.
pub fn dense(
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    rows: impl IntoIterator<Item = (DateTime<Utc>, i64)>,
) -> Vec<f64> {
    let hours = usize::try_from((to - from).num_hours()).unwrap_or(0);
    let mut values = vec![0.0; hours];
    for (hour, n) in rows {
        let i = (hour_of(hour) - from).num_hours();
        if let Some(v) = usize::try_from(i).ok().and_then(|i| values.get_mut(i)) {
            *v += n as f64;
        }
    }
    values
}

/// The hourly values of `series` from `from` up to `to` (hour starts), zeros included.
pub async fn hourly(
    pool: &PgPool,
    series: Series,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> sqlx::Result<Vec<f64>> {
    let rows: Vec<(DateTime<Utc>, i64)> = match series {
        Series::AiCalls => sqlx::query_as(
            "SELECT date_trunc('hour', created_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', count(*)
                   FROM ai_calls WHERE created_at >= $1 AND created_at < $2 GROUP BY 1",
        )
        .bind(from)
        .bind(to)
        .fetch_all(pool)
        .await?,
        Series::Requests => crate::traffic::hourly(pool, from, to)
            .await?
            .into_iter()
            .map(|h| (h.hour, h.requests))
            .collect(),
    };
    Ok(dense(from, to, rows))
}

/// The forecast of `series` `horizon` hours ahead as of `now`, from the database (no cache).
pub async fn compute(
    pool: &PgPool,
    series: Series,
    horizon: usize,
    now: DateTime<Utc>,
) -> Result<Forecast, ApiError> {
    let to = hour_of(now);
    let from = to - TimeDelta::days(FIT_DAYS);
    let all = hourly(pool, series, from, to).await?;
    let start = all.iter().position(|v| *v != 0.0).unwrap_or(all.len());
    let values = all[start..].to_vec();
    let shown = values.len().min(SHOWN_DAYS as usize * DAY);
    let first_shown = to - TimeDelta::hours(shown as i64);
    let history = values[values.len() - shown..]
        .iter()
        .enumerate()
        .map(|(i, &value)| HourValue { hour: first_shown + TimeDelta::hours(i as i64), value })
        .collect();
    let mut answer = Forecast {
        series,
        horizon,
        status: Status::Ok,
        message: None,
        method: None,
        method_label: None,
        level: model::LEVEL,
        history_hours: values.len(),
        needed_hours: MIN_HISTORY,
        history,
        forecast: Vec::new(),
        backtest: None,
        generated_at: now,
    };
    if values.len() < MIN_HISTORY {
        answer.status = Status::NotEnoughHistory;
        answer.message = Some(format!(
            "not enough history: {} hours of {} so far; a forecast needs {} (two days)",
            values.len(),
            series.as_str(),
            MIN_HISTORY
        ));
        return Ok(answer);
    }
    let (prediction, backtest) =
        tokio::task::spawn_blocking(move || fit(&values, horizon)).await.map_err(|e| {
            ApiError::Internal(anyhow::anyhow!("the forecast's fitting task failed: {e}"))
        })??;
    answer.method = Some(prediction.method);
    answer.method_label = Some(prediction.method.label().to_string());
    answer.forecast = (0..horizon)
        .map(|i| ForecastHour {
            hour: to + TimeDelta::hours(i as i64),
            value: prediction.point[i],
            lower: prediction.lower[i],
            upper: prediction.upper[i],
        })
        .collect();
    answer.backtest = backtest;
    Ok(answer)
}

/// The forecast and its backtest (the requested horizon held out, or 24 hours when the history
/// is too short for that); CPU-bound.
pub fn fit(
    values: &[f64],
    horizon: usize,
) -> Result<(model::Prediction, Option<Backtest>), ApiError> {
    let failed = |e: ModelError| ApiError::Internal(anyhow::anyhow!("forecast: {e}"));
    let prediction = model::forecast(values, horizon).map_err(failed)?;
    let mut backtest = model::backtest(values, horizon).map_err(failed)?;
    if backtest.is_none() && horizon > DAY {
        backtest = model::backtest(values, DAY).map_err(failed)?;
    }
    Ok((prediction, backtest))
}

struct Cached {
    made: Instant,
    /// The hour the forecast starts at: a new hour makes a new forecast.
    hour: DateTime<Utc>,
    answer: Arc<Forecast>,
}

type Slot = Arc<tokio::sync::Mutex<Option<Cached>>>;

/// The answers of one process, per series and horizon.
#[derive(Default)]
pub struct Cache {
    slots: Mutex<HashMap<(Series, usize), Slot>>,
}

impl Cache {
    pub fn new() -> Self {
        Self::default()
    }

    fn slot(&self, key: (Series, usize)) -> Slot {
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        slots.entry(key).or_default().clone()
    }

    /// The forecast of `series`, reused while it is younger than [`CACHE_FOR`] and of this hour;
    /// one fit at a time per series and horizon. Answers without a forecast are not kept.
    pub async fn get(
        &self,
        pool: &PgPool,
        series: Series,
        horizon: usize,
    ) -> Result<Arc<Forecast>, ApiError> {
        let slot = self.slot((series, horizon));
        let mut cached = slot.lock().await;
        let now = Utc::now();
        if let Some(c) = cached.as_ref()
            && c.hour == hour_of(now)
            && c.made.elapsed() < CACHE_FOR
        {
            return Ok(c.answer.clone());
        }
        let answer = Arc::new(compute(pool, series, horizon, now).await?);
        // "Not enough history" costs no fit: asked again, it shows history as soon as there is.
        if answer.status == Status::Ok {
            *cached =
                Some(Cached { made: Instant::now(), hour: hour_of(now), answer: answer.clone() });
        }
        Ok(answer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).expect("time").to_utc()
    }

    #[test]
    fn hours_are_filled_whether_the_rows_are_sparse_or_not() {
        let from = at("2026-12-01T00:00:00Z");
        let to = at("2026-12-01T05:00:00Z");
        let sparse = [(at("2026-12-01T03:00:00Z"), 7), (at("2026-12-01T01:00:00Z"), 2)];
        assert_eq!(dense(from, to, sparse), [0.0, 2.0, 0.0, 7.0, 0.0]);
        let filled = (0..5).map(|h| (from + TimeDelta::hours(h), h));
        assert_eq!(dense(from, to, filled), [0.0, 1.0, 2.0, 3.0, 4.0]);
        // Outside the span: ignored; within an hour: counted in it.
        let odd = [(at("2026-11-30T23:00:00Z"), 5), (at("2026-12-01T04:59:00Z"), 1)];
        assert_eq!(dense(from, to, odd), [0.0, 0.0, 0.0, 0.0, 1.0]);
    }

    #[test]
    fn a_week_ahead_is_backtested_on_a_day_when_a_week_cannot_be_held_out() {
        let y: Vec<f64> = (0..5 * DAY)
            .map(|t| 100.0 + 50.0 * (2.0 * std::f64::consts::PI * t as f64 / DAY as f64).sin())
            .collect();
        let (p, b) = fit(&y, WEEK).unwrap();
        assert_eq!((p.method, p.point.len()), (Method::MstlDaily, WEEK));
        let b = b.expect("a 24-hour backtest");
        assert_eq!((b.horizon, b.trained_on), (DAY, 4 * DAY));
        assert!(b.value < 1.0, "a clean cycle: {:.3} %", b.value);
    }

    #[test]
    fn parameters_are_checked() {
        let q = |s: Option<&str>, h: Option<&str>| ForecastQuery {
            series: s.map(String::from),
            horizon: h.map(String::from),
        };
        assert_eq!(q(None, None).parse().unwrap(), (Series::Requests, 24));
        assert_eq!(q(Some("ai_calls"), Some("168")).parse().unwrap(), (Series::AiCalls, 168));
        for (s, h) in [(Some("cpu"), None), (None, Some("48")), (None, Some("x"))] {
            let e = q(s, h).parse().unwrap_err();
            assert_eq!(e.status(), axum::http::StatusCode::UNPROCESSABLE_ENTITY);
        }
    }
}
