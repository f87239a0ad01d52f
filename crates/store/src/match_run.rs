//! The `match_run` table: the history of match scores (resume × job description over time).

use crate::error::{Result, StoreError};
use crate::{from_ms, parse_id, to_ms};
use qoder_domain::matching::MatchRecord;
use rusqlite::{Connection, params};

const COLUMNS: &str = "id, resume_sha256, resume_label, version_id, jd_sha256, jd_title, job_id, \
                       score, components_json, semantic, model_id, created_at";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<MatchRecord> {
    let id: String = r.get(0)?;
    let version: Option<String> = r.get(3)?;
    let job: Option<String> = r.get(6)?;
    let components: String = r.get(8)?;
    let score: i64 = r.get(7)?;
    Ok(MatchRecord {
        id: parse_id(&id, "match")?,
        resume_sha256: r.get(1)?,
        resume_label: r.get(2)?,
        version_id: version.map(|v| parse_id(&v, "version")).transpose()?,
        jd_sha256: r.get(4)?,
        jd_title: r.get(5)?,
        job_id: job.map(|j| parse_id(&j, "job")).transpose()?,
        score: score.clamp(0, 100) as u8,
        components: serde_json::from_str(&components)
            .map_err(|e| crate::conversion(format!("bad components of match {id}: {e}")))?,
        semantic: r.get(9)?,
        model_id: r.get(10)?,
        created_at: from_ms(r.get(11)?),
    })
}

pub fn insert(conn: &Connection, m: &MatchRecord) -> Result<()> {
    let components =
        serde_json::to_string(&m.components).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    conn.execute(
        "INSERT INTO match_run(id, resume_sha256, resume_label, version_id, jd_sha256, jd_title,
            job_id, score, components_json, semantic, model_id, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            m.id.to_string(),
            m.resume_sha256,
            m.resume_label,
            m.version_id.map(|v| v.to_string()),
            m.jd_sha256,
            m.jd_title,
            m.job_id.map(|j| j.to_string()),
            i64::from(m.score),
            components,
            m.semantic,
            m.model_id,
            to_ms(m.created_at)
        ],
    )?;
    Ok(())
}

/// Which matches to list. A `None` field does not filter.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub resume_sha256: Option<String>,
    pub jd_sha256: Option<String>,
    /// Most rows returned (the newest ones); 0 means 1,000.
    pub limit: usize,
}

/// Matches oldest first (the newest `limit` of them).
pub fn list(conn: &Connection, f: &Filter) -> Result<Vec<MatchRecord>> {
    let limit = if f.limit == 0 { 1_000 } else { f.limit.min(100_000) } as i64;
    let sql = format!(
        "SELECT {COLUMNS} FROM (
            SELECT {COLUMNS}, pk FROM match_run
            WHERE (?1 IS NULL OR resume_sha256 = ?1) AND (?2 IS NULL OR jd_sha256 = ?2)
            ORDER BY created_at DESC, pk DESC LIMIT ?3
         ) ORDER BY created_at, pk"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt
        .query_map(params![f.resume_sha256, f.jd_sha256, limit], row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Store;
    use qoder_domain::matching::{ComponentKind, ScoreComponent};

    fn record(resume: &str, jd: &str, score: u8, at_ms: i64) -> MatchRecord {
        MatchRecord {
            id: uuid::Uuid::now_v7(),
            resume_sha256: resume.into(),
            resume_label: Some(format!("{resume}.pdf")),
            version_id: None,
            jd_sha256: jd.into(),
            jd_title: Some("Engineer".into()),
            job_id: None,
            score,
            components: vec![ScoreComponent {
                kind: ComponentKind::RequiredSkills,
                weight: 40.0,
                points: 20.0,
                applicable: true,
                evidence: "2 of 4".into(),
            }],
            semantic: true,
            model_id: Some("m".into()),
            created_at: from_ms(at_ms),
        }
    }

    #[test]
    fn history_round_trips_and_filters() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let a = record("r1", "j1", 50, 1_000);
        let b = record("r2", "j1", 70, 2_000);
        let c = record("r2", "j2", 30, 3_000);
        store
            .write(|tx| -> Result<()> {
                for m in [&c, &a, &b] {
                    insert(tx, m)?;
                }
                Ok(())
            })
            .unwrap();
        let all = list(store.conn(), &Filter::default()).unwrap();
        assert_eq!(all.iter().map(|m| m.score).collect::<Vec<_>>(), vec![50, 70, 30]);
        assert_eq!(all[0], a);
        let j1 = Filter { jd_sha256: Some("j1".into()), ..Filter::default() };
        assert_eq!(list(store.conn(), &j1).unwrap().len(), 2);
        let r2j1 = Filter { resume_sha256: Some("r2".into()), ..j1.clone() };
        assert_eq!(list(store.conn(), &r2j1).unwrap(), vec![b.clone()]);
        let newest = Filter { limit: 1, ..Filter::default() };
        assert_eq!(list(store.conn(), &newest).unwrap(), vec![c]);
    }
}
