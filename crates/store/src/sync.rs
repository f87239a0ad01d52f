//! The tables behind device sync (`migrations/local/0004_sync.sql`), and a generic way to read
//! and write the synced rows of the user's tables as JSON field maps.
//!
//! What is synced, and how, is decided in `qoder-core` (`sync` module); this module is SQL only.

use std::collections::BTreeMap;

use rusqlite::types::{Value as SqlValue, ValueRef};
use rusqlite::{Connection, OptionalExtension, params, params_from_iter};
use serde_json::Value;

use crate::error::{Result, StoreError};

/// The signed-in sync account of this device.
#[derive(Clone)]
pub struct Account {
    pub server: String,
    pub email: String,
    pub user_id: String,
    pub device_id: String,
    pub access_token: String,
    pub refresh_token: String,
    pub data_key: Vec<u8>,
    pub enabled: bool,
    pub clock_wall: i64,
    pub clock_counter: i64,
    pub last_attempt_at: Option<i64>,
    pub last_sync_at: Option<i64>,
    pub last_error: Option<String>,
}

impl std::fmt::Debug for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Account")
            .field("server", &self.server)
            .field("email", &self.email)
            .field("user_id", &self.user_id)
            .field("device_id", &self.device_id)
            .field("enabled", &self.enabled)
            .finish_non_exhaustive()
    }
}

pub fn account(conn: &Connection) -> Result<Option<Account>> {
    Ok(conn
        .query_row(
            "SELECT server, email, user_id, device_id, access_token, refresh_token, data_key,
                    enabled, clock_wall, clock_counter, last_attempt_at, last_sync_at, last_error
               FROM sync_account WHERE id = 1",
            [],
            |r| {
                Ok(Account {
                    server: r.get(0)?,
                    email: r.get(1)?,
                    user_id: r.get(2)?,
                    device_id: r.get(3)?,
                    access_token: r.get(4)?,
                    refresh_token: r.get(5)?,
                    data_key: r.get(6)?,
                    enabled: r.get(7)?,
                    clock_wall: r.get(8)?,
                    clock_counter: r.get(9)?,
                    last_attempt_at: r.get(10)?,
                    last_sync_at: r.get(11)?,
                    last_error: r.get(12)?,
                })
            },
        )
        .optional()?)
}

/// After [`forget`] has committed: copies the log into the database and empties it, so the
/// zeroed pages replace the old ones there too.
pub fn scrub(conn: &Connection) -> Result<()> {
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    Ok(())
}

/// Signs this device in: replaces any earlier account and forgets everything sync knew, then
/// marks every synced row as changed so the first sync sends it all.
pub fn sign_in(conn: &Connection, a: &Account) -> Result<()> {
    forget(conn)?;
    conn.execute(
        "INSERT INTO sync_account(id, server, email, user_id, device_id, access_token,
                                  refresh_token, data_key, enabled)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            a.server,
            a.email,
            a.user_id,
            a.device_id,
            a.access_token,
            a.refresh_token,
            a.data_key,
            a.enabled
        ],
    )?;
    conn.execute_batch(
        "INSERT OR IGNORE INTO sync_dirty SELECT 'resumes', id FROM resume;
         INSERT OR IGNORE INTO sync_dirty SELECT 'versions', id FROM resume_version;
         INSERT OR IGNORE INTO sync_dirty SELECT 'jobs', id FROM job;
         INSERT OR IGNORE INTO sync_dirty
             SELECT 'status_changes', job_id || '|' || at || '|' || to_status FROM status_change;
         INSERT OR IGNORE INTO sync_dirty SELECT 'interviews', id FROM interview;
         INSERT OR IGNORE INTO sync_dirty SELECT 'reminders', id FROM reminder;
         INSERT OR IGNORE INTO sync_dirty SELECT 'settings', key FROM setting
             WHERE key NOT LIKE 'sync.%';",
    )?;
    Ok(())
}

/// Signs this device out locally: the account, keys and all sync bookkeeping are removed; the
/// user's data stays.
pub fn forget(conn: &Connection) -> Result<()> {
    // Freed pages are overwritten with zeros, so the data key and tokens do not linger in the
    // file after sign-out ([`scrub`] then clears the write-ahead log).
    conn.execute_batch(
        "PRAGMA secure_delete = ON; DELETE FROM sync_account; DELETE FROM sync_log; DELETE FROM sync_outbox;
         DELETE FROM sync_read; DELETE FROM sync_entity; DELETE FROM sync_dirty;
         DELETE FROM sync_guard; DELETE FROM sync_set_aside;",
    )?;
    Ok(())
}

pub fn set_tokens(conn: &Connection, access: &str, refresh: &str) -> Result<()> {
    conn.execute(
        "UPDATE sync_account SET access_token = ?1, refresh_token = ?2 WHERE id = 1",
        params![access, refresh],
    )?;
    Ok(())
}

pub fn set_enabled(conn: &Connection, enabled: bool) -> Result<()> {
    conn.execute("UPDATE sync_account SET enabled = ?1 WHERE id = 1", [enabled])?;
    Ok(())
}

pub fn set_clock(conn: &Connection, wall: i64, counter: i64) -> Result<()> {
    conn.execute(
        "UPDATE sync_account SET clock_wall = ?1, clock_counter = ?2 WHERE id = 1",
        params![wall, counter],
    )?;
    Ok(())
}

/// Records how a sync attempt ended: `error` is `None` on success.
pub fn record_attempt(conn: &Connection, at_ms: i64, error: Option<&str>) -> Result<()> {
    conn.execute(
        "UPDATE sync_account SET last_attempt_at = ?1,
                last_sync_at = CASE WHEN ?2 IS NULL THEN ?1 ELSE last_sync_at END,
                last_error = ?2
          WHERE id = 1",
        params![at_ms, error],
    )?;
    Ok(())
}

pub fn next_idx(conn: &Connection, collection: &str) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT next_idx FROM sync_log WHERE collection = ?1")?
        .query_row([collection], |r| r.get(0))
        .optional()?
        .unwrap_or(0))
}

pub fn set_next_idx(conn: &Connection, collection: &str, next: i64) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO sync_log(collection, next_idx) VALUES (?1, ?2)
         ON CONFLICT(collection) DO UPDATE SET next_idx = max(next_idx, excluded.next_idx)",
    )?
    .execute(params![collection, next])?;
    Ok(())
}

/// One record waiting to be pushed, as its JSON.
pub struct Outgoing {
    pub collection: String,
    pub idx: i64,
    pub record: String,
}

pub fn outbox_add(conn: &Connection, collection: &str, idx: i64, record: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO sync_outbox(collection, idx, record, size) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![collection, idx, record, record.len() as i64])?;
    Ok(())
}

/// The next records to push, oldest first, at most `max_records` and about `max_bytes`
/// (always at least one).
pub fn outbox_batch(
    conn: &Connection,
    max_records: usize,
    max_bytes: usize,
) -> Result<Vec<Outgoing>> {
    let mut stmt = conn.prepare(
        "SELECT collection, idx, record FROM sync_outbox ORDER BY collection, idx LIMIT ?1",
    )?;
    let rows = stmt.query_map([max_records as i64], |r| {
        Ok(Outgoing { collection: r.get(0)?, idx: r.get(1)?, record: r.get(2)? })
    })?;
    let mut out = Vec::new();
    let mut bytes = 0;
    for row in rows {
        let row = row?;
        bytes += row.record.len();
        if !out.is_empty() && bytes > max_bytes {
            break;
        }
        out.push(row);
    }
    Ok(out)
}

pub fn outbox_remove(conn: &Connection, collection: &str, idx: i64) -> Result<()> {
    conn.prepare_cached("DELETE FROM sync_outbox WHERE collection = ?1 AND idx = ?2")?
        .execute(params![collection, idx])?;
    Ok(())
}

/// How far a device's log was read: `(contiguous, beyond)`.
pub fn read_mark(conn: &Connection, device: &str, collection: &str) -> Result<(i64, Vec<i64>)> {
    let row: Option<(i64, String)> = conn
        .prepare_cached(
            "SELECT contiguous, beyond FROM sync_read WHERE device_id = ?1 AND collection = ?2",
        )?
        .query_row(params![device, collection], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    match row {
        None => Ok((-1, Vec::new())),
        Some((c, beyond)) => {
            let b = serde_json::from_str(&beyond)
                .map_err(|e| StoreError::Corrupt(format!("sync read mark: {e}")))?;
            Ok((c, b))
        }
    }
}

pub fn set_read_mark(
    conn: &Connection,
    device: &str,
    collection: &str,
    contiguous: i64,
    beyond: &[i64],
) -> Result<()> {
    let b = serde_json::to_string(beyond).unwrap_or_else(|_| "[]".into());
    conn.prepare_cached(
        "INSERT INTO sync_read(device_id, collection, contiguous, beyond) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(device_id, collection)
         DO UPDATE SET contiguous = excluded.contiguous, beyond = excluded.beyond",
    )?
    .execute(params![device, collection, contiguous, b])?;
    Ok(())
}

/// What sync keeps about one entity.
#[derive(Clone, Debug, Default)]
pub struct EntityRow {
    /// The merged state, as JSON.
    pub state: String,
    /// The local row as sync last saw or wrote it, as JSON; `None` when it had no row.
    pub local: Option<String>,
    /// Why the merged state could not be written to the local tables (retried later).
    pub pending: Option<String>,
    pub conflicts: i64,
}

pub fn entity(conn: &Connection, collection: &str, id: &str) -> Result<Option<EntityRow>> {
    Ok(conn
        .prepare_cached(
            "SELECT state, local, pending, conflicts FROM sync_entity
              WHERE collection = ?1 AND entity = ?2",
        )?
        .query_row(params![collection, id], |r| {
            Ok(EntityRow {
                state: r.get(0)?,
                local: r.get(1)?,
                pending: r.get(2)?,
                conflicts: r.get(3)?,
            })
        })
        .optional()?)
}

pub fn save_entity(conn: &Connection, collection: &str, id: &str, e: &EntityRow) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO sync_entity(collection, entity, state, local, pending, conflicts)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT(collection, entity) DO UPDATE SET state = excluded.state,
             local = excluded.local, pending = excluded.pending, conflicts = excluded.conflicts",
    )?
    .execute(params![collection, id, e.state, e.local, e.pending, e.conflicts])?;
    Ok(())
}

/// Entities whose merged state could not be written locally yet: `(collection, entity)`.
pub fn pending(conn: &Connection) -> Result<Vec<(String, String)>> {
    let mut stmt =
        conn.prepare("SELECT collection, entity FROM sync_entity WHERE pending IS NOT NULL")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Entities holding conflict copies: `(collection, entity, state JSON)`.
pub fn with_conflicts(conn: &Connection) -> Result<Vec<(String, String, String)>> {
    let mut stmt = conn.prepare(
        "SELECT collection, entity, state FROM sync_entity WHERE conflicts > 0
          ORDER BY collection, entity",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Up to `limit` entities changed locally: `(collection, entity)`.
pub fn dirty(conn: &Connection, limit: usize) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare("SELECT collection, entity FROM sync_dirty LIMIT ?1")?;
    let rows = stmt.query_map([limit as i64], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn clear_dirty(conn: &Connection, collection: &str, id: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM sync_dirty WHERE collection = ?1 AND entity = ?2")?
        .execute(params![collection, id])?;
    Ok(())
}

/// Whether local writes are marked as changed (to be sent on the next sync).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tracking {
    /// Edits made here: marked (the default).
    Live,
    /// Applying other devices' records (inside one transaction): not marked.
    Paused,
}

/// Sets whether the sync triggers mark local writes (see [`Tracking`]).
pub fn set_tracking(conn: &Connection, tracking: Tracking) -> Result<()> {
    match tracking {
        Tracking::Paused => conn
            .prepare_cached("INSERT OR IGNORE INTO sync_guard(applying) VALUES (1)")?
            .execute([])?,
        Tracking::Live => conn.prepare_cached("DELETE FROM sync_guard")?.execute([])?,
    };
    Ok(())
}

/// Counts for the status line.
#[derive(Clone, Copy, Debug, Default)]
pub struct Counts {
    pub outbox: i64,
    pub dirty: i64,
    pub pending: i64,
    pub conflicts: i64,
    /// Received records set aside because they could not be opened or read.
    pub set_aside: i64,
}

/// Keeps note of a received record that could not be opened or read (the reason only, never
/// content); the caller moves the read mark past it.
pub fn set_aside(
    conn: &Connection,
    device: &str,
    collection: &str,
    idx: i64,
    record_id: &str,
    reason: &str,
    at: i64,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT OR REPLACE INTO sync_set_aside (device_id, collection, idx, record_id, reason, at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![device, collection, idx, record_id, reason, at])?;
    Ok(())
}

pub fn counts(conn: &Connection) -> Result<Counts> {
    Ok(conn.query_row(
        "SELECT (SELECT count(*) FROM sync_outbox), (SELECT count(*) FROM sync_dirty),
                (SELECT count(*) FROM sync_entity WHERE pending IS NOT NULL),
                (SELECT coalesce(sum(conflicts), 0) FROM sync_entity WHERE conflicts > 0),
                (SELECT count(*) FROM sync_set_aside)",
        [],
        |r| {
            Ok(Counts {
                outbox: r.get(0)?,
                dirty: r.get(1)?,
                pending: r.get(2)?,
                conflicts: r.get(3)?,
                set_aside: r.get(4)?,
            })
        },
    )?)
}

// --- rows of the user's tables as JSON field maps -------------------------------------------

/// A table whose rows sync as entities: `key` names the row, `columns` are its synced fields.
#[derive(Clone, Copy, Debug)]
pub struct TableSpec {
    pub table: &'static str,
    pub key: &'static str,
    pub columns: &'static [&'static str],
}

pub type Fields = BTreeMap<String, Value>;

fn to_json(v: ValueRef<'_>) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::from(i),
        ValueRef::Real(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
        ValueRef::Text(t) => Value::String(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Value::String(hex::encode(b)),
    }
}

fn to_sql(v: &Value) -> SqlValue {
    match v {
        Value::Null => SqlValue::Null,
        Value::Bool(b) => SqlValue::Integer(i64::from(*b)),
        Value::Number(n) => match n.as_i64() {
            Some(i) => SqlValue::Integer(i),
            None => SqlValue::Real(n.as_f64().unwrap_or(0.0)),
        },
        Value::String(s) => SqlValue::Text(s.clone()),
        other => SqlValue::Text(other.to_string()),
    }
}

/// The synced columns of the row whose key is `id`.
pub fn read_row(conn: &Connection, spec: &TableSpec, id: &str) -> Result<Option<Fields>> {
    let sql =
        format!("SELECT {} FROM {} WHERE {} = ?1", spec.columns.join(", "), spec.table, spec.key);
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([id], |r| {
            let mut m = Fields::new();
            for (i, c) in spec.columns.iter().enumerate() {
                m.insert((*c).to_string(), to_json(r.get_ref(i)?));
            }
            Ok(m)
        })
        .optional()?)
}

/// Inserts the row, or updates the given columns of an existing one. Fields that are not
/// columns of the spec are ignored.
pub fn upsert_row(conn: &Connection, spec: &TableSpec, id: &str, fields: &Fields) -> Result<()> {
    let cols: Vec<&str> =
        spec.columns.iter().copied().filter(|c| fields.contains_key(*c)).collect();
    let mut values = vec![SqlValue::Text(id.to_string())];
    values.extend(cols.iter().map(|c| to_sql(&fields[*c])));
    let placeholders: Vec<String> = (1..=values.len()).map(|i| format!("?{i}")).collect();
    let update = if cols.is_empty() {
        "NOTHING".to_string()
    } else {
        format!(
            "UPDATE SET {}",
            cols.iter().map(|c| format!("{c} = excluded.{c}")).collect::<Vec<_>>().join(", ")
        )
    };
    let sql = format!(
        "INSERT INTO {t} ({k}{sep}{cols}) VALUES ({ph}) ON CONFLICT({k}) DO {update}",
        t = spec.table,
        k = spec.key,
        sep = if cols.is_empty() { "" } else { ", " },
        cols = cols.join(", "),
        ph = placeholders.join(", "),
    );
    conn.prepare_cached(&sql)?.execute(params_from_iter(values))?;
    Ok(())
}

pub fn delete_row(conn: &Connection, spec: &TableSpec, id: &str) -> Result<bool> {
    let sql = format!("DELETE FROM {} WHERE {} = ?1", spec.table, spec.key);
    Ok(conn.prepare_cached(&sql)?.execute([id])? > 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Store;

    const SETTING: TableSpec = TableSpec { table: "setting", key: "key", columns: &["value"] };

    #[test]
    fn local_edits_are_marked_only_when_signed_in_and_not_while_applying() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        store
            .write(|tx| {
                crate::setting::set(tx, "theme", "dark")?;
                assert!(dirty(tx, 10)?.is_empty(), "no account: nothing tracked");
                let a = Account {
                    server: "http://x".into(),
                    email: "a@b.c".into(),
                    user_id: "u".into(),
                    device_id: "d".into(),
                    access_token: "t".into(),
                    refresh_token: "r".into(),
                    data_key: vec![0; 32],
                    enabled: true,
                    clock_wall: 0,
                    clock_counter: 0,
                    last_attempt_at: None,
                    last_sync_at: None,
                    last_error: None,
                };
                sign_in(tx, &a)?;
                assert_eq!(dirty(tx, 10)?, vec![("settings".into(), "theme".into())]);
                clear_dirty(tx, "settings", "theme")?;
                set_tracking(tx, Tracking::Paused)?;
                let f = Fields::from([("value".to_string(), Value::from("light"))]);
                upsert_row(tx, &SETTING, "theme", &f)?;
                set_tracking(tx, Tracking::Live)?;
                assert!(dirty(tx, 10)?.is_empty(), "applied, not a local edit");
                assert_eq!(read_row(tx, &SETTING, "theme")?, Some(f));
                crate::setting::set(tx, "retention", "5")?;
                // A second change before the push: still one dirty mark, and no error.
                crate::setting::set(tx, "retention", "6")?;
                crate::setting::set(tx, "sync.internal", "x")?;
                assert_eq!(dirty(tx, 10)?, vec![("settings".into(), "retention".into())]);
                assert!(delete_row(tx, &SETTING, "retention")?);
                assert_eq!(read_row(tx, &SETTING, "retention")?, None);
                Ok::<_, StoreError>(())
            })
            .unwrap();
    }

    #[test]
    fn signing_out_leaves_no_key_or_token_in_the_files() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let key: Vec<u8> = (0..32).map(|i| 0xA0 ^ i).collect();
        let token = "refresh-token-that-must-not-linger-0123456789";
        let a = Account {
            server: "http://x".into(),
            email: "a@b.c".into(),
            user_id: "u".into(),
            device_id: "d".into(),
            access_token: "t".into(),
            refresh_token: token.into(),
            data_key: key.clone(),
            enabled: true,
            clock_wall: 0,
            clock_counter: 0,
            last_attempt_at: None,
            last_sync_at: None,
            last_error: None,
        };
        store.write(|tx| sign_in(tx, &a)).unwrap();
        scrub(store.conn()).unwrap();
        store.write(|tx| forget(tx)).unwrap();
        scrub(store.conn()).unwrap();
        let mut bytes = Vec::new();
        for entry in std::fs::read_dir(dir.path()).unwrap() {
            let p = entry.unwrap().path();
            if p.is_file() {
                bytes.extend(std::fs::read(&p).unwrap());
            }
        }
        let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
        assert!(!has(&key), "the data key is still in the files");
        assert!(!has(token.as_bytes()), "the refresh token is still in the files");
    }
}
