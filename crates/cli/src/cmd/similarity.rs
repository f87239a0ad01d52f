//! `qoder similarity TEXT TEXT [TEXT…] [--json]`: the cosine similarity matrix of the texts'
//! embeddings (all-MiniLM-L6-v2, run locally). A debugging aid for the semantic matching.

use crate::exit::{CliError, CliResult};
use qoder_domain::ErrorCode;
use qoder_embed::{EmbedConfig, EmbedError, Embedder, cosine, default_model_dir};

#[derive(clap::Args)]
pub struct Args {
    /// The texts to compare (at least two).
    #[arg(required = true, num_args = 2..)]
    pub texts: Vec<String>,
    /// Print {"model": ..., "texts": [...], "matrix": [[...]]} instead of a table.
    #[arg(long)]
    pub json: bool,
}

fn embed_error(e: EmbedError) -> CliError {
    match e {
        EmbedError::Setting { .. } => CliError::bad_input(e.to_string()),
        other => CliError::new(ErrorCode::Internal, other.to_string()),
    }
}

pub fn run(args: Args) -> CliResult {
    if args.texts.len() < 2 {
        return Err(CliError::bad_input("give at least two texts to compare"));
    }
    let threads = qoder_embed::thread_count_from_env().map_err(embed_error)?;
    // Still single-threaded here: nothing has spawned a thread before a sub-command runs.
    qoder_embed::set_thread_count_at_startup(threads);
    let config = EmbedConfig::from_env().map_err(embed_error)?;
    let embedder = Embedder::load_with(default_model_dir(), config).map_err(embed_error)?;
    let refs: Vec<&str> = args.texts.iter().map(String::as_str).collect();
    let vectors = embedder.embed(&refs).map_err(embed_error)?;
    // rounded to 4 decimals in f64, so JSON shows 0.6357 rather than 0.635699987411499
    let matrix: Vec<Vec<f64>> = vectors
        .iter()
        .map(|a| vectors.iter().map(|b| (f64::from(cosine(a, b)) * 1e4).round() / 1e4).collect())
        .collect();

    if args.json {
        let out = serde_json::json!({
            "model": embedder.model_id(),
            "texts": args.texts,
            "matrix": matrix,
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    print!("{}", table(&args.texts, &matrix));
    println!("model: {}", embedder.model_id());
    Ok(())
}

/// The matrix as an aligned table: a numbered legend of the texts, then rows and columns
/// labelled by number.
fn table(texts: &[String], matrix: &[Vec<f64>]) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    for (i, t) in texts.iter().enumerate() {
        let one_line: String = t.split_whitespace().collect::<Vec<_>>().join(" ");
        let shown: String = one_line.chars().take(70).collect();
        let ell = if one_line.chars().count() > 70 { "…" } else { "" };
        let _ = writeln!(s, "[{}] {shown}{ell}", i + 1);
    }
    let label_w = format!("[{}]", texts.len()).len();
    let col_w = label_w.max(7);
    let _ = write!(s, "\n{:label_w$}", "");
    for j in 0..texts.len() {
        let _ = write!(s, " {:>col_w$}", format!("[{}]", j + 1));
    }
    s.push('\n');
    for (i, row) in matrix.iter().enumerate() {
        let _ = write!(s, "{:<label_w$}", format!("[{}]", i + 1));
        for v in row {
            let _ = write!(s, " {v:>col_w$.4}");
        }
        s.push('\n');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::table;

    #[test]
    fn table_is_aligned() {
        let texts = vec!["PostgreSQL".to_string(), "relational\n databases".to_string()];
        let m = vec![vec![1.0, 0.61], vec![0.61, 1.0]];
        let t = table(&texts, &m);
        let expected = "[1] PostgreSQL\n[2] relational databases\n\n        [1]     [2]\n[1]  1.0000  0.6100\n[2]  0.6100  1.0000\n";
        assert_eq!(t, expected);
    }
}
