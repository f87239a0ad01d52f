//! AI suggestions as the boundaries show them (CLI `--json`, later Tauri): generated bullet
//! points with their grounding check, rewrite variants, the AI review, usage totals.

use serde::{Deserialize, Serialize};

crate::named_enum! {
    /// What a generated text claims that the resume (and the user's context) does not back.
    pub enum GroundingKind {
        /// A figure (count, amount, percentage) the resume does not contain.
        Number = "number",
        /// A year the resume does not contain.
        Date = "date",
        /// A skill of the taxonomy the resume does not show.
        Skill = "skill",
        /// A name (employer, product, institution) the resume does not contain.
        Name = "name",
        /// A job title (or board seat) the resume does not give for that employer and time.
        Title = "title",
        /// A length of time (years of experience, a six-week unit, hours saved).
        Duration = "duration",
        /// An amount of money (budget, revenue, savings).
        Money = "money",
        /// A team size, headcount or leadership of people.
        Team = "team",
        /// How much of something: users, customers, transactions, projects, classes.
        Scale = "scale",
        /// A degree or school the resume does not list.
        Degree = "degree",
        /// A certification or licence the resume does not list.
        Certification = "certification",
        /// An award or honour the resume does not list.
        Award = "award",
        /// A promotion the resume does not show.
        Promotion = "promotion",
        /// True facts joined across roles: something the resume ties to another employer or role.
        Role = "role",
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct GroundingIssue {
    pub kind: GroundingKind,
    /// The words in question, as written.
    pub text: String,
    pub reason: String,
}

/// One generated bullet point.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct GeneratedPoint {
    pub bullet: String,
    /// The JD skill it addresses, when the model named one.
    pub skill: Option<String>,
    /// The resume bullet it would replace, when it is a rewrite of one.
    pub replaces: Option<String>,
    /// Empty when grounded; otherwise why it was held back.
    pub issues: Vec<GroundingIssue>,
    /// For a held-back point: the bullet with the unbacked claims taken out, checked again and
    /// grounded ("use without the claim"); `None` when nothing sensible is left.
    #[serde(default)]
    pub without_claim: Option<String>,
}

/// Which model answered, what it cost, what the prompt left out.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AiMeta {
    pub provider: String,
    pub model: String,
    /// basic / standard / premium.
    pub tier: String,
    pub cached: bool,
    pub tokens_in: u64,
    pub tokens_out: u64,
    pub cost_usd: f64,
    pub latency_ms: u64,
    /// Estimated prompt tokens (see qoder-llm's token estimate).
    pub prompt_tokens: usize,
    /// Prompt parts cut short or left out to stay within MAX_PROMPT_TOKENS.
    pub prompt_cut: Vec<String>,
    /// Providers that failed before this one answered, with why.
    pub failed: Vec<String>,
}

/// `qoder suggest`: points for a match report's missing skills and weak bullets.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct GeneratedPoints {
    /// Grounded points, safe to paste.
    pub points: Vec<GeneratedPoint>,
    /// Points the grounding guard held back, each with its issues.
    pub flagged: Vec<GeneratedPoint>,
    pub notes: Vec<String>,
    pub meta: AiMeta,
    /// Generations used today, and the daily limit (JD_GENERATION_DAILY_LIMIT).
    pub generations_today: u32,
    pub generations_limit: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RewriteVariant {
    /// stronger_verb / quantified / concise (as the model labelled it).
    pub style: String,
    pub text: String,
    pub issues: Vec<GroundingIssue>,
}

/// `qoder rewrite`: variants of one bullet for the user to choose from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Rewrite {
    pub original: String,
    pub variants: Vec<RewriteVariant>,
    pub flagged: Vec<RewriteVariant>,
    pub meta: AiMeta,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReviewIssue {
    pub section: String,
    pub problem: String,
    pub fix: String,
}

/// `qoder review`: the AI's reading of the whole resume, beside the rule-based ATS report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AiReview {
    pub summary: String,
    pub strengths: Vec<String>,
    pub issues: Vec<ReviewIssue>,
    /// Sentences of the summary and strengths the grounding guard took out: they state
    /// something about the candidate that the resume does not back.
    #[serde(default)]
    pub held_back: Vec<GeneratedPoint>,
    pub meta: AiMeta,
}

/// An AI review of one resume, or why there is none: what `qoder review --json` prints (with
/// the ATS report beside it) and the app's "AI review" on the analysis screen shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AiReviewOutcome {
    pub ai: Option<AiReview>,
    /// Set when no provider is set up: what happened and what to do.
    pub notice: Option<String>,
    /// Set when the provider failed (a plan's limit of the hosted AI among them).
    pub error: Option<crate::ErrorBody>,
}

/// AI bullet points for a match, or why there are none; the rule-based suggestions always.
/// What `qoder suggest --json` prints and the app's "AI bullet points" shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AiPointsOutcome {
    pub ai: Option<GeneratedPoints>,
    /// Set when no provider is set up: what happened and what to do.
    pub notice: Option<String>,
    /// Set when the provider failed (the rule-based suggestions still stand).
    pub error: Option<crate::ErrorBody>,
    pub rule_based: Vec<crate::matching::Suggestion>,
    /// The keyword match the points are for: its score and the job's title.
    pub match_score: u8,
    pub job_title: Option<String>,
}

/// Where a provider's API key comes from (never the key itself).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum KeyState {
    /// The system keychain holds one.
    Keychain,
    /// QODER_LLM_API_KEY is set (it overrides every provider's key).
    Env,
    None,
    /// The keychain could not be read (no Secret Service running).
    Unreadable,
}

impl KeyState {
    pub fn has_key(self) -> bool {
        matches!(self, KeyState::Keychain | KeyState::Env)
    }
}

/// The model a provider uses for each tier.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TierModelNames {
    pub basic: String,
    pub standard: String,
    pub premium: String,
}

/// One AI provider as `qoder ai providers` and Settings → AI suggestions list it: the
/// configured ones in failover order, then each built-in kind not configured.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProviderOverview {
    pub name: String,
    /// openai-compatible, anthropic or gemini.
    pub kind: String,
    pub base_url: String,
    pub models: TierModelNames,
    /// In the configured list (else a built-in default).
    pub configured: bool,
    pub key: KeyState,
    pub daily_limit_usd: Option<f64>,
    pub spent_today_usd: f64,
}

impl ProviderOverview {
    /// Whether the router would ask it: configured, or a built-in with a key in the keychain.
    pub fn active(&self) -> bool {
        self.configured || self.key == KeyState::Keychain
    }
}
