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

/// Stores a batch: one multi-row insert for the records that are new, then the per-record
/// check ([`store`]) only for those already in place (a retried push, or a conflict). Returns
/// what happened to each record, in order.
pub async fn store_many(
    tx: &mut Transaction<'_, Postgres>,
    user_id: Uuid,
    records: &[Record],
) -> sqlx::Result<Vec<Stored>> {
    let ids: Vec<Uuid> = records.iter().map(|r| r.id).collect();
    let devices: Vec<Uuid> = records.iter().map(|r| r.device_id).collect();
    let collections: Vec<&str> = records.iter().map(|r| r.collection.as_str()).collect();
    let idxs: Vec<i64> = records.iter().map(|r| r.idx).collect();
    let tss: Vec<i64> = records.iter().map(|r| r.ts).collect();
    let ciphertexts: Vec<&[u8]> = records.iter().map(|r| r.ciphertext.as_slice()).collect();
    let inserted: Vec<Uuid> = sqlx::query_scalar(
        "INSERT INTO records (id, user_id, device_id, collection, idx, ts, ciphertext)
         SELECT r.id, $2, r.device_id, r.collection, r.idx, r.ts, r.ciphertext
           FROM UNNEST($1::uuid[], $3::uuid[], $4::text[], $5::bigint[], $6::bigint[], $7::bytea[])
                AS r(id, device_id, collection, idx, ts, ciphertext)
         ON CONFLICT DO NOTHING
         RETURNING id",
    )
    .bind(&ids)
    .bind(user_id)
    .bind(&devices)
    .bind(&collections)
    .bind(&idxs)
    .bind(&tss)
    .bind(&ciphertexts)
    .fetch_all(&mut **tx)
    .await?;
    let mut inserted: std::collections::HashSet<Uuid> = inserted.into_iter().collect();
    let mut out = Vec::with_capacity(records.len());
    for r in records {
        // `remove`: the same record twice in one batch counts once, the second as present.
        if inserted.remove(&r.id) {
            out.push(Stored::Inserted);
        } else {
            // Not new: the same record again, or another one in its place. `store` tells which
            // (its insert does nothing now).
            out.push(store(tx, user_id, r).await?);
        }
    }
    Ok(out)
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

/// Up to `limit` records of a log after `after`, stopping early once the ciphertexts reach
/// `max_bytes` (the first record always comes). The flag says the page was cut by size.
pub async fn page(
    pool: &PgPool,
    user_id: Uuid,
    device_id: Uuid,
    collection: &str,
    after: i64,
    limit: i64,
    max_bytes: i64,
) -> sqlx::Result<(Vec<Record>, bool)> {
    // `before`: the bytes of the records ahead of this one in the page; `octet_length` of a
    // stored bytea reads its size without fetching it.
    let rows = sqlx::query(
        "SELECT id, device_id, collection, idx, ts, ciphertext, n FROM (
            SELECT id, device_id, collection, idx, ts, ciphertext,
                   coalesce(sum(octet_length(ciphertext)) OVER w, 0)
                     - octet_length(ciphertext) AS before,
                   count(*) OVER () AS n
            FROM (SELECT * FROM records
                  WHERE user_id = $1 AND device_id = $2 AND collection = $3 AND idx > $4
                  ORDER BY idx LIMIT $5) r
            WINDOW w AS (ORDER BY idx ROWS UNBOUNDED PRECEDING)
         ) p
         WHERE before < $6
         ORDER BY idx",
    )
    .bind(user_id)
    .bind(device_id)
    .bind(collection)
    .bind(after)
    .bind(limit)
    .bind(max_bytes)
    .fetch_all(pool)
    .await?;
    let found: i64 = match rows.first() {
        Some(r) => r.try_get("n")?,
        None => 0,
    };
    let cut = found > rows.len() as i64;
    let records = rows
        .iter()
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
        .collect::<sqlx::Result<Vec<_>>>()?;
    Ok((records, cut))
}

/// Adds `bytes` to the account's stored ciphertext (in the push's transaction); returns the new
/// total.
pub async fn add_usage(
    tx: &mut Transaction<'_, Postgres>,
    user_id: Uuid,
    bytes: i64,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO account_usage (user_id, bytes) VALUES ($1, $2)
         ON CONFLICT (user_id) DO UPDATE SET bytes = account_usage.bytes + EXCLUDED.bytes
         RETURNING bytes",
    )
    .bind(user_id)
    .bind(bytes)
    .fetch_one(&mut **tx)
    .await
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
