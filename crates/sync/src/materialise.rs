//! Replaying records into entity state.
//!
//! Every record's plaintext is a [`Change`]: set some fields of an entity, or delete it. Each
//! change carries a [`Stamp`] (hybrid logical clock, then device id), and the state keeps, per
//! field, the value with the greatest stamp; a delete is a tombstone stamp that hides the entity
//! unless a field was written after it. Merging is a per-field maximum, so it is commutative,
//! associative and idempotent: replaying the same records in any order, with duplicates, gives
//! the same state on every device.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A hybrid logical clock reading: wall time in milliseconds, then a counter for events within
/// the same millisecond (or while the wall clock is behind a clock already seen).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Hlc {
    pub wall_ms: u64,
    pub counter: u32,
}

/// A device's hybrid logical clock.
#[derive(Clone, Debug, Default)]
pub struct Clock {
    last: Hlc,
}

impl Clock {
    /// The reading for a local event at wall time `now_ms`.
    pub fn tick(&mut self, now_ms: u64) -> Hlc {
        self.last = if now_ms > self.last.wall_ms {
            Hlc { wall_ms: now_ms, counter: 0 }
        } else {
            Hlc { wall_ms: self.last.wall_ms, counter: self.last.counter.saturating_add(1) }
        };
        self.last
    }

    /// Takes a reading seen in a remote change into account, so later local events order after it.
    pub fn observe(&mut self, remote: Hlc) {
        if remote > self.last {
            self.last = remote;
        }
    }
}

/// Total order of changes: clock first, then device id to break ties deterministically.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Stamp {
    pub hlc: Hlc,
    pub device_id: Uuid,
}

/// What one record says happened.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub entity: String,
    pub stamp: Stamp,
    pub op: Op,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Op {
    /// Set these fields (others are untouched).
    Set { fields: BTreeMap<String, serde_json::Value> },
    /// Delete the entity (a tombstone).
    Delete,
}

#[derive(Clone, Debug, Default, PartialEq)]
struct EntityState {
    fields: BTreeMap<String, (Stamp, serde_json::Value)>,
    tombstone: Option<Stamp>,
}

/// The materialised state of one collection.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct State {
    entities: BTreeMap<String, EntityState>,
}

impl State {
    /// Merges one change (any order, any number of times).
    pub fn apply(&mut self, change: &Change) {
        let entity = self.entities.entry(change.entity.clone()).or_default();
        match &change.op {
            Op::Set { fields } => {
                for (name, value) in fields {
                    let newer = entity.fields.get(name).is_none_or(|(s, _)| change.stamp > *s);
                    if newer {
                        entity.fields.insert(name.clone(), (change.stamp, value.clone()));
                    }
                }
            }
            Op::Delete => {
                if entity.tombstone.is_none_or(|t| change.stamp > t) {
                    entity.tombstone = Some(change.stamp);
                }
            }
        }
    }

    /// The live entities and their field values: an entity deleted after its last field write is
    /// gone; fields written after a delete bring it back with only those fields.
    pub fn view(&self) -> BTreeMap<String, BTreeMap<String, serde_json::Value>> {
        let mut out = BTreeMap::new();
        for (id, e) in &self.entities {
            let live: BTreeMap<_, _> = e
                .fields
                .iter()
                .filter(|(_, (s, _))| e.tombstone.is_none_or(|t| *s > t))
                .map(|(k, (_, v))| (k.clone(), v.clone()))
                .collect();
            if !live.is_empty() {
                out.insert(id.clone(), live);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn stamp(ms: u64, dev: u128) -> Stamp {
        Stamp { hlc: Hlc { wall_ms: ms, counter: 0 }, device_id: Uuid::from_u128(dev) }
    }

    fn set(entity: &str, s: Stamp, field: &str, v: serde_json::Value) -> Change {
        Change {
            entity: entity.into(),
            stamp: s,
            op: Op::Set { fields: BTreeMap::from([(field.to_string(), v)]) },
        }
    }

    fn del(entity: &str, s: Stamp) -> Change {
        Change { entity: entity.into(), stamp: s, op: Op::Delete }
    }

    #[test]
    fn clock_is_monotonic() {
        let mut c = Clock::default();
        let a = c.tick(100);
        let b = c.tick(90); // wall clock went back
        assert!(b > a);
        c.observe(Hlc { wall_ms: 500, counter: 3 });
        let d = c.tick(200);
        assert!(d > Hlc { wall_ms: 500, counter: 3 });
    }

    fn check(changes: &[Change], expected: serde_json::Value) {
        // Every order and a duplicated replay give the same view.
        let mut forward = State::default();
        changes.iter().for_each(|c| forward.apply(c));
        let mut backward = State::default();
        changes.iter().rev().chain(changes.iter()).for_each(|c| backward.apply(c));
        assert_eq!(forward, backward);
        assert_eq!(serde_json::to_value(forward.view()).unwrap(), expected);
    }

    #[test]
    fn last_writer_wins_per_field_and_tombstones() {
        check(
            &[
                set("j", stamp(1, 1), "title", json!("a")),
                set("j", stamp(2, 2), "title", json!("b")),
            ],
            json!({"j": {"title": "b"}}),
        );
        // Same clock: the greater device id wins.
        check(
            &[
                set("j", stamp(5, 2), "title", json!("x")),
                set("j", stamp(5, 1), "title", json!("y")),
            ],
            json!({"j": {"title": "x"}}),
        );
        // Different fields both survive.
        check(
            &[
                set("j", stamp(1, 1), "title", json!("a")),
                set("j", stamp(1, 2), "company", json!("c")),
            ],
            json!({"j": {"company": "c", "title": "a"}}),
        );
        // A delete after the writes hides the entity; a write after the delete revives it.
        check(&[set("j", stamp(1, 1), "title", json!("a")), del("j", stamp(2, 1))], json!({}));
        check(
            &[
                set("j", stamp(1, 1), "title", json!("a")),
                del("j", stamp(2, 1)),
                set("j", stamp(3, 2), "status", json!("offer")),
            ],
            json!({"j": {"status": "offer"}}),
        );
    }
}
