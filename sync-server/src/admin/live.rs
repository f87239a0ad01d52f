//! The console's live figures (design 7.x "System Events", server → admin): what
//! `GET /api/admin/live`'s WebSocket sends, as JSON text frames tagged by `type`:
//!
//! - `system-metrics` every [`METRICS_EVERY`]: this process (CPU, memory, sockets, requests in
//!   flight), every process's requests (from `traffic_minutes`: the rate per minute, the last
//!   five minutes' 5xx share and p95 latency, and each of the last [`MINUTES`] minutes), and the
//!   database's answer time;
//! - `provider-health-update` for each hosted-AI provider when its status changes (all of them
//!   first), checked every [`PROVIDERS_EVERY`];
//! - `health-alert` when the database stops answering (`critical`) or answers again (`info`),
//!   and for each alert rule (`crate::alerts`) that fires (its severity, `warning` or
//!   `critical`; those firing when the socket opens first) or resolves (`info`), checked with the
//!   providers;
//! - `load-forecast-updated` with the next 24 hours of requests forecast (`crate::forecast`) and
//!   its accuracy, when the socket opens and whenever the forecast is made again (checked every
//!   [`FORECAST_EVERY`]).
//!
//! The socket closes when the admin's token expires or the account stops being an admin or is
//! disabled (1008, checked with the providers), when the server shuts down (1001), or after two
//! unanswered pings (1011); the console then reconnects and, meanwhile, polls.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use axum::extract::ws::{Message, WebSocket};
use chrono::{DateTime, DurationRound, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::hub::{Keepalive, Slot, close, close_with};
use crate::{AppState, traffic};

pub const METRICS_EVERY: Duration = Duration::from_secs(2);
pub const PROVIDERS_EVERY: Duration = Duration::from_secs(10);
pub const FORECAST_EVERY: Duration = Duration::from_secs(60);
/// Minutes of requests each `system-metrics` frame carries (the console's chart).
pub const MINUTES: i64 = 30;
const PING_EVERY: Duration = Duration::from_secs(20);

/// Requests of every process over a span.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Traffic {
    pub requests: i64,
    /// Share of 5xx answers, 0–1.
    pub error_rate: f64,
    pub p95_ms: Option<f64>,
}

impl From<traffic::Window> for Traffic {
    fn from(w: traffic::Window) -> Self {
        Traffic { requests: w.requests, error_rate: w.error_rate(), p95_ms: w.p95_ms }
    }
}

/// One `system-metrics` frame.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SystemMetrics {
    pub at: DateTime<Utc>,
    /// This process's CPU use since the previous frame, percent of one core (`None` first, or
    /// where /proc is not there).
    pub cpu: Option<f64>,
    /// This process's resident memory, bytes.
    pub memory: Option<u64>,
    /// Open WebSockets of this process.
    pub connections: usize,
    pub requests_in_flight: usize,
    /// Every process's requests per minute over the previous minute and this one so far
    /// (`None` when `traffic_minutes` cannot be read).
    pub requests_per_minute: Option<f64>,
    /// Every process, the last five minutes.
    pub last_5_minutes: Option<Traffic>,
    /// Every process, each of the last [`MINUTES`] minutes (this one so far), oldest first.
    pub minutes: Vec<traffic::Minute>,
    pub db_ok: bool,
    pub db_ping_ms: Option<f64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProviderHealth {
    Disabled,
    /// No calls in the window.
    Idle,
    /// Under 5% errors.
    Healthy,
    /// 5–50% errors.
    Degraded,
    /// Half or more of its calls fail.
    Failing,
}

impl ProviderHealth {
    pub fn of(p: &super::providers::ProviderStatus) -> Self {
        if !p.enabled {
            ProviderHealth::Disabled
        } else if p.calls == 0 {
            ProviderHealth::Idle
        } else if p.error_rate >= 0.5 {
            ProviderHealth::Failing
        } else if p.error_rate >= 0.05 {
            ProviderHealth::Degraded
        } else {
            ProviderHealth::Healthy
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Info,
    Warning,
    Critical,
}

/// The forecast a `load-forecast-updated` frame carries: requests, the next 24 hours.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LoadForecast {
    pub series: crate::forecast::Series,
    pub method: String,
    /// The backtest's metric (`mape` or `wape`) and its error, percent.
    pub metric: Option<String>,
    pub error: Option<f64>,
    pub hours: Vec<crate::forecast::ForecastHour>,
    pub generated_at: DateTime<Utc>,
}

impl LoadForecast {
    /// `None` without a forecast (not enough history).
    pub fn of(f: &crate::forecast::Forecast) -> Option<(Self, Option<f64>)> {
        if f.status != crate::forecast::Status::Ok || f.forecast.is_empty() {
            return None;
        }
        let error = f.backtest.as_ref().map(|b| b.value);
        let metric = f.backtest.as_ref().and_then(|b| {
            serde_json::to_value(b.metric).ok().and_then(|v| v.as_str().map(str::to_string))
        });
        let accuracy = error.map(|e| (100.0 - e).max(0.0));
        let lf = LoadForecast {
            series: f.series,
            method: f.method_label.clone().unwrap_or_default(),
            metric,
            error,
            hours: f.forecast.clone(),
            generated_at: f.generated_at,
        };
        Some((lf, accuracy))
    }
}

/// A frame of the live socket.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Event {
    SystemMetrics(SystemMetrics),
    #[serde(rename_all = "camelCase")]
    ProviderHealthUpdate {
        provider_id: String,
        status: ProviderHealth,
        error_rate: f64,
    },
    LoadForecastUpdated {
        prediction: LoadForecast,
        /// 100 − the backtest error (MAPE, or WAPE where zeros dominate), percent; `None` when
        /// it could not be measured.
        accuracy: Option<f64>,
    },
    HealthAlert {
        level: Level,
        message: String,
        /// The alert rule it is about (`crate::alerts`), if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        rule: Option<String>,
    },
}

/// CPU seconds (user + system) this process has used, from /proc/self/stat.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name may hold spaces: the fields after its closing parenthesis.
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name and state.
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    // USER_HZ is 100 on every Linux the server runs on.
    Some(ticks / 100.0)
}

/// `requests` counted from the start of `since`'s minute to `now`, per minute.
fn per_minute(requests: i64, since: DateTime<Utc>, now: DateTime<Utc>) -> f64 {
    let start = since.duration_trunc(TimeDelta::minutes(1)).unwrap_or(since);
    let minutes = (now - start).as_seconds_f64() / 60.0;
    if minutes > 0.0 { requests as f64 / minutes } else { 0.0 }
}

/// What one socket remembers between frames.
#[derive(Default)]
struct Sampler {
    cpu: Option<(Instant, f64)>,
    db_ok: Option<bool>,
    providers: BTreeMap<String, ProviderHealth>,
    /// The firing alerts last seen (id of its `alerts` row → rule), `None` before the first look.
    firing: Option<BTreeMap<i64, String>>,
    /// When the forecast last sent was made.
    forecast_sent: Option<DateTime<Utc>>,
}

impl Sampler {
    async fn metrics(&mut self, state: &AppState) -> (SystemMetrics, Option<Event>) {
        let health = super::health::health(state).await;
        let now = Instant::now();
        let cpu_now = cpu_seconds();
        let cpu = match (self.cpu, cpu_now) {
            (Some((then, used)), Some(used_now)) => {
                let secs = now.duration_since(then).as_secs_f64();
                (secs > 0.0).then(|| ((used_now - used) / secs * 100.0).max(0.0))
            }
            _ => None,
        };
        self.cpu = cpu_now.map(|c| (now, c));
        let at = Utc::now();
        let recent = traffic::recent(&state.pool, at - TimeDelta::minutes(MINUTES - 1), at).await;
        let (requests_per_minute, last_5_minutes, minutes) = match recent {
            Ok(r) => {
                let since = at - TimeDelta::minutes(1);
                (
                    Some(per_minute(r.window(since).requests, since, at)),
                    Some(Traffic::from(r.window(at - TimeDelta::minutes(5)))),
                    r.minutes(),
                )
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the request counts");
                (None, None, Vec::new())
            }
        };
        let alert = match (self.db_ok, health.database.ok) {
            (prev, false) if prev != Some(false) => Some(Event::HealthAlert {
                level: Level::Critical,
                message: "The database does not answer: sync, sign-in and the admin API fail \
                          until it is back."
                    .into(),
                rule: None,
            }),
            (Some(false), true) => Some(Event::HealthAlert {
                level: Level::Info,
                message: "The database answers again.".into(),
                rule: None,
            }),
            _ => None,
        };
        self.db_ok = Some(health.database.ok);
        let m = SystemMetrics {
            at,
            cpu,
            memory: health.memory_rss_bytes,
            connections: health.websocket_connections,
            requests_in_flight: health.requests_in_flight,
            requests_per_minute,
            last_5_minutes,
            minutes,
            db_ok: health.database.ok,
            db_ping_ms: health.database.ping_ms,
        };
        (m, alert)
    }

    /// The providers whose status changed since the last call (all of them the first time).
    async fn providers(&mut self, state: &AppState) -> Vec<Event> {
        let Ok(list) = super::providers::list(state).await else { return Vec::new() };
        let mut changed = Vec::new();
        for p in &list.providers {
            let status = ProviderHealth::of(p);
            if self.providers.insert(p.name.clone(), status) != Some(status) {
                changed.push(Event::ProviderHealthUpdate {
                    provider_id: p.name.clone(),
                    status,
                    error_rate: p.error_rate,
                });
            }
        }
        changed
    }

    /// A `health-alert` for each alert that fired or resolved since the last call (every firing
    /// one the first time).
    async fn alerts(&mut self, state: &AppState) -> Vec<Event> {
        let rows: Result<Vec<(i64, String, String)>, _> = sqlx::query_as(
            "SELECT id, rule, message FROM alerts WHERE state = 'firing' ORDER BY fired_at",
        )
        .fetch_all(&state.pool)
        .await;
        let Ok(rows) = rows else { return Vec::new() };
        let before = self.firing.take().unwrap_or_default();
        let mut events = Vec::new();
        for (id, rule, message) in &rows {
            if !before.contains_key(id) {
                let r = crate::alerts::rule(rule);
                let level = if r.is_some_and(|r| r.severity == "critical") {
                    Level::Critical
                } else {
                    Level::Warning
                };
                let name = r.map_or(rule.as_str(), |r| r.name);
                events.push(Event::HealthAlert {
                    level,
                    message: format!("{name}: {message}"),
                    rule: Some(rule.clone()),
                });
            }
        }
        for (id, rule) in &before {
            if !rows.iter().any(|r| r.0 == *id) {
                let name = crate::alerts::rule(rule).map_or(rule.as_str(), |r| r.name);
                events.push(Event::HealthAlert {
                    level: Level::Info,
                    message: format!("{name}: resolved"),
                    rule: Some(rule.clone()),
                });
            }
        }
        self.firing = Some(rows.into_iter().map(|(id, rule, _)| (id, rule)).collect());
        events
    }

    /// The requests forecast for the next 24 hours if it was made again since the last call.
    async fn forecast(&mut self, state: &AppState) -> Option<Event> {
        let f =
            state.forecasts.get(&state.pool, crate::forecast::Series::Requests, 24).await.ok()?;
        let (prediction, accuracy) = LoadForecast::of(&f)?;
        if self.forecast_sent == Some(prediction.generated_at) {
            return None;
        }
        self.forecast_sent = Some(prediction.generated_at);
        Some(Event::LoadForecastUpdated { prediction, accuracy })
    }
}

/// Whether the account is still an enabled admin (a database error counts as yes: the socket
/// stays until the next check rather than closing on a hiccup).
async fn still_admin(state: &AppState, admin: Uuid) -> bool {
    let role = crate::db::account::role(&state.pool, admin).await;
    let admin_role = matches!(&role, Ok(Some(r)) if r == super::Role::Admin.as_str());
    let disabled = state.billing.flags.is_disabled(&state.pool, admin).await.unwrap_or(false);
    (admin_role || role.is_err()) && !disabled
}

async fn send(socket: &mut WebSocket, event: &Event) -> bool {
    let Ok(text) = serde_json::to_string(event) else { return true };
    socket.send(Message::Text(text.into())).await.is_ok()
}

/// Serves one admin's live socket until it closes (see the module's description).
pub async fn serve_socket(
    mut socket: WebSocket,
    state: AppState,
    admin: Uuid,
    expires_at: i64,
    _slot: Slot,
) {
    let mut keepalive = Keepalive::new(&state.hub, PING_EVERY, expires_at);
    let mut metrics_tick = tokio::time::interval(METRICS_EVERY);
    metrics_tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut providers_tick = tokio::time::interval(PROVIDERS_EVERY);
    providers_tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut forecast_tick = tokio::time::interval(FORECAST_EVERY);
    forecast_tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut sampler = Sampler::default();
    loop {
        tokio::select! {
            _ = metrics_tick.tick() => {
                let (m, alert) = sampler.metrics(&state).await;
                if !send(&mut socket, &Event::SystemMetrics(m)).await {
                    break;
                }
                if let Some(alert) = alert
                    && !send(&mut socket, &alert).await
                {
                    break;
                }
            }
            _ = providers_tick.tick() => {
                if !still_admin(&state, admin).await {
                    close_with(&mut socket, close::TOKEN_EXPIRED, "no longer an admin").await;
                    break;
                }
                let mut events = sampler.providers(&state).await;
                events.extend(sampler.alerts(&state).await);
                let mut ok = true;
                for event in events {
                    ok = ok && send(&mut socket, &event).await;
                }
                if !ok {
                    break;
                }
            }
            _ = forecast_tick.tick() => {
                if let Some(event) = sampler.forecast(&state).await
                    && !send(&mut socket, &event).await
                {
                    break;
                }
            }
            wake = keepalive.wake(&mut socket) => {
                if keepalive.handle(&mut socket, wake).await.is_break() {
                    break;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_tagged_as_the_design_names_them() {
        let e = Event::ProviderHealthUpdate {
            provider_id: "primary".into(),
            status: ProviderHealth::Failing,
            error_rate: 0.75,
        };
        let v = serde_json::to_value(&e).expect("json");
        assert_eq!(v["type"], "provider-health-update");
        assert_eq!(v["providerId"], "primary");
        assert_eq!(v["status"], "failing");
        let v = serde_json::to_value(Event::HealthAlert {
            level: Level::Critical,
            message: "down".into(),
            rule: None,
        })
        .expect("json");
        assert_eq!(
            (v["type"].as_str(), v["level"].as_str()),
            (Some("health-alert"), Some("critical"))
        );
    }

    #[test]
    fn the_rate_counts_the_previous_minute_and_this_one_so_far() {
        let t = |s: &str| DateTime::parse_from_rfc3339(s).expect("time").to_utc();
        // 90 requests from 10:00:00 to 10:01:30: 60 a minute.
        let r = per_minute(90, t("2026-12-07T10:00:30Z"), t("2026-12-07T10:01:30Z"));
        assert!((r - 60.0).abs() < 1e-9, "{r}");
        assert_eq!(per_minute(5, t("2026-12-07T10:00:00Z"), t("2026-12-07T10:00:00Z")), 0.0);
    }

    #[test]
    fn this_process_has_cpu_time() {
        if std::path::Path::new("/proc/self/stat").exists() {
            let spent = cpu_seconds().expect("cpu seconds");
            assert!(spent >= 0.0);
        }
    }
}
