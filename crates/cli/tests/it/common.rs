//! Running the `qoder` executable over a data directory.

use std::path::Path;
use std::process::{Command, Output};

/// `qoder ARGS` with `dir` as its data directory and `envs` set.
pub fn qoder(dir: &Path, args: &[&str], envs: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qoder"))
        .args(args)
        .env("QODER_DATA_DIR", dir)
        .envs(envs.iter().copied())
        .output()
        .expect("run qoder")
}

/// Its stdout, after checking that it succeeded.
pub fn ok(dir: &Path, args: &[&str], envs: &[(&str, &str)]) -> String {
    let o = qoder(dir, args, envs);
    assert!(o.status.success(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).expect("utf-8 stdout")
}

/// The sync account password the server tests sign in with.
pub const PASSWORD: &str = "correct horse battery staple";

/// The PostgreSQL server to make scratch databases on ($QODER_TEST_PG).
pub fn pg_admin() -> String {
    std::env::var("QODER_TEST_PG").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}
