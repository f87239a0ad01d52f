//! The `version_correction` table: a user's corrections of what the parser read from a stored
//! version, one value per field (the latest replaces the one before). What a field name means
//! and how a value is applied is the core's business; this module only keeps them.

use crate::error::Result;
use crate::{from_ms, to_ms};
use chrono::{DateTime, Utc};
use qoder_domain::ids::VersionId;
use rusqlite::{Connection, params};

/// One stored correction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Correction {
    /// `name`, `email`, `phone`, `location`, `experience[N].title` / `.employer` / `.dates`.
    pub field: String,
    /// As the user wrote it; empty clears the field.
    pub value: String,
    pub created_at: DateTime<Utc>,
}

/// Store the correction of `field`, replacing an earlier one of the same field.
pub fn set(conn: &Connection, version: VersionId, c: &Correction) -> Result<()> {
    set_raw(conn, &version.to_string(), &c.field, &c.value, to_ms(c.created_at))
}

/// [`set`] with the version id and time as stored (sync writes them so).
pub fn set_raw(conn: &Connection, version: &str, field: &str, value: &str, at: i64) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO version_correction(version_id, field, value, created_at)
         VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(version_id, field)
         DO UPDATE SET value = excluded.value, created_at = excluded.created_at",
    )?
    .execute(params![version, field, value, at])?;
    Ok(())
}

/// The corrections of a version, oldest first.
pub fn for_version(conn: &Connection, version: VersionId) -> Result<Vec<Correction>> {
    let mut stmt = conn.prepare_cached(
        "SELECT field, value, created_at FROM version_correction
          WHERE version_id = ?1 ORDER BY created_at, field",
    )?;
    let rows = stmt.query_map([version.to_string()], |r| {
        Ok(Correction { field: r.get(0)?, value: r.get(1)?, created_at: from_ms(r.get(2)?) })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Take back the correction of `field` (the parser's value applies again). Whether there was one.
pub fn remove(conn: &Connection, version: VersionId, field: &str) -> Result<bool> {
    Ok(conn.execute(
        "DELETE FROM version_correction WHERE version_id = ?1 AND field = ?2",
        params![version.to_string(), field],
    )? > 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Store;
    use crate::version::{self, NewVersion};
    use qoder_domain::version::ResumeVersion;
    use qoder_domain::{AtsReport, ParsedResume};

    fn stored_version(store: &mut Store) -> VersionId {
        let now = Utc::now();
        let family = qoder_domain::version::ResumeFamily {
            id: qoder_domain::ids::ResumeId::new(),
            name: "cv".into(),
            versions: 0,
            created_at: now,
            updated_at: now,
        };
        let v = ResumeVersion {
            id: VersionId::new(),
            resume_id: family.id,
            seq: 1,
            file_name: Some("cv.txt".into()),
            format: None,
            sha256: "ab".repeat(32),
            size: 3,
            ats_score: 50,
            tags: vec![],
            notes: String::new(),
            pinned: false,
            job_ids: vec![],
            created_at: now,
        };
        store
            .write(|tx| {
                crate::resume::insert(tx, &family)?;
                crate::blob::insert(tx, &v.sha256, 3, 0)?;
                version::insert(
                    tx,
                    &NewVersion {
                        version: &v,
                        text: "cv",
                        parsed: &ParsedResume::default(),
                        ats: &AtsReport::from_checks(vec![], "test"),
                    },
                )
            })
            .unwrap();
        v.id
    }

    #[test]
    fn a_field_keeps_its_latest_correction_and_goes_with_its_version() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let id = stored_version(&mut store);
        let c = |field: &str, value: &str, ms| Correction {
            field: field.into(),
            value: value.into(),
            created_at: from_ms(ms),
        };
        store
            .write(|tx| {
                set(tx, id, &c("name", "Jane Doe", 1_000))?;
                set(tx, id, &c("experience[0].title", "Growth Lead", 2_000))?;
                set(tx, id, &c("name", "Jane Q. Doe", 3_000))
            })
            .unwrap();
        assert_eq!(
            for_version(store.conn(), id).unwrap(),
            vec![c("experience[0].title", "Growth Lead", 2_000), c("name", "Jane Q. Doe", 3_000)]
        );
        assert!(store.write(|tx| remove(tx, id, "experience[0].title")).unwrap());
        assert!(!store.write(|tx| remove(tx, id, "experience[0].title")).unwrap());
        assert_eq!(for_version(store.conn(), id).unwrap().len(), 1);
        store.write(|tx| version::delete(tx, id)).unwrap();
        let left: i64 = store
            .conn()
            .query_row("SELECT count(*) FROM version_correction", [], |r| r.get(0))
            .unwrap();
        assert_eq!(left, 0, "corrections go with their version");
    }

    #[test]
    fn a_correction_marks_its_version_for_sync() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let id = stored_version(&mut store);
        store
            .write(|tx| {
                let a = crate::sync::Account {
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
                crate::sync::sign_in(tx, &a)?;
                tx.execute("DELETE FROM sync_dirty", [])?;
                let c = Correction {
                    field: "name".into(),
                    value: "Jane".into(),
                    created_at: Utc::now(),
                };
                set(tx, id, &c)?;
                assert_eq!(
                    crate::sync::dirty(tx, 10)?,
                    vec![("versions".to_string(), id.to_string())]
                );
                Ok::<_, crate::StoreError>(())
            })
            .unwrap();
    }
}
