//! /api/admin/*: the admin API (design 7.2 "Admin Endpoints"), and GET /metrics. Every route
//! takes [`AdminUser`] first, so a missing, expired or non-admin token is refused before
//! anything else is read. Handlers parse and call the service modules (`crate::admin::*`,
//! `crate::audit`, `crate::gdpr`).

use axum::extract::ws::WebSocketUpgrade;
use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::{FromRequestParts, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use qoder_sync::wire::{AdminStats, AdminUsersPage, AdminUsersQuery};
use uuid::Uuid;

use crate::admin::flags::{FlagList, Scope, SetFlag};
use crate::admin::providers::{Providers, SetProviders};
use crate::admin::retention::{Policies, RunReport, RunRequest, SetRetention};
use crate::admin::usage::{Activity, DaysQuery, LlmUsage};
use crate::admin::users::{DisableRequest, PlanOverride, UserDetail};
use crate::admin::{flags, health, live, providers, retention, usage, users};
use crate::forecast::{Forecast, ForecastQuery};
use crate::http::error::{ApiError, JsonBody, PathParams, QueryParams};
use crate::http::extract::{AuthUser, authenticate_socket, meta_of};
use crate::{AppState, admin, alerts, audit, db, gdpr, jobs, telemetry};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/admin/stats", get(stats))
        .route("/api/admin/health", get(get_health))
        .route("/api/admin/live", get(live))
        .route("/api/admin/activity", get(get_activity))
        .route("/api/admin/llm", get(get_llm))
        .route("/api/admin/forecast", get(get_forecast))
        .route("/api/admin/users", get(search_users))
        .route("/api/admin/users/{id}", get(user_detail).delete(erase_user))
        .route("/api/admin/users/{id}/export", get(export_user))
        .route("/api/admin/users/{id}/disable", post(disable_user))
        .route("/api/admin/users/{id}/enable", post(enable_user))
        .route("/api/admin/users/{id}/plan", put(set_plan))
        .route("/api/admin/audit", get(audit_log))
        .route("/api/admin/flags", get(list_flags))
        .route("/api/admin/flags/{key}", put(set_flag))
        .route("/api/admin/flags/{key}/plans/{plan}", put(set_plan_flag).delete(drop_plan_flag))
        .route("/api/admin/flags/{key}/users/{id}", put(set_user_flag).delete(drop_user_flag))
        .route("/api/admin/providers", get(list_providers).put(set_providers))
        .route("/api/admin/retention", get(list_retention))
        .route("/api/admin/retention/run", post(run_retention))
        .route("/api/admin/retention/{data_type}", put(set_retention))
        .route("/api/admin/jobs", get(list_jobs))
        .route("/api/admin/jobs/{id}", get(job_detail))
        .route("/api/admin/jobs/{id}/replay", post(replay_job))
        .route("/api/admin/alerts", get(get_alerts))
        .route("/metrics", get(metrics))
}

/// An authenticated admin: the token must say `admin` *and* the account must still be one in the
/// database (a demoted admin's token stops working at once). `ctx` is the request as the audit
/// log records it, acted by this admin.
pub struct AdminUser {
    pub user: AuthUser,
    pub ctx: audit::Ctx,
}

impl AdminUser {
    /// `user` if the account is still an admin in the database.
    async fn check(state: &AppState, user: AuthUser, parts: &Parts) -> Result<Self, ApiError> {
        let forbidden = || ApiError::Forbidden("this needs an admin account".into());
        if user.role != admin::Role::Admin.as_str() {
            return Err(forbidden());
        }
        match db::account::role(&state.pool, user.user_id).await? {
            Some(role) if role == admin::Role::Admin.as_str() => {
                let ctx = meta_of(parts, state.config.trust_proxy).by(user.user_id);
                Ok(AdminUser { user, ctx })
            }
            Some(_) => Err(forbidden()),
            None => Err(ApiError::Unauthorized("the account no longer exists")),
        }
    }
}

impl FromRequestParts<AppState> for AdminUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let user = AuthUser::from_request_parts(parts, state).await?;
        Self::check(state, user, parts).await
    }
}

/// An admin opening the live WebSocket: browsers cannot set headers on one, so the token may
/// also come as `?access_token=` (as on /api/ws).
pub struct LiveAdmin(AdminUser);

impl FromRequestParts<AppState> for LiveAdmin {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let user = authenticate_socket(state, parts).await?;
        Ok(LiveAdmin(AdminUser::check(state, user, parts).await?))
    }
}

/// `GET /api/admin/live`: the console's live figures over a WebSocket (`admin::live`).
async fn live(
    LiveAdmin(admin): LiveAdmin,
    State(s): State<AppState>,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Result<Response, ApiError> {
    let upgrade = upgrade.map_err(|e| {
        ApiError::Malformed(format!("this endpoint needs a WebSocket upgrade: {}", e.body_text()))
    })?;
    let slot = s
        .hub
        .try_slot()
        .ok_or(ApiError::Unavailable { message: "too many open WebSockets", retry_after: 5 })?;
    let upgrade = upgrade
        .max_message_size(crate::http::ws::MAX_CLIENT_MESSAGE)
        .max_frame_size(crate::http::ws::MAX_CLIENT_MESSAGE);
    let (id, expires_at) = (admin.user.user_id, admin.user.expires_at);
    Ok(upgrade.on_upgrade(move |socket| live::serve_socket(socket, s, id, expires_at, slot)))
}

/// A file to download.
fn download(bytes: Vec<u8>, content_type: &'static str, name: &str) -> Response {
    (
        [
            (CONTENT_TYPE, content_type.to_string()),
            (CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        ],
        bytes,
    )
        .into_response()
}

#[tracing::instrument(skip_all, err(level = "debug"))]
async fn stats(_admin: AdminUser, State(s): State<AppState>) -> Result<Json<AdminStats>, ApiError> {
    Ok(Json(admin::stats(&s.pool).await?))
}

async fn get_health(_admin: AdminUser, State(s): State<AppState>) -> Json<health::Health> {
    Json(health::health(&s).await)
}

#[tracing::instrument(skip_all, err(level = "debug"))]
async fn get_activity(
    _admin: AdminUser,
    State(s): State<AppState>,
    QueryParams(q): QueryParams<DaysQuery>,
) -> Result<Json<Activity>, ApiError> {
    Ok(Json(usage::activity(&s.pool, &q).await?))
}

#[tracing::instrument(skip_all, err(level = "debug"))]
async fn get_llm(
    _admin: AdminUser,
    State(s): State<AppState>,
    QueryParams(q): QueryParams<DaysQuery>,
) -> Result<Json<LlmUsage>, ApiError> {
    Ok(Json(usage::llm(&s.pool, s.config.ai_global_daily_budget_usd, &q).await?))
}

#[tracing::instrument(skip_all, err(level = "debug"))]
async fn get_forecast(
    _admin: AdminUser,
    State(s): State<AppState>,
    QueryParams(q): QueryParams<ForecastQuery>,
) -> Result<Json<Forecast>, ApiError> {
    let (series, horizon) = q.parse()?;
    Ok(Json(Forecast::clone(&*s.forecasts.get(&s.pool, series, horizon).await?)))
}

#[tracing::instrument(skip_all, err(level = "debug"))]
async fn search_users(
    _admin: AdminUser,
    State(s): State<AppState>,
    QueryParams(q): QueryParams<AdminUsersQuery>,
) -> Result<Json<AdminUsersPage>, ApiError> {
    Ok(Json(admin::users(&s.pool, q).await?))
}

#[tracing::instrument(skip_all, err(level = "debug"))]
async fn user_detail(
    _admin: AdminUser,
    State(s): State<AppState>,
    PathParams(id): PathParams<Uuid>,
) -> Result<Json<UserDetail>, ApiError> {
    Ok(Json(users::detail(&s, id).await?))
}

#[tracing::instrument(skip_all, err(level = "debug"))]
async fn erase_user(
    a: AdminUser,
    State(s): State<AppState>,
    PathParams(id): PathParams<Uuid>,
) -> Result<Json<gdpr::Receipt>, ApiError> {
    Ok(Json(users::erase(&s, &a.ctx, id).await?))
}

#[tracing::instrument(skip_all, err(level = "debug"))]
async fn export_user(
    a: AdminUser,
    State(s): State<AppState>,
    PathParams(id): PathParams<Uuid>,
) -> Result<Response, ApiError> {
    let zip = gdpr::export(&s.pool, &a.ctx, id, audit::action::USER_EXPORTED).await?;
    Ok(download(zip, "application/zip", &format!("qoder-account-{id}.zip")))
}

#[tracing::instrument(skip_all, err(level = "debug"))]
async fn disable_user(
    a: AdminUser,
    State(s): State<AppState>,
    PathParams(id): PathParams<Uuid>,
    body: axum::body::Bytes,
) -> Result<Json<UserDetail>, ApiError> {
    // The body is optional: `{"reason": "…"}`.
    let reason = if body.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        serde_json::from_slice::<DisableRequest>(&body)
            .map_err(|e| ApiError::Validation(format!("invalid body: {e}")))?
            .reason
    };
    Ok(Json(users::set_disabled(&s, &a.ctx, id, true, reason).await?))
}

#[tracing::instrument(skip_all, err(level = "debug"))]
async fn enable_user(
    a: AdminUser,
    State(s): State<AppState>,
    PathParams(id): PathParams<Uuid>,
) -> Result<Json<UserDetail>, ApiError> {
    Ok(Json(users::set_disabled(&s, &a.ctx, id, false, None).await?))
}

#[tracing::instrument(skip_all, err(level = "debug"))]
async fn set_plan(
    a: AdminUser,
    State(s): State<AppState>,
    PathParams(id): PathParams<Uuid>,
    JsonBody(b): JsonBody<PlanOverride>,
) -> Result<Json<UserDetail>, ApiError> {
    Ok(Json(users::set_plan(&s, &a.ctx, id, b.plan_id).await?))
}

#[tracing::instrument(skip_all, err(level = "debug"))]
async fn audit_log(
    a: AdminUser,
    State(s): State<AppState>,
    QueryParams(f): QueryParams<audit::Filter>,
) -> Result<Response, ApiError> {
    match f.format.as_deref() {
        None => Ok(Json(audit::page(&s.pool, &f).await?).into_response()),
        Some(format) => {
            let format = audit::Format::parse(format)?;
            let bytes = audit::export(&s.pool, &a.ctx, &f, format).await?;
            Ok(match format {
                audit::Format::Json => download(bytes, "application/json", "audit.json"),
                audit::Format::Csv => download(bytes, "text/csv; charset=utf-8", "audit.csv"),
            })
        }
    }
}

#[tracing::instrument(skip_all, err(level = "debug"))]
async fn list_flags(_a: AdminUser, State(s): State<AppState>) -> Result<Json<FlagList>, ApiError> {
    Ok(Json(flags::list(&s).await?))
}

#[tracing::instrument(skip_all, err(level = "debug"))]
async fn set_flag(
    a: AdminUser,
    State(s): State<AppState>,
    PathParams(key): PathParams<String>,
    JsonBody(b): JsonBody<SetFlag>,
) -> Result<Json<FlagList>, ApiError> {
    Ok(Json(flags::set_default(&s, &a.ctx, &key, b.enabled).await?))
}

#[tracing::instrument(skip_all, err(level = "debug"))]
async fn set_plan_flag(
    a: AdminUser,
    State(s): State<AppState>,
    PathParams((key, plan)): PathParams<(String, String)>,
    JsonBody(b): JsonBody<SetFlag>,
) -> Result<Json<FlagList>, ApiError> {
    Ok(Json(flags::set_override(&s, &a.ctx, &key, Scope::Plan(plan), Some(b.enabled)).await?))
}

#[tracing::instrument(skip_all, err(level = "debug"))]
async fn drop_plan_flag(
    a: AdminUser,
    State(s): State<AppState>,
    PathParams((key, plan)): PathParams<(String, String)>,
) -> Result<Json<FlagList>, ApiError> {
    Ok(Json(flags::set_override(&s, &a.ctx, &key, Scope::Plan(plan), None).await?))
}

#[tracing::instrument(skip_all, err(level = "debug"))]
async fn set_user_flag(
    a: AdminUser,
    State(s): State<AppState>,
    PathParams((key, id)): PathParams<(String, Uuid)>,
    JsonBody(b): JsonBody<SetFlag>,
) -> Result<Json<FlagList>, ApiError> {
    Ok(Json(flags::set_override(&s, &a.ctx, &key, Scope::User(id), Some(b.enabled)).await?))
}

#[tracing::instrument(skip_all, err(level = "debug"))]
async fn drop_user_flag(
    a: AdminUser,
    State(s): State<AppState>,
    PathParams((key, id)): PathParams<(String, Uuid)>,
) -> Result<Json<FlagList>, ApiError> {
    Ok(Json(flags::set_override(&s, &a.ctx, &key, Scope::User(id), None).await?))
}

#[tracing::instrument(skip_all, err(level = "debug"))]
async fn list_providers(
    _a: AdminUser,
    State(s): State<AppState>,
) -> Result<Json<Providers>, ApiError> {
    Ok(Json(providers::list(&s).await?))
}

#[tracing::instrument(skip_all, err(level = "debug"))]
async fn set_providers(
    a: AdminUser,
    State(s): State<AppState>,
    JsonBody(b): JsonBody<SetProviders>,
) -> Result<Json<Providers>, ApiError> {
    Ok(Json(providers::set(&s, &a.ctx, &b).await?))
}

#[tracing::instrument(skip_all, err(level = "debug"))]
async fn list_retention(
    _a: AdminUser,
    State(s): State<AppState>,
) -> Result<Json<Policies>, ApiError> {
    Ok(Json(retention::list(&s).await?))
}

#[tracing::instrument(skip_all, err(level = "debug"))]
async fn set_retention(
    a: AdminUser,
    State(s): State<AppState>,
    PathParams(data_type): PathParams<String>,
    JsonBody(b): JsonBody<SetRetention>,
) -> Result<Json<Policies>, ApiError> {
    Ok(Json(retention::set(&s, &a.ctx, &data_type, b.retention_days).await?))
}

#[tracing::instrument(skip_all, err(level = "debug"))]
async fn run_retention(
    a: AdminUser,
    State(s): State<AppState>,
    JsonBody(b): JsonBody<RunRequest>,
) -> Result<Json<RunReport>, ApiError> {
    Ok(Json(retention::run(&s, &a.ctx, &b).await?))
}

#[tracing::instrument(skip_all, err(level = "debug"))]
async fn list_jobs(
    _a: AdminUser,
    State(s): State<AppState>,
    QueryParams(f): QueryParams<jobs::Filter>,
) -> Result<Json<jobs::Page>, ApiError> {
    Ok(Json(jobs::list(&s.pool, &f).await?))
}

#[tracing::instrument(skip_all, err(level = "debug"))]
async fn job_detail(
    _a: AdminUser,
    State(s): State<AppState>,
    PathParams(id): PathParams<i64>,
) -> Result<Json<jobs::JobDetail>, ApiError> {
    Ok(Json(jobs::detail(&s.pool, id).await?))
}

#[tracing::instrument(skip_all, err(level = "debug"))]
async fn replay_job(
    a: AdminUser,
    State(s): State<AppState>,
    PathParams(id): PathParams<i64>,
) -> Result<Json<jobs::JobDetail>, ApiError> {
    Ok(Json(jobs::replay(&s.pool, &a.ctx, id).await?))
}

#[tracing::instrument(skip_all, err(level = "debug"))]
async fn get_alerts(
    _a: AdminUser,
    State(s): State<AppState>,
) -> Result<Json<alerts::Alerts>, ApiError> {
    Ok(Json(alerts::overview(&s).await?))
}

/// Prometheus text format (version 0.0.4).
async fn metrics(_a: AdminUser, State(s): State<AppState>) -> Response {
    // The queue's gauges are left out when the database does not answer.
    let queue = telemetry::Queue::read(&s.pool).await.ok();
    (
        [(CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")],
        s.metrics.render(&s, queue.as_ref()),
    )
        .into_response()
}
