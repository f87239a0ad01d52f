//! GDPR/CCPA (design 10.3 "ComplianceService"): an account's export, a zip of everything the
//! server holds about it in readable JSON (ciphertext marked as such: the server cannot read
//! it), and its erasure with a receipt. Both serve the account itself (`GET /api/account/export`,
//! `DELETE /api/account`) and admins (`/api/admin/users/{id}/export`, `DELETE
//! /api/admin/users/{id}`); each is audited in its own transaction.

use std::collections::BTreeMap;
use std::io::Write;

use chrono::Utc;
use qoder_sync::wire::ErasureReceipt;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use uuid::Uuid;

use crate::audit;
use crate::http::error::ApiError;

pub type Receipt = ErasureReceipt;

/// How ciphertext appears in an export.
const CIPHERTEXT: &str = "json_build_object('encrypted', true, 'encoding', 'base64', \
     'note', 'end-to-end encrypted on your devices; the server cannot read it', \
     'data', translate(encode(%s, 'base64'), E'\\n', ''))";

fn cipher(column: &str) -> String {
    CIPHERTEXT.replace("%s", column)
}

/// The files of an export: name, what it holds, and the query of its rows ($1: the account's
/// id, $2: its email).
fn files() -> Vec<(&'static str, &'static str, String)> {
    vec![
        (
            "account.json",
            "The account: email, role, when it was made, whether an admin disabled it or set its plan",
            "SELECT id, email, role, created_at, disabled_at, plan_override FROM users WHERE id = $1"
                .into(),
        ),
        (
            "devices.json",
            "Devices signed in to the account",
            "SELECT id, created_at FROM devices WHERE user_id = $1 ORDER BY created_at".into(),
        ),
        (
            "sessions.json",
            "Sign-ins (refresh tokens; the tokens themselves are stored only as hashes and not exported)",
            "SELECT device_id, family_id, created_at, expires_at, used_at, revoked_at \
             FROM refresh_tokens WHERE user_id = $1 ORDER BY created_at"
                .into(),
        ),
        (
            "keys.json",
            "Your data key, wrapped under your password and under your recovery code (ciphertext)",
            format!(
                "SELECT 'password' AS wrapped_under, {c} AS blob, updated_at FROM key_blobs \
                 WHERE user_id = $1 UNION ALL SELECT 'recovery_code', {c}, updated_at \
                 FROM recovery_blobs WHERE user_id = $1",
                c = cipher("blob")
            ),
        ),
        (
            "records.json",
            "Synced records (resumes, jobs, versions, …): metadata and ciphertext",
            format!(
                "SELECT id, device_id, collection, idx, ts, created_at, {} AS ciphertext \
                 FROM records WHERE user_id = $1 ORDER BY device_id, collection, idx",
                cipher("ciphertext")
            ),
        ),
        (
            "billing.json",
            "Stripe customer, subscriptions and coupons used",
            "SELECT 'customer' AS kind, json_build_object('stripe_customer_id', stripe_customer_id, \
                 'created_at', created_at) AS data FROM billing_customers WHERE user_id = $1 \
             UNION ALL SELECT 'subscription', json_build_object('stripe_subscription_id', \
                 stripe_subscription_id, 'plan_id', plan_id, 'status', status, \
                 'current_period_start', current_period_start, 'current_period_end', \
                 current_period_end, 'cancel_at_period_end', cancel_at_period_end, \
                 'updated_at', updated_at) FROM subscriptions WHERE user_id = $1 \
             UNION ALL SELECT 'coupon', json_build_object('code', code, 'session_id', session_id, \
                 'created_at', created_at) FROM coupon_redemptions WHERE user_id = $1"
                .into(),
        ),
        (
            "usage.json",
            "Plan usage counted per feature and period",
            "SELECT feature, period_start, used FROM usage_counters WHERE user_id = $1 \
             ORDER BY period_start, feature"
                .into(),
        ),
        (
            "ai_calls.json",
            "Hosted-AI calls: feature, provider, model, tokens, cost (no prompt or answer text is stored)",
            "SELECT feature, provider, model, tokens_in, tokens_out, cost_usd, latency_ms, \
                 cache_hit, outcome, created_at FROM ai_calls WHERE user_id = $1 ORDER BY id"
                .into(),
        ),
        (
            "ai_spend.json",
            "Hosted-AI spend per UTC day",
            "SELECT day, cost_usd FROM ai_daily_spend WHERE scope = $1::text ORDER BY day".into(),
        ),
        (
            "feature_flags.json",
            "Feature flags set for this account alone",
            "SELECT flag, enabled FROM feature_flag_overrides WHERE user_id = $1 ORDER BY flag"
                .into(),
        ),
        (
            "login_failures.json",
            "Failed sign-ins counted against the email (per device where known)",
            "SELECT email AS key, failures, window_start, locked_until FROM login_failures \
             WHERE email = $2 OR left(email, length($2) + 1) = $2 || ' '"
                .into(),
        ),
        (
            "audit.json",
            "The audit trail: what this account did and what was done to it",
            "SELECT id, at, actor, action, target, ip, user_agent, request_id, details \
             FROM audit_log WHERE actor = $1 OR target = 'user:' || $1::text ORDER BY id"
                .into(),
        ),
    ]
}

/// The export of `user` as a zip, in one consistent snapshot; the export is audited (`action`:
/// who asked) in the same transaction.
pub async fn export(
    pool: &PgPool,
    ctx: &audit::Ctx,
    user: Uuid,
    action: &str,
) -> Result<Vec<u8>, ApiError> {
    let mut tx = pool.begin().await?;
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ").execute(&mut *tx).await?;
    let email: Option<String> = sqlx::query_scalar("SELECT email FROM users WHERE id = $1")
        .bind(user)
        .fetch_optional(&mut *tx)
        .await?;
    let email = email.ok_or(ApiError::NotFound("no such account"))?;
    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    let mut manifest = serde_json::Map::new();
    for (name, what, sql) in files() {
        let text: String = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT coalesce(json_agg(t), '[]'::json)::text FROM ({sql}) t"
        )))
        .bind(user)
        .bind(&email)
        .fetch_one(&mut *tx)
        .await?;
        let rows: Value = serde_json::from_str(&text).map_err(anyhow::Error::from)?;
        let count = rows.as_array().map_or(0, Vec::len);
        manifest.insert(name.into(), json!({"rows": count, "holds": what}));
        out.push((name.into(), serde_json::to_vec_pretty(&rows).map_err(anyhow::Error::from)?));
    }
    audit::record(
        &mut *tx,
        ctx,
        action,
        Some(&audit::user(user)),
        json!({"files": manifest.len()}),
    )
    .await?;
    tx.commit().await?;
    let readme = json!({
        "account": user,
        "generated_at": Utc::now(),
        "about": "Everything this QoderResume sync server holds about the account, one JSON file \
                  per kind of data. Values marked {\"encrypted\": true} are ciphertext made on \
                  your devices: the server stores them but cannot read them; your app decrypts \
                  them with your password or recovery code.",
        "files": manifest,
    });
    out.insert(
        0,
        ("manifest.json".into(), serde_json::to_vec_pretty(&readme).map_err(anyhow::Error::from)?),
    );
    let zipped = tokio::task::spawn_blocking(move || zip_files(out))
        .await
        .map_err(anyhow::Error::from)??;
    Ok(zipped)
}

fn zip_files(files: Vec<(String, Vec<u8>)>) -> Result<Vec<u8>, ApiError> {
    let internal = |e: zip::result::ZipError| ApiError::Internal(e.into());
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in files {
        w.start_file(name, options).map_err(internal)?;
        w.write_all(&bytes).map_err(anyhow::Error::from)?;
    }
    Ok(w.finish().map_err(internal)?.into_inner())
}

/// Erases `user`: every row of the account (devices, sign-ins, keys, records, billing, usage,
/// flags, failed-login counters) in one transaction with the audit row that holds the receipt.
/// Kept: the audit trail (the law's own record of what happened, kept for the audit retention
/// and naming the account by id only) and hosted-AI call records with the account removed
/// (anonymous cost figures). Stripe keeps its own records of payments.
pub async fn erase(
    pool: &PgPool,
    ctx: &audit::Ctx,
    user: Uuid,
    action: &str,
) -> Result<Receipt, ApiError> {
    let mut tx = pool.begin().await?;
    let email: Option<String> =
        sqlx::query_scalar("SELECT email FROM users WHERE id = $1 FOR UPDATE")
            .bind(user)
            .fetch_optional(&mut *tx)
            .await?;
    let email = email.ok_or(ApiError::NotFound("no such account"))?;
    let counts: Value = {
        let text: String = sqlx::query_scalar(
            "SELECT json_build_object(
                'devices', (SELECT count(*) FROM devices WHERE user_id = $1),
                'sessions', (SELECT count(*) FROM refresh_tokens WHERE user_id = $1),
                'wrapped_keys', (SELECT count(*) FROM key_blobs WHERE user_id = $1)
                    + (SELECT count(*) FROM recovery_blobs WHERE user_id = $1),
                'records', (SELECT count(*) FROM records WHERE user_id = $1),
                'usage_counters', (SELECT count(*) FROM usage_counters WHERE user_id = $1),
                'subscriptions', (SELECT count(*) FROM subscriptions WHERE user_id = $1),
                'billing_customers', (SELECT count(*) FROM billing_customers WHERE user_id = $1),
                'coupon_redemptions', (SELECT count(*) FROM coupon_redemptions WHERE user_id = $1),
                'feature_flag_overrides',
                    (SELECT count(*) FROM feature_flag_overrides WHERE user_id = $1),
                'ai_daily_spend', (SELECT count(*) FROM ai_daily_spend WHERE scope = $1::text),
                'ai_calls_anonymised', (SELECT count(*) FROM ai_calls WHERE user_id = $1),
                'audit_entries', (SELECT count(*) FROM audit_log
                                  WHERE actor = $1 OR target = 'user:' || $1::text)
             )::text",
        )
        .bind(user)
        .fetch_one(&mut *tx)
        .await?;
        serde_json::from_str(&text).map_err(anyhow::Error::from)?
    };
    sqlx::query("DELETE FROM ai_daily_spend WHERE scope = $1::text")
        .bind(user)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM users WHERE id = $1").bind(user).execute(&mut *tx).await?;
    let failures = sqlx::query(
        "DELETE FROM login_failures WHERE email = $1 OR left(email, length($1) + 1) = $1 || ' '",
    )
    .bind(&email)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    sqlx::query("DELETE FROM rate_limits WHERE key = $1")
        .bind(crate::rate::api_key(user))
        .execute(&mut *tx)
        .await?;
    let count = |k: &str| counts.get(k).and_then(Value::as_i64).unwrap_or(0);
    let mut deleted: BTreeMap<String, i64> = [
        "devices",
        "sessions",
        "wrapped_keys",
        "records",
        "usage_counters",
        "subscriptions",
        "billing_customers",
        "coupon_redemptions",
        "feature_flag_overrides",
        "ai_daily_spend",
    ]
    .iter()
    .map(|k| ((*k).to_string(), count(k)))
    .collect();
    deleted.insert("account".into(), 1);
    deleted.insert("login_failures".into(), i64::try_from(failures).unwrap_or(i64::MAX));
    let retained: BTreeMap<String, i64> = [
        ("audit_entries".to_string(), count("audit_entries") + 1),
        ("ai_calls_anonymised".to_string(), count("ai_calls_anonymised")),
    ]
    .into_iter()
    .collect();
    let receipt = ErasureReceipt {
        receipt_id: Uuid::now_v7(),
        user_id: user,
        email_sha256: hex::encode(Sha256::digest(email.as_bytes())),
        erased_at: Utc::now(),
        deleted,
        retained,
        notes: vec![
            "The audit trail is kept for the audit retention (2,555 days); it names the account by id only.".into(),
            "Hosted-AI call records are kept without the account (anonymous cost figures).".into(),
            "Payment records held by Stripe are Stripe's; cancel any subscription there.".into(),
        ],
    };
    audit::record(
        &mut *tx,
        ctx,
        action,
        Some(&audit::user(user)),
        serde_json::to_value(&receipt).map_err(anyhow::Error::from)?,
    )
    .await?;
    tx.commit().await?;
    Ok(receipt)
}
