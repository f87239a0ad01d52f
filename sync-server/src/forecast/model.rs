//! The model behind the load forecast, over plain hourly values (no database, no clock): augurs'
//! MSTL (multiple seasonal-trend decomposition by LOESS) with an AutoETS model of the
//! deseasonalised series, falling back to fewer seasonal periods and then to AutoETS alone; and
//! the backtest that measures it on held-out hours.
//!
//! | history | method |
//! |---|---|
//! | ≥ 14 days | MSTL, periods 24 h and 168 h, AutoETS trend |
//! | ≥ 2 days | MSTL, period 24 h, AutoETS trend |
//! | fewer | refused ([`ModelError::NotEnoughHistory`]) |
//!
//! A method that fails to fit (the decomposition or every ETS candidate) hands over to the next
//! one down: the daily MSTL, then non-seasonal AutoETS. Prediction intervals are the ETS model's
//! (the seasonal components are added to its bounds); every value is clamped at 0.

use augurs::ets::AutoETS;
use augurs::mstl::MSTLModel;
use augurs::{Fit, Predict};
use serde::{Deserialize, Serialize};

/// Hours in a day and in a week: the two seasonal periods.
pub const DAY: usize = 24;
pub const WEEK: usize = 168;
/// Least history to forecast from: two days (MSTL needs two cycles of its period).
pub const MIN_HISTORY: usize = 2 * DAY;
/// History from which the weekly period is used too: two weeks.
pub const WEEKLY_HISTORY: usize = 2 * WEEK;
/// The prediction intervals' level.
pub const LEVEL: f64 = 0.95;
/// Above this share of zero actuals in the held-out hours the backtest reports WAPE, not MAPE.
pub const ZERO_SHARE_FOR_WAPE: f64 = 0.1;

/// How a forecast was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// MSTL with daily and weekly periods, AutoETS on the deseasonalised series.
    MstlDailyWeekly,
    /// MSTL with the daily period only, AutoETS on the deseasonalised series.
    MstlDaily,
    /// Non-seasonal AutoETS alone.
    Ets,
}

impl Method {
    /// How the console and the README name it.
    pub fn label(self) -> &'static str {
        match self {
            Method::MstlDailyWeekly => "MSTL (24 h + 168 h seasons) + AutoETS trend",
            Method::MstlDaily => "MSTL (24 h season) + AutoETS trend",
            Method::Ets => "AutoETS (no seasons)",
        }
    }

    /// The methods to try for a history of `hours`, best first.
    fn chain(hours: usize) -> &'static [Method] {
        if hours >= WEEKLY_HISTORY {
            &[Method::MstlDailyWeekly, Method::MstlDaily, Method::Ets]
        } else {
            &[Method::MstlDaily, Method::Ets]
        }
    }
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ModelError {
    #[error("not enough history: {hours} hours, {needed} needed")]
    NotEnoughHistory { hours: usize, needed: usize },
    #[error("the series has a value that is not a finite number")]
    NotFinite,
    #[error("no model fits the series: {0}")]
    NoFit(String),
}

/// A forecast of `point.len()` hours after the history, with its interval at [`LEVEL`].
#[derive(Clone, Debug, PartialEq)]
pub struct Prediction {
    pub method: Method,
    pub point: Vec<f64>,
    pub lower: Vec<f64>,
    pub upper: Vec<f64>,
}

fn fit_predict(method: Method, y: &[f64], horizon: usize) -> Result<augurs::Forecast, String> {
    let trend = || AutoETS::non_seasonal().into_trend_model();
    let forecast = match method {
        Method::MstlDailyWeekly => MSTLModel::new(vec![DAY, WEEK], trend())
            .fit(y)
            .and_then(|m| m.predict(horizon, LEVEL))
            .map_err(|e| e.to_string())?,
        Method::MstlDaily => MSTLModel::new(vec![DAY], trend())
            .fit(y)
            .and_then(|m| m.predict(horizon, LEVEL))
            .map_err(|e| e.to_string())?,
        Method::Ets => AutoETS::non_seasonal()
            .fit(y)
            .and_then(|m| m.predict(horizon, LEVEL))
            .map_err(|e| e.to_string())?,
    };
    if forecast.point.len() != horizon || forecast.point.iter().any(|v| !v.is_finite()) {
        return Err(format!("{} gave no finite forecast", method.label()));
    }
    Ok(forecast)
}

/// Forecasts the `horizon` hours after `history` (hourly values, oldest first, no gaps).
pub fn forecast(history: &[f64], horizon: usize) -> Result<Prediction, ModelError> {
    if history.len() < MIN_HISTORY {
        return Err(ModelError::NotEnoughHistory { hours: history.len(), needed: MIN_HISTORY });
    }
    if history.iter().any(|v| !v.is_finite()) {
        return Err(ModelError::NotFinite);
    }
    let clamp = |v: Vec<f64>| v.into_iter().map(|x| x.max(0.0)).collect::<Vec<_>>();
    // A constant series (no load at all, say) has no variance for ETS to fit; its forecast is
    // the constant, without spread.
    let first = history[0];
    if history.iter().all(|&v| v == first) {
        let point = vec![first.max(0.0); horizon];
        let method = Method::chain(history.len())[0];
        return Ok(Prediction { method, lower: point.clone(), upper: point.clone(), point });
    }
    let mut failures = Vec::new();
    for &method in Method::chain(history.len()) {
        match fit_predict(method, history, horizon) {
            Ok(f) => {
                let (lower, upper) = match f.intervals {
                    Some(i) if i.lower.len() == horizon && i.upper.len() == horizon => {
                        (i.lower, i.upper)
                    }
                    _ => (f.point.clone(), f.point.clone()),
                };
                let point = clamp(f.point);
                // Clamped, and the bounds kept around the point.
                let lower = clamp(lower).into_iter().zip(&point).map(|(l, p)| l.min(*p)).collect();
                let upper = clamp(upper).into_iter().zip(&point).map(|(u, p)| u.max(*p)).collect();
                return Ok(Prediction { method, point, lower, upper });
            }
            Err(e) => {
                tracing::debug!(method = method.label(), error = %e, "forecast method failed");
                failures.push(format!("{}: {e}", method.label()));
            }
        }
    }
    Err(ModelError::NoFit(failures.join("; ")))
}

/// How a backtest's error is measured.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// Mean absolute percentage error over the held-out hours whose actual value is not 0.
    Mape,
    /// Weighted absolute percentage error: Σ|actual − forecast| / Σ actual (used when more
    /// than [`ZERO_SHARE_FOR_WAPE`] of the held-out hours are 0, where MAPE says little).
    Wape,
}

/// The forecast error on the last `horizon` hours of a history, the model fitted on the hours
/// before them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Backtest {
    pub metric: Metric,
    /// Percent.
    pub value: f64,
    /// Hours held out.
    pub horizon: usize,
    /// The method the fit on the shorter history used.
    pub method: Method,
    /// Hours the model was fitted on.
    pub trained_on: usize,
    /// WAPE as well, percent, whichever `metric` is: on counts that are small at night, MAPE is
    /// dominated by those hours and WAPE says how far off the load as a whole was.
    pub wape: f64,
}

/// Σ|actual − forecast| / Σ actual, percent; `None` when every actual is 0.
pub fn wape(actual: &[f64], forecast: &[f64]) -> Option<f64> {
    let total: f64 = actual.iter().map(|a| a.abs()).sum();
    let off: f64 = actual.iter().zip(forecast).map(|(a, f)| (a - f).abs()).sum();
    (total > 0.0).then(|| 100.0 * off / total)
}

/// The error of `forecast` against `actual`, percent; `None` when every actual is 0.
pub fn error(actual: &[f64], forecast: &[f64]) -> Option<(Metric, f64)> {
    let n = actual.len().min(forecast.len());
    if n == 0 {
        return None;
    }
    let (actual, forecast) = (&actual[..n], &forecast[..n]);
    let zeros = actual.iter().filter(|a| **a == 0.0).count();
    if zeros as f64 / n as f64 > ZERO_SHARE_FOR_WAPE {
        return wape(actual, forecast).map(|v| (Metric::Wape, v));
    }
    let terms: Vec<f64> = actual
        .iter()
        .zip(forecast)
        .filter(|(a, _)| **a != 0.0)
        .map(|(a, f)| ((a - f) / a).abs())
        .collect();
    if terms.is_empty() {
        return None;
    }
    Some((Metric::Mape, 100.0 * terms.iter().sum::<f64>() / terms.len() as f64))
}

/// Holds out the last `horizon` hours of `history`, fits on the rest, and measures the
/// forecast of the held-out hours. `Ok(None)` when the rest is shorter than [`MIN_HISTORY`]
/// or every held-out hour is 0.
pub fn backtest(history: &[f64], horizon: usize) -> Result<Option<Backtest>, ModelError> {
    if horizon == 0 || history.len() < horizon + MIN_HISTORY {
        return Ok(None);
    }
    let (train, actual) = history.split_at(history.len() - horizon);
    let p = forecast(train, horizon)?;
    Ok(error(actual, &p.point).map(|(metric, value)| Backtest {
        metric,
        value,
        horizon,
        method: p.method,
        trained_on: train.len(),
        wape: wape(actual, &p.point).unwrap_or(value),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::PI;

    /// A clean series: daily and weekly cycles around a level with a slight upward trend.
    fn seasonal(hours: usize) -> Vec<f64> {
        (0..hours)
            .map(|t| {
                let h = (t % DAY) as f64;
                let d = (t / DAY) % 7;
                let daily = 1.0 + 0.5 * (2.0 * PI * (h - 8.0) / DAY as f64).sin();
                let weekly = if d >= 5 { 0.7 } else { 1.0 };
                1000.0 * daily * weekly * (1.0 + 0.0002 * t as f64)
            })
            .collect()
    }

    #[test]
    fn a_clean_seasonal_series_is_forecast_within_a_few_percent() {
        let y = seasonal(28 * DAY);
        for horizon in [DAY, WEEK] {
            let b = backtest(&y, horizon).unwrap().expect("a backtest");
            assert_eq!(
                (b.metric, b.method, b.horizon),
                (Metric::Mape, Method::MstlDailyWeekly, horizon)
            );
            assert!(b.value < 5.0, "MAPE {:.2} % over {horizon} h", b.value);
        }
        let p = forecast(&y, WEEK).unwrap();
        assert_eq!(p.method, Method::MstlDailyWeekly);
        assert_eq!((p.point.len(), p.lower.len(), p.upper.len()), (WEEK, WEEK, WEEK));
        for ((l, v), u) in p.lower.iter().zip(&p.point).zip(&p.upper) {
            assert!(0.0 <= *l && l <= v && v <= u, "{l} {v} {u}");
        }
        // The interval has width: it is the model's, not the point repeated.
        assert!(p.upper[0] > p.lower[0]);
    }

    #[test]
    fn shorter_histories_use_the_daily_period_and_short_ones_are_refused() {
        // Four weekdays, then a fifth to forecast: the daily cycle alone explains it.
        let y = seasonal(4 * DAY);
        let p = forecast(&y, DAY).unwrap();
        assert_eq!(p.method, Method::MstlDaily);
        let (_, mape) = error(&seasonal(5 * DAY)[4 * DAY..], &p.point).unwrap();
        assert!(mape < 10.0, "MAPE {mape:.2} %");
        assert_eq!(
            forecast(&y[..47], DAY),
            Err(ModelError::NotEnoughHistory { hours: 47, needed: 48 })
        );
        assert!(forecast(&y[..48], DAY).is_ok());
        // The 7-day backtest needs 7 days held out plus two to fit on.
        assert_eq!(backtest(&y, WEEK).unwrap(), None);
        assert!(backtest(&seasonal(9 * DAY), WEEK).unwrap().is_some());
    }

    #[test]
    fn the_last_resort_ets_forecasts_the_level() {
        // What the chain falls back to when no MSTL fits: AutoETS alone, no seasons.
        let y: Vec<f64> = (0..100).map(|t| 500.0 + 10.0 * ((t * 7919) % 13) as f64).collect();
        let f = fit_predict(Method::Ets, &y, DAY).unwrap();
        let mean = y.iter().sum::<f64>() / y.len() as f64;
        assert!(f.point.iter().all(|v| (v - mean).abs() < 0.1 * mean), "{:?}", &f.point[..3]);
        assert!(f.intervals.is_some_and(|i| i.upper[0] > i.lower[0]));
    }

    #[test]
    fn zeros_are_handled() {
        // Nights without any load: every hour from 0 to 7 is 0.
        let y: Vec<f64> = seasonal(21 * DAY)
            .into_iter()
            .enumerate()
            .map(|(t, v)| if t % DAY < 8 { 0.0 } else { v })
            .collect();
        let p = forecast(&y, DAY).unwrap();
        assert!(p.point.iter().chain(&p.lower).all(|v| *v >= 0.0));
        let b = backtest(&y, DAY).unwrap().expect("a backtest");
        assert_eq!(b.metric, Metric::Wape, "a third of the hours are 0");
        assert!(b.value.is_finite() && b.value < 25.0, "WAPE {:.2} %", b.value);
        // No load at all: a flat zero forecast, no backtest (nothing to be relative to).
        let none = vec![0.0; 20 * DAY];
        let p = forecast(&none, DAY).unwrap();
        assert!(p.point.iter().chain(&p.upper).all(|v| *v == 0.0));
        assert_eq!(backtest(&none, DAY).unwrap(), None);
        assert_eq!(forecast(&[f64::NAN; 60], DAY), Err(ModelError::NotFinite));
    }

    #[test]
    fn errors_are_measured_as_named() {
        let (m, v) = error(&[100.0, 200.0], &[110.0, 180.0]).unwrap();
        assert_eq!(m, Metric::Mape);
        assert!((v - 10.0).abs() < 1e-9);
        // One zero actual in two: WAPE = (10 + 5) / 100.
        let (m, v) = error(&[0.0, 100.0], &[10.0, 95.0]).unwrap();
        assert_eq!(m, Metric::Wape);
        assert!((v - 15.0).abs() < 1e-9);
        assert_eq!(error(&[0.0, 0.0], &[1.0, 2.0]), None);
        // WAPE weighs hours by their load: 10 off at 100 counts more than 5 off at 10.
        let v = wape(&[100.0, 10.0], &[110.0, 5.0]).unwrap();
        assert!((v - 100.0 * 15.0 / 110.0).abs() < 1e-9);
    }
}
