//! Schema migrations, embedded from `migrations/local`. `PRAGMA user_version` holds how many
//! have run; a database with a higher number was made by a newer app and is refused, untouched.

use crate::error::{Result, StoreError};
use rusqlite::{Connection, TransactionBehavior};

/// `'Qodr'`: marks our files so we never migrate someone else's database.
pub const APPLICATION_ID: i64 = 0x516F_6472;

pub struct Migration {
    pub name: &'static str,
    pub sql: &'static str,
}

/// The user-data database (qoder.sqlite). Append only.
pub const MAIN: &[Migration] = &[
    Migration { name: "0001_init", sql: include_str!("../../../migrations/local/0001_init.sql") },
    Migration {
        name: "0002_match_run",
        sql: include_str!("../../../migrations/local/0002_match_run.sql"),
    },
    Migration {
        name: "0003_llm_usage",
        sql: include_str!("../../../migrations/local/0003_llm_usage.sql"),
    },
    Migration { name: "0004_sync", sql: include_str!("../../../migrations/local/0004_sync.sql") },
    Migration {
        name: "0005_version_correction",
        sql: include_str!("../../../migrations/local/0005_version_correction.sql"),
    },
    Migration {
        name: "0006_sync_set_aside",
        sql: include_str!("../../../migrations/local/0006_sync_set_aside.sql"),
    },
    Migration { name: "0007_bulk", sql: include_str!("../../../migrations/local/0007_bulk.sql") },
    Migration {
        name: "0008_bulk_skills",
        sql: include_str!("../../../migrations/local/0008_bulk_skills.sql"),
    },
    Migration {
        name: "0009_notice",
        sql: include_str!("../../../migrations/local/0009_notice.sql"),
    },
    Migration {
        name: "0010_calendar",
        sql: include_str!("../../../migrations/local/0010_calendar.sql"),
    },
];

/// The cache database (cache.sqlite). Append only.
pub const CACHE: &[Migration] = &[Migration {
    name: "0001_cache",
    sql: include_str!("../../../migrations/local/cache/0001_cache.sql"),
}];

/// Bring `conn` up to date with `migrations`, each in its own transaction. Two processes may
/// race here: the write lock is taken before the version is read, so only one applies a step.
pub fn run(conn: &mut Connection, migrations: &[Migration], path: &str) -> Result<()> {
    let supported = migrations.len() as i64;
    loop {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let app_id: i64 = tx.query_row("PRAGMA application_id", [], |r| r.get(0))?;
        let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if app_id != 0 && app_id != APPLICATION_ID {
            return Err(StoreError::Foreign { path: path.to_string(), found: app_id });
        }
        if version > supported {
            return Err(StoreError::Incompatible {
                path: path.to_string(),
                found: version,
                supported,
            });
        }
        if version == supported {
            return Ok(());
        }
        if version == 0 {
            let objects: i64 =
                tx.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
            if objects > 0 && app_id == 0 {
                return Err(StoreError::Foreign { path: path.to_string(), found: app_id });
            }
        }
        let m = &migrations[version as usize];
        tx.execute_batch(m.sql)
            .map_err(|e| StoreError::Corrupt(format!("migration {} failed: {e}", m.name)))?;
        tx.execute_batch(&format!(
            "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {};",
            version + 1
        ))?;
        tx.commit()?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use qoder_domain::CodedError;

    #[test]
    fn migration_names_are_numbered_in_order() {
        for list in [MAIN, CACHE] {
            for (i, m) in list.iter().enumerate() {
                assert!(m.name.starts_with(&format!("{:04}_", i + 1)), "{}", m.name);
            }
        }
    }

    #[test]
    fn newer_database_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.sqlite");
        let mut c = Connection::open(&path).unwrap();
        run(&mut c, MAIN, "x").unwrap();
        c.execute_batch("PRAGMA user_version = 99").unwrap();
        let err = run(&mut c, MAIN, "x").unwrap_err();
        assert!(matches!(err, StoreError::Incompatible { found: 99, .. }), "{err}");
        assert_eq!(err.code(), qoder_domain::ErrorCode::IncompatibleDatabase);
        let v: i64 = c.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert_eq!(v, 99);
    }

    #[test]
    fn foreign_database_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let mut c = Connection::open(dir.path().join("y.sqlite")).unwrap();
        c.execute_batch("CREATE TABLE t(x)").unwrap();
        assert!(matches!(run(&mut c, MAIN, "y").unwrap_err(), StoreError::Foreign { .. }));
    }
}
