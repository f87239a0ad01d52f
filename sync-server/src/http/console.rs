//! GET /admin: the minimal admin console, a page and a script built into the binary (plain
//! DOM over the admin API; it signs in with an admin access token from `qoder-server admin
//! token <email>`). Served with a strict Content-Security-Policy: its own script only, and
//! requests to this server only.

use axum::Router;
use axum::http::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, X_FRAME_OPTIONS};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::AppState;

const PAGE: &str = include_str!("../../console/index.html");
const SCRIPT: &str = include_str!("../../console/console.js");
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; \
     connect-src 'self'; img-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

pub fn router() -> Router<AppState> {
    Router::new().route("/admin", get(page)).route("/admin/console.js", get(script))
}

fn serve(body: &'static str, content_type: &'static str) -> Response {
    (
        [
            (CONTENT_TYPE, content_type),
            (CONTENT_SECURITY_POLICY, CSP),
            (X_FRAME_OPTIONS, "DENY"),
            (CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}

async fn page() -> Response {
    serve(PAGE, "text/html; charset=utf-8")
}

async fn script() -> Response {
    serve(SCRIPT, "text/javascript; charset=utf-8")
}
