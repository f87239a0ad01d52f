//! Job descriptions as read by the analysis engine, and the explained match report of a resume
//! against one (design "SkillMatch" / "MatchExplanation").

use crate::ids::{JobId, VersionId};
use crate::resume::{SectionKind, SkillCategory};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

crate::named_enum! {
    /// How senior a role (or a person's latest title) is, from junior to executive.
    #[derive(PartialOrd, Ord)]
    pub enum Seniority {
        Intern = "intern",
        Junior = "junior",
        Mid = "mid",
        Senior = "senior",
        Lead = "lead",
        Staff = "staff",
        Principal = "principal",
        Manager = "manager",
        Director = "director",
        Executive = "executive",
    }
}

impl Seniority {
    /// A rough rank on one ladder (individual-contributor and management levels interleaved):
    /// used to say how far apart two levels are.
    pub fn rank(self) -> i32 {
        match self {
            Seniority::Intern => 0,
            Seniority::Junior => 1,
            Seniority::Mid => 2,
            Seniority::Senior => 3,
            Seniority::Lead | Seniority::Manager => 4,
            Seniority::Staff => 4,
            Seniority::Principal => 5,
            Seniority::Director => 5,
            Seniority::Executive => 6,
        }
    }
}

/// Education levels, lowest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum EducationLevel {
    HighSchool,
    Vocational,
    Associate,
    Bachelor,
    Master,
    Doctorate,
}

impl EducationLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            EducationLevel::HighSchool => "high school",
            EducationLevel::Vocational => "vocational",
            EducationLevel::Associate => "associate",
            EducationLevel::Bachelor => "bachelor",
            EducationLevel::Master => "master",
            EducationLevel::Doctorate => "doctorate",
        }
    }
}

/// One skill a job description asks for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct JdSkill {
    /// The canonical taxonomy name.
    pub name: String,
    pub category: SkillCategory,
    /// Other skills the JD accepts instead ("Playwright or Cypress": Cypress for Playwright).
    pub alternatives: Vec<String>,
    /// The JD line it was read from.
    pub line: String,
}

/// What a job description asks for.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct JobDescription {
    pub title: Option<String>,
    pub seniority: Option<Seniority>,
    /// Years of experience asked ("5+ years" → 5; "3–5 years" → 3 with max 5).
    pub min_years: Option<f32>,
    pub max_years: Option<f32>,
    pub required: Vec<JdSkill>,
    pub preferred: Vec<JdSkill>,
    /// The lowest degree asked, with the line that asks it.
    pub education: Option<EducationLevel>,
    pub education_line: Option<String>,
    pub certifications: Vec<String>,
    /// The bullets of the "Responsibilities" / "What you'll do" sections.
    pub responsibilities: Vec<String>,
    /// The text was longer than the limit and was cut.
    pub truncated: bool,
}

/// The named parts of the overall score.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ComponentKind {
    RequiredSkills,
    PreferredSkills,
    TitleSeniority,
    ExperienceYears,
    Education,
    ResponsibilityFit,
}

impl ComponentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ComponentKind::RequiredSkills => "required skills",
            ComponentKind::PreferredSkills => "preferred skills",
            ComponentKind::TitleSeniority => "title & seniority",
            ComponentKind::ExperienceYears => "experience years",
            ComponentKind::Education => "education",
            ComponentKind::ResponsibilityFit => "responsibility fit",
        }
    }
}

/// One component of the score. `points` out of `weight`; a component the JD gives nothing to
/// judge (no years asked, no responsibilities) is not `applicable` and its weight is shared out
/// among the others.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ScoreComponent {
    pub kind: ComponentKind,
    pub weight: f32,
    pub points: f32,
    pub applicable: bool,
    /// Why: one line a person can check.
    pub evidence: String,
}

/// Where a skill shows in the resume.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SkillEvidence {
    pub section: SectionKind,
    pub line: String,
}

/// A JD skill the resume has.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SkillMatch {
    pub skill: String,
    pub required: bool,
    /// The resume skill that covers it when it is not the skill itself: an accepted alternative
    /// ("Cypress" for "Playwright") or a narrower skill that demonstrates it ("PostgreSQL" for
    /// "SQL").
    pub via: Option<String>,
    /// 1.0 when shown in a bullet with a result, 0.85 shown without one (experience, projects,
    /// certifications); less when only claimed (a skills list, the summary).
    pub credit: f32,
    /// Listed in a skills section only, with no line of experience behind it.
    pub listed_only: bool,
    pub evidence: Vec<SkillEvidence>,
}

/// How a present skill relates to a missing one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum RelationKind {
    /// The taxonomy links them (one implies the other, or both are kinds of the same thing).
    Taxonomy,
    /// Their embeddings are closer than the similarity threshold.
    Semantic,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RelatedSkill {
    pub name: String,
    pub relation: RelationKind,
    /// Cosine similarity of the two names' embeddings, when computed.
    pub similarity: Option<f32>,
}

/// A JD skill the resume does not show.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MissingSkill {
    pub skill: String,
    pub required: bool,
    /// A transferable skill the resume has; `None`: plainly missing.
    pub related: Option<RelatedSkill>,
}

/// A resume bullet and how well it supports a responsibility.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BulletSupport {
    pub bullet: String,
    /// "Title, Employer" of the position the bullet belongs to.
    pub position: Option<String>,
    pub similarity: f32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ResponsibilityFit {
    pub responsibility: String,
    /// The best-supporting bullets, best first.
    pub best: Vec<BulletSupport>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum SuggestionKind {
    /// Add a missing skill (you have it but did not write it).
    AddSkill,
    /// A skill is only listed: show it in an experience bullet.
    ShowSkill,
    /// Rewrite a bullet toward a responsibility the resume covers weakly.
    StrengthenBullet,
    /// Mention a related skill you have and say it transfers.
    MentionRelated,
    /// Years, education or certification asked.
    Qualification,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Suggestion {
    pub kind: SuggestionKind,
    pub message: String,
    pub skill: Option<String>,
    pub section: Option<SectionKind>,
    pub bullet: Option<String>,
    pub responsibility: Option<String>,
}

/// The explained fit of one resume to one job description.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MatchReport {
    /// 0–100.
    pub score: u8,
    pub components: Vec<ScoreComponent>,
    pub matched: Vec<SkillMatch>,
    /// Missing with no related skill present.
    pub missing: Vec<MissingSkill>,
    /// Missing, but a related skill is present.
    pub related: Vec<MissingSkill>,
    pub responsibilities: Vec<ResponsibilityFit>,
    pub suggestions: Vec<Suggestion>,
    /// Years of experience read from the resume's dated positions.
    pub resume_years: Option<f32>,
    pub resume_seniority: Option<Seniority>,
    pub resume_education: Option<EducationLevel>,
    /// The job as read.
    pub job: JobDescription,
    /// True when embeddings were used; false for keyword-only matching.
    pub semantic: bool,
    /// The similarity threshold for "related skill present".
    pub threshold: f32,
    /// What the score means: the published band it falls in.
    #[serde(default)]
    pub band: FitBand,
    /// The job's occupation family ("software engineering", "healthcare"…), when the
    /// title names one.
    #[serde(default)]
    pub job_function: Option<String>,
    /// The family of the resume's most relevant position (the job's when any position is in it).
    #[serde(default)]
    pub resume_function: Option<String>,
    /// The resume's level as its bullets show it (team size, reports, budget), not as its title
    /// claims.
    #[serde(default)]
    pub resume_level: Option<Seniority>,
    /// Components the resume gave nothing to judge by (no titles, dates or degree found): their
    /// weight is shared out among the others instead of scoring zero.
    #[serde(default)]
    pub unknown: Vec<ComponentKind>,
    /// Warnings that shaped the score: title inflation, keyword stuffing, function mismatch.
    #[serde(default)]
    pub flags: Vec<FitFlag>,
}

/// The published reading of a score (see the README, "How the match score reads").
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum FitBand {
    /// Under 25: a different function or almost nothing asked is shown.
    #[default]
    NotAFit,
    /// 25–39.
    LongShot,
    /// 40–54: a career switch or a big gap.
    Stretch,
    /// 55–69.
    Possible,
    /// 70–84.
    GoodFit,
    /// 85 and over.
    StrongFit,
}

impl FitBand {
    pub fn of(score: u8) -> FitBand {
        match score {
            85.. => FitBand::StrongFit,
            70..=84 => FitBand::GoodFit,
            55..=69 => FitBand::Possible,
            40..=54 => FitBand::Stretch,
            25..=39 => FitBand::LongShot,
            _ => FitBand::NotAFit,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            FitBand::StrongFit => "Strong fit",
            FitBand::GoodFit => "Good fit",
            FitBand::Possible => "Possible fit",
            FitBand::Stretch => "Stretch",
            FitBand::LongShot => "Long shot",
            FitBand::NotAFit => "Not a fit",
        }
    }

    /// The lowest score of the band.
    pub fn floor(self) -> u8 {
        match self {
            FitBand::StrongFit => 85,
            FitBand::GoodFit => 70,
            FitBand::Possible => 55,
            FitBand::Stretch => 40,
            FitBand::LongShot => 25,
            FitBand::NotAFit => 0,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum FitFlagKind {
    /// The resume's positions are in another occupation family: the score is capped.
    FunctionMismatch,
    /// The positions are in a neighbouring family (a career switch): the score is capped lower.
    CareerSwitch,
    /// A title claims more than the bullets show: the level is scored on the bullets.
    TitleInflation,
    /// Many skills listed with nothing behind them and not asked by the job.
    KeywordStuffing,
    /// Something was not found in the resume and was left out of the score.
    Unknown,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FitFlag {
    pub kind: FitFlagKind,
    pub message: String,
}

/// One stored match: the score of a resume (file hash, and stored version when known) against a
/// job description (text hash, and tracked job when known) at a time ("Match Score History").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MatchRecord {
    pub id: uuid::Uuid,
    pub resume_sha256: String,
    /// The file name or version label the resume was given as.
    pub resume_label: Option<String>,
    pub version_id: Option<VersionId>,
    pub jd_sha256: String,
    pub jd_title: Option<String>,
    pub job_id: Option<JobId>,
    pub score: u8,
    pub components: Vec<ScoreComponent>,
    pub semantic: bool,
    pub model_id: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// Which way a series of scores moved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Up,
    Down,
    Flat,
}

/// How a series of scores moved.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Trend {
    pub runs: u32,
    pub first: u8,
    pub last: u8,
    pub best: u8,
    /// last − first.
    pub change: i32,
    /// Least-squares slope, points per run.
    pub slope: f32,
    pub direction: Direction,
}

/// A match as every front end shows it: the report, and the history of the same resume
/// against the same JD.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MatchOutcome {
    pub report: MatchReport,
    /// Earlier matches of the same resume and JD, oldest first (this one last when recorded).
    pub history: Vec<MatchRecord>,
    /// The trend of those scores.
    pub trend: Option<Trend>,
    /// How many matches of other resumes against this JD the history holds.
    pub other_resumes: u32,
    /// The embedding model's id when the match was semantic.
    pub model_id: Option<String>,
    /// Why the match is keyword-only, when it is.
    pub notice: Option<String>,
}
