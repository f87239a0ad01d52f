//! GET /admin: the admin console, a Vite + React app (sync-server/console) built into the binary
//! by build.rs. `/admin` is its page; `/admin/assets/*` its scripts and styles, whose names carry
//! a hash of their content, so they are cached for good. It signs in with an admin access token
//! from `qoder-server admin token <email>` and talks to the admin API. Served with a strict
//! Content-Security-Policy: its own scripts and styles only, no inline code, requests to this
//! server only. Text files go gzipped to browsers that accept it (build.rs compresses them).

use axum::Router;
use axum::http::header::{
    ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_SECURITY_POLICY, CONTENT_TYPE, VARY,
    X_FRAME_OPTIONS,
};
use axum::http::{HeaderMap, StatusCode};
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

/// A built file: its bytes, and gzipped ones when build.rs found that worth it.
struct File {
    raw: &'static [u8],
    gzip: Option<&'static [u8]>,
}

fn file(path: &str) -> Option<File> {
    built::ASSETS.iter().find(|(p, ..)| *p == path).map(|&(_, raw, gzip)| File { raw, gzip })
}

/// Whether the request's Accept-Encoding takes gzip (listed, and not with `q=0`).
fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers.get_all(ACCEPT_ENCODING).iter().filter_map(|v| v.to_str().ok()).any(|v| {
        v.split(',').any(|coding| {
            let mut parts = coding.split(';').map(str::trim);
            let name = parts.next().unwrap_or_default();
            let refused = parts.any(|p| {
                p.strip_prefix("q=").and_then(|q| q.parse::<f32>().ok()).is_some_and(|q| q == 0.0)
            });
            (name.eq_ignore_ascii_case("gzip") || name == "*") && !refused
        })
    })
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

fn serve(path: &str, file: File, headers: &HeaderMap, cache: &'static str) -> Response {
    let common = [
        (CONTENT_TYPE, content_type(path)),
        (CONTENT_SECURITY_POLICY, CSP),
        (X_FRAME_OPTIONS, "DENY"),
        (CACHE_CONTROL, cache),
    ];
    match file.gzip {
        Some(gzip) if accepts_gzip(headers) => {
            (common, [(CONTENT_ENCODING, "gzip"), (VARY, "Accept-Encoding")], gzip).into_response()
        }
        Some(_) => (common, [(VARY, "Accept-Encoding")], file.raw).into_response(),
        None => (common, file.raw).into_response(),
    }
}

async fn page(headers: HeaderMap) -> Response {
    match file("index.html") {
        Some(f) => serve("index.html", f, &headers, "no-cache"),
        None => (StatusCode::NOT_FOUND, "the console is not built").into_response(),
    }
}

async fn asset(
    headers: HeaderMap,
    PathParams(name): PathParams<String>,
) -> Result<Response, ApiError> {
    let path = format!("assets/{name}");
    let f = file(&path).ok_or(ApiError::NotFound("no such console file"))?;
    Ok(serve(&path, f, &headers, "public, max-age=31536000, immutable"))
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    #[test]
    fn gzip_is_sent_only_where_accepted() {
        let with = |v: &'static str| {
            let mut h = HeaderMap::new();
            h.insert(ACCEPT_ENCODING, HeaderValue::from_static(v));
            accepts_gzip(&h)
        };
        assert!(!accepts_gzip(&HeaderMap::new()));
        assert!(with("gzip, deflate, br, zstd"));
        assert!(with("br;q=1.0, GZIP;q=0.5"));
        assert!(with("*"));
        assert!(!with("gzip;q=0"));
        assert!(!with("br, identity"));
        assert!(!with("x-gzip-ish"));
    }

    #[test]
    fn the_scripts_are_embedded_gzipped() {
        let (path, raw, gzip) = built::ASSETS
            .iter()
            .find(|(p, ..)| p.ends_with(".js"))
            .expect("the console has a script");
        let gzip = gzip.unwrap_or_else(|| panic!("{path} is not gzipped"));
        assert!(gzip.len() * 2 < raw.len(), "{path}: {} -> {}", raw.len(), gzip.len());
        assert_eq!(&gzip[..2], &[0x1f, 0x8b], "a gzip stream");
    }
}
