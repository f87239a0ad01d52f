//! `sqlx::migrate!` embeds migrations/server at compile time: rebuild when one is added.
//!
//! The admin console (console/, a Vite app) is built into the binary: this lists the files of
//! console/dist (made by `npm ci && npx vite build` in console/, as scripts/setup does) as
//! `include_bytes!` entries in `$OUT_DIR/console_assets.rs`. A missing build fails here, with
//! the command that makes it.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=../migrations/server");
    let dist = Path::new(env!("CARGO_MANIFEST_DIR")).join("console/dist");
    println!("cargo:rerun-if-changed={}", dist.display());
    if !dist.join("index.html").is_file() {
        panic!(
            "\n\nThe admin console is not built: {} is missing.\n\
             Build it first: (cd sync-server/console && npm ci && npx vite build)\n\
             (scripts/setup does this.)\n",
            dist.join("index.html").display()
        );
    }
    let mut files = Vec::new();
    walk(&dist, &mut files);
    files.sort();
    let mut out = String::from(
        "/// The console's built files: (path under /admin/, bytes).\n\
         pub static ASSETS: &[(&str, &[u8])] = &[\n",
    );
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        let rel = file.strip_prefix(&dist).unwrap().to_string_lossy().replace('\\', "/");
        writeln!(out, "    ({rel:?}, include_bytes!({:?})),", file.display().to_string()).unwrap();
    }
    out.push_str("];\n");
    let target = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("console_assets.rs");
    std::fs::write(target, out).unwrap();
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            walk(&path, files);
        } else {
            files.push(path);
        }
    }
}
