//! `cache.sqlite`: embeddings and LLM outputs. Never synced; deleting the file only costs time.

use crate::error::Result;
use crate::{migrate, now_ms, open_connection};
use rusqlite::{Connection, OptionalExtension, params};
use std::path::Path;

pub struct Cache {
    conn: Connection,
}

/// A stored embedding vector.
#[derive(Clone, Debug, PartialEq)]
pub struct Embedding {
    pub dim: u32,
    pub vector: Vec<f32>,
}

impl Cache {
    /// Open (creating) `cache.sqlite` in `dir`.
    pub fn open(dir: &Path) -> Result<Cache> {
        std::fs::create_dir_all(dir)
            .map_err(|e| crate::StoreError::io(format!("cannot create {}", dir.display()), e))?;
        let path = dir.join(crate::CACHE_FILE);
        let mut conn = open_connection(&path)?;
        migrate::run(&mut conn, migrate::CACHE, &path.display().to_string())?;
        Ok(Cache { conn })
    }

    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// The cached vector of `text_hash` under `model_id`, little-endian f32s.
    pub fn embedding_get(&self, text_hash: &str, model_id: &str) -> Result<Option<Embedding>> {
        let row: Option<(i64, Vec<u8>)> = self
            .conn
            .query_row(
                "SELECT dim, vector FROM embedding WHERE text_hash = ?1 AND model_id = ?2",
                params![text_hash, model_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        Ok(row.and_then(|(dim, bytes)| {
            let vector: Vec<f32> = bytes
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect();
            // A row of the wrong length is treated as a miss (it will be recomputed).
            (vector.len() == dim as usize).then_some(Embedding { dim: dim as u32, vector })
        }))
    }

    pub fn embedding_put(&self, text_hash: &str, model_id: &str, vector: &[f32]) -> Result<()> {
        let bytes: Vec<u8> = vector.iter().flat_map(|f| f.to_le_bytes()).collect();
        self.conn.execute(
            "INSERT OR REPLACE INTO embedding(text_hash, model_id, dim, vector) VALUES (?1, ?2, ?3, ?4)",
            params![text_hash, model_id, vector.len() as i64, bytes],
        )?;
        Ok(())
    }

    pub fn llm_get(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM llm_cache WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    /// The cached LLM answer under `key` if it was stored less than `max_age` ago.
    pub fn llm_get_fresh(&self, key: &str, max_age: std::time::Duration) -> Result<Option<String>> {
        let since = now_ms() - max_age.as_millis() as i64;
        Ok(self
            .conn
            .query_row(
                "SELECT value FROM llm_cache WHERE key = ?1 AND created_at >= ?2",
                params![key, since],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Delete LLM answers older than `max_age`; returns how many went.
    pub fn llm_prune(&self, max_age: std::time::Duration) -> Result<usize> {
        let since = now_ms() - max_age.as_millis() as i64;
        Ok(self.conn.execute("DELETE FROM llm_cache WHERE created_at < ?1", [since])?)
    }

    pub fn llm_put(&self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT OR REPLACE INTO llm_cache(key, value, created_at) VALUES (?1, ?2, ?3)",
            params![key, value, now_ms()],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embeddings_and_llm_outputs_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let c = Cache::open(dir.path()).unwrap();
        assert_eq!(c.embedding_get("h", "m").unwrap(), None);
        c.embedding_put("h", "m", &[0.5, -1.25, 3.0]).unwrap();
        let e = c.embedding_get("h", "m").unwrap().unwrap();
        assert_eq!((e.dim, e.vector), (3, vec![0.5, -1.25, 3.0]));
        assert_eq!(c.embedding_get("h", "other").unwrap(), None);
        c.llm_put("k", "v1").unwrap();
        c.llm_put("k", "v2").unwrap();
        assert_eq!(c.llm_get("k").unwrap().as_deref(), Some("v2"));
        drop(c);
        let again = Cache::open(dir.path()).unwrap();
        assert_eq!(again.llm_get("k").unwrap().as_deref(), Some("v2"));
        assert!(dir.path().join(crate::CACHE_FILE).exists());
    }

    #[test]
    fn llm_answers_expire() {
        use std::time::Duration;
        let dir = tempfile::tempdir().unwrap();
        let c = Cache::open(dir.path()).unwrap();
        c.llm_put("new", "a").unwrap();
        c.llm_put("old", "b").unwrap();
        let eight_days = 8 * 86_400_000;
        c.conn
            .execute(
                "UPDATE llm_cache SET created_at = created_at - ?1 WHERE key = 'old'",
                [eight_days],
            )
            .unwrap();
        let week = Duration::from_secs(7 * 86_400);
        assert_eq!(c.llm_get_fresh("new", week).unwrap().as_deref(), Some("a"));
        assert_eq!(c.llm_get_fresh("old", week).unwrap(), None);
        assert_eq!(c.llm_prune(week).unwrap(), 1);
        assert_eq!(c.llm_get("old").unwrap(), None);
    }
}
