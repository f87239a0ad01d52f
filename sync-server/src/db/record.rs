//! The encrypted record store.

use qoder_sync::wire::{LogHead, Record};
use sqlx::{PgPool, Postgres, Row, Transaction};
use uuid::Uuid;

/// What happened to one pushed record.
#[derive(Debug, PartialEq, Eq)]
pub enum Stored {
    Inserted,
    /// The same record was already there (a retried push).
    AlreadyPresent,
    /// Another record holds this place in the log, or this id.
    Conflict,
}

pub async fn store(
    tx: &mut Transaction<'_, Postgres>,
    user_id: Uuid,
    r: &Record,
) -> sqlx::Result<Stored> {
    let inserted = sqlx::query(
        "INSERT INTO records (id, user_id, device_id, collection, idx, ts, ciphertext)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
    )
    .bind(r.id)
    .bind(user_id)
    .bind(r.device_id)
    .bind(&r.collection)
    .bind(r.idx)
    .bind(r.ts)
    .bind(&r.ciphertext)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if inserted == 1 {
        return Ok(Stored::Inserted);
    }
    let existing = sqlx::query(
        "SELECT id, ts, ciphertext FROM records
         WHERE user_id = $1 AND device_id = $2 AND collection = $3 AND idx = $4",
    )
    .bind(user_id)
    .bind(r.device_id)
    .bind(&r.collection)
    .bind(r.idx)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(row) = existing else { return Ok(Stored::Conflict) };
    let same = row.try_get::<Uuid, _>("id")? == r.id
        && row.try_get::<i64, _>("ts")? == r.ts
        && row.try_get::<Vec<u8>, _>("ciphertext")? == r.ciphertext;
    Ok(if same { Stored::AlreadyPresent } else { Stored::Conflict })
}

/// Raises a log's head to `max_idx` (in the push's transaction).
pub async fn raise_head(
    tx: &mut Transaction<'_, Postgres>,
    user_id: Uuid,
    device_id: Uuid,
    collection: &str,
    max_idx: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO log_heads (user_id, device_id, collection, max_idx) VALUES ($1, $2, $3, $4)
         ON CONFLICT (user_id, device_id, collection)
         DO UPDATE SET max_idx = GREATEST(log_heads.max_idx, EXCLUDED.max_idx)",
    )
    .bind(user_id)
    .bind(device_id)
    .bind(collection)
    .bind(max_idx)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The highest index of every log of the account.
pub async fn heads(pool: &PgPool, user_id: Uuid) -> sqlx::Result<Vec<LogHead>> {
    let rows = sqlx::query(
        "SELECT device_id, collection, max_idx FROM log_heads WHERE user_id = $1
         ORDER BY device_id, collection",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(LogHead {
                device_id: r.try_get("device_id")?,
                collection: r.try_get("collection")?,
                max_idx: r.try_get("max_idx")?,
            })
        })
        .collect()
}

pub async fn page(
    pool: &PgPool,
    user_id: Uuid,
    device_id: Uuid,
    collection: &str,
    after: i64,
    limit: i64,
) -> sqlx::Result<Vec<Record>> {
    let rows = sqlx::query(
        "SELECT id, device_id, collection, idx, ts, ciphertext FROM records
         WHERE user_id = $1 AND device_id = $2 AND collection = $3 AND idx > $4
         ORDER BY idx LIMIT $5",
    )
    .bind(user_id)
    .bind(device_id)
    .bind(collection)
    .bind(after)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Record {
                id: r.try_get("id")?,
                device_id: r.try_get("device_id")?,
                collection: r.try_get("collection")?,
                idx: r.try_get("idx")?,
                ts: r.try_get("ts")?,
                ciphertext: r.try_get("ciphertext")?,
            })
        })
        .collect()
}

/// Queues a NOTIFY, sent when the transaction commits (and not at all if it rolls back).
pub async fn notify(
    tx: &mut Transaction<'_, Postgres>,
    channel: &str,
    payload: &str,
) -> sqlx::Result<()> {
    sqlx::query("SELECT pg_notify($1, $2)").bind(channel).bind(payload).execute(&mut **tx).await?;
    Ok(())
}
