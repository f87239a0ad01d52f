//! The activity log and the export of all local data (GDPR "download my data"): one zip with
//! JSON files and every original resume file.

use crate::{Error, Result};
use chrono::Utc;
use qoder_domain::job::JobDetail;
use qoder_store::activity::Activity;
use qoder_store::{
    Store, activity, blob, interview, job, reminder, resume, setting, status_change, version,
};
use serde::Serialize;
use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use zip::write::SimpleFileOptions;

/// The newest `limit` activity entries (newest first), of one entity kind when given.
pub fn log(store: &Store, entity: Option<&str>, limit: u32) -> Result<Vec<Activity>> {
    if limit == 0 || limit > 10_000 {
        return Err(Error::invalid("limit", "must be between 1 and 10000"));
    }
    Ok(activity::recent(store.conn(), entity, limit)?)
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ExportSummary {
    pub path: String,
    pub jobs: u64,
    pub resumes: u64,
    pub versions: u64,
    pub files: u64,
    pub activity: u64,
}

#[derive(Serialize)]
struct VersionExport {
    #[serde(flatten)]
    version: qoder_domain::version::ResumeVersion,
    file: String,
    text: String,
    /// As read, with the user's corrections applied.
    parsed: qoder_domain::ParsedResume,
    ats: qoder_domain::AtsReport,
    /// The user's corrections of the parse, as they were made.
    corrections: Vec<CorrectionExport>,
}

#[derive(Serialize)]
struct CorrectionExport {
    field: String,
    value: String,
    created_at: chrono::DateTime<chrono::Utc>,
}

/// Write everything to the zip at `out` (written to a temporary name, then renamed):
/// `manifest.json`, `jobs.json`, `resumes.json`, `versions.json`, `activity.json`,
/// `settings.json`, and `files/<sha256>.<ext>` for every original file.
pub fn export_all(store: &Store, out: &Path) -> Result<ExportSummary> {
    let conn = store.conn();
    let tmp = out.with_extension("zip.partial");
    let file = std::fs::File::create(&tmp)
        .map_err(|e| Error::io(format!("cannot create {}", tmp.display()), e))?;
    let mut zip = zip::ZipWriter::new(file);
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let zerr =
        |e: zip::result::ZipError| Error::io("cannot write the zip", std::io::Error::other(e));
    let put_json =
        |zip: &mut zip::ZipWriter<std::fs::File>, name: &str, v: &dyn erased::Json| -> Result<()> {
            zip.start_file(name, opts).map_err(zerr)?;
            let bytes = v.bytes()?;
            zip.write_all(&bytes).map_err(|e| Error::io("cannot write the zip", e))
        };

    // Jobs with their timelines, interviews and reminders.
    let mut jobs: Vec<JobDetail> = Vec::new();
    job::for_each(conn, |j| {
        jobs.push(JobDetail {
            job: j,
            timeline: Vec::new(),
            interviews: Vec::new(),
            reminders: Vec::new(),
        });
        Ok(())
    })?;
    let index: HashMap<String, usize> =
        jobs.iter().enumerate().map(|(i, j)| (j.job.id.to_string(), i)).collect();
    status_change::for_each(conn, |id, c| {
        if let Some(&i) = index.get(id) {
            jobs[i].timeline.push(c);
        }
    })?;
    for i in interview::all(conn)? {
        if let Some(&k) = index.get(&i.job_id.to_string()) {
            jobs[k].interviews.push(i);
        }
    }
    let mut loose_reminders = Vec::new();
    for r in reminder::all(conn)? {
        match r.job_id.and_then(|id| index.get(&id.to_string())) {
            Some(&k) => jobs[k].reminders.push(r),
            None => loose_reminders.push(r),
        }
    }
    put_json(&mut zip, "jobs.json", &jobs)?;
    put_json(&mut zip, "reminders.json", &loose_reminders)?;

    let families = resume::list(conn)?;
    put_json(&mut zip, "resumes.json", &families)?;
    let mut versions = Vec::new();
    let mut files = 0;
    for v in version::all(conn)? {
        let (text, parsed, ats) = crate::correction::analysis(conn, v.id)?.ok_or_else(|| {
            Error::NotFound(format!("version {} vanished during the export", v.id))
        })?;
        let ext = v.format.map_or("bin", |f| f.as_str());
        let name = format!("files/{}.{ext}", v.sha256);
        let bytes = blob::read_file(&store.files_dir(), &v.sha256)?;
        zip.start_file(&name, opts).map_err(zerr)?;
        zip.write_all(&bytes).map_err(|e| Error::io("cannot write the zip", e))?;
        files += 1;
        let corrections = qoder_store::correction::for_version(conn, v.id)?
            .into_iter()
            .map(|c| CorrectionExport { field: c.field, value: c.value, created_at: c.created_at })
            .collect();
        versions.push(VersionExport { version: v, file: name, text, parsed, ats, corrections });
    }
    put_json(&mut zip, "versions.json", &versions)?;
    let log = activity::all(conn)?;
    put_json(&mut zip, "activity.json", &log)?;
    let settings: HashMap<String, String> = setting::all(conn)?.into_iter().collect();
    put_json(&mut zip, "settings.json", &settings)?;
    let summary = ExportSummary {
        path: out.display().to_string(),
        jobs: jobs.len() as u64,
        resumes: families.len() as u64,
        versions: versions.len() as u64,
        files,
        activity: log.len() as u64,
    };
    let manifest = serde_json::json!({
        "app": "QoderResume",
        "app_version": env!("CARGO_PKG_VERSION"),
        "schema_version": qoder_store::migrate::MAIN.len(),
        "exported_at": Utc::now(),
        "counts": &summary,
    });
    put_json(&mut zip, "manifest.json", &manifest)?;
    let f = zip.finish().map_err(zerr)?;
    f.sync_all().map_err(|e| Error::io("cannot write the zip", e))?;
    std::fs::rename(&tmp, out)
        .map_err(|e| Error::io(format!("cannot move the zip to {}", out.display()), e))?;
    Ok(summary)
}

mod erased {
    /// Serialise any value to pretty JSON bytes behind a trait object.
    pub trait Json {
        fn bytes(&self) -> crate::Result<Vec<u8>>;
    }
    impl<T: serde::Serialize> Json for T {
        fn bytes(&self) -> crate::Result<Vec<u8>> {
            serde_json::to_vec_pretty(self)
                .map_err(|e| crate::Error::io("cannot write JSON", e.into()))
        }
    }
}
