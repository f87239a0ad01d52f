-- Match score history: one row per `qoder match` (or app match) of a resume against a job
-- description, so a resume's fit to a job can be followed over its versions.
-- The resume is identified by its file's SHA-256 (and its stored version when there is one);
-- the job description by the SHA-256 of its text (and its tracked job when there is one).

CREATE TABLE match_run (
    pk              INTEGER PRIMARY KEY,
    id              TEXT NOT NULL UNIQUE,
    resume_sha256   TEXT NOT NULL,
    resume_label    TEXT,
    version_id      TEXT REFERENCES resume_version(id) ON DELETE SET NULL,
    jd_sha256       TEXT NOT NULL,
    jd_title        TEXT,
    job_id          TEXT REFERENCES job(id) ON DELETE SET NULL,
    score           INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),
    components_json TEXT NOT NULL,
    semantic        INTEGER NOT NULL,
    model_id        TEXT,
    created_at      INTEGER NOT NULL
);
CREATE INDEX match_run_by_jd ON match_run(jd_sha256, created_at);
CREATE INDEX match_run_by_resume ON match_run(resume_sha256, created_at);
