//! The record store's rules: a device writes only its own logs; a push is atomic and idempotent.

use std::collections::BTreeMap;

use qoder_sync::wire::{self, PullQuery, PullResponse, PushRequest, PushResponse, StatusResponse};
use sqlx::PgPool;

use crate::db::{self, record::Stored};
use crate::http::error::ApiError;
use crate::http::extract::AuthUser;
use crate::hub;

pub async fn push(
    pool: &PgPool,
    auth: &AuthUser,
    quota: i64,
    mut req: PushRequest,
) -> Result<PushResponse, ApiError> {
    if req.records.len() > wire::MAX_PUSH_RECORDS {
        return Err(ApiError::Validation(format!(
            "records: at most {} per push",
            wire::MAX_PUSH_RECORDS
        )));
    }
    for r in &req.records {
        if r.device_id != auth.device_id {
            return Err(ApiError::Forbidden("a device may only push to its own logs".into()));
        }
        if !wire::valid_collection(&r.collection) {
            return Err(ApiError::Validation(
                "collection: 1-64 characters of a-z, 0-9, _ and -".into(),
            ));
        }
        if r.idx < 0 {
            return Err(ApiError::Validation("idx: must be 0 or more".into()));
        }
        if r.ciphertext.is_empty() {
            return Err(ApiError::Validation("ciphertext: must not be empty".into()));
        }
        if r.ciphertext.len() > wire::MAX_RECORD_BYTES {
            return Err(ApiError::TooLarge(format!(
                "{} index {}: a record's ciphertext may be at most {} bytes",
                r.collection,
                r.idx,
                wire::MAX_RECORD_BYTES
            )));
        }
    }
    req.records.sort_by(|a, b| (&a.collection, a.idx).cmp(&(&b.collection, b.idx)));
    let mut tx = pool.begin().await?;
    let mut answer = PushResponse { inserted: 0, already_present: 0 };
    // The highest newly stored index per collection, for the notices.
    let mut newest: BTreeMap<&str, i64> = BTreeMap::new();
    let mut added: i64 = 0;
    let stored =
        db::record::store_many(&mut tx, auth.user_id, &req.records).await.map_err(|e| {
            if db::account::is_missing_owner(&e) {
                ApiError::Unauthorized("the account or device no longer exists")
            } else {
                e.into()
            }
        })?;
    for (r, stored) in req.records.iter().zip(stored) {
        match stored {
            Stored::Inserted => {
                answer.inserted += 1;
                added += i64::try_from(r.ciphertext.len()).unwrap_or(i64::MAX / 4);
                let top = newest.entry(r.collection.as_str()).or_insert(r.idx);
                *top = (*top).max(r.idx);
            }
            Stored::AlreadyPresent => answer.already_present += 1,
            Stored::Conflict => {
                return Err(ApiError::Conflict(format!(
                    "{} index {} already holds a different record (or the id is taken)",
                    r.collection, r.idx
                )));
            }
        }
    }
    // The account's usage, raised in this transaction (the row lock orders concurrent pushes);
    // past the quota the whole push rolls back.
    if added > 0 {
        let used = db::record::add_usage(&mut tx, auth.user_id, added).await?;
        if used > quota {
            return Err(ApiError::TooLarge(format!(
                "this account's storage is full: {} of {quota} bytes are used and this push \
                 needs {added} more; delete old versions or ask the server's operator for more",
                used - added
            )));
        }
    }
    // Delivered by PostgreSQL at commit, to every server process's LISTEN connection.
    for (collection, max_idx) in newest {
        db::record::raise_head(&mut tx, auth.user_id, auth.device_id, collection, max_idx).await?;
        let pushed = hub::Pushed {
            user_id: auth.user_id,
            device_id: auth.device_id,
            collection: collection.to_string(),
            max_idx,
        };
        let payload = serde_json::to_string(&pushed).map_err(anyhow::Error::from)?;
        db::record::notify(&mut tx, hub::CHANNEL, &payload).await?;
    }
    tx.commit().await?;
    Ok(answer)
}

pub async fn status(pool: &PgPool, auth: &AuthUser) -> Result<StatusResponse, ApiError> {
    Ok(StatusResponse { logs: db::record::heads(pool, auth.user_id).await? })
}

pub async fn pull(pool: &PgPool, auth: &AuthUser, q: PullQuery) -> Result<PullResponse, ApiError> {
    if !(1..=wire::MAX_PULL_LIMIT).contains(&q.limit) {
        return Err(ApiError::Validation(format!("limit: 1 to {}", wire::MAX_PULL_LIMIT)));
    }
    if !wire::valid_collection(&q.collection) {
        return Err(ApiError::Validation(
            "collection: 1-64 characters of a-z, 0-9, _ and -".into(),
        ));
    }
    // Only the caller's own records: another user's device id simply has none.
    // At most `limit` records and about `MAX_PULL_BYTES` of ciphertext.
    let (mut records, cut) = db::record::page(
        pool,
        auth.user_id,
        q.device,
        &q.collection,
        q.after,
        q.limit + 1,
        wire::MAX_PULL_BYTES,
    )
    .await?;
    let more = cut || records.len() as i64 > q.limit;
    records.truncate(usize::try_from(q.limit).unwrap_or(0));
    Ok(PullResponse { records, more })
}
