//! Original files, content-addressed: `files/<sha256[0..2]>/<sha256>`, and the `blob` table
//! that says which ones the database knows.
//!
//! A file is written before the row that names it is committed and removed after the row is
//! gone, so a crash leaves at worst an orphan file, which [`sweep_orphans`] removes.

use crate::error::{Result, StoreError};
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn valid_hash(sha: &str) -> bool {
    sha.len() == 64 && sha.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

/// Where the file with this hash lives.
pub fn path(files_dir: &Path, sha: &str) -> Result<PathBuf> {
    if !valid_hash(sha) {
        return Err(StoreError::Corrupt(format!("bad file hash {sha:?}")));
    }
    Ok(files_dir.join(&sha[..2]).join(sha))
}

/// Write `bytes` under their hash (atomically: temporary file, fsync, rename) and return it.
pub fn write_file(files_dir: &Path, bytes: &[u8]) -> Result<String> {
    let sha = sha256_hex(bytes);
    let dest = path(files_dir, &sha)?;
    if dest.exists() {
        return Ok(sha);
    }
    let parent = dest.parent().unwrap_or(files_dir);
    std::fs::create_dir_all(parent)
        .map_err(|e| StoreError::io(format!("cannot create {}", parent.display()), e))?;
    let tmp = parent.join(format!(".{sha}.{}.tmp", std::process::id()));
    let io = |e| StoreError::io(format!("cannot write {}", tmp.display()), e);
    {
        let mut f = std::fs::File::create(&tmp).map_err(io)?;
        f.write_all(bytes).map_err(io)?;
        f.sync_all().map_err(io)?;
    }
    std::fs::rename(&tmp, &dest)
        .map_err(|e| StoreError::io(format!("cannot move {} into place", tmp.display()), e))?;
    Ok(sha)
}

/// Read a stored file and check it still has its hash.
pub fn read_file(files_dir: &Path, sha: &str) -> Result<Vec<u8>> {
    let p = path(files_dir, sha)?;
    let bytes =
        std::fs::read(&p).map_err(|e| StoreError::io(format!("cannot read {}", p.display()), e))?;
    if sha256_hex(&bytes) != sha {
        return Err(StoreError::Corrupt(format!("{} does not match its hash", p.display())));
    }
    Ok(bytes)
}

/// Remove a stored file; a missing file is not an error.
pub fn remove_file(files_dir: &Path, sha: &str) -> Result<()> {
    let p = path(files_dir, sha)?;
    match std::fs::remove_file(&p) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(StoreError::io(format!("cannot remove {}", p.display()), e)),
    }
}

pub fn insert(conn: &Connection, sha: &str, size: u64, at_ms: i64) -> Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO blob(sha256, size, created_at) VALUES (?1, ?2, ?3)",
        params![sha, size as i64, at_ms],
    )?;
    Ok(())
}

pub fn exists(conn: &Connection, sha: &str) -> Result<bool> {
    Ok(conn
        .query_row("SELECT 1 FROM blob WHERE sha256 = ?1", [sha], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Delete the row when no version uses the file any more; returns whether it was deleted.
pub fn delete_if_unused(conn: &Connection, sha: &str) -> Result<bool> {
    let n = conn.execute(
        "DELETE FROM blob WHERE sha256 = ?1
           AND NOT EXISTS (SELECT 1 FROM resume_version WHERE sha256 = ?1)",
        [sha],
    )?;
    Ok(n > 0)
}

/// Remove files (and stale temporary files) that no `blob` row names. Returns how many.
pub fn sweep_orphans(conn: &Connection, files_dir: &Path) -> Result<u32> {
    let mut removed = 0;
    let Ok(dirs) = std::fs::read_dir(files_dir) else { return Ok(0) };
    for d in dirs.flatten() {
        let Ok(entries) = std::fs::read_dir(d.path()) else { continue };
        for f in entries.flatten() {
            let name = f.file_name().to_string_lossy().into_owned();
            let orphan =
                if valid_hash(&name) { !exists(conn, &name)? } else { name.ends_with(".tmp") };
            if orphan && std::fs::remove_file(f.path()).is_ok() {
                removed += 1;
            }
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_round_trip_by_hash() {
        let dir = tempfile::tempdir().unwrap();
        let sha = write_file(dir.path(), b"hello").unwrap();
        assert_eq!(sha, "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
        assert_eq!(write_file(dir.path(), b"hello").unwrap(), sha);
        assert_eq!(read_file(dir.path(), &sha).unwrap(), b"hello");
        assert!(path(dir.path(), "../../etc/passwd").is_err());
        remove_file(dir.path(), &sha).unwrap();
        remove_file(dir.path(), &sha).unwrap();
        assert!(read_file(dir.path(), &sha).is_err());
    }
}
