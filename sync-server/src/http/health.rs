//! GET /healthz (the process answers) and /readyz (the database answers too).

use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use qoder_domain::{ErrorBody, ErrorCode};
use serde_json::{Value, json};

use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/healthz", get(healthz)).route("/readyz", get(readyz))
}

async fn healthz() -> Json<Value> {
    Json(json!({"status": "ok"}))
}

async fn readyz(State(s): State<AppState>) -> Result<Json<Value>, (StatusCode, Json<ErrorBody>)> {
    let ping =
        tokio::time::timeout(Duration::from_secs(2), sqlx::query("SELECT 1").execute(&s.pool))
            .await;
    match ping {
        Ok(Ok(_)) => Ok(Json(json!({"status": "ready"}))),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "readiness: database error");
            Err(unavailable())
        }
        Err(_) => {
            tracing::warn!("readiness: database timed out");
            Err(unavailable())
        }
    }
}

fn unavailable() -> (StatusCode, Json<ErrorBody>) {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        Json(ErrorBody::new(ErrorCode::Upstream, "the database is not reachable")),
    )
}
