//! Stripe webhooks: the `Stripe-Signature` check and applying an event.
//!
//! - Signature: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>` (several
//!   `v1` while a secret is rolled); compared in constant time; `t` more than 300 s from now is
//!   refused (a captured request cannot be replayed later).
//! - An event's effect and its id are written in one transaction: a replay (Stripe retries, or
//!   an attacker's copy within the tolerance) finds the id and changes nothing.
//! - The subscription is read again from Stripe, never taken from the event: events arrive out
//!   of order, and the current object is the truth, so any order converges.
//! - Events we do not act on are acknowledged (200) and recorded.

use hmac::{Hmac, Mac};
use serde::Deserialize;
use serde_json::Value;
use sha2::Sha256;

use crate::AppState;
use crate::billing::stripe::StripeError;
use crate::billing::{coupons, subscriptions};

/// Largest distance between the signature's time and ours.
pub const TOLERANCE_SECS: i64 = 300;

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("no Stripe-Signature header")]
    Missing,
    #[error("the Stripe-Signature header is malformed")]
    Malformed,
    #[error("the signature is older than {TOLERANCE_SECS} s (or from the future)")]
    Stale,
    #[error("no signature matches the payload")]
    Mismatch,
}

/// Checks `header` over the raw `payload` at `now` (Unix seconds).
pub fn verify(payload: &[u8], header: &str, secret: &str, now: i64) -> Result<(), SignatureError> {
    let mut t: Option<i64> = None;
    let mut sigs: Vec<Vec<u8>> = Vec::new();
    for part in header.split(',') {
        let Some((k, v)) = part.trim().split_once('=') else { continue };
        match k {
            "t" => t = Some(v.parse().map_err(|_| SignatureError::Malformed)?),
            "v1" => {
                if let Ok(bytes) = hex::decode(v) {
                    sigs.push(bytes);
                }
            }
            _ => {}
        }
    }
    let t = t.ok_or(SignatureError::Malformed)?;
    if sigs.is_empty() {
        return Err(SignatureError::Malformed);
    }
    if (now - t).abs() > TOLERANCE_SECS {
        return Err(SignatureError::Stale);
    }
    let mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).map_err(|_| SignatureError::Mismatch)?;
    let mut mac = mac;
    mac.update(t.to_string().as_bytes());
    mac.update(b".");
    mac.update(payload);
    // verify_slice compares in constant time; each candidate gets a fresh copy.
    if sigs.iter().any(|s| mac.clone().verify_slice(s).is_ok()) {
        Ok(())
    } else {
        Err(SignatureError::Mismatch)
    }
}

#[derive(Debug, Deserialize)]
pub struct Event {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub data: EventData,
}

#[derive(Debug, Deserialize)]
pub struct EventData {
    pub object: Value,
}

/// What an event did.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Applied,
    /// The event id was seen before: nothing changed.
    Replay,
    /// Acknowledged; nothing of ours depends on it.
    Ignored,
}

#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    #[error(transparent)]
    Stripe(#[from] StripeError),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// The subscription an event is about, if any.
fn subscription_of(e: &Event) -> Option<String> {
    let o = &e.data.object;
    let s = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_string);
    if e.kind.starts_with("customer.subscription.") {
        return s(o.get("id"));
    }
    if e.kind.starts_with("checkout.session.") || e.kind.starts_with("invoice.") {
        return s(o.get("subscription"))
            .or_else(|| s(o.pointer("/parent/subscription_details/subscription")));
    }
    None
}

/// Applies one verified event.
pub async fn apply(state: &AppState, event: &Event) -> Result<Outcome, ApplyError> {
    // Network first, outside the transaction; the write below is short.
    let fresh = match subscription_of(event) {
        Some(id) => Some(state.billing.stripe.subscription(&id).await?),
        None => None,
    };
    let mut tx = state.pool.begin().await?;
    let new: Option<String> = sqlx::query_scalar(
        "INSERT INTO stripe_events (id, type) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING RETURNING id",
    )
    .bind(&event.id)
    .bind(&event.kind)
    .fetch_optional(&mut *tx)
    .await?;
    if new.is_none() {
        tx.rollback().await?;
        return Ok(Outcome::Replay);
    }
    let mut outcome = Outcome::Ignored;
    if let Some(sub) = fresh
        && subscriptions::store(&mut tx, &state.billing.prices, &sub).await?
    {
        outcome = Outcome::Applied;
    }
    if event.kind == "checkout.session.expired"
        && let Some(session) = event.data.object.get("id").and_then(Value::as_str)
        && coupons::release_session(&mut tx, session).await?
    {
        outcome = Outcome::Applied;
    }
    tx.commit().await?;
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sign(secret: &str, t: i64, payload: &[u8]) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
        mac.update(format!("{t}.").as_bytes());
        mac.update(payload);
        hex::encode(mac.finalize().into_bytes())
    }

    #[test]
    fn signatures() {
        let (secret, body, now) = ("whsec_test", br#"{"id":"evt_1"}"#.as_slice(), 1_700_000_000);
        let good = format!("t={now},v1={}", sign(secret, now, body));
        assert_eq!(verify(body, &good, secret, now), Ok(()));
        assert_eq!(verify(body, &good, secret, now + 300), Ok(()));
        assert_eq!(verify(body, &good, secret, now + 301), Err(SignatureError::Stale));
        assert_eq!(verify(body, &good, "whsec_other", now), Err(SignatureError::Mismatch));
        assert_eq!(verify(b"{}", &good, secret, now), Err(SignatureError::Mismatch));
        // A rolled secret: any v1 may match.
        let two = format!("t={now},v1={},v1={}", "00".repeat(32), sign(secret, now, body));
        assert_eq!(verify(body, &two, secret, now), Ok(()));
        assert_eq!(verify(body, "v1=abcd", secret, now), Err(SignatureError::Malformed));
        assert_eq!(verify(body, &format!("t={now}"), secret, now), Err(SignatureError::Malformed));
        assert_eq!(verify(body, "t=x,v1=00", secret, now), Err(SignatureError::Malformed));
    }
}
