//! GET /api/openapi.json: an OpenAPI 3.1 description of every endpoint, written out by hand
//! (the wire types live in qoder-sync and qoder-domain, which stay free of OpenAPI derives). A
//! test walks the router and fails if a route is missing here, or described but not routed.

use std::sync::OnceLock;

use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Map, Value, json};

use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/openapi.json", get(serve))
}

async fn serve() -> Json<Value> {
    static DOC: OnceLock<Value> = OnceLock::new();
    Json(DOC.get_or_init(document).clone())
}

fn schema(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

fn body(name: &str) -> Value {
    json!({"required": true, "content": {"application/json": {"schema": schema(name)}}})
}

fn ok(status: &str, description: &str, name: Option<&str>) -> (String, Value) {
    let mut r = json!({"description": description});
    if let Some(n) = name {
        r["content"] = json!({"application/json": {"schema": schema(n)}});
    }
    (status.to_string(), r)
}

fn error(status: &str, description: &str) -> (String, Value) {
    (
        status.to_string(),
        json!({"description": description,
               "content": {"application/json": {"schema": schema("ErrorBody")}}}),
    )
}

/// One operation. `auth`: whether it takes the bearer token.
struct Op {
    summary: &'static str,
    auth: bool,
    params: Vec<Value>,
    body: Option<&'static str>,
    responses: Vec<(String, Value)>,
}

impl Op {
    fn into_value(self, tag: &str) -> Value {
        let mut responses: Map<String, Value> = self.responses.into_iter().collect();
        if self.auth {
            let (s, v) = error("401", "missing, invalid or expired access token");
            responses.entry(s).or_insert(v);
            let (s, v) = error("429", "over `api_rate_limit` requests this minute (Retry-After)");
            responses.entry(s).or_insert(v);
        }
        if self.body.is_some() {
            for (s, v) in [
                error("400", "malformed JSON"),
                error("413", "body larger than `max_body_bytes` (`payload_too_large`)"),
                error("415", "not `application/json`"),
                error("422", "well-formed but breaks a rule (`validation`)"),
            ] {
                responses.entry(s).or_insert(v);
            }
        }
        let (s, v) = error("500", "internal error (details only in the server log)");
        responses.entry(s).or_insert(v);
        let mut op = json!({"tags": [tag], "summary": self.summary, "responses": responses});
        if self.auth {
            op["security"] = json!([{"bearer": []}]);
        }
        if !self.params.is_empty() {
            op["parameters"] = Value::Array(self.params);
        }
        if let Some(b) = self.body {
            op["requestBody"] = body(b);
        }
        op
    }
}

fn path(name: &str, schema: Value) -> Value {
    json!({"name": name, "in": "path", "required": true, "schema": schema})
}

/// An admin-only operation: 403 for a non-admin (or demoted) account is always among its
/// answers.
fn admin_op(
    summary: &'static str,
    params: Vec<Value>,
    body: Option<&'static str>,
    mut responses: Vec<(String, Value)>,
) -> Op {
    responses
        .push(error("403", "not an admin (checked in the database), or the account is disabled"));
    Op { summary, auth: true, params, body, responses }
}

/// The admin API added with the console (issue 17).
fn admin_operations() -> Vec<(&'static str, &'static str, &'static str, Op)> {
    let id = || path("id", uuid());
    let key = || path("key", json!({"type": "string", "pattern": "^[a-z0-9_.-]{1,64}$"}));
    let not_found = |what: &str| error("404", what);
    vec![
        (
            "get",
            "/api/admin/health",
            "admin",
            admin_op(
                "This process and its database: pool, size, slow statements running now, WebSockets, requests in flight, memory",
                vec![],
                None,
                vec![ok("200", "figures", Some("AdminHealth"))],
            ),
        ),
        (
            "get",
            "/api/admin/live",
            "admin",
            admin_op(
                "WebSocket of live figures (design \"System Events\"), text frames AdminLiveEvent: system-metrics every 2 s, provider-health-update on a change, load-forecast-updated when the forecast is made again, health-alert; the token may also be given as ?access_token=",
                vec![query(
                    "access_token",
                    false,
                    json!({"type": "string"}),
                    "for browsers, which cannot set headers on a WebSocket",
                )],
                None,
                vec![
                    ok(
                        "101",
                        "switching to the WebSocket protocol; then AdminLiveEvent messages",
                        Some("AdminLiveEvent"),
                    ),
                    error("400", "not a WebSocket upgrade"),
                    error("503", "at websocket_connection_limit (`rate_limited`, Retry-After)"),
                ],
            ),
        ),
        (
            "get",
            "/api/admin/activity",
            "admin",
            admin_op(
                "The service per UTC day (the console's overview chart): sign-ups, audit events, failed sign-ins, hosted-AI calls and cost; days without any are zeros",
                vec![days()],
                None,
                vec![ok("200", "the days, oldest first", Some("AdminActivity"))],
            ),
        ),
        (
            "get",
            "/api/admin/llm",
            "admin",
            admin_op(
                "Hosted-AI usage and cost (design 12.1): totals, per day, feature, provider and model; cache hit rate and savings; this month's spend, projection and budget",
                vec![days()],
                None,
                vec![ok("200", "the figures", Some("AdminLlmUsage"))],
            ),
        ),
        (
            "get",
            "/api/admin/users/{id}",
            "admin",
            admin_op(
                "One account: plan and where it comes from, usage, devices, last seen (no content, keys or hashes)",
                vec![id()],
                None,
                vec![
                    ok("200", "the account", Some("AdminUserDetail")),
                    not_found("no such account"),
                ],
            ),
        ),
        (
            "delete",
            "/api/admin/users/{id}",
            "admin",
            admin_op(
                "GDPR erasure of an account, with a receipt (also in the audit log); not of an admin or oneself",
                vec![id()],
                None,
                vec![
                    ok("200", "the receipt", Some("ErasureReceipt")),
                    not_found("no such account"),
                    error("409", "the account is an admin, or the caller's own"),
                ],
            ),
        ),
        (
            "get",
            "/api/admin/users/{id}/export",
            "admin",
            admin_op(
                "GDPR export of an account: a zip of readable JSON files, ciphertext marked as such (audited)",
                vec![id()],
                None,
                vec![ok("200", "application/zip", None), not_found("no such account")],
            ),
        ),
        (
            "post",
            "/api/admin/users/{id}/disable",
            "admin",
            admin_op(
                "Disable an account: its sign-ins are revoked and its tokens stop working at once. Optional body `{reason}`",
                vec![id()],
                None,
                vec![
                    ok("200", "the account", Some("AdminUserDetail")),
                    not_found("no such account"),
                    error("409", "the account is an admin, or the caller's own"),
                    error("422", "reason over 1000 characters, or not JSON"),
                ],
            ),
        ),
        (
            "post",
            "/api/admin/users/{id}/enable",
            "admin",
            admin_op(
                "Enable a disabled account",
                vec![id()],
                None,
                vec![
                    ok("200", "the account", Some("AdminUserDetail")),
                    not_found("no such account"),
                    error("409", "the account is an admin, or the caller's own"),
                ],
            ),
        ),
        (
            "put",
            "/api/admin/users/{id}/plan",
            "admin",
            admin_op(
                "Set the account's plan regardless of Stripe (`plan_id`), or drop the override (null)",
                vec![id()],
                Some("PlanOverride"),
                vec![
                    ok("200", "the account", Some("AdminUserDetail")),
                    not_found("no such account"),
                ],
            ),
        ),
        (
            "get",
            "/api/admin/audit",
            "admin",
            admin_op(
                "The audit log, newest first, filtered and paged; `format=json|csv` downloads the whole selection (at most 100,000 rows; audited)",
                vec![
                    query("actor", false, uuid(), "the acting account"),
                    query("action", false, string(), "exact, or a prefix ending in `*` (`auth.*`)"),
                    query("target", false, string(), "e.g. `user:<id>`, `flag:<key>`"),
                    query("from", false, time(), "at or after"),
                    query("to", false, time(), "before"),
                    query("before", false, int(), "the `next` of the previous page"),
                    query(
                        "limit",
                        false,
                        json!({"type": "integer", "minimum": 1, "maximum": 500, "default": 100}),
                        "page size",
                    ),
                    query(
                        "format",
                        false,
                        json!({"enum": ["json", "csv"]}),
                        "download instead of a page",
                    ),
                ],
                None,
                vec![
                    ok("200", "a page (or the file)", Some("AuditPage")),
                    error("422", "bad filter"),
                ],
            ),
        ),
        (
            "get",
            "/api/admin/flags",
            "admin",
            admin_op(
                "Every feature flag with its default and its per-plan and per-user overrides",
                vec![],
                None,
                vec![ok("200", "the flags", Some("AdminFlags"))],
            ),
        ),
        (
            "put",
            "/api/admin/flags/{key}",
            "admin",
            admin_op(
                "Toggle a flag's default (audited; every process drops its cached flags)",
                vec![key()],
                Some("SetFlag"),
                vec![ok("200", "the flags", Some("AdminFlags")), not_found("no such flag")],
            ),
        ),
        (
            "put",
            "/api/admin/flags/{key}/plans/{plan}",
            "admin",
            admin_op(
                "Set a flag for every account on a plan",
                vec![key(), path("plan", string())],
                Some("SetFlag"),
                vec![ok("200", "the flags", Some("AdminFlags")), not_found("no such flag or plan")],
            ),
        ),
        (
            "delete",
            "/api/admin/flags/{key}/plans/{plan}",
            "admin",
            admin_op(
                "Drop a flag's override for a plan",
                vec![key(), path("plan", string())],
                None,
                vec![ok("200", "the flags", Some("AdminFlags")), not_found("no such flag or plan")],
            ),
        ),
        (
            "put",
            "/api/admin/flags/{key}/users/{id}",
            "admin",
            admin_op(
                "Set a flag for one account (wins over its plan's)",
                vec![key(), id()],
                Some("SetFlag"),
                vec![
                    ok("200", "the flags", Some("AdminFlags")),
                    not_found("no such flag or account"),
                ],
            ),
        ),
        (
            "delete",
            "/api/admin/flags/{key}/users/{id}",
            "admin",
            admin_op(
                "Drop a flag's override for one account",
                vec![key(), id()],
                None,
                vec![
                    ok("200", "the flags", Some("AdminFlags")),
                    not_found("no such flag or account"),
                ],
            ),
        ),
        (
            "get",
            "/api/admin/providers",
            "admin",
            admin_op(
                "The hosted AI's providers in failover order: kind, model, base URL host (never a key), enabled, and their last 24 hours (calls, error rate, p50/p95 latency, cost, last error)",
                vec![],
                None,
                vec![ok("200", "the providers", Some("AdminProviders"))],
            ),
        ),
        (
            "put",
            "/api/admin/providers",
            "admin",
            admin_op(
                "Set the failover order (the list's order) and which providers calls use; every configured provider exactly once; audited; in force at once in this process and from their next call in the others (told over PostgreSQL NOTIFY; within `reload_seconds` if a notice is lost)",
                vec![],
                Some("SetProviders"),
                vec![
                    ok("200", "the providers", Some("AdminProviders")),
                    error("422", "not the configured providers, or no hosted AI on this server"),
                ],
            ),
        ),
        (
            "get",
            "/api/admin/retention",
            "admin",
            admin_op(
                "Retention policies per data type, with the latest execution",
                vec![],
                None,
                vec![ok("200", "the policies", Some("RetentionPolicies"))],
            ),
        ),
        (
            "put",
            "/api/admin/retention/{data_type}",
            "admin",
            admin_op(
                "Change a policy's days (audit_log: at least 2,555)",
                vec![path(
                    "data_type",
                    json!({"enum": ["audit_log", "ai_calls", "ai_daily_spend", "usage_counters", "stripe_events"]}),
                )],
                Some("SetRetention"),
                vec![
                    ok("200", "the policies", Some("RetentionPolicies")),
                    not_found("no such data type"),
                ],
            ),
        ),
        (
            "post",
            "/api/admin/retention/run",
            "admin",
            admin_op(
                "Run one policy (`data_type`) or all: a dry run counts, an execution deletes; both audited",
                vec![],
                Some("RetentionRun"),
                vec![
                    ok("200", "the report", Some("RetentionReport")),
                    not_found("no such data type"),
                ],
            ),
        ),
        (
            "get",
            "/metrics",
            "admin",
            admin_op(
                "Prometheus text format: requests by method, route and status, latency histograms, WebSockets, the database pool",
                vec![],
                None,
                vec![ok("200", "text/plain; version=0.0.4", None)],
            ),
        ),
        (
            "get",
            "/admin",
            "console",
            Op {
                summary: "The admin console (HTML; signs in with an admin access token from `qoder-server admin token <email>`)",
                auth: false,
                params: vec![],
                body: None,
                responses: vec![ok("200", "text/html", None)],
            },
        ),
        (
            "get",
            "/admin/assets/{file}",
            "console",
            Op {
                summary: "The admin console's scripts and styles (content-hashed names, cached immutable)",
                auth: false,
                params: vec![path("file", string())],
                body: None,
                responses: vec![
                    ok("200", "text/javascript or text/css", None),
                    not_found("no such file"),
                ],
            },
        ),
        (
            "get",
            "/api/account/export",
            "account",
            Op {
                summary: "GDPR export of the caller's account: a zip of readable JSON, ciphertext marked as such (audited)",
                auth: true,
                params: vec![],
                body: None,
                responses: vec![ok("200", "application/zip", None)],
            },
        ),
        (
            "delete",
            "/api/account",
            "account",
            Op {
                summary: "Erase the caller's account (the login secret again); answers the erasure receipt",
                auth: true,
                params: vec![],
                body: Some("DeleteAccountRequest"),
                responses: vec![
                    ok("200", "the receipt", Some("ErasureReceipt")),
                    error("401", "wrong secret"),
                    error("429", "the email is locked after failed attempts (Retry-After)"),
                ],
            },
        ),
    ]
}

/// `?days=` of the admin series.
fn days() -> Value {
    query(
        "days",
        false,
        json!({"type": "integer", "minimum": 1, "maximum": 366, "default": 30}),
        "how many UTC days, ending today",
    )
}

fn query(name: &str, required: bool, schema: Value, description: &str) -> Value {
    json!({"name": name, "in": "query", "required": required, "schema": schema,
           "description": description})
}

/// (method, path, tag, operation) of every endpoint.
fn operations() -> Vec<(&'static str, &'static str, &'static str, Op)> {
    let none = Vec::new;
    vec![
        (
            "get",
            "/healthz",
            "health",
            Op {
                summary: "The process answers",
                auth: false,
                params: none(),
                body: None,
                responses: vec![ok("200", "`{\"status\":\"ok\"}`", None)],
            },
        ),
        (
            "get",
            "/readyz",
            "health",
            Op {
                summary: "The database answers too",
                auth: false,
                params: none(),
                body: None,
                responses: vec![
                    ok("200", "`{\"status\":\"ready\"}`", None),
                    error("503", "the database is not reachable (`upstream`)"),
                ],
            },
        ),
        (
            "get",
            "/api/openapi.json",
            "health",
            Op {
                summary: "This document",
                auth: false,
                params: none(),
                body: None,
                responses: vec![ok("200", "OpenAPI 3.1 JSON", None)],
            },
        ),
        (
            "post",
            "/api/auth/register",
            "auth",
            Op {
                summary: "Create an account and sign this device in",
                auth: false,
                params: none(),
                body: Some("Credentials"),
                responses: vec![
                    ok("201", "signed in", Some("TokenPair")),
                    error("403", "the device id belongs to another account"),
                    error("409", "the email is taken"),
                ],
            },
        ),
        (
            "post",
            "/api/auth/login",
            "auth",
            Op {
                summary: "Sign a device in (same answer for unknown email and wrong secret)",
                auth: false,
                params: none(),
                body: Some("Credentials"),
                responses: vec![
                    ok("200", "signed in", Some("TokenPair")),
                    error("401", "wrong email or secret"),
                    error("403", "the device id belongs to another account"),
                    error(
                        "429",
                        "the email or the client IP is locked after failed logins (Retry-After)",
                    ),
                ],
            },
        ),
        (
            "post",
            "/api/auth/refresh",
            "auth",
            Op {
                summary: "Exchange a refresh token for a new pair (rotation; reuse revokes the family)",
                auth: false,
                params: none(),
                body: Some("RefreshRequest"),
                responses: vec![
                    ok("200", "a new pair", Some("TokenPair")),
                    error("401", "unknown, expired, spent or revoked refresh token"),
                ],
            },
        ),
        (
            "delete",
            "/api/auth/logout",
            "auth",
            Op {
                summary: "Revoke this device's refresh tokens",
                auth: true,
                params: none(),
                body: None,
                responses: vec![ok("204", "signed out", None)],
            },
        ),
        (
            "delete",
            "/api/auth/account",
            "auth",
            Op {
                summary: "Delete the account and everything stored with it",
                auth: true,
                params: none(),
                body: Some("DeleteAccountRequest"),
                responses: vec![ok("204", "deleted", None)],
            },
        ),
        (
            "post",
            "/api/auth/password",
            "auth",
            Op {
                summary: "Change the password: new login secret and re-wrapped key in one transaction; every other sign-in revoked",
                auth: true,
                params: none(),
                body: Some("PasswordChange"),
                responses: vec![
                    ok("200", "a new pair for this device", Some("TokenPair")),
                    error("403", "the old secret is wrong"),
                    error("409", "the password changed meanwhile"),
                ],
            },
        ),
        (
            "get",
            "/api/keys",
            "keys",
            Op {
                summary: "The data key wrapped under the password",
                auth: true,
                params: none(),
                body: None,
                responses: vec![
                    ok("200", "the blob", Some("KeyBlob")),
                    error("404", "none stored"),
                ],
            },
        ),
        (
            "put",
            "/api/keys",
            "keys",
            Op {
                summary: "Store the data key wrapped under the password",
                auth: true,
                params: none(),
                body: Some("KeyBlob"),
                responses: vec![ok("204", "stored", None)],
            },
        ),
        (
            "get",
            "/api/keys/recovery",
            "keys",
            Op {
                summary: "The data key wrapped under the recovery code",
                auth: true,
                params: none(),
                body: None,
                responses: vec![
                    ok("200", "the blob", Some("KeyBlob")),
                    error("404", "none stored"),
                ],
            },
        ),
        (
            "put",
            "/api/keys/recovery",
            "keys",
            Op {
                summary: "Store the data key wrapped under a (new) recovery code",
                auth: true,
                params: none(),
                body: Some("KeyBlob"),
                responses: vec![ok("204", "stored", None)],
            },
        ),
        (
            "get",
            "/api/sync/status",
            "sync",
            Op {
                summary: "The highest index of every log of the account",
                auth: true,
                params: none(),
                body: None,
                responses: vec![
                    ok("200", "log heads", Some("StatusResponse")),
                    error("403", "the `sync` feature flag is off for this account"),
                ],
            },
        ),
        (
            "post",
            "/api/sync/records",
            "sync",
            Op {
                summary: "Push records of this device's logs (atomic, idempotent)",
                auth: true,
                params: none(),
                body: Some("PushRequest"),
                responses: vec![
                    ok("200", "what was stored", Some("PushResponse")),
                    error("403", "a record of another device's log, or the `sync` flag is off"),
                    error("409", "a different record holds a pushed place or id; nothing stored"),
                ],
            },
        ),
        (
            "get",
            "/api/sync/records",
            "sync",
            Op {
                summary: "One page of a log's records after an index",
                auth: true,
                params: vec![
                    query(
                        "device",
                        true,
                        json!({"type": "string", "format": "uuid"}),
                        "the log's device",
                    ),
                    query(
                        "collection",
                        true,
                        json!({"type": "string", "pattern": "^[a-z0-9_-]{1,64}$"}),
                        "the log's collection",
                    ),
                    query(
                        "after",
                        false,
                        json!({"type": "integer", "default": -1}),
                        "records with a greater index",
                    ),
                    query(
                        "limit",
                        false,
                        json!({"type": "integer", "minimum": 1, "maximum": 1000, "default": 100}),
                        "page size",
                    ),
                ],
                body: None,
                responses: vec![
                    ok("200", "a page", Some("PullResponse")),
                    error("403", "the `sync` feature flag is off for this account"),
                    error("422", "bad query"),
                ],
            },
        ),
        (
            "get",
            "/api/ws",
            "sync",
            Op {
                summary: "WebSocket of real-time notices (text frames: Notice); the token may also be given as ?access_token=",
                auth: true,
                params: vec![query(
                    "access_token",
                    false,
                    json!({"type": "string"}),
                    "for clients that cannot set headers",
                )],
                body: None,
                responses: vec![
                    ok(
                        "101",
                        "switching to the WebSocket protocol; then Notice messages",
                        Some("Notice"),
                    ),
                    error("400", "not a WebSocket upgrade"),
                    error("403", "the `sync` feature flag is off for this account"),
                    error(
                        "503",
                        "at websocket_connection_limit or notices unavailable (`rate_limited`, Retry-After)",
                    ),
                ],
            },
        ),
        (
            "get",
            "/api/admin/stats",
            "admin",
            Op {
                summary: "Totals over every account (admins only)",
                auth: true,
                params: none(),
                body: None,
                responses: vec![
                    ok("200", "totals", Some("AdminStats")),
                    error("403", "not an admin (checked in the database)"),
                ],
            },
        ),
        (
            "get",
            "/api/admin/users",
            "admin",
            Op {
                summary: "Search accounts: in id order, keyset-paged, filtered by email, plan and state (admins only; no content or keys)",
                auth: true,
                params: vec![
                    query(
                        "after",
                        false,
                        json!({"type": "string", "format": "uuid"}),
                        "the `next` of the previous page",
                    ),
                    query("email", false, string(), "a part of the email, any case"),
                    query("plan", false, string(), "the plan in force (`free`, `pro_monthly`, …)"),
                    query(
                        "disabled",
                        false,
                        json!({"type": "boolean"}),
                        "disabled accounts only, or enabled only",
                    ),
                    query(
                        "limit",
                        false,
                        json!({"type": "integer", "minimum": 1, "maximum": 500, "default": 100}),
                        "page size",
                    ),
                ],
                body: None,
                responses: vec![
                    ok("200", "a page", Some("AdminUsersPage")),
                    error("403", "not an admin (checked in the database)"),
                    error("422", "bad query"),
                ],
            },
        ),
        (
            "get",
            "/api/billing/plans",
            "billing",
            Op {
                summary: "Every plan: id, name, price in cents, currency, interval and months, limits (public)",
                auth: false,
                params: none(),
                body: None,
                responses: vec![ok("200", "the plans", Some("PlansResponse"))],
            },
        ),
        (
            "post",
            "/api/billing/checkout",
            "billing",
            Op {
                summary: "A Stripe Checkout page for a plan, with an optional coupon (one use is taken; an expired session gives it back)",
                auth: true,
                params: none(),
                body: Some("CheckoutRequest"),
                responses: vec![
                    ok("200", "the page to open", Some("RedirectUrl")),
                    error("409", "a paid plan is already in force (use the portal)"),
                    error(
                        "422",
                        "unknown or free plan; the coupon is unknown, used up, expired, inactive, below its minimum order or already used by this account",
                    ),
                    error("502", "Stripe failed (`upstream`)"),
                    error("503", "billing is not configured on this server"),
                ],
            },
        ),
        (
            "post",
            "/api/billing/portal",
            "billing",
            Op {
                summary: "A Stripe customer portal page (cancel, switch plan with proration, card, invoices)",
                auth: true,
                params: none(),
                body: None,
                responses: vec![
                    ok("200", "the page to open", Some("RedirectUrl")),
                    error("404", "no billing account yet (upgrade first)"),
                    error("502", "Stripe failed (`upstream`)"),
                    error("503", "billing is not configured on this server"),
                ],
            },
        ),
        (
            "get",
            "/api/billing/subscription",
            "billing",
            Op {
                summary: "The plan in force and its Stripe subscription (status `free` without one)",
                auth: true,
                params: none(),
                body: None,
                responses: vec![ok("200", "the subscription", Some("SubscriptionView"))],
            },
        ),
        (
            "get",
            "/api/billing/usage",
            "billing",
            Op {
                summary: "Each limit of the plan in force: used, limit, period, when it resets",
                auth: true,
                params: none(),
                body: None,
                responses: vec![ok("200", "usage", Some("UsageResponse"))],
            },
        ),
        (
            "get",
            "/api/billing/invoices",
            "billing",
            Op {
                summary: "The account's Stripe invoices with their hosted pages, newest first",
                auth: true,
                params: none(),
                body: None,
                responses: vec![
                    ok("200", "invoices", Some("InvoicesResponse")),
                    error("502", "Stripe failed (`upstream`)"),
                ],
            },
        ),
        (
            "post",
            "/api/billing/webhook",
            "billing",
            Op {
                summary: "Stripe's webhook: `Stripe-Signature: t=…,v1=HMAC-SHA256(secret, \"t.body\")`, 300 s tolerance; each event id applies once; the subscription is re-read from Stripe; unknown events are acknowledged",
                auth: false,
                params: none(),
                body: Some("StripeEvent"),
                responses: vec![
                    ok("200", "`{received: true, outcome: applied|replay|ignored}`", None),
                    error("400", "no, malformed, stale or wrong signature; not an event"),
                    error("502", "Stripe could not be read (Stripe retries the event)"),
                    error("503", "billing is not configured on this server"),
                ],
            },
        ),
        (
            "get",
            "/api/flags",
            "billing",
            Op {
                summary: "Every feature flag as it applies to the caller (user override, else plan override, else default)",
                auth: true,
                params: none(),
                body: None,
                responses: vec![ok("200", "flags", Some("FlagsResponse"))],
            },
        ),
        (
            "post",
            "/api/admin/coupons",
            "admin",
            Op {
                summary: "Create a coupon, mirrored to a Stripe coupon and promotion code (admins only)",
                auth: true,
                params: none(),
                body: Some("NewCoupon"),
                responses: vec![
                    ok("201", "`{code}`", None),
                    error("403", "not an admin (checked in the database)"),
                    error("409", "the code exists"),
                    error("502", "Stripe failed (`upstream`)"),
                    error("503", "billing is not configured on this server"),
                ],
            },
        ),
        (
            "post",
            "/v1/ai/complete",
            "ai",
            Op {
                summary: "The hosted AI (the contract of qoder-llm's `hosted` provider). Features: `review` counts a resume analysis; `rewrite` a JD matching; `generate_points` a JD matching and a bullet-point generation. With `stream: true` the answer is server-sent events: `event: delta` `{text}`, then `event: done` `{model, usage, cost_usd}`. The server sees the prompt's text for the call only; it stores none of it",
                auth: true,
                params: none(),
                body: Some("AiCompleteRequest"),
                responses: vec![
                    ok(
                        "200",
                        "the answer (or text/event-stream when `stream`)",
                        Some("AiCompleteResponse"),
                    ),
                    (
                        "402".to_string(),
                        json!({"description": "a plan limit or the daily allowance is used up",
                               "content": {"application/json": {"schema": schema("LimitReached")}}}),
                    ),
                    error("403", "the `hosted_ai` flag is off for this account"),
                    error(
                        "422",
                        "unknown feature or tier, max_output_tokens or temperature out of range, empty or oversized prompt",
                    ),
                    error("429", "the providers are rate limiting (Retry-After)"),
                    error("502", "every provider failed (`upstream`)"),
                    error("503", "not configured, or today's global budget is spent"),
                ],
            },
        ),
        (
            "get",
            "/billing/done",
            "billing",
            Op {
                summary: "The page Stripe sends the browser to after Checkout or the portal",
                auth: false,
                params: none(),
                body: None,
                responses: vec![ok("200", "HTML", None)],
            },
        ),
        (
            "get",
            "/billing/canceled",
            "billing",
            Op {
                summary: "The page Stripe sends the browser to when Checkout is abandoned",
                auth: false,
                params: none(),
                body: None,
                responses: vec![ok("200", "HTML", None)],
            },
        ),
    ]
}

fn uuid() -> Value {
    json!({"type": "string", "format": "uuid"})
}

fn int() -> Value {
    json!({"type": "integer", "format": "int64"})
}

fn string() -> Value {
    json!({"type": "string"})
}

fn base64() -> Value {
    json!({"type": "string", "contentEncoding": "base64"})
}

fn time() -> Value {
    json!({"type": "string", "format": "date-time"})
}

fn object(fields: &[(&str, Value)], optional: &[&str]) -> Value {
    let properties: Map<String, Value> =
        fields.iter().map(|(k, v)| ((*k).to_string(), v.clone())).collect();
    let required: Vec<&str> =
        fields.iter().map(|(k, _)| *k).filter(|k| !optional.contains(k)).collect();
    json!({"type": "object", "properties": properties, "required": required})
}

fn schemas() -> Value {
    let secret = json!({"type": "string", "minLength": 32, "maxLength": 256,
        "description": "login secret: argon2id(password, \"qoder-login-v1:\" + email), hex; never the password"});
    json!({
        "ErrorCode": {"type": "string", "enum": [
            "unauthorized", "forbidden", "not_found", "conflict", "validation",
            "payload_too_large", "rate_limited", "upstream", "budget_exceeded", "limit_reached", "internal"]},
        "ErrorBody": object(&[("code", schema("ErrorCode")), ("message", string())], &[]),
        "Credentials": object(&[("email", string()), ("secret", secret.clone()), ("device_id", uuid())], &[]),
        "TokenPair": object(&[("user_id", uuid()), ("access_token", string()),
            ("expires_in", json!({"type": "integer", "description": "seconds"})),
            ("refresh_token", string())], &[]),
        "RefreshRequest": object(&[("refresh_token", string())], &[]),
        "DeleteAccountRequest": object(&[("secret", secret.clone())], &[]),
        "PasswordChange": object(&[("old_secret", secret.clone()), ("new_secret", secret),
            ("key_blob", base64())], &[]),
        "KeyBlob": object(&[("blob", base64())], &[]),
        "Record": object(&[("id", uuid()), ("device_id", uuid()), ("collection", string()),
            ("idx", int()), ("ts", int()), ("ciphertext", base64())], &[]),
        "PushRequest": object(&[("records", json!({"type": "array", "maxItems": 1000, "items": schema("Record")}))], &[]),
        "PushResponse": object(&[("inserted", int()), ("already_present", int())], &[]),
        "LogHead": object(&[("device_id", uuid()), ("collection", string()), ("max_idx", int())], &[]),
        "StatusResponse": object(&[("logs", json!({"type": "array", "items": schema("LogHead")}))], &[]),
        "PullResponse": object(&[("records", json!({"type": "array", "items": schema("Record")})),
            ("more", json!({"type": "boolean"}))], &[]),
        "Notice": object(&[("type", json!({"const": "pushed"})), ("device_id", uuid()),
            ("collection", string()), ("max_idx", int())], &[]),
        "AdminStats": object(&[("users", int()), ("admins", int()), ("devices", int()),
            ("records", int()), ("ciphertext_bytes", int())], &[]),
        "AdminUserRow": object(&[("id", uuid()), ("email", string()), ("role", json!({"enum": ["user", "admin"]})),
            ("created_at", time()), ("devices", int()), ("records", int()),
            ("ciphertext_bytes", int()), ("last_push", json!({"type": ["string", "null"], "format": "date-time"})),
            ("plan", string()), ("disabled_at", json!({"type": ["string", "null"], "format": "date-time"})),
            ("last_seen", json!({"type": ["string", "null"], "format": "date-time"}))], &[]),
        "AdminUsersPage": object(&[("users", json!({"type": "array", "items": schema("AdminUserRow")})),
            ("next", json!({"type": ["string", "null"], "format": "uuid"}))], &[]),
        "PlanLimits": object(&[("period", json!({"enum": ["day", "month"]})),
            ("resume_analysis", json!({"type": ["integer", "null"]})),
            ("jd_matching", json!({"type": ["integer", "null"]})),
            ("points_per_request", int()), ("points_daily", int())], &[]),
        "Plan": object(&[("id", string()), ("name", string()), ("price_cents", int()),
            ("currency", string()), ("interval", json!({"enum": ["month", "year"]})),
            ("interval_count", int()), ("discount_percent", int()), ("limits", schema("PlanLimits")),
            ("purchasable", json!({"type": "boolean"}))], &[]),
        "PlansResponse": object(&[("plans", json!({"type": "array", "items": schema("Plan")}))], &[]),
        "CheckoutRequest": object(&[("plan_id", string()), ("coupon", string())], &["coupon"]),
        "RedirectUrl": object(&[("url", json!({"type": "string", "format": "uri"}))], &[]),
        "SubscriptionView": object(&[("plan", schema("Plan")), ("status", string()),
            ("current_period_end", json!({"type": ["string", "null"], "format": "date-time"})),
            ("cancel_at_period_end", json!({"type": "boolean"})),
            ("stripe_subscription_id", json!({"type": ["string", "null"]}))], &[]),
        "UsageItem": object(&[("feature", json!({"enum": ["resume_analysis", "jd_matching", "bullet_points"]})),
            ("used", int()), ("limit", json!({"type": ["integer", "null"]})),
            ("period", json!({"enum": ["day", "month"]})), ("resets_at", time())], &[]),
        "UsageResponse": object(&[("plan_id", string()),
            ("items", json!({"type": "array", "items": schema("UsageItem")}))], &[]),
        "Invoice": object(&[("id", string()), ("number", json!({"type": ["string", "null"]})),
            ("status", json!({"type": ["string", "null"]})), ("amount_due", int()), ("amount_paid", int()),
            ("currency", string()), ("created", time()),
            ("hosted_invoice_url", json!({"type": ["string", "null"]})),
            ("invoice_pdf", json!({"type": ["string", "null"]}))], &[]),
        "InvoicesResponse": object(&[("invoices", json!({"type": "array", "items": schema("Invoice")}))], &[]),
        "StripeEvent": object(&[("id", string()), ("type", string()),
            ("data", json!({"type": "object", "properties": {"object": {"type": "object"}}}))], &[]),
        "FlagsResponse": object(&[("flags", json!({"type": "object", "additionalProperties": {"type": "boolean"}}))], &[]),
        "NewCoupon": object(&[("code", string()), ("kind", json!({"enum": ["percentage", "fixed_amount"]})),
            ("value", int()), ("min_order_cents", int()), ("max_uses", int()),
            ("valid_from", time()), ("valid_to", time())],
            &["min_order_cents", "max_uses", "valid_from", "valid_to"]),
        "LimitReached": object(&[("code", json!({"const": "limit_reached"})), ("message", string()),
            ("feature", string()), ("limit", int()), ("used", int()), ("resets_at", time()),
            ("upgrade_url", string())], &[]),
        "AiCompleteRequest": object(&[("feature", json!({"enum": ["review", "generate_points", "rewrite"]})),
            ("tier_model", json!({"enum": ["basic", "standard", "premium"]})),
            ("system", string()), ("prompt", string()),
            ("max_output_tokens", json!({"type": "integer", "minimum": 1})),
            ("temperature", json!({"type": "number", "minimum": 0, "maximum": 2})),
            ("json", json!({"type": "boolean"})), ("stream", json!({"type": "boolean"}))], &["json", "stream"]),
        "AiCompleteResponse": object(&[("text", string()), ("model", string()),
            ("usage", object(&[("input_tokens", int()), ("output_tokens", int())], &[])),
            ("cost_usd", json!({"type": "number"}))], &[]),
    })
}

/// The schemas of the admin API added with the console (issue 17).
fn admin_schemas() -> Value {
    let figures = object(
        &[
            ("key", string()),
            ("calls", int()),
            ("errors", int()),
            ("cache_hits", int()),
            ("tokens_in", int()),
            ("tokens_out", int()),
            ("cost_usd", json!({"type": "number"})),
            ("avg_latency_ms", json!({"type": "number"})),
        ],
        &[],
    );
    let list = json!({"type": "array", "items": figures});
    json!({
        "AdminActivity": object(&[("days", json!({"type": "array", "items": object(&[
            ("day", json!({"type": "string", "format": "date"})), ("signups", int()),
            ("audit_events", int()), ("failed_logins", int()), ("ai_calls", int()),
            ("ai_cost_usd", json!({"type": "number"}))], &[])}))], &[]),
        "AdminLlmUsage": object(&[("days", int()), ("total", figures),
            ("cache_hit_rate", json!({"type": "number"})), ("cache_savings_usd", json!({"type": "number"})),
            ("by_day", list.clone()), ("by_feature", list.clone()), ("by_provider", list.clone()),
            ("by_model", list),
            ("month", object(&[("spent_usd", json!({"type": "number"})), ("projected_usd", json!({"type": "number"})),
                ("budget_usd", json!({"type": "number"})), ("days_elapsed", int()), ("days_in_month", int())], &[])),
            ("daily_budget_usd", json!({"type": "number"}))], &[]),
        "AdminHealth": object(&[("status", json!({"enum": ["ok", "degraded"]})), ("version", string()),
            ("uptime_secs", int()),
            ("database", object(&[("ok", json!({"type": "boolean"})), ("ping_ms", json!({"type": ["number", "null"]})),
                ("pool_connections", int()), ("pool_idle", int()), ("pool_max", int()),
                ("size_bytes", json!({"type": ["integer", "null"]})),
                ("slow_queries", json!({"type": "array", "description": "statements running for 1 s or longer now, slowest first (at most 20)",
                    "items": object(&[("pid", int()), ("running_ms", json!({"type": "number"})), ("state", string()),
                        ("wait_event_type", json!({"type": ["string", "null"]})), ("application_name", string()),
                        ("query", json!({"type": "string", "description": "the first 300 characters, with $n placeholders"}))], &[])}))], &[])),
            ("websocket_connections", int()), ("requests_in_flight", int()),
            ("requests_last_5_minutes", json!({"oneOf": [{"type": "null"}, schema("AdminTraffic")],
                "description": "every server process: requests, 5xx share and p95 latency of the last five minutes"})),
            ("memory_rss_bytes", json!({"type": ["integer", "null"]})),
            ("jobs", json!({"oneOf": [schema("JobDepth"), {"type": "null"}]})),
            ("alerts_firing", json!({"type": ["integer", "null"]}))], &[]),
    "AdminLiveEvent": {
            "oneOf": [
                object(&[("type", json!({"const": "system-metrics"})), ("at", time()),
                    ("cpu", json!({"type": ["number", "null"], "description": "percent of one core, this process"})),
                    ("memory", json!({"type": ["integer", "null"]})), ("connections", int()),
                    ("requests_in_flight", int()),
                    ("requests_per_minute", json!({"type": ["number", "null"], "description": "every process, the previous minute and this one so far"})),
                    ("last_5_minutes", json!({"oneOf": [{"type": "null"}, schema("AdminTraffic")]})),
                    ("minutes", json!({"type": "array", "description": "every process, each of the last 30 minutes, oldest first",
                        "items": object(&[("minute", time()), ("requests", int()), ("errors", int()),
                            ("p95_ms", json!({"type": ["number", "null"]}))], &[])})),
                    ("db_ok", json!({"type": "boolean"})), ("db_ping_ms", json!({"type": ["number", "null"]}))], &[]),
                object(&[("type", json!({"const": "provider-health-update"})), ("providerId", string()),
                    ("status", json!({"enum": ["disabled", "idle", "healthy", "degraded", "failing"]})),
                    ("error_rate", json!({"type": "number"}))], &[]),
                object(&[("type", json!({"const": "load-forecast-updated"})),
                    ("prediction", object(&[("series", json!({"const": "requests"})), ("method", string()),
                        ("metric", json!({"type": ["string", "null"], "enum": ["mape", "wape", null]})),
                        ("error", json!({"type": ["number", "null"], "description": "the backtest's error, percent"})),
                        ("hours", json!({"type": "array", "description": "the next 24 hours, from the current one",
                            "items": object(&[("hour", time()), ("value", json!({"type": "number"})),
                                ("lower", json!({"type": "number"})), ("upper", json!({"type": "number"}))], &[])})),
                        ("generated_at", time())], &[])),
                    ("accuracy", json!({"type": ["number", "null"], "description": "100 minus the backtest error, percent"}))], &[]),
                object(&[("type", json!({"const": "health-alert"})),
                    ("level", json!({"enum": ["info", "warning", "critical"]})), ("message", string()),
                    ("rule", json!({"type": "string", "description": "the alert rule it is about (fired: its severity; resolved: info); absent for the database's own"}))], &["rule"]),
            ]
        },
        "AdminTraffic": object(&[("requests", int()), ("error_rate", json!({"type": "number"})),
            ("p95_ms", json!({"type": ["number", "null"]}))], &[]),
        "AdminUserDetail": object(&[("id", uuid()), ("email", string()), ("role", json!({"enum": ["user", "admin"]})),
            ("created_at", time()), ("disabled_at", json!({"type": ["string", "null"], "format": "date-time"})),
            ("plan", object(&[("id", string()), ("source", json!({"enum": ["override", "subscription", "free"]})),
                ("subscription_status", json!({"type": ["string", "null"]})),
                ("current_period_end", json!({"type": ["string", "null"], "format": "date-time"}))], &[])),
            ("plan_override", json!({"type": ["string", "null"]})),
            ("usage", json!({"type": "array", "items": schema("UsageItem")})),
            ("devices", json!({"type": "array", "items": object(&[("id", uuid()), ("created_at", time()),
                ("last_seen", json!({"type": ["string", "null"], "format": "date-time"})),
                ("signed_in", json!({"type": "boolean"}))], &[])})),
            ("last_seen", json!({"type": ["string", "null"], "format": "date-time"})),
            ("records", int()), ("ciphertext_bytes", int()), ("ai_calls_30d", int()),
            ("ai_cost_usd_30d", json!({"type": "number"})),
            ("flag_overrides", json!({"type": "object", "additionalProperties": {"type": "boolean"}}))], &[]),
        "PlanOverride": object(&[("plan_id", json!({"type": ["string", "null"]}))], &[]),
        "ErasureReceipt": object(&[("receipt_id", uuid()), ("user_id", uuid()), ("email_sha256", string()),
            ("erased_at", time()),
            ("deleted", json!({"type": "object", "additionalProperties": {"type": "integer"}})),
            ("retained", json!({"type": "object", "additionalProperties": {"type": "integer"}})),
            ("notes", json!({"type": "array", "items": {"type": "string"}}))], &[]),
        "AuditEntry": object(&[("id", int()), ("at", time()), ("actor", json!({"type": ["string", "null"], "format": "uuid"})),
            ("action", string()), ("target", json!({"type": ["string", "null"]})),
            ("ip", json!({"type": ["string", "null"]})), ("user_agent", json!({"type": ["string", "null"]})),
            ("request_id", json!({"type": ["string", "null"]})), ("details", json!({"type": "object"}))], &[]),
        "AuditPage": object(&[("entries", json!({"type": "array", "items": schema("AuditEntry")})),
            ("next", json!({"type": ["integer", "null"]}))], &[]),
        "SetFlag": object(&[("enabled", json!({"type": "boolean"}))], &[]),
        "AdminFlags": object(&[("flags", json!({"type": "array", "items": object(&[("key", string()),
            ("enabled", json!({"type": "boolean"})), ("description", string()),
            ("plans", json!({"type": "object", "additionalProperties": {"type": "boolean"}})),
            ("users", json!({"type": "array", "items": object(&[("user_id", uuid()), ("email", string()),
                ("enabled", json!({"type": "boolean"}))], &[])}))], &[])}))], &[]),
        "RetentionPolicies": object(&[("policies", json!({"type": "array", "items": object(&[
            ("data_type", string()), ("retention_days", int()), ("description", string()),
            ("last_run_at", json!({"type": ["string", "null"], "format": "date-time"})),
            ("last_deleted", json!({"type": ["integer", "null"]})), ("updated_at", time())], &[])}))], &[]),
        "AdminProviders": object(&[("configured", json!({"type": "boolean"})), ("window_hours", int()),
            ("reload_seconds", int()),
            ("providers", json!({"type": "array", "items": object(&[("name", string()), ("kind", string()),
                ("model", string()), ("host", string()), ("enabled", json!({"type": "boolean"})),
                ("position", int()), ("calls", int()), ("errors", int()), ("error_rate", json!({"type": "number"})),
                ("p50_ms", json!({"type": ["number", "null"]})), ("p95_ms", json!({"type": ["number", "null"]})),
                ("cost_usd", json!({"type": "number"})), ("cache_hits", int()),
                ("last_error", json!({"type": ["string", "null"]})),
                ("last_error_at", json!({"type": ["string", "null"], "format": "date-time"})),
                ("last_call_at", json!({"type": ["string", "null"], "format": "date-time"}))], &[])}))], &[]),
        "SetProviders": object(&[("providers", json!({"type": "array", "items": object(&[("name", string()),
            ("enabled", json!({"type": "boolean"}))], &[])}))], &[]),
        "SetRetention": object(&[("retention_days", json!({"type": "integer", "minimum": 1, "maximum": 36500}))], &[]),
        "RetentionRun": object(&[("data_type", string()), ("dry_run", json!({"type": "boolean"}))], &["data_type", "dry_run"]),
        "RetentionReport": object(&[("dry_run", json!({"type": "boolean"})), ("at", time()),
            ("items", json!({"type": "array", "items": object(&[("data_type", string()), ("retention_days", int()),
                ("cutoff", time()), ("rows", int())], &[])}))], &[])
    })
}

/// Background jobs and alerts (issue 17).
fn jobs_alerts_operations() -> Vec<(&'static str, &'static str, &'static str, Op)> {
    let id = || path("id", json!({"type": "integer", "format": "int64"}));
    vec![
        (
            "get",
            "/api/admin/jobs",
            "admin",
            admin_op(
                "Background jobs, newest first, paged: filter by state and kind",
                vec![
                    query(
                        "state",
                        false,
                        json!({"enum": ["queued", "running", "done", "failed"]}),
                        "only jobs in this state",
                    ),
                    query(
                        "kind",
                        false,
                        string(),
                        "only jobs of this kind (`alert.webhook`, `alert.email`, `retention.run`)",
                    ),
                    query("before", false, int(), "the `next` of the previous page"),
                    query(
                        "limit",
                        false,
                        json!({"type": "integer", "minimum": 1, "maximum": 200, "default": 50}),
                        "jobs per page",
                    ),
                ],
                None,
                vec![ok("200", "a page of jobs", Some("JobsPage"))],
            ),
        ),
        (
            "get",
            "/api/admin/jobs/{id}",
            "admin",
            admin_op(
                "One job: its payload, tries and the error of every failed try",
                vec![id()],
                None,
                vec![ok("200", "the job", Some("JobDetail")), error("404", "no such job")],
            ),
        ),
        (
            "post",
            "/api/admin/jobs/{id}/replay",
            "admin",
            admin_op(
                "Replay a failed job: queued again, due now, its tries counted from zero (its error history kept); audited `admin.job_replayed`",
                vec![id()],
                None,
                vec![
                    ok("200", "the job, queued", Some("JobDetail")),
                    error("404", "no such job"),
                    error("409", "the job is not failed (`conflict`)"),
                ],
            ),
        ),
        (
            "get",
            "/api/admin/alerts",
            "admin",
            admin_op(
                "Alert rules (design 12.2) with their threshold, latest value, state and since when, and runbook; the channels notifications go to; the latest 50 firings",
                vec![],
                None,
                vec![ok("200", "the rules and history", Some("AdminAlerts"))],
            ),
        ),
    ]
}

fn jobs_alerts_schemas() -> Value {
    let nullable = |t: &str| json!({"type": [t, "null"]});
    let nullable_time = || json!({"type": ["string", "null"], "format": "date-time"});
    let job_fields = vec![
        ("id", int()),
        ("kind", string()),
        ("state", json!({"enum": ["queued", "running", "done", "failed"]})),
        ("attempts", int()),
        ("max_attempts", int()),
        ("last_error", nullable("string")),
        ("run_at", time()),
        ("created_at", time()),
        ("updated_at", time()),
        ("finished_at", nullable_time()),
    ];
    let mut detail_fields = job_fields.clone();
    detail_fields.push(("payload", json!({"type": "object"})));
    detail_fields.push((
        "errors",
        json!({"type": "array", "items": object(&[("at", time()), ("attempt", int()), ("error", string())], &[])}),
    ));
    json!({
        "JobDepth": object(&[("queued", int()), ("due", int()), ("running", int()), ("failed", int()),
            ("oldest_due_secs", nullable("number"))], &[]),
        "Job": object(&job_fields, &[]),
        "JobDetail": object(&detail_fields, &[]),
        "JobsPage": object(&[("jobs", json!({"type": "array", "items": schema("Job")})),
            ("next", nullable("integer")),
            ("kinds", json!({"type": "array", "items": {"type": "string"}}))], &[]),
        "AdminAlerts": object(&[("interval_secs", int()),
            ("channels", object(&[("webhook", json!({"type": "boolean"})), ("email", json!({"type": "boolean"}))], &[])),
            ("firing", int()),
            ("rules", json!({"type": "array", "items": object(&[("rule", string()), ("name", string()),
                ("severity", json!({"enum": ["critical", "warning"]})),
                ("unit", json!({"enum": ["share", "ms", "minutes", "jobs", "bytes"]})),
                ("direction", json!({"enum": ["above", "below"]})),
                ("threshold", json!({"type": "number"})), ("value", nullable("number")),
                ("state", json!({"enum": ["firing", "ok", "unknown"]})), ("since", nullable_time()),
                ("message", nullable("string")), ("evaluated_at", nullable_time()),
                ("runbook", object(&[("meaning", string()), ("check", string()), ("action", string())], &[]))], &[])})),
            ("history", json!({"type": "array", "items": object(&[("id", int()), ("rule", string()),
                ("state", json!({"enum": ["firing", "resolved"]})), ("value", nullable("number")),
                ("threshold", json!({"type": "number"})), ("message", string()), ("fired_at", time()),
                ("resolved_at", nullable_time())], &[])}))], &[]),
        "AlertNotification": object(&[("rule", string()), ("name", string()), ("severity", string()),
            ("state", json!({"enum": ["firing", "resolved"]})), ("value", nullable("number")),
            ("threshold", json!({"type": "number"})), ("unit", string()), ("message", string()),
            ("runbook", string()), ("fired_at", time()), ("resolved_at", nullable_time())], &[])
    })
}

/// The load forecast (`crate::forecast`).
fn forecast_operations() -> Vec<(&'static str, &'static str, &'static str, Op)> {
    vec![(
        "get",
        "/api/admin/forecast",
        "admin",
        admin_op(
            "Load forecast (design phase 3): hourly HTTP requests (every process) or hosted-AI calls, the last 14 days and the next 24 or 168 hours with a 95 % interval, by augurs' MSTL (periods 24 h and 168 h with ≥ 14 days of history, 24 h alone with ≥ 2 days; AutoETS as the last resort), with the backtest error of the same method on the most recent hours held out. `status: not_enough_history` (no forecast) below 48 hours of history. Kept for 5 minutes per series and horizon",
            vec![
                query(
                    "series",
                    false,
                    json!({"enum": ["requests", "ai_calls"], "default": "requests"}),
                    "what to forecast",
                ),
                query("horizon", false, json!({"enum": [24, 168], "default": 24}), "hours ahead"),
            ],
            None,
            vec![
                ok("200", "the history and the forecast", Some("AdminForecast")),
                error("422", "series or horizon not one of the listed values (`validation`)"),
            ],
        ),
    )]
}

fn forecast_schemas() -> Value {
    let number = || json!({"type": "number"});
    let method = json!({"enum": ["mstl_daily_weekly", "mstl_daily", "ets"]});
    let method_or_null = json!({"enum": ["mstl_daily_weekly", "mstl_daily", "ets", null]});
    json!({
        "AdminForecast": object(&[
            ("series", json!({"enum": ["requests", "ai_calls"]})),
            ("horizon", int()),
            ("status", json!({"enum": ["ok", "not_enough_history"]})),
            ("message", json!({"type": ["string", "null"]})),
            ("method", method_or_null),
            ("method_label", json!({"type": ["string", "null"]})),
            ("level", number()),
            ("history_hours", int()),
            ("needed_hours", int()),
            ("history", json!({"type": "array", "items": object(&[("hour", time()), ("value", number())], &[])})),
            ("forecast", json!({"type": "array", "items": object(&[("hour", time()), ("value", number()),
                ("lower", number()), ("upper", number())], &[])})),
            ("backtest", json!({"oneOf": [{"type": "null"}, object(&[
                ("metric", json!({"enum": ["mape", "wape"]})),
                ("value", json!({"type": "number", "description": "percent"})),
                ("horizon", json!({"type": "integer", "description": "hours held out"})),
                ("method", method), ("trained_on", int())], &[])]})),
            ("generated_at", time())], &[])
    })
}

/// The whole document.
pub fn document() -> Value {
    let mut paths: Map<String, Value> = Map::new();
    let all = operations()
        .into_iter()
        .chain(admin_operations())
        .chain(forecast_operations())
        .chain(jobs_alerts_operations());
    for (method, path, tag, op) in all {
        let entry = paths.entry(path.to_string()).or_insert_with(|| json!({}));
        entry[method] = op.into_value(tag);
    }
    let mut schemas = schemas();
    for more in [admin_schemas(), forecast_schemas(), jobs_alerts_schemas()] {
        if let (Some(a), Value::Object(b)) = (schemas.as_object_mut(), more) {
            a.extend(b);
        }
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "qoder-server",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "QoderResume sync server: accounts and an end-to-end-encrypted record store. Every error is an ErrorBody."
        },
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}
        }
    })
}
