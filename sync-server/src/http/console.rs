//! GET /admin: the admin console, a Vite + React app (sync-server/console) built into the binary
//! by build.rs. `/admin` is its page; `/admin/assets/*` its scripts and styles, whose names carry
//! a hash of their content, so they are cached for good. It signs in with an admin access token
//! from `qoder-server admin token <email>` and talks to the admin API. Served with a strict
//! Content-Security-Policy: its own scripts and styles only, no inline code, requests to this
//! server only.

use axum::Router;
use axum::http::StatusCode;
use axum::http::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, X_FRAME_OPTIONS};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::AppState;
use crate::http::error::{ApiError, PathParams};

mod built {
    include!(concat!(env!("OUT_DIR"), "/console_assets.rs"));
}

pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     connect-src 'self'; img-src 'self' data:; font-src 'self'; form-action 'none'; \
     frame-ancestors 'none'; base-uri 'none'";

pub fn router() -> Router<AppState> {
    Router::new().route("/admin", get(page)).route("/admin/assets/{file}", get(asset))
}

fn file(path: &str) -> Option<&'static [u8]> {
    built::ASSETS.iter().find(|(p, _)| *p == path).map(|(_, bytes)| *bytes)
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    }
}

fn serve(path: &str, body: &'static [u8], cache: &'static str) -> Response {
    (
        [
            (CONTENT_TYPE, content_type(path)),
            (CONTENT_SECURITY_POLICY, CSP),
            (X_FRAME_OPTIONS, "DENY"),
            (CACHE_CONTROL, cache),
        ],
        body,
    )
        .into_response()
}

async fn page() -> Response {
    match file("index.html") {
        Some(body) => serve("index.html", body, "no-cache"),
        None => (StatusCode::NOT_FOUND, "the console is not built").into_response(),
    }
}

async fn asset(PathParams(name): PathParams<String>) -> Result<Response, ApiError> {
    let path = format!("assets/{name}");
    let body = file(&path).ok_or(ApiError::NotFound("no such console file"))?;
    Ok(serve(&path, body, "public, max-age=31536000, immutable"))
}
