//! One device's copy of a collection: its own log (with an outbox of records not yet
//! acknowledged by the server), the materialised state, and how far each device's log has been
//! read.

use std::collections::{BTreeMap, BTreeSet};

use uuid::Uuid;

use crate::client::{Client, ClientError};
use crate::crypto::{self, DataKey, RecordMeta};
use crate::materialise::{Change, Clock, ConflictCopy, Op, Stamp, State};
use crate::wire::Record;

/// How far one device's log has been read: every index up to `contiguous` was applied, and the
/// indices in `beyond` too.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadMark {
    pub contiguous: i64,
    pub beyond: BTreeSet<i64>,
}

impl Default for ReadMark {
    fn default() -> Self {
        Self { contiguous: -1, beyond: BTreeSet::new() }
    }
}

impl ReadMark {
    /// Records that index `idx` was applied.
    pub fn mark(&mut self, idx: i64) {
        if idx > self.contiguous {
            self.beyond.insert(idx);
        }
        while self.beyond.remove(&(self.contiguous + 1)) {
            self.contiguous += 1;
        }
    }
}

pub struct Replica {
    user_id: Uuid,
    device_id: Uuid,
    collection: String,
    key: DataKey,
    clock: Clock,
    next_idx: i64,
    outbox: Vec<Record>,
    state: State,
    read: BTreeMap<Uuid, ReadMark>,
}

impl Replica {
    /// A replica; edits of `keep_conflicts` fields that lose to a concurrent edit are kept as
    /// conflict copies.
    pub fn new(
        user_id: Uuid,
        device_id: Uuid,
        collection: &str,
        key: DataKey,
        keep_conflicts: &[&str],
    ) -> Self {
        Self {
            user_id,
            device_id,
            collection: collection.to_string(),
            key,
            clock: Clock::default(),
            next_idx: 0,
            outbox: Vec::new(),
            state: State::keep_conflicts(keep_conflicts.iter().copied()),
            read: BTreeMap::new(),
        }
    }

    pub fn device_id(&self) -> Uuid {
        self.device_id
    }

    /// Records written here and not yet acknowledged by the server.
    pub fn outbox(&self) -> &[Record] {
        &self.outbox
    }

    /// The live entities of the collection.
    pub fn view(&self) -> BTreeMap<String, BTreeMap<String, serde_json::Value>> {
        self.state.view()
    }

    /// Losing concurrent edits of the conflict-keeping fields.
    pub fn conflicts(&self) -> Vec<ConflictCopy> {
        self.state.conflicts()
    }

    /// Sets fields of an entity at wall time `now_ms`.
    pub fn set(
        &mut self,
        entity: &str,
        fields: BTreeMap<String, serde_json::Value>,
        now_ms: u64,
    ) -> Result<&Record, ClientError> {
        let base = fields
            .keys()
            .filter_map(|f| self.state.stamp_of(entity, f).map(|s| (f.clone(), s)))
            .collect();
        self.write(entity, Op::Set { fields, base }, now_ms)
    }

    /// Deletes an entity at wall time `now_ms`.
    pub fn delete(&mut self, entity: &str, now_ms: u64) -> Result<&Record, ClientError> {
        self.write(entity, Op::Delete, now_ms)
    }

    fn write(&mut self, entity: &str, op: Op, now_ms: u64) -> Result<&Record, ClientError> {
        let stamp = Stamp { hlc: self.clock.tick(now_ms), device_id: self.device_id };
        let change = Change { entity: entity.to_string(), stamp, op };
        let plaintext =
            serde_json::to_vec(&change).map_err(|e| ClientError::Record(e.to_string()))?;
        let idx = self.next_idx;
        let meta = RecordMeta {
            user_id: self.user_id,
            device_id: self.device_id,
            collection: &self.collection,
            idx,
        };
        let ciphertext = crypto::seal(&self.key, meta, &plaintext)?;
        self.state.apply(&change);
        self.read.entry(self.device_id).or_default().mark(idx);
        self.next_idx += 1;
        self.outbox.push(Record {
            id: Uuid::now_v7(),
            device_id: self.device_id,
            collection: self.collection.clone(),
            idx,
            ts: i64::try_from(now_ms).unwrap_or(i64::MAX),
            ciphertext,
        });
        self.outbox.last().ok_or_else(|| ClientError::Record("empty outbox".into()))
    }

    /// Forgets outbox records the server has acknowledged.
    pub fn acknowledge(&mut self, pushed: &[Record]) {
        self.outbox.retain(|r| !pushed.iter().any(|p| p.id == r.id));
    }

    /// Decrypts and applies records pulled from the server (any order, duplicates allowed).
    pub fn receive(&mut self, records: &[Record]) -> Result<(), ClientError> {
        for r in records {
            if r.collection != self.collection {
                continue;
            }
            let meta = RecordMeta {
                user_id: self.user_id,
                device_id: r.device_id,
                collection: &r.collection,
                idx: r.idx,
            };
            let plaintext = crypto::open(&self.key, meta, &r.ciphertext)?;
            let change: Change = serde_json::from_slice(&plaintext)
                .map_err(|e| ClientError::Record(e.to_string()))?;
            if change.stamp.device_id != r.device_id {
                return Err(ClientError::Record(format!("record {} claims another device", r.id)));
            }
            self.clock.observe_at(change.stamp.hlc, crate::materialise::wall_ms());
            self.state.apply(&change);
            self.read.entry(r.device_id).or_default().mark(r.idx);
            if r.device_id == self.device_id && r.idx >= self.next_idx {
                self.next_idx = r.idx + 1;
            }
        }
        Ok(())
    }

    /// Pushes the outbox, then pulls every log of the collection past what was read.
    pub async fn sync(&mut self, client: &Client) -> Result<(), ClientError> {
        if !self.outbox.is_empty() {
            let batch = self.outbox.clone();
            client.push(&batch).await?;
            self.acknowledge(&batch);
        }
        let status = client.status().await?;
        let collection = self.collection.clone();
        for head in status.logs.iter().filter(|h| h.collection == collection) {
            loop {
                let after = self.read.get(&head.device_id).map_or(-1, |m| m.contiguous);
                if after >= head.max_idx {
                    break;
                }
                let page = client.pull(head.device_id, &collection, after, 500).await?;
                self.receive(&page.records)?;
                let now = self.read.get(&head.device_id).map_or(-1, |m| m.contiguous);
                // No progress: the log has a gap the device has not pushed yet; read on later.
                if page.records.is_empty() || now == after {
                    break;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_mark_tracks_contiguous_prefix() {
        let mut m = ReadMark::default();
        for (idx, expected) in [(1, -1), (0, 1), (0, 1), (3, 1), (2, 3), (5, 3)] {
            m.mark(idx);
            assert_eq!(m.contiguous, expected, "after {idx}");
        }
    }
}
