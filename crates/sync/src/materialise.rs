//! Replaying records into entity state.
//!
//! Every record's plaintext is a [`Change`]: set some fields of an entity, or delete it. Each
//! change carries a [`Stamp`] (hybrid logical clock, then device id), and the state keeps, per
//! field, the value with the greatest stamp; a delete is a tombstone stamp that hides the entity
//! unless a field was written after it. Merging is a per-field maximum, so it is commutative,
//! associative and idempotent: replaying the same records in any order, with duplicates, gives
//! the same state on every device.
//!
//! Some fields (long text such as a resume's body) must not lose an edit silently. A change
//! records, per field, the stamp of the value it replaced (`base`). For the fields named in
//! [`State::keep_conflicts`], every write is kept; a write that lost to a concurrent one (it is not
//! the winner and no later write was based on it) is a [`ConflictCopy`]. That too is a function of
//! the set of changes, so every device lists the same copies.

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

    /// The latest reading, to save and [`Clock::observe`] again after a restart.
    pub fn last(&self) -> Hlc {
        self.last
    }

    /// Takes a reading seen in a remote change into account, so later local events order after it.
    /// Trusts the reading whatever its time: use [`Clock::observe_at`] for remote changes.
    pub fn observe(&mut self, remote: Hlc) {
        if remote > self.last {
            self.last = remote;
        }
    }

    /// [`Clock::observe`] for a remote reading, with the local wall time `now_ms`: a reading
    /// more than [`MAX_DRIFT_MS`] ahead of it pulls this clock only that far. Otherwise one device
    /// with its clock set years ahead (or one forged record) would move every device's clock
    /// there for good, and their edits would carry that time from then on.
    pub fn observe_at(&mut self, remote: Hlc, now_ms: u64) {
        let cap = Hlc { wall_ms: now_ms.saturating_add(MAX_DRIFT_MS), counter: 0 };
        self.observe(remote.min(cap));
    }
}

/// How far ahead of the local wall clock a remote change may pull this device's clock.
pub const MAX_DRIFT_MS: u64 = 60 * 60 * 1000;

/// The wall clock in milliseconds since the Unix epoch.
pub fn wall_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
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
    Set {
        fields: BTreeMap<String, serde_json::Value>,
        /// Per field, the stamp of the value this edit replaced (absent: a new field).
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        base: BTreeMap<String, Stamp>,
    },
    /// Delete the entity (a tombstone).
    Delete,
}

/// One entity's merged state: per field the winning value and its stamp, the tombstone, and for
/// conflict-keeping fields every write. Serialisable, so a device can keep it on disk and merge
/// one entity at a time (`qoder-core` does).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EntityState {
    #[serde(default)]
    fields: BTreeMap<String, (Stamp, serde_json::Value)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    tombstone: Option<Stamp>,
    /// For conflict-keeping fields: every write, and the stamps later writes were based on.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    history: BTreeMap<String, FieldHistory>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
struct FieldHistory {
    #[serde(with = "stamp_map")]
    writes: BTreeMap<Stamp, serde_json::Value>,
    bases: std::collections::BTreeSet<Stamp>,
}

/// A map keyed by stamps, as a list of pairs (JSON object keys are strings).
mod stamp_map {
    use super::Stamp;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use std::collections::BTreeMap;

    pub fn serialize<S: Serializer>(
        m: &BTreeMap<Stamp, serde_json::Value>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        m.iter().collect::<Vec<_>>().serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<BTreeMap<Stamp, serde_json::Value>, D::Error> {
        Ok(Vec::<(Stamp, serde_json::Value)>::deserialize(d)?.into_iter().collect())
    }
}

impl EntityState {
    /// Merges one change of this entity (any order, any number of times). Writes of the
    /// fields in `keep` are all remembered, for [`EntityState::conflicts`].
    pub fn apply(&mut self, change: &Change, keep: &std::collections::BTreeSet<String>) {
        match &change.op {
            Op::Set { fields, base } => {
                for (name, value) in fields {
                    if keep.contains(name) {
                        let h = self.history.entry(name.clone()).or_default();
                        h.writes.insert(change.stamp, value.clone());
                        if let Some(b) = base.get(name) {
                            h.bases.insert(*b);
                        }
                    }
                    let newer = self.fields.get(name).is_none_or(|(s, _)| change.stamp > *s);
                    if newer {
                        self.fields.insert(name.clone(), (change.stamp, value.clone()));
                    }
                }
            }
            Op::Delete => {
                if self.tombstone.is_none_or(|t| change.stamp > t) {
                    self.tombstone = Some(change.stamp);
                }
            }
        }
    }

    /// The stamp of a field's current value, if it has one.
    pub fn stamp_of(&self, field: &str) -> Option<Stamp> {
        self.fields.get(field).map(|(s, _)| *s)
    }

    /// The live fields: empty when the entity was deleted after its last field write. An edit
    /// stamped after a delete was made without seeing it (a device cannot edit what it has
    /// deleted), so it wins and brings the entity back whole, with every field's latest value:
    /// nothing anyone wrote is lost, and a row never comes back half-filled.
    pub fn live(&self) -> BTreeMap<String, serde_json::Value> {
        let revived = self.fields.values().any(|(s, _)| self.tombstone.is_none_or(|t| *s > t));
        if !revived {
            return BTreeMap::new();
        }
        self.fields.iter().map(|(k, (_, v))| (k.clone(), v.clone())).collect()
    }

    /// Losing concurrent edits of the conflict-keeping fields of this entity (named `id`).
    pub fn conflicts(&self, id: &str) -> Vec<ConflictCopy> {
        let mut out = Vec::new();
        for (field, h) in &self.history {
            let winner = self.stamp_of(field);
            for (stamp, value) in &h.writes {
                if Some(*stamp) != winner && !h.bases.contains(stamp) {
                    out.push(ConflictCopy {
                        entity: id.to_string(),
                        field: field.clone(),
                        stamp: *stamp,
                        value: value.clone(),
                    });
                }
            }
        }
        out
    }
}

/// A value of a conflict-keeping field that lost to a concurrent edit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConflictCopy {
    pub entity: String,
    pub field: String,
    pub stamp: Stamp,
    pub value: serde_json::Value,
}

/// The materialised state of one collection.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct State {
    entities: BTreeMap<String, EntityState>,
    keep: std::collections::BTreeSet<String>,
}

impl State {
    /// A state that keeps losing edits of these fields as conflict copies.
    pub fn keep_conflicts<I: IntoIterator<Item = S>, S: Into<String>>(fields: I) -> Self {
        Self { keep: fields.into_iter().map(Into::into).collect(), ..Self::default() }
    }

    /// The stamp of a field's current value, if it has one.
    pub fn stamp_of(&self, entity: &str, field: &str) -> Option<Stamp> {
        self.entities.get(entity).and_then(|e| e.stamp_of(field))
    }

    /// Losing concurrent edits of conflict-keeping fields, by entity, field and stamp.
    pub fn conflicts(&self) -> Vec<ConflictCopy> {
        self.entities.iter().flat_map(|(id, e)| e.conflicts(id)).collect()
    }

    /// Merges one change (any order, any number of times).
    pub fn apply(&mut self, change: &Change) {
        self.entities.entry(change.entity.clone()).or_default().apply(change, &self.keep);
    }

    /// The live entities and their field values (see [`EntityState::live`]).
    pub fn view(&self) -> BTreeMap<String, BTreeMap<String, serde_json::Value>> {
        self.entities
            .iter()
            .map(|(id, e)| (id.clone(), e.live()))
            .filter(|(_, live)| !live.is_empty())
            .collect()
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
            op: Op::Set { fields: BTreeMap::from([(field.to_string(), v)]), base: BTreeMap::new() },
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

    #[test]
    fn a_remote_clock_far_ahead_pulls_this_one_only_so_far() {
        let now = 1_800_000_000_000;
        let mut c = Clock::default();
        c.observe_at(Hlc { wall_ms: now + 1000, counter: 7 }, now);
        assert_eq!(c.last(), Hlc { wall_ms: now + 1000, counter: 7 }, "small drift is followed");
        let year = 365 * 24 * 3600 * 1000;
        c.observe_at(Hlc { wall_ms: now + 30 * year, counter: 0 }, now);
        assert_eq!(c.last().wall_ms, now + MAX_DRIFT_MS, "clamped");
        // Once real time passes the clamp, local events carry real time again.
        let later = now + MAX_DRIFT_MS + 5;
        assert_eq!(c.tick(later), Hlc { wall_ms: later, counter: 0 });
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
        // A delete after the writes hides the entity; a concurrent write stamped after the
        // delete revives it whole.
        check(&[set("j", stamp(1, 1), "title", json!("a")), del("j", stamp(2, 1))], json!({}));
        check(
            &[
                set("j", stamp(1, 1), "title", json!("a")),
                del("j", stamp(2, 1)),
                set("j", stamp(3, 2), "status", json!("offer")),
            ],
            json!({"j": {"status": "offer", "title": "a"}}),
        );
    }

    #[test]
    fn losing_concurrent_text_edits_are_kept_as_conflict_copies() {
        let edit = |s: Stamp, v: &str, base: Option<Stamp>| Change {
            entity: "r".into(),
            stamp: s,
            op: Op::Set {
                fields: BTreeMap::from([("body".to_string(), json!(v))]),
                base: base.map(|b| BTreeMap::from([("body".to_string(), b)])).unwrap_or_default(),
            },
        };
        let v0 = edit(stamp(1, 1), "v0", None);
        let seq = edit(stamp(2, 1), "v1", Some(stamp(1, 1))); // edited on top of v0
        let a = edit(stamp(3, 1), "laptop", Some(stamp(2, 1))); // concurrent with b
        let b = edit(stamp(3, 2), "desktop", Some(stamp(2, 1)));
        let all = [v0, seq, a, b];
        let mut forward = State::keep_conflicts(["body"]);
        all.iter().for_each(|c| forward.apply(c));
        let mut backward = State::keep_conflicts(["body"]);
        all.iter().rev().chain(all.iter()).for_each(|c| backward.apply(c));
        assert_eq!(forward, backward);
        assert_eq!(forward.view()["r"]["body"], json!("desktop"));
        let copies = forward.conflicts();
        assert_eq!(copies.len(), 1, "{copies:?}");
        assert_eq!((copies[0].value.clone(), copies[0].stamp), (json!("laptop"), stamp(3, 1)));
        // The per-entity state survives a trip through JSON (devices keep it on disk).
        let entity = forward.entities["r"].clone();
        let back: EntityState =
            serde_json::from_str(&serde_json::to_string(&entity).unwrap()).unwrap();
        assert_eq!(back, entity);
        assert_eq!(back.conflicts("r"), copies);
        // A field not configured keeps no history.
        let mut plain = State::default();
        all.iter().for_each(|c| plain.apply(c));
        assert!(plain.conflicts().is_empty());
    }
}
