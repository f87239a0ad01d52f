//! Matching a resume against a job description: the embeddings the pure report needs (run on
//! the local model, cached by text hash and model id in cache.sqlite), and the match history.
//!
//! Flow: [`qoder_analysis::matching::ResumeFacts`] once per resume, [`embed_resume`] once per
//! resume (cached), then per job description [`parse_jd`], [`embed_jd`], [`similarities`] and
//! [`qoder_analysis::matching::match_report`]; [`match_texts`] does it all. Without a model the
//! report is keyword-only ([`MatchReport::semantic`] is false).

use qoder_analysis::jd::parse_jd;
use qoder_analysis::matching::{
    MatchOptions, ResumeFacts, Similarities, match_report, texts_to_embed,
};
use qoder_domain::ErrorCode;
use qoder_domain::ParsedResume;
use qoder_domain::ids::{JobId, VersionId};
use qoder_domain::matching::{
    Direction, JobDescription, MatchOutcome, MatchRecord, MatchReport, Trend,
};
use qoder_embed::{EmbedError, Embedder, Vector, cosine};
use qoder_store::match_run;
pub use qoder_store::match_run::Filter;
use qoder_store::{Cache, Store, StoreError};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

#[derive(Debug, thiserror::Error)]
pub enum MatchError {
    #[error(transparent)]
    Embed(#[from] EmbedError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the job description is empty")]
    EmptyJd,
    #[error(transparent)]
    Core(#[from] crate::Error),
}

impl qoder_domain::CodedError for MatchError {
    fn code(&self) -> ErrorCode {
        match self {
            MatchError::Embed(EmbedError::Setting { .. }) | MatchError::EmptyJd => {
                ErrorCode::Validation
            }
            MatchError::Embed(_) => ErrorCode::Internal,
            MatchError::Store(e) => e.code(),
            MatchError::Core(e) => e.code(),
        }
    }
}

pub type Result<T, E = MatchError> = std::result::Result<T, E>;

/// SHA-256 of a text, hex: the cache key of its embedding, and the id of a JD in the history.
pub fn text_hash(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// SHA-256 of a file's bytes, hex: a resume's identity in the history when it is not stored.
pub fn bytes_hash(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// A resume read for matching: a stored version, or a file the front end analysed (then
/// `version_id` is `None` and `sha256` is the file's).
pub struct StoredResume {
    pub version_id: Option<VersionId>,
    pub sha256: String,
    pub label: String,
    pub resume: ParsedResume,
}

/// Loads a stored version by id (or unique id prefix) with its stored analysis.
pub fn stored_resume(store: &Store, id: &str) -> Result<StoredResume> {
    let version_id = crate::resume::resolve(store, id)?;
    let v = crate::resume::get(store, version_id)?;
    let (_, resume, _) = crate::correction::analysis(store.conn(), version_id)?
        .ok_or_else(|| crate::Error::NotFound(format!("version {version_id} does not exist")))?;
    let label = v.file_name.clone().unwrap_or_else(|| format!("version {}", v.seq));
    Ok(StoredResume { version_id: Some(version_id), sha256: v.sha256, label, resume })
}

/// A tracked job's description by job id (or unique id prefix).
pub fn stored_job_description(store: &Store, id: &str) -> Result<(JobId, String)> {
    let job_id = crate::job::resolve(store, id)?;
    let job = qoder_store::job::get(store.conn(), job_id)?
        .ok_or_else(|| crate::Error::NotFound(format!("job {job_id} does not exist")))?;
    match job.description.filter(|d| !d.trim().is_empty()) {
        Some(d) => Ok((job_id, d)),
        None => Err(crate::Error::invalid(
            "job",
            format!("job {job_id} ({}) has no description to match against", job.title),
        )
        .into()),
    }
}

/// The JD's identity in the history: its text with whitespace collapsed, hashed (so re-pasting
/// the same posting with other line breaks is the same job).
pub fn jd_hash(text: &str) -> String {
    text_hash(&text.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Embeds texts with the model, through the embedding cache when one is given.
pub struct Embeddings<'a> {
    pub embedder: &'a Embedder,
    pub cache: Option<&'a Cache>,
}

impl Embeddings<'_> {
    /// One vector per text, in order. Repeated texts are embedded once; cached ones are not
    /// embedded at all; new ones are written to the cache in one transaction.
    pub fn embed(&self, texts: &[String]) -> Result<Vec<Vector>> {
        let model = self.embedder.model_id();
        let mut known: BTreeMap<&str, Vector> = BTreeMap::new();
        let mut todo: Vec<&str> = Vec::new();
        for t in texts {
            let t = t.as_str();
            if known.contains_key(t) || todo.contains(&t) {
                continue;
            }
            let cached = match self.cache {
                Some(c) => c.embedding_get(&text_hash(t), model)?,
                None => None,
            };
            match cached {
                Some(e) if e.vector.len() == qoder_embed::DIM => {
                    known.insert(t, e.vector);
                }
                _ => todo.push(t),
            }
        }
        if !todo.is_empty() {
            let vecs = self.embedder.embed(&todo)?;
            if let Some(c) = self.cache {
                let tx = c.conn().unchecked_transaction().map_err(StoreError::from)?;
                for (t, v) in todo.iter().zip(&vecs) {
                    c.embedding_put(&text_hash(t), model, v)?;
                }
                tx.commit().map_err(StoreError::from)?;
            }
            for (t, v) in todo.into_iter().zip(vecs) {
                known.insert(t, v);
            }
        }
        Ok(texts.iter().map(|t| known.get(t.as_str()).cloned().unwrap_or_default()).collect())
    }
}

/// The resume side's vectors (computed once per resume).
#[derive(Clone, Debug, Default)]
pub struct ResumeVectors {
    pub skills: Vec<Vector>,
    pub bullets: Vec<Vector>,
    pub titles: Vec<Vector>,
}

/// The job side's vectors.
#[derive(Clone, Debug, Default)]
pub struct JdVectors {
    pub skills: Vec<Vector>,
    pub responsibilities: Vec<Vector>,
    pub title: Option<Vector>,
}

pub fn embed_resume(e: &Embeddings<'_>, facts: &ResumeFacts) -> Result<ResumeVectors> {
    let t = texts_to_embed(facts, &JobDescription::default(), &MatchOptions::new((1970, 1)));
    let n_skills = t.resume_skills.len();
    let n_bullets = t.bullets.len();
    let all: Vec<String> =
        t.resume_skills.into_iter().chain(t.bullets).chain(t.resume_titles).collect();
    let mut v = e.embed(&all)?;
    let titles = v.split_off(n_skills + n_bullets);
    let bullets = v.split_off(n_skills);
    Ok(ResumeVectors { skills: v, bullets, titles })
}

/// The JD's vectors for matching it against `facts`: its title, its responsibilities, and the
/// skills the resume does not cover (the only ones that need a related-skill search).
pub fn embed_jd(
    e: &Embeddings<'_>,
    facts: &ResumeFacts,
    jd: &JobDescription,
    opts: &MatchOptions,
) -> Result<JdVectors> {
    let t = texts_to_embed(facts, jd, opts);
    let n_skills = t.jd_skills.len();
    let n_resp = t.responsibilities.len();
    let all: Vec<String> =
        t.jd_skills.into_iter().chain(t.responsibilities).chain(t.jd_title).collect();
    let mut v = e.embed(&all)?;
    let title = (v.len() > n_skills + n_resp).then(|| v.pop()).flatten();
    let responsibilities = v.split_off(n_skills);
    Ok(JdVectors { skills: v, responsibilities, title })
}

/// The cosine matrices [`match_report`] reads.
pub fn similarities(r: &ResumeVectors, j: &JdVectors) -> Similarities {
    let matrix = |rows: &[Vector], cols: &[Vector]| -> Vec<Vec<f32>> {
        rows.iter().map(|a| cols.iter().map(|b| cosine(a, b)).collect()).collect()
    };
    Similarities {
        skills: matrix(&j.skills, &r.skills),
        responsibilities: matrix(&j.responsibilities, &r.bullets),
        titles: match &j.title {
            Some(t) => r.titles.iter().map(|x| cosine(t, x)).collect(),
            None => Vec::new(),
        },
    }
}

/// Match a read resume against a JD's text. With `embeddings`, semantic (the resume's vectors
/// are computed when not given); without, keyword-only.
pub fn match_texts(
    facts: &ResumeFacts,
    jd_text: &str,
    embeddings: Option<&Embeddings<'_>>,
    resume_vectors: Option<&ResumeVectors>,
    opts: &MatchOptions,
) -> Result<MatchReport> {
    if jd_text.trim().is_empty() {
        return Err(MatchError::EmptyJd);
    }
    let jd = parse_jd(jd_text);
    match_parsed(facts, &jd, embeddings, resume_vectors, opts)
}

/// [`match_texts`] for an already parsed JD.
pub fn match_parsed(
    facts: &ResumeFacts,
    jd: &JobDescription,
    embeddings: Option<&Embeddings<'_>>,
    resume_vectors: Option<&ResumeVectors>,
    opts: &MatchOptions,
) -> Result<MatchReport> {
    let sims = match embeddings {
        Some(e) => {
            let owned;
            let rv = match resume_vectors {
                Some(v) => v,
                None => {
                    owned = embed_resume(e, facts)?;
                    &owned
                }
            };
            let jv = embed_jd(e, facts, jd, opts)?;
            Some(similarities(rv, &jv))
        }
        None => None,
    };
    Ok(match_report(facts, jd, sims.as_ref(), opts))
}

/// What a match was run on, for the history.
#[derive(Clone, Debug, Default)]
pub struct MatchSubject {
    pub resume_sha256: String,
    pub resume_label: Option<String>,
    pub version_id: Option<VersionId>,
    pub jd_sha256: String,
    pub job_id: Option<JobId>,
}

/// Store one match in the history.
pub fn record(
    store: &mut Store,
    subject: &MatchSubject,
    report: &MatchReport,
    model_id: Option<&str>,
) -> Result<MatchRecord> {
    let rec = MatchRecord {
        id: uuid::Uuid::now_v7(),
        resume_sha256: subject.resume_sha256.clone(),
        resume_label: subject.resume_label.clone(),
        version_id: subject.version_id,
        jd_sha256: subject.jd_sha256.clone(),
        jd_title: report.job.title.clone(),
        job_id: subject.job_id,
        score: report.score,
        components: report.components.clone(),
        semantic: report.semantic,
        model_id: model_id.map(str::to_string),
        created_at: chrono::Utc::now(),
    };
    store.write(|tx| match_run::insert(tx, &rec))?;
    Ok(rec)
}

/// Stored matches, oldest first.
pub fn history(store: &Store, filter: &Filter) -> Result<Vec<MatchRecord>> {
    Ok(match_run::list(store.conn(), filter)?)
}

/// The inputs of [`run_match`]: any resume (a file read by the front end, or a stored version)
/// against any JD text (pasted, a file, or a tracked job's description).
pub struct MatchRequest<'a> {
    pub resume: &'a StoredResume,
    pub jd_text: &'a str,
    /// The tracked job the JD came from.
    pub job_id: Option<JobId>,
    pub opts: &'a MatchOptions,
    /// Record this match in the history (else only read the history).
    pub record: bool,
}

/// The match use case every front end calls: check the JD (one size limit), score the resume
/// against it (semantic with `embedder`, else keyword-only), record the match in the history
/// when `store` is given and `req.record`, and return the report with the earlier matches of the same resume
/// and JD and their trend. `store` `None` matches without any history (no data folder).
pub fn run_match(
    store: Option<&mut Store>,
    cache: Option<&Cache>,
    embedder: Option<&Embedder>,
    req: &MatchRequest<'_>,
) -> Result<MatchOutcome> {
    crate::config::check_jd(req.jd_text)?;
    if req.jd_text.trim().is_empty() {
        return Err(MatchError::EmptyJd);
    }
    if let (Some(j), Some(s)) = (req.job_id, store.as_deref())
        && qoder_store::job::get(s.conn(), j)?.is_none()
    {
        return Err(crate::Error::NotFound(format!("job {j} does not exist")).into());
    }
    let facts = ResumeFacts::from_resume(&req.resume.resume, req.opts.today);
    let embeddings = embedder.map(|e| Embeddings { embedder: e, cache });
    let report = match_texts(&facts, req.jd_text, embeddings.as_ref(), None, req.opts)?;
    let model_id = embedder.map(|e| e.model_id().to_string());
    let subject = MatchSubject {
        resume_sha256: req.resume.sha256.clone(),
        resume_label: Some(req.resume.label.clone()),
        version_id: req.resume.version_id,
        jd_sha256: jd_hash(req.jd_text),
        job_id: req.job_id,
    };
    let mut past = Vec::new();
    if let Some(s) = store {
        if req.record {
            record(s, &subject, &report, model_id.as_deref())?;
        }
        let filter =
            Filter { resume_sha256: None, jd_sha256: Some(subject.jd_sha256.clone()), limit: 500 };
        past = history(s, &filter)?;
    }
    let (history, others): (Vec<MatchRecord>, Vec<MatchRecord>) =
        past.into_iter().partition(|m| m.resume_sha256 == subject.resume_sha256);
    let scores: Vec<u8> = history.iter().map(|m| m.score).collect();
    Ok(MatchOutcome {
        report,
        trend: trend(&scores),
        history,
        other_resumes: u32::try_from(others.len()).unwrap_or(u32::MAX),
        model_id,
        notice: None,
    })
}

/// The trend of scores in time order; `None` for no scores.
pub fn trend(scores: &[u8]) -> Option<Trend> {
    let (&first, &last) = (scores.first()?, scores.last()?);
    let n = scores.len() as f32;
    let mean_x = (n - 1.0) / 2.0;
    let mean_y = scores.iter().map(|s| f32::from(*s)).sum::<f32>() / n;
    let (mut num, mut den) = (0.0, 0.0);
    for (i, s) in scores.iter().enumerate() {
        let dx = i as f32 - mean_x;
        num += dx * (f32::from(*s) - mean_y);
        den += dx * dx;
    }
    let slope = if den > 0.0 { num / den } else { 0.0 };
    let change = i32::from(last) - i32::from(first);
    let direction = if change >= 2 || (change >= 0 && slope >= 1.0) {
        Direction::Up
    } else if change <= -2 || (change <= 0 && slope <= -1.0) {
        Direction::Down
    } else {
        Direction::Flat
    };
    Some(Trend {
        runs: u32::try_from(scores.len()).unwrap_or(u32::MAX),
        first,
        last,
        best: scores.iter().copied().max().unwrap_or(0),
        change,
        slope: (slope * 100.0).round() / 100.0,
        direction,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trends() {
        assert_eq!(trend(&[]), None);
        let t = trend(&[40, 55, 62]).unwrap();
        assert_eq!(
            (t.first, t.last, t.best, t.change, t.direction),
            (40, 62, 62, 22, Direction::Up)
        );
        assert_eq!(trend(&[70, 60]).unwrap().direction, Direction::Down);
        assert_eq!(trend(&[50]).unwrap().direction, Direction::Flat);
        assert_eq!(trend(&[50, 51, 50]).unwrap().direction, Direction::Flat);
    }

    #[test]
    fn jd_hash_ignores_line_breaks() {
        assert_eq!(jd_hash("Rust\n  Engineer\r\n"), jd_hash("Rust Engineer"));
        assert_ne!(jd_hash("Rust Engineer"), jd_hash("Go Engineer"));
    }

    #[test]
    fn keyword_match_is_recorded_in_the_history() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let facts = ResumeFacts::from_resume(&qoder_domain::ParsedResume::default(), (2026, 11));
        let opts = MatchOptions::new((2026, 11));
        let report =
            match_texts(&facts, "Engineer\nRequirements\n- Rust", None, None, &opts).unwrap();
        assert!(!report.semantic);
        assert!(matches!(match_texts(&facts, "  \n", None, None, &opts), Err(MatchError::EmptyJd)));
        let subject = MatchSubject {
            resume_sha256: "abc".into(),
            jd_sha256: jd_hash("Engineer\nRequirements\n- Rust"),
            ..MatchSubject::default()
        };
        record(&mut store, &subject, &report, None).unwrap();
        record(&mut store, &subject, &report, None).unwrap();
        let h = history(&store, &Filter { resume_sha256: Some("abc".into()), ..Filter::default() })
            .unwrap();
        assert_eq!(h.len(), 2);
        assert_eq!(h[0].score, report.score);
        assert_eq!(h[0].jd_title.as_deref(), Some("Engineer"));
    }
}
