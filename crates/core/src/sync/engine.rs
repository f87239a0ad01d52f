//! Turning local edits into encrypted records (export) and received records into local rows
//! (apply), one SQLite transaction per batch so a crash keeps each batch whole or not at all.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use qoder_store::StoreError;
use qoder_store::sync::{self as st, EntityRow, Fields};
use qoder_sync::crypto::{self, DataKey, RecordMeta};
use qoder_sync::materialise::{Change, Clock, EntityState, Hlc, Op, Stamp};
use qoder_sync::replica::ReadMark;
use qoder_sync::wire::Record;
use rusqlite::Connection;
use serde_json::Value;
use uuid::Uuid;

use super::SyncError;
use super::collections::{self, ORDER};

/// Who is writing, with what key and clock.
pub struct Ctx {
    pub user_id: Uuid,
    pub device_id: Uuid,
    pub key: DataKey,
    pub clock: Clock,
}

impl Ctx {
    pub fn from_account(a: &st::Account) -> Result<Self, SyncError> {
        let parse = |s: &str| {
            Uuid::parse_str(s).map_err(|e| SyncError::Corrupt(format!("sync account id {s}: {e}")))
        };
        let mut clock = Clock::default();
        clock.observe(Hlc {
            wall_ms: u64::try_from(a.clock_wall).unwrap_or(0),
            counter: u32::try_from(a.clock_counter).unwrap_or(0),
        });
        Ok(Self {
            user_id: parse(&a.user_id)?,
            device_id: parse(&a.device_id)?,
            key: DataKey::from_bytes(&a.data_key)?,
            clock,
        })
    }

    pub fn save_clock(&self, conn: &Connection) -> Result<(), StoreError> {
        let last = self.clock.last();
        st::set_clock(
            conn,
            i64::try_from(last.wall_ms).unwrap_or(i64::MAX),
            i64::from(last.counter),
        )
    }
}

fn keep(collection: &str) -> BTreeSet<String> {
    collections::keep_conflicts(collection).iter().map(|s| (*s).to_string()).collect()
}

fn load(
    conn: &Connection,
    collection: &str,
    id: &str,
) -> Result<(EntityRow, EntityState), SyncError> {
    let row = st::entity(conn, collection, id)?.unwrap_or_default();
    let state = if row.state.is_empty() {
        EntityState::default()
    } else {
        serde_json::from_str(&row.state)
            .map_err(|e| SyncError::Corrupt(format!("sync state of {collection}/{id}: {e}")))?
    };
    Ok((row, state))
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<String, SyncError> {
    serde_json::to_string(v).map_err(|e| SyncError::Corrupt(e.to_string()))
}

fn parse_fields(json: Option<&str>) -> Result<Option<Fields>, SyncError> {
    json.map(|j| serde_json::from_str(j).map_err(|e| SyncError::Corrupt(format!("sync row: {e}"))))
        .transpose()
}

/// Encrypts one change as the next record of this device's log for `collection`.
fn emit(
    conn: &Connection,
    ctx: &Ctx,
    collection: &str,
    change: &Change,
    now_ms: u64,
) -> Result<(), SyncError> {
    let plaintext = serde_json::to_vec(change).map_err(|e| SyncError::Corrupt(e.to_string()))?;
    let idx = st::next_idx(conn, collection)?;
    let meta = RecordMeta { user_id: ctx.user_id, device_id: ctx.device_id, collection, idx };
    let ciphertext = crypto::seal(&ctx.key, meta, &plaintext)?;
    let record = Record {
        id: Uuid::now_v7(),
        device_id: ctx.device_id,
        collection: collection.to_string(),
        idx,
        ts: i64::try_from(now_ms).unwrap_or(i64::MAX),
        ciphertext,
    };
    st::outbox_add(conn, collection, idx, &to_json(&record)?)?;
    st::set_next_idx(conn, collection, idx + 1)?;
    Ok(())
}

/// Turns up to `limit` locally changed entities into records in the outbox. Returns how many
/// entities were looked at (0: nothing left).
pub fn export_batch(
    conn: &Connection,
    files_dir: &Path,
    ctx: &mut Ctx,
    limit: usize,
    now_ms: u64,
) -> Result<usize, SyncError> {
    let dirty = st::dirty(conn, limit)?;
    for (collection, id) in &dirty {
        if !collections::local_only(collection, id) {
            export_one(conn, files_dir, ctx, collection, id, now_ms)?;
        }
        st::clear_dirty(conn, collection, id)?;
    }
    ctx.save_clock(conn)?;
    Ok(dirty.len())
}

fn export_one(
    conn: &Connection,
    files_dir: &Path,
    ctx: &mut Ctx,
    collection: &str,
    id: &str,
    now_ms: u64,
) -> Result<(), SyncError> {
    let current = collections::read(conn, collection, id)?;
    let (mut row, mut state) = load(conn, collection, id)?;
    let before = parse_fields(row.local.as_deref())?;
    let op = match (&current, &before) {
        (None, None) => None,
        (None, Some(_)) => Some(Op::Delete),
        (Some(cur), prev) => {
            let fields: BTreeMap<String, Value> = cur
                .iter()
                .filter(|(k, v)| prev.as_ref().and_then(|p| p.get(*k)) != Some(*v))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            if fields.is_empty() {
                None
            } else {
                let base = fields
                    .keys()
                    .filter_map(|f| state.stamp_of(f).map(|s| (f.clone(), s)))
                    .collect();
                Some(Op::Set { fields, base })
            }
        }
    };
    if let Some(op) = op {
        // A new version brings its original file along, once, in the `files` collection.
        if collection == "versions"
            && before.is_none()
            && let Some(cur) = &current
            && let Some((sha, bytes)) = collections::file_of_version(conn, files_dir, cur)?
        {
            let stamp = Stamp { hlc: ctx.clock.tick(now_ms), device_id: ctx.device_id };
            let fields =
                BTreeMap::from([("data".to_string(), Value::from(STANDARD.encode(bytes)))]);
            let change =
                Change { entity: sha, stamp, op: Op::Set { fields, base: BTreeMap::new() } };
            emit(conn, ctx, "files", &change, now_ms)?;
        }
        let stamp = Stamp { hlc: ctx.clock.tick(now_ms), device_id: ctx.device_id };
        let change = Change { entity: id.to_string(), stamp, op };
        state.apply(&change, &keep(collection));
        emit(conn, ctx, collection, &change, now_ms)?;
    }
    row.state = to_json(&state)?;
    row.local = current.as_ref().map(to_json).transpose()?;
    row.conflicts = state.conflicts(id).len() as i64;
    st::save_entity(conn, collection, id, &row)?;
    Ok(())
}

/// What applying a page of records did.
#[derive(Default)]
pub struct Applied {
    pub records: u64,
    pub entities: u64,
    /// Records set aside: they could not be opened or read.
    pub set_aside: u64,
}

/// Opens and reads one received record: its change, or why it cannot be used.
fn open_record(ctx: &Ctx, r: &Record) -> Result<Change, String> {
    let meta = RecordMeta {
        user_id: ctx.user_id,
        device_id: r.device_id,
        collection: &r.collection,
        idx: r.idx,
    };
    let plaintext = crypto::open(&ctx.key, meta, &r.ciphertext)
        .map_err(|e| format!("cannot be opened: {e}"))?;
    let change: Change =
        serde_json::from_slice(&plaintext).map_err(|e| format!("cannot be read: {e}"))?;
    if change.stamp.device_id != r.device_id {
        return Err("claims another device".into());
    }
    Ok(change)
}

/// Decrypts and merges received records (any order, duplicates allowed) and writes the merged
/// entities into the local tables, without marking them as local edits.
pub fn apply(
    conn: &Connection,
    files_dir: &Path,
    ctx: &mut Ctx,
    records: &[Record],
) -> Result<Applied, SyncError> {
    st::set_tracking(conn, st::Tracking::Paused)?;
    let mut out = Applied::default();
    let mut sorted: Vec<&Record> = records.iter().collect();
    sorted.sort_by_key(|r| {
        (ORDER.iter().position(|c| *c == r.collection).unwrap_or(usize::MAX), r.idx)
    });
    let mut touched: Vec<(String, String)> = Vec::new();
    let mut seen: BTreeSet<(String, String)> = BTreeSet::new();
    // Read marks of the logs in this page, written once at the end.
    let mut marks: BTreeMap<(String, String), ReadMark> = BTreeMap::new();
    let now = qoder_sync::materialise::wall_ms();
    for r in sorted {
        let change = open_record(ctx, r);
        if let Ok(change) = &change {
            ctx.clock.observe_at(change.stamp.hlc, now);
        }
        let log = (r.device_id.to_string(), r.collection.clone());
        let read = match marks.entry(log) {
            std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::btree_map::Entry::Vacant(e) => {
                let (contiguous, beyond) = st::read_mark(conn, &e.key().0, &e.key().1)?;
                e.insert(ReadMark { contiguous, beyond: beyond.into_iter().collect() })
            }
        };
        read.mark(r.idx);
        if r.device_id == ctx.device_id {
            st::set_next_idx(conn, &r.collection, r.idx + 1)?;
        }
        out.records += 1;
        // One bad record (another key, damaged, forged) must not stop sync for good: it is set
        // aside and counted, the read mark moves past it, and the rest of the page is applied.
        let change = match change {
            Ok(change) => change,
            Err(why) => {
                tracing::warn!(
                    "sync: record {} ({} #{}) set aside: it {why}",
                    r.id,
                    r.collection,
                    r.idx
                );
                st::set_aside(
                    conn,
                    &r.device_id.to_string(),
                    &r.collection,
                    r.idx,
                    &r.id.to_string(),
                    &why,
                    i64::try_from(now).unwrap_or(i64::MAX),
                )?;
                out.set_aside += 1;
                continue;
            }
        };
        if r.collection == "files" {
            // Content-addressed and never edited: written as it comes, no state kept.
            if let Op::Set { fields, .. } = &change.op
                && let Err(why) =
                    collections::write(conn, files_dir, "files", &change.entity, fields)?
            {
                tracing::warn!("sync: file {} not written: {why}", change.entity);
            }
            continue;
        }
        let (mut row, mut state) = load(conn, &r.collection, &change.entity)?;
        state.apply(&change, &keep(&r.collection));
        row.state = to_json(&state)?;
        st::save_entity(conn, &r.collection, &change.entity, &row)?;
        let key = (r.collection.clone(), change.entity.clone());
        if seen.insert(key.clone()) {
            touched.push(key);
        }
    }
    for ((device, collection), m) in &marks {
        let beyond: Vec<i64> = m.beyond.iter().copied().collect();
        st::set_read_mark(conn, device, collection, m.contiguous, &beyond)?;
    }
    for (collection, id) in &touched {
        if materialise_one(conn, files_dir, collection, id)? {
            out.entities += 1;
        }
    }
    ctx.save_clock(conn)?;
    st::set_tracking(conn, st::Tracking::Live)?;
    Ok(out)
}

/// Retries entities that could not be written locally before.
pub fn retry_pending(conn: &Connection, files_dir: &Path) -> Result<u64, SyncError> {
    st::set_tracking(conn, st::Tracking::Paused)?;
    let mut pending = st::pending(conn)?;
    pending.sort_by_key(|(c, _)| ORDER.iter().position(|o| o == c).unwrap_or(usize::MAX));
    let mut n = 0;
    for (collection, id) in pending {
        if materialise_one(conn, files_dir, &collection, &id)? {
            n += 1;
        }
    }
    st::set_tracking(conn, st::Tracking::Live)?;
    Ok(n)
}

/// Writes an entity's merged live fields to the local tables (or removes its row). Returns
/// whether the local row changed.
fn materialise_one(
    conn: &Connection,
    files_dir: &Path,
    collection: &str,
    id: &str,
) -> Result<bool, SyncError> {
    let (mut row, state) = load(conn, collection, id)?;
    let mut live = state.live();
    // A child of a deleted parent goes with it (as the local tables cascade), even when it was
    // added on another device that had not seen the delete; it comes back if the parent does.
    if let Some((parent_collection, parent)) = collections::parent(collection, &live)
        && let Some(parent_row) = st::entity(conn, parent_collection, &parent)?
        && !parent_row.state.is_empty()
        && parent_is_gone(&parent_row.state)?
    {
        live.clear();
    }
    let current = collections::read(conn, collection, id)?;
    row.pending = None;
    if live.is_empty() {
        if current.is_some() {
            collections::remove(conn, files_dir, collection, id)?;
        }
    } else if current.as_ref().is_none_or(|cur| live.iter().any(|(k, v)| cur.get(k) != Some(v)))
        && let Err(why) = collections::write(conn, files_dir, collection, id, &live)?
    {
        row.pending = Some(why);
    }
    let after = collections::read(conn, collection, id)?;
    let changed = after != current;
    // A row that appeared or went takes its children with it (cascades, or rows that waited
    // for it): bring them in line with their own merged state.
    if after.is_some() != current.is_some() {
        for (child_collection, child) in collections::children(conn, collection, id)? {
            materialise_one(conn, files_dir, &child_collection, &child)?;
        }
    }
    row.local = after.as_ref().map(to_json).transpose()?;
    row.conflicts = state.conflicts(id).len() as i64;
    st::save_entity(conn, collection, id, &row)?;
    Ok(changed)
}

fn parent_is_gone(state: &str) -> Result<bool, SyncError> {
    let state: EntityState =
        serde_json::from_str(state).map_err(|e| SyncError::Corrupt(format!("sync state: {e}")))?;
    Ok(state.live().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_that_cannot_be_opened_is_set_aside_and_sync_goes_on() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = qoder_store::Store::open(dir.path()).unwrap();
        let (user, other) = (Uuid::now_v7(), Uuid::now_v7());
        let key = DataKey::generate();
        let now = qoder_sync::materialise::wall_ms();
        let sealed = |idx: i64, entity: &str, wall_ms: u64| {
            let change = Change {
                entity: entity.into(),
                stamp: Stamp { hlc: Hlc { wall_ms, counter: 0 }, device_id: other },
                op: Op::Set {
                    fields: [("value".to_string(), Value::String("dark".into()))].into(),
                    base: Default::default(),
                },
            };
            let meta = RecordMeta { user_id: user, device_id: other, collection: "settings", idx };
            Record {
                id: Uuid::now_v7(),
                device_id: other,
                collection: "settings".into(),
                idx,
                ts: 0,
                ciphertext: crypto::seal(&key, meta, &serde_json::to_vec(&change).unwrap())
                    .unwrap(),
            }
        };
        let mut bad = sealed(1, "ignored", now);
        bad.ciphertext[30] ^= 1; // damaged (or under another key): cannot be opened
        // A device whose clock is ten years ahead: followed only MAX_DRIFT_MS ahead of ours.
        let future = now + 10 * 365 * 24 * 3600 * 1000;
        let records = vec![sealed(0, "theme", now), bad, sealed(2, "density", future)];
        let mut ctx =
            Ctx { user_id: user, device_id: Uuid::now_v7(), key, clock: Clock::default() };
        let files = dir.path().join("files");
        let applied = store.write(|tx| apply(tx, &files, &mut ctx, &records)).unwrap();
        assert_eq!((applied.records, applied.set_aside), (3, 1));
        let conn = store.conn();
        let (contiguous, _) = st::read_mark(conn, &other.to_string(), "settings").unwrap();
        assert_eq!(contiguous, 2, "the read mark moved past the bad record");
        assert_eq!(st::counts(conn).unwrap().set_aside, 1);
        let theme: String = conn
            .query_row("SELECT value FROM setting WHERE key = 'density'", [], |r| r.get(0))
            .unwrap();
        assert_eq!(theme, "dark", "the records after it were applied");
        let wall = ctx.clock.last().wall_ms;
        assert!(wall <= qoder_sync::materialise::wall_ms() + qoder_sync::materialise::MAX_DRIFT_MS);
    }

    #[test]
    fn read_marks_track_the_contiguous_prefix() {
        let mut m = ReadMark { contiguous: -1, beyond: Default::default() };
        for (idx, expected) in [(1, -1), (0, 1), (0, 1), (3, 1), (2, 3), (5, 3)] {
            m.mark(idx);
            assert_eq!(m.contiguous, expected, "after {idx}");
        }
        assert_eq!(m.beyond.into_iter().collect::<Vec<_>>(), vec![5]);
    }
}
