//! `sqlx::migrate!` embeds migrations/server at compile time: rebuild when one is added.
//!
//! The admin console (console/, a Vite app) is built into the binary: this lists the files of
//! console/dist (made by `npm ci && npx vite build` in console/, as scripts/setup does) as
//! `include_bytes!` entries in `$OUT_DIR/console_assets.rs`. A missing build fails here, with
//! the command that makes it.
//!
//! Each text file (scripts, styles, the page, SVG, JSON) is also gzipped here, at the best level,
//! and embedded beside the original when that saves at least a tenth: the console's handler
//! sends it to browsers that accept gzip (the scripts shrink about 3.5 times).

use std::fmt::Write as _;
use std::io::Write as _;
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
        "/// A built file: (path under /admin/, bytes, gzipped bytes if worth it).\n\
         pub type Asset = (&'static str, &'static [u8], Option<&'static [u8]>);\n\
         /// The console's built files.\n\
         pub static ASSETS: &[Asset] = &[\n",
    );
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    for (i, file) in files.iter().enumerate() {
        println!("cargo:rerun-if-changed={}", file.display());
        let rel = file.strip_prefix(&dist).unwrap().to_string_lossy().replace('\\', "/");
        let gz = gzipped(file).map(|bytes| {
            let path = out_dir.join(format!("console_{i}.gz"));
            std::fs::write(&path, bytes).unwrap();
            format!("Some(include_bytes!({:?}))", path.display().to_string())
        });
        writeln!(
            out,
            "    ({rel:?}, include_bytes!({:?}), {}),",
            file.display().to_string(),
            gz.as_deref().unwrap_or("None")
        )
        .unwrap();
    }
    out.push_str("];\n");
    std::fs::write(out_dir.join("console_assets.rs"), out).unwrap();
}

/// The file gzipped, if it is text and that saves at least a tenth.
fn gzipped(file: &Path) -> Option<Vec<u8>> {
    let ext = file.extension()?.to_str()?;
    if !matches!(ext, "html" | "js" | "css" | "svg" | "json" | "map" | "txt") {
        return None;
    }
    let raw = std::fs::read(file).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&raw).unwrap();
    let gz = gz.finish().unwrap();
    (gz.len() * 10 <= raw.len() * 9).then_some(gz)
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
