//! AI suggestions: bullet points for a match report's gaps, rewrites of one bullet, a review of
//! the whole resume. Every answer is asked for as JSON, validated (schema, sizes), and every
//! generated bullet goes through the grounding guard ([`crate::grounding`]).
//!
//! Limits (design "Performance Optimization"): at most `JD_GENERATION_POINTS_LIMIT` (8) points a
//! request and `JD_GENERATION_DAILY_LIMIT` (50) generations a day, counted in the local
//! `llm_usage` table; prompts within `MAX_PROMPT_TOKENS` (4,000, qoder-llm's estimate). Answers
//! are cached for 7 days in cache.sqlite; spend per provider and day is checked against the
//! limit the user set (`ai.daily_limit_usd.PROVIDER` in the settings).

use crate::grounding::Grounding;
use qoder_domain::ats::{AtsReport, CheckStatus};
use qoder_domain::matching::{MatchReport, SuggestionKind};
use qoder_domain::suggest::{
    AiMeta, AiReview, GeneratedPoint, GeneratedPoints, ReviewIssue, Rewrite, RewriteVariant,
};
use qoder_domain::{CodedError, ErrorCode, ParsedResume, SectionKind};
use qoder_llm::prompt::{DATA_RULE, data_block, extract_json};
use qoder_llm::tokens::{Block, estimate, fit};
use qoder_llm::{Answer, Call, Event, Ledger, LlmError, ProviderConfig, Router, Tier, Usage};
use qoder_store::{Cache, Store, llm_usage, setting};
use serde_json::Value;
use std::time::Duration;

/// The providers the user configured (in order), plus those with only a key in the keychain
/// (with their defaults); `None` when there is none (the offline path). `model` overrides
/// every provider's models. A provider that cannot be built is skipped and named in `skipped`.
pub fn configured_router(
    store: &Store,
    keys: &qoder_llm::secret::KeySource,
    http: &qoder_llm::HttpConfig,
    model: Option<&str>,
    skipped: &mut Vec<String>,
) -> Result<Option<Router>> {
    use qoder_llm::{HttpProvider, Provider, ProviderKind, TierModels};
    use std::sync::Arc;
    let mut list: Vec<Arc<dyn Provider>> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    let consented =
        setting::get(store.conn(), crate::sync::account::SETTING_HOSTED_CONSENT)?.is_some();
    for mut cfg in configured_providers(store)? {
        if cfg.kind == ProviderKind::Hosted && !consented {
            skipped.push(
                "QoderResume AI is not turned on: turn it on under Settings → AI suggestions \
                 (or `qoder ai hosted on`), which says what it sends"
                    .into(),
            );
            continue;
        }
        if let Some(m) = model {
            cfg.models = TierModels::single(m);
        }
        names.push(cfg.name.clone());
        match HttpProvider::new(cfg, keys, http.clone()) {
            Ok(p) => list.push(Arc::new(p)),
            Err(e) => skipped.push(e.to_string()),
        }
    }
    if keys.keychain {
        for kind in [ProviderKind::OpenaiCompatible, ProviderKind::Anthropic, ProviderKind::Gemini]
        {
            if names.iter().any(|n| n == kind.as_str()) {
                continue;
            }
            if let Ok(Some(_)) = qoder_llm::secret::keychain_get(kind.as_str()) {
                let Ok(mut cfg) = ProviderConfig::new(kind, None) else { continue };
                if let Some(m) = model {
                    cfg.models = TierModels::single(m);
                }
                if let Ok(p) = HttpProvider::new(cfg, keys, http.clone()) {
                    list.push(Arc::new(p));
                }
            }
        }
    }
    Ok((!list.is_empty()).then(|| Router::new(list)))
}

/// Bullet-point generations used on `day` (YYYY-MM-DD, local), against the daily limit.
pub fn generations_today(store: &Store, day: &str) -> Result<u32> {
    Ok(llm_usage::generations_on(store.conn(), day, FEATURE_POINTS)?)
}

/// Features as the usage table names them.
pub const FEATURE_POINTS: &str = "generate_points";
pub const FEATURE_REWRITE: &str = "rewrite";
pub const FEATURE_REVIEW: &str = "review";

/// Settings keys.
pub const SETTING_PROVIDERS: &str = "ai.providers";
/// The facts the user added for a version (`--context`, the app's "facts to add"), one per
/// line, under `ai.context.VERSION_ID`.
pub const SETTING_CONTEXT_PREFIX: &str = "ai.context.";
/// Largest context kept with a version (bytes).
pub const MAX_CONTEXT_BYTES: usize = 64 * 1024;
pub const SETTING_LIMIT_PREFIX: &str = "ai.daily_limit_usd.";

/// How long a cached answer is reused.
pub const CACHE_TTL: Duration = Duration::from_secs(7 * 86_400);
/// Largest JSON answer read (bytes).
pub const MAX_ANSWER_BYTES: usize = 64 * 1024;
/// Longest bullet or variant kept (characters).
pub const MAX_BULLET_CHARS: usize = 400;

/// The generation limits.
#[derive(Clone, Debug, PartialEq)]
pub struct Limits {
    /// JD_GENERATION_POINTS_LIMIT.
    pub points_per_request: usize,
    /// JD_GENERATION_DAILY_LIMIT.
    pub generations_per_day: u32,
    /// MAX_PROMPT_TOKENS.
    pub max_prompt_tokens: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            points_per_request: 8,
            generations_per_day: 50,
            max_prompt_tokens: qoder_llm::tokens::MAX_PROMPT_TOKENS,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SuggestError {
    #[error(transparent)]
    Llm(#[from] LlmError),
    #[error("{0}")]
    Input(String),
    #[error(
        "the daily limit of {limit} generations is reached ({used} today); it resets at midnight (JD_GENERATION_DAILY_LIMIT)"
    )]
    DailyLimit { used: u32, limit: u32 },
    #[error(transparent)]
    Store(#[from] qoder_store::StoreError),
    #[error(transparent)]
    Match(#[from] crate::matching::MatchError),
}

impl qoder_domain::CodedError for SuggestError {
    fn code(&self) -> ErrorCode {
        match self {
            SuggestError::Llm(e) => e.code(),
            SuggestError::Input(_) => ErrorCode::Validation,
            SuggestError::DailyLimit { .. } => ErrorCode::BudgetExceeded,
            SuggestError::Store(e) => e.code(),
            SuggestError::Match(e) => e.code(),
        }
    }

    /// A provider's error keeps its whole body (a plan's limit keeps its figures).
    fn body(&self) -> qoder_domain::ErrorBody {
        match self {
            SuggestError::Llm(e) => e.body(),
            _ => qoder_domain::ErrorBody::new(self.code(), self.to_string()),
        }
    }
}

type Result<T, E = SuggestError> = std::result::Result<T, E>;

// ---- settings ------------------------------------------------------------------------------

/// The configured providers, in failover order.
pub fn configured_providers(store: &Store) -> Result<Vec<ProviderConfig>> {
    match setting::get(store.conn(), SETTING_PROVIDERS)? {
        None => Ok(Vec::new()),
        Some(json) => serde_json::from_str(&json).map_err(|e| {
            SuggestError::Input(format!("the setting {SETTING_PROVIDERS} is not valid ({e}); set providers again with `qoder ai set`"))
        }),
    }
}

/// Add or replace (by name) a provider; new ones go last in the failover order.
pub fn save_provider(store: &mut Store, cfg: ProviderConfig) -> Result<()> {
    let mut list = configured_providers(store)?;
    match list.iter_mut().find(|p| p.name == cfg.name) {
        Some(p) => *p = cfg,
        None => list.push(cfg),
    }
    let json = serde_json::to_string(&list).map_err(|e| SuggestError::Input(e.to_string()))?;
    store.write(|tx| setting::set(tx, SETTING_PROVIDERS, &json).map_err(SuggestError::from))
}

/// Add or replace (by name) a provider and put it first in the failover order.
pub fn save_provider_first(store: &mut Store, cfg: ProviderConfig) -> Result<()> {
    let mut list = configured_providers(store)?;
    list.retain(|p| p.name != cfg.name);
    list.insert(0, cfg);
    let json = serde_json::to_string(&list).map_err(|e| SuggestError::Input(e.to_string()))?;
    store.write(|tx| setting::set(tx, SETTING_PROVIDERS, &json).map_err(SuggestError::from))
}

/// Remove a configured provider; `false` when it was not there.
pub fn remove_provider(store: &mut Store, name: &str) -> Result<bool> {
    let mut list = configured_providers(store)?;
    let before = list.len();
    list.retain(|p| p.name != name);
    if list.len() == before {
        return Ok(false);
    }
    let json = serde_json::to_string(&list).map_err(|e| SuggestError::Input(e.to_string()))?;
    store.write(|tx| setting::set(tx, SETTING_PROVIDERS, &json).map_err(SuggestError::from))?;
    Ok(true)
}

/// The facts kept with `version`.
pub fn stored_context(store: &Store, version: &str) -> Result<String> {
    Ok(setting::get(store.conn(), &format!("{SETTING_CONTEXT_PREFIX}{version}"))?
        .unwrap_or_default())
}

/// Keeps the facts in `new` with `version` (lines not already kept are added after the kept
/// ones) and returns everything kept, which is the evidence the grounding guard uses for the
/// version from then on.
pub fn keep_context(store: &mut Store, version: &str, new: &str) -> Result<String> {
    let old = stored_context(store, version)?;
    let mut lines: Vec<&str> = old.lines().filter(|l| !l.trim().is_empty()).collect();
    let before = lines.len();
    for l in new.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if !lines.iter().any(|x| x.trim() == l) {
            lines.push(l);
        }
    }
    let merged = lines.join("\n");
    if merged.len() > MAX_CONTEXT_BYTES {
        return Err(SuggestError::Input(format!(
            "the facts kept with this version would be over {} KB; shorten them",
            MAX_CONTEXT_BYTES / 1024
        )));
    }
    if lines.len() != before {
        let key = format!("{SETTING_CONTEXT_PREFIX}{version}");
        store.write(|tx| setting::set(tx, &key, &merged).map_err(SuggestError::from))?;
    }
    Ok(merged)
}

pub fn daily_limit(store: &Store, provider: &str) -> Result<Option<f64>> {
    let v = setting::get(store.conn(), &format!("{SETTING_LIMIT_PREFIX}{provider}"))?;
    Ok(v.and_then(|s| s.parse::<f64>().ok()).filter(|x| x.is_finite() && *x >= 0.0))
}

/// Set (or with `None` clear) the daily spend limit of `provider`, in US dollars.
pub fn set_daily_limit(store: &mut Store, provider: &str, usd: Option<f64>) -> Result<()> {
    if let Some(x) = usd
        && !(x.is_finite() && x >= 0.0)
    {
        return Err(SuggestError::Input(format!(
            "the limit must be a non-negative amount, got {x}"
        )));
    }
    let key = format!("{SETTING_LIMIT_PREFIX}{provider}");
    store.write(|tx| {
        match usd {
            Some(x) => setting::set(tx, &key, &format!("{x}"))?,
            None => {
                tx.execute("DELETE FROM setting WHERE key = ?1", [&key])
                    .map_err(qoder_store::StoreError::from)?;
            }
        }
        Ok::<_, SuggestError>(())
    })
}

/// Dollars spent with `provider` on `day` (YYYY-MM-DD).
pub fn spent_on(store: &Store, day: &str, provider: &str) -> Result<f64> {
    Ok(llm_usage::spent_on(store.conn(), day, provider)?)
}

pub use qoder_store::llm_usage::UsageSummary;

/// The usage view: totals per day, provider, model and feature since `from_day`.
pub fn usage_summary(store: &Store, from_day: &str) -> Result<Vec<UsageSummary>> {
    Ok(llm_usage::summary(store.conn(), from_day)?)
}

// ---- the ledger over SQLite ------------------------------------------------------------------

/// The router's [`Ledger`] over the local store (usage, limits) and cache.sqlite (answers).
/// Failures are logged and treated as a miss / zero: a broken cache never stops a call.
pub struct StoreLedger<'a> {
    pub store: &'a Store,
    pub cache: Option<&'a Cache>,
    /// The user's local date, YYYY-MM-DD.
    pub day: String,
}

impl<'a> StoreLedger<'a> {
    pub fn new(store: &'a Store, cache: Option<&'a Cache>, day: impl Into<String>) -> Self {
        if let Some(c) = cache
            && let Err(e) = c.llm_prune(CACHE_TTL)
        {
            tracing::warn!(error = %e, "llm cache prune failed");
        }
        StoreLedger { store, cache, day: day.into() }
    }
}

impl Ledger for StoreLedger<'_> {
    fn cached(&self, key: &str) -> Option<String> {
        let c = self.cache?;
        c.llm_get_fresh(key, CACHE_TTL).unwrap_or_else(|e| {
            tracing::warn!(error = %e, "llm cache read failed");
            None
        })
    }

    fn store(&self, key: &str, text: &str) {
        if let Some(c) = self.cache
            && let Err(e) = c.llm_put(key, text)
        {
            tracing::warn!(error = %e, "llm cache write failed");
        }
    }

    fn spent_today(&self, provider: &str) -> f64 {
        llm_usage::spent_on(self.store.conn(), &self.day, provider).unwrap_or_else(|e| {
            tracing::warn!(error = %e, "usage read failed");
            0.0
        })
    }

    fn daily_limit(&self, provider: &str) -> Option<f64> {
        daily_limit(self.store, provider).ok().flatten()
    }

    fn record(&self, u: &Usage) {
        let row = llm_usage::UsageRow {
            day: self.day.clone(),
            feature: u.feature.clone(),
            provider: u.provider.clone(),
            model: u.model.clone(),
            tokens_in: u.tokens_in,
            tokens_out: u.tokens_out,
            estimated: u.estimated,
            cost_usd: u.cost_usd,
            latency_ms: u.latency_ms,
            cache_hit: u.cache_hit,
            outcome: u.outcome.clone(),
        };
        if let Err(e) = llm_usage::insert(self.store.conn(), &row) {
            tracing::warn!(error = %e, "usage write failed");
        }
    }
}

// ---- prompt material ---------------------------------------------------------------------------

fn position_line(e: &qoder_domain::resume::Experience) -> String {
    let dates = match (e.start, e.end, e.current) {
        (Some(s), _, true) => format!("{} – present", s.iso()),
        (Some(s), Some(t), _) => format!("{} – {}", s.iso(), t.iso()),
        (Some(s), None, _) => s.iso(),
        _ => String::new(),
    };
    [e.title.as_deref(), e.employer.as_deref(), Some(dates.as_str())]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" | ")
}

/// The resume parts a prompt needs: experience (titles, employers, dates, bullets), skills,
/// summary and projects. Contact details never leave the machine.
fn resume_blocks(resume: &ParsedResume) -> Vec<Block> {
    let mut exp = String::new();
    for e in &resume.experience {
        exp.push_str(&position_line(e));
        exp.push('\n');
        for b in &e.bullets {
            exp.push_str("- ");
            exp.push_str(b);
            exp.push('\n');
        }
    }
    if exp.trim().is_empty() {
        // No structured entries: the experience section's lines as written.
        for s in resume.sections.iter().filter(|s| s.kind == SectionKind::Experience) {
            exp.push_str(&s.lines.join("\n"));
            exp.push('\n');
        }
    }
    let skills: Vec<&str> = resume.skills.iter().map(|s| s.name.as_str()).collect();
    let mut blocks = vec![Block::new("resume_experience", exp)];
    blocks.push(Block::new("resume_skills", skills.join(", ")));
    if let Some(s) = &resume.summary {
        blocks.push(Block::new("resume_summary", s.clone()));
    }
    for s in resume.sections.iter().filter(|s| s.kind == SectionKind::Projects) {
        blocks.push(Block::new("resume_projects", s.lines.join("\n")));
    }
    blocks
}

/// Everything the grounding guard may accept: the resume as parsed, its skills and context.
fn grounding_for(resume: Option<&ParsedResume>, extra: &str, context: &str) -> Grounding {
    let mut text = String::new();
    if let Some(r) = resume {
        text.push_str(&r.text);
        // Positions as parsed (or corrected by the user) when the text does not already show
        // them: a header-only entry that duplicates a real one would split the entry's evidence.
        let lower = r.text.to_lowercase();
        for e in &r.experience {
            let shown = [e.title.as_deref(), e.employer.as_deref()]
                .into_iter()
                .flatten()
                .all(|x| lower.contains(&x.to_lowercase()));
            if !shown {
                text.push('\n');
                text.push_str(&position_line(e));
            }
        }
        for s in &r.skills {
            text.push('\n');
            text.push_str(&s.name);
        }
    }
    text.push('\n');
    text.push_str(extra);
    Grounding::new(&text, context)
}

fn assemble(blocks: &[Block]) -> String {
    blocks
        .iter()
        .filter(|b| !b.text.trim().is_empty())
        .map(|b| data_block(&b.name, &b.text))
        .collect::<Vec<_>>()
        .join("\n\n")
}

fn meta(a: &Answer, tier: Tier, prompt_tokens: usize, cut: Vec<String>) -> AiMeta {
    AiMeta {
        provider: a.provider.clone(),
        model: a.model.clone(),
        tier: tier.as_str().to_string(),
        cached: a.cached,
        tokens_in: a.tokens_in,
        tokens_out: a.tokens_out,
        cost_usd: a.cost_usd,
        latency_ms: a.latency_ms,
        prompt_tokens,
        prompt_cut: cut,
        failed: a.failed.iter().map(|(p, e)| format!("{p}: {e}")).collect(),
    }
}

fn clean(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_start_matches(['-', '•', '*', ' '])
        .to_string()
}

/// An array of objects under `key`, at most `max_items` (a longer one is refused as hostile).
fn items<'v>(
    v: &'v Value,
    key: &str,
    max_items: usize,
) -> std::result::Result<&'v Vec<Value>, String> {
    let arr = v
        .get(key)
        .and_then(Value::as_array)
        .ok_or_else(|| format!("no \"{key}\" array in the answer"))?;
    if arr.len() > max_items {
        return Err(format!(
            "the answer has {} {key}; at most {max_items} are accepted",
            arr.len()
        ));
    }
    Ok(arr)
}

fn opt_str(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(clean).filter(|s| !s.is_empty())
}

// ---- generate points ---------------------------------------------------------------------------

/// Bullets of the resume the match report finds weak: the ones the report suggests
/// strengthening, and the best (still weak) support of poorly covered responsibilities.
pub fn weak_bullets(report: &MatchReport, max: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in &report.suggestions {
        if s.kind == SuggestionKind::StrengthenBullet
            && let Some(b) = &s.bullet
            && !out.contains(b)
        {
            out.push(b.clone());
        }
    }
    for r in &report.responsibilities {
        if let Some(best) = r.best.first()
            && best.similarity < 0.5
            && !out.contains(&best.bullet)
        {
            out.push(best.bullet.clone());
        }
    }
    out.truncate(max);
    out
}

fn points_system(limit: usize) -> String {
    format!(
        "You are a careful resume editor. You write resume bullet points that are true to the \
candidate's resume.\n\
Rules:\n\
1. Use only employers, job titles, dates, numbers, tools and skills that appear in the resume or \
context blocks. Never invent them.\n\
2. Where a figure would make a bullet stronger but the resume gives none, write a placeholder in \
square brackets, such as [N]% or [number], for the candidate to fill in.\n\
3. A skill the job asks for that the resume lacks may appear only when the candidate_context block \
says the candidate has it. Otherwise write bullets that show related experience the resume does \
contain, or leave the skill out.\n\
4. Each bullet is one sentence, starts with a strong past-tense verb, and has at most 30 words.\n\
5. {DATA_RULE}\n\
Answer with JSON only, no prose and no code fence, in exactly this shape: \
{{\"points\":[{{\"bullet\":\"...\",\"skill\":\"the job skill it addresses or null\",\"replaces\":\"the resume bullet it improves, copied exactly, or null\"}}]}} \
with at most {limit} points."
    )
}

fn validate_points(text: &str, limit: usize) -> std::result::Result<(), String> {
    let v = extract_json(text, MAX_ANSWER_BYTES)?;
    let arr = items(&v, "points", limit * 3)?;
    for p in arr {
        match p.get("bullet").and_then(Value::as_str) {
            Some(b) if !b.trim().is_empty() => {}
            _ => return Err("a point has no \"bullet\" text".into()),
        }
    }
    Ok(())
}

/// Inputs of [`generate_points`].
pub struct PointsRequest<'a> {
    pub resume: &'a ParsedResume,
    pub report: &'a MatchReport,
    /// Facts the user adds ("I used Kubernetes at Acme"); backs the grounding guard too.
    pub context: &'a str,
    pub limits: &'a Limits,
    pub stream: bool,
}

/// Bullet points for the report's missing skills and weak bullets.
pub fn generate_points(
    router: &Router,
    ledger: &StoreLedger<'_>,
    req: &PointsRequest<'_>,
    on_event: &mut dyn FnMut(Event<'_>),
) -> Result<GeneratedPoints> {
    let limits = req.limits;
    let used = llm_usage::generations_on(ledger.store.conn(), &ledger.day, FEATURE_POINTS)?;
    if used >= limits.generations_per_day {
        return Err(SuggestError::DailyLimit { used, limit: limits.generations_per_day });
    }
    let r = req.report;
    let missing: Vec<String> = r
        .missing
        .iter()
        .map(|m| format!("{} ({})", m.skill, if m.required { "required" } else { "preferred" }))
        .collect();
    let related: Vec<String> = r
        .related
        .iter()
        .filter_map(|m| {
            m.related.as_ref().map(|rel| format!("{} — the resume has {}", m.skill, rel.name))
        })
        .collect();
    let weak = weak_bullets(r, limits.points_per_request);
    let tier = Tier::for_skill_count(r.missing.len() + r.related.len());
    let mut job = String::new();
    if let Some(t) = &r.job.title {
        job.push_str(&format!("Job title: {t}\n"));
    }
    job.push_str(&format!(
        "Missing skills: {}\n",
        if missing.is_empty() { "none".into() } else { missing.join(", ") }
    ));
    if !related.is_empty() {
        job.push_str(&format!("Missing, with a related skill present: {}\n", related.join("; ")));
    }
    let required: Vec<&str> = r.job.required.iter().map(|s| s.name.as_str()).collect();
    if !required.is_empty() {
        job.push_str(&format!("Required skills: {}\n", required.join(", ")));
    }
    let mut resp = String::new();
    for x in r.job.responsibilities.iter().take(12) {
        resp.push_str("- ");
        resp.push_str(x);
        resp.push('\n');
    }
    let mut blocks = vec![Block::new("job_requirements", job)];
    if !weak.is_empty() {
        blocks.push(Block::new(
            "weak_bullets",
            weak.iter().map(|b| format!("- {b}")).collect::<Vec<_>>().join("\n"),
        ));
    }
    if !req.context.trim().is_empty() {
        blocks.push(Block::new("candidate_context", req.context));
    }
    blocks.extend(resume_blocks(req.resume));
    blocks.push(Block::new("job_responsibilities", resp));
    let system = points_system(limits.points_per_request);
    let instructions = format!(
        "Write up to {} resume bullet points for this job: first rewrites of the weak bullets, then bullets that show the missing skills where the resume or context backs them.",
        limits.points_per_request
    );
    let overhead = estimate(&system) + estimate(&instructions);
    let fitted = fit(blocks, limits.max_prompt_tokens, overhead);
    let prompt = format!("{instructions}\n\n{}", assemble(&fitted.blocks));
    let call = Call {
        feature: FEATURE_POINTS.into(),
        system,
        prompt,
        tier,
        max_output_tokens: 1_200,
        temperature: 0.3,
        json: true,
        stream: req.stream,
    };
    let limit = limits.points_per_request;
    let answer = router.run(&call, &|t| validate_points(t, limit), ledger, on_event)?;
    let v = extract_json(&answer.text, MAX_ANSWER_BYTES).map_err(|reason| {
        LlmError::MalformedResponse { provider: answer.provider.clone(), reason }
    })?;
    let grounding = grounding_for(Some(req.resume), "", req.context);
    let mut notes = Vec::new();
    let mut points = Vec::new();
    let mut flagged = Vec::new();
    let arr = items(&v, "points", limit * 3).unwrap_or(&Vec::new()).clone();
    if arr.len() > limit {
        notes.push(format!(
            "the model gave {} points; the first {limit} are kept (JD_GENERATION_POINTS_LIMIT)",
            arr.len()
        ));
    }
    for p in arr.iter().take(limit) {
        let Some(bullet) = opt_str(p, "bullet") else { continue };
        let mut issues = Vec::new();
        if bullet.chars().count() > MAX_BULLET_CHARS {
            issues.push(qoder_domain::suggest::GroundingIssue {
                kind: qoder_domain::suggest::GroundingKind::Name,
                text: bullet.chars().take(40).collect(),
                reason: format!("longer than {MAX_BULLET_CHARS} characters"),
            });
        }
        let assessed = grounding.assess(&bullet);
        issues.extend(assessed.issues);
        let point = GeneratedPoint {
            bullet,
            skill: opt_str(p, "skill").filter(|s| s != "null"),
            replaces: opt_str(p, "replaces").filter(|s| s != "null"),
            issues,
            without_claim: assessed.without_claim,
        };
        if point.issues.is_empty() { points.push(point) } else { flagged.push(point) }
    }
    if !fitted.cut.is_empty() {
        notes.push(format!(
            "the prompt was shortened to {} tokens: {} cut",
            limits.max_prompt_tokens,
            fitted.cut.join(", ")
        ));
    }
    let generations_today = if answer.cached { used } else { used + 1 };
    Ok(GeneratedPoints {
        points,
        flagged,
        notes,
        meta: meta(&answer, tier, fitted.tokens, fitted.cut),
        generations_today,
        generations_limit: limits.generations_per_day,
    })
}

// ---- rewrite one bullet ------------------------------------------------------------------------

fn validate_variants(text: &str) -> std::result::Result<(), String> {
    let v = extract_json(text, MAX_ANSWER_BYTES)?;
    let arr = items(&v, "variants", 10)?;
    if arr.iter().any(|x| x.get("text").and_then(Value::as_str).is_none_or(|t| t.trim().is_empty()))
    {
        return Err("a variant has no \"text\"".into());
    }
    Ok(())
}

/// Variants of one bullet (stronger verb, quantified, concise) for the user to choose from.
pub fn rewrite_bullet(
    router: &Router,
    ledger: &StoreLedger<'_>,
    bullet: &str,
    resume: Option<&ParsedResume>,
    context: &str,
    limits: &Limits,
    on_event: &mut dyn FnMut(Event<'_>),
) -> Result<Rewrite> {
    let bullet = clean(bullet);
    if bullet.is_empty() {
        return Err(SuggestError::Input("the bullet is empty".into()));
    }
    if bullet.chars().count() > 1_000 {
        return Err(SuggestError::Input(
            "the bullet is over 1,000 characters; give one bullet".into(),
        ));
    }
    let system = format!(
        "You are a careful resume editor. Rewrite one resume bullet into variants the candidate can \
choose from: \"stronger_verb\" (a stronger opening verb and tighter wording, same facts), \"quantified\" \
(the result made measurable; use placeholders in square brackets such as [N]% for figures the \
material does not give), and \"concise\" (at most 20 words). Never add employers, titles, dates, \
numbers, tools or skills that the bullet, resume or context do not contain. {DATA_RULE} Answer with \
JSON only: {{\"variants\":[{{\"style\":\"stronger_verb|quantified|concise\",\"text\":\"...\"}}]}}"
    );
    let tax = qoder_analysis::skills::Taxonomy::builtin();
    let tier = Tier::for_skill_count(tax.find_in_line(&bullet, false).len());
    let mut blocks = vec![Block::new("bullet", bullet.clone())];
    if !context.trim().is_empty() {
        blocks.push(Block::new("candidate_context", context));
    }
    if let Some(r) = resume {
        blocks.extend(resume_blocks(r));
    }
    let instructions = "Rewrite the bullet in the bullet block.";
    let fitted = fit(blocks, limits.max_prompt_tokens, estimate(&system) + estimate(instructions));
    let call = Call {
        feature: FEATURE_REWRITE.into(),
        prompt: format!("{instructions}\n\n{}", assemble(&fitted.blocks)),
        system,
        tier,
        max_output_tokens: 600,
        temperature: 0.5,
        json: true,
        stream: false,
    };
    let answer = router.run(&call, &validate_variants, ledger, on_event)?;
    let v = extract_json(&answer.text, MAX_ANSWER_BYTES).map_err(|reason| {
        LlmError::MalformedResponse { provider: answer.provider.clone(), reason }
    })?;
    let grounding = grounding_for(resume, &bullet, context);
    let mut variants = Vec::new();
    let mut flagged = Vec::new();
    for x in items(&v, "variants", 10).unwrap_or(&Vec::new()).iter().take(6) {
        let Some(text) = opt_str(x, "text") else { continue };
        let text: String = text.chars().take(MAX_BULLET_CHARS).collect();
        let style =
            opt_str(x, "style").unwrap_or_else(|| "variant".into()).chars().take(30).collect();
        let issues = grounding.check(&text);
        let var = RewriteVariant { style, text, issues };
        if var.issues.is_empty() { variants.push(var) } else { flagged.push(var) }
    }
    Ok(Rewrite {
        original: bullet,
        variants,
        flagged,
        meta: meta(&answer, tier, fitted.tokens, fitted.cut),
    })
}

// ---- review ------------------------------------------------------------------------------------

fn validate_review(text: &str) -> std::result::Result<(), String> {
    let v = extract_json(text, MAX_ANSWER_BYTES)?;
    if v.get("summary").and_then(Value::as_str).is_none() {
        return Err("no \"summary\" in the answer".into());
    }
    items(&v, "issues", 30)?;
    Ok(())
}

fn capped(s: &str, n: usize) -> String {
    let c = clean(s);
    if c.chars().count() > n {
        format!("{}…", c.chars().take(n - 1).collect::<String>())
    } else {
        c
    }
}

/// An AI reading of the whole resume that complements the rule-based ATS report: it is told
/// what the ATS checks already found and asked about content (impact, clarity, relevance).
pub fn review(
    router: &Router,
    ledger: &StoreLedger<'_>,
    resume: &ParsedResume,
    ats: &AtsReport,
    limits: &Limits,
    on_event: &mut dyn FnMut(Event<'_>),
) -> Result<AiReview> {
    let system = format!(
        "You are an experienced recruiter reviewing a resume. A rule-based ATS check has already \
covered formatting, contact details, section headings and dates (its findings are in the ats_findings \
block): do not repeat them. Review the content: impact and results, clarity, verbs, relevance, gaps, \
consistency. Be specific and refer to the section. Do not invent facts about the candidate. {DATA_RULE} \
Answer with JSON only: {{\"summary\":\"two or three sentences\",\"strengths\":[\"...\"],\
\"issues\":[{{\"section\":\"...\",\"problem\":\"...\",\"fix\":\"...\"}}]}} with at most 5 strengths and 10 issues."
    );
    let findings: Vec<String> = ats
        .checks
        .iter()
        .filter(|c| c.status != CheckStatus::Pass)
        .map(|c| format!("- {} ({}/{}): {}", c.title, c.points, c.weight, c.detail))
        .collect();
    let mut blocks = vec![Block::new(
        "ats_findings",
        format!("ATS score {}/100\n{}", ats.score, findings.join("\n")),
    )];
    blocks.extend(resume_blocks(resume));
    let instructions = "Review the resume in the resume blocks.";
    let fitted = fit(blocks, limits.max_prompt_tokens, estimate(&system) + estimate(instructions));
    let tier = Tier::for_skill_count(resume.skills.len());
    let call = Call {
        feature: FEATURE_REVIEW.into(),
        prompt: format!("{instructions}\n\n{}", assemble(&fitted.blocks)),
        system,
        tier,
        max_output_tokens: 1_500,
        temperature: 0.3,
        json: true,
        stream: false,
    };
    let answer = router.run(&call, &validate_review, ledger, on_event)?;
    let v = extract_json(&answer.text, MAX_ANSWER_BYTES).map_err(|reason| {
        LlmError::MalformedResponse { provider: answer.provider.clone(), reason }
    })?;
    let strengths: Vec<String> = v
        .get("strengths")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).take(5).map(|s| capped(s, 400)).collect())
        .unwrap_or_default();
    let issues = items(&v, "issues", 30)
        .unwrap_or(&Vec::new())
        .iter()
        .take(10)
        .filter_map(|i| {
            Some(ReviewIssue {
                section: capped(i.get("section")?.as_str()?, 60),
                problem: capped(i.get("problem")?.as_str()?, 500),
                fix: capped(i.get("fix").and_then(Value::as_str).unwrap_or(""), 500),
            })
        })
        .collect();
    // The summary and strengths state things about the candidate: the grounding guard holds
    // back the sentences the resume does not back (the issues' advice may name what to add).
    let grounding = grounding_for(Some(resume), "", "");
    let mut held_back = Vec::new();
    let summary = capped(v.get("summary").and_then(Value::as_str).unwrap_or(""), 1_000);
    let summary = grounded_sentences(&grounding, &summary, &mut held_back);
    let strengths: Vec<String> = strengths
        .into_iter()
        .filter(|s: &String| grounded_sentences(&grounding, s, &mut held_back) == *s)
        .collect();
    Ok(AiReview {
        summary,
        strengths,
        issues,
        held_back,
        meta: meta(&answer, tier, fitted.tokens, fitted.cut),
    })
}

/// `text` without the sentences the guard cannot back; those go to `held_back`.
fn grounded_sentences(g: &Grounding, text: &str, held_back: &mut Vec<GeneratedPoint>) -> String {
    let mut kept: Vec<&str> = Vec::new();
    for sentence in split_sentences(text) {
        let issues = g.check_statement(sentence);
        if issues.is_empty() {
            kept.push(sentence);
        } else {
            held_back.push(GeneratedPoint {
                bullet: sentence.to_string(),
                skill: None,
                replaces: None,
                issues,
                without_claim: None,
            });
        }
    }
    kept.join(" ")
}

/// Sentences: split after ". ", "! " or "? " when the next word starts with a capital.
fn split_sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let b = text.as_bytes();
    for i in 0..b.len() {
        if matches!(b[i], b'.' | b'!' | b'?')
            && b.get(i + 1) == Some(&b' ')
            && b.get(i + 2).is_some_and(|c| c.is_ascii_uppercase())
            && !text[..i].ends_with(['A', 'B', 'M', 'S', 'D'])
        {
            out.push(text[start..=i].trim());
            start = i + 2;
        }
    }
    if start < text.len() && !text[start..].trim().is_empty() {
        out.push(text[start..].trim());
    }
    out
}

/// Checks bullets again against the resume and `context` (the "add it as a fact" path: the
/// user's facts are evidence) without asking a model.
pub fn check_points(
    resume: &ParsedResume,
    context: &str,
    bullets: &[String],
) -> Vec<GeneratedPoint> {
    let grounding = grounding_for(Some(resume), "", context);
    bullets
        .iter()
        .take(50)
        .map(|b| {
            let bullet: String = b.chars().take(MAX_BULLET_CHARS).collect();
            let a = grounding.assess(&bullet);
            GeneratedPoint {
                bullet,
                skill: None,
                replaces: None,
                issues: a.issues,
                without_claim: a.without_claim,
            }
        })
        .collect()
}

// ---- the use cases the front ends share ---------------------------------------------------------

/// What every front end says when no AI provider is set up (each adds where to set one up).
pub const NO_PROVIDER: &str = "No AI provider is set up: store a key for OpenAI, Anthropic or Gemini, or point QoderResume at a local Ollama / LM Studio server. The rule-based suggestions still apply.";

/// The inputs of [`ai_points`].
pub struct AiPointsJob<'a> {
    pub resume: &'a ParsedResume,
    /// The stored version `resume` is, if it is one: the facts in `context` are kept with it
    /// and back its later generations too.
    pub version: Option<qoder_domain::ids::VersionId>,
    pub jd_text: &'a str,
    /// Facts the user adds ("I used Kubernetes at Acme").
    pub context: &'a str,
    pub stream: bool,
}

/// AI bullet points for the gaps of a resume against a JD: the match report (keyword-only),
/// then the points from `router`, grounded; without a router the outcome says so, and when the
/// provider fails it carries the error. The rule-based suggestions come always. Errors are the
/// caller's (an empty or too long JD, bad facts, the store), never the provider's.
pub fn ai_points(
    store: &mut Store,
    cache: Option<&Cache>,
    router: Option<&Router>,
    limits: &Limits,
    job: &AiPointsJob<'_>,
    on_event: &mut dyn FnMut(Event<'_>),
) -> Result<qoder_domain::suggest::AiPointsOutcome> {
    use qoder_analysis::matching::{MatchOptions, ResumeFacts};
    use qoder_domain::suggest::AiPointsOutcome;
    crate::config::check_jd(job.jd_text).map_err(crate::matching::MatchError::from)?;
    let context = match job.version {
        Some(v) => keep_context(store, &v.to_string(), job.context)?,
        None => job.context.to_string(),
    };
    let day = crate::config::today();
    let facts = ResumeFacts::from_resume(job.resume, day);
    let report =
        crate::matching::match_texts(&facts, job.jd_text, None, None, &MatchOptions::new(day))?;
    let outcome = AiPointsOutcome {
        ai: None,
        notice: None,
        error: None,
        rule_based: report.suggestions.clone(),
        match_score: report.score,
        job_title: report.job.title.clone(),
    };
    let Some(router) = router else {
        return Ok(AiPointsOutcome { notice: Some(NO_PROVIDER.into()), ..outcome });
    };
    let ledger = StoreLedger::new(store, cache, crate::config::local_day());
    let req = PointsRequest {
        resume: job.resume,
        report: &report,
        context: &context,
        limits,
        stream: job.stream,
    };
    Ok(match generate_points(router, &ledger, &req, on_event) {
        Ok(points) => AiPointsOutcome { ai: Some(points), ..outcome },
        Err(e) => AiPointsOutcome { error: Some(e.body()), ..outcome },
    })
}

/// An AI review of `resume` beside its rule-based `ats` report (one "resume analysis" of the
/// hosted AI's plan limits): without a router the outcome says so, and when the provider fails
/// it carries the error; errors are the store's, never the provider's.
pub fn ai_review(
    store: &Store,
    cache: Option<&Cache>,
    router: Option<&Router>,
    limits: &Limits,
    resume: &ParsedResume,
    ats: &AtsReport,
    on_event: &mut dyn FnMut(Event<'_>),
) -> Result<qoder_domain::suggest::AiReviewOutcome> {
    use qoder_domain::suggest::AiReviewOutcome;
    let Some(router) = router else {
        return Ok(AiReviewOutcome { ai: None, notice: Some(NO_PROVIDER.into()), error: None });
    };
    let ledger = StoreLedger::new(store, cache, crate::config::local_day());
    Ok(match review(router, &ledger, resume, ats, limits, on_event) {
        Ok(r) => AiReviewOutcome { ai: Some(r), notice: None, error: None },
        Err(e) => AiReviewOutcome { ai: None, notice: None, error: Some(e.body()) },
    })
}

/// The AI providers as every front end lists them: the configured ones in failover order, then
/// each built-in kind not configured (with its defaults); each with where its key is, its daily
/// limit and today's spend. [`qoder_domain::suggest::ProviderOverview::active`] is the rule the
/// router uses to pick them.
pub fn provider_overview(
    store: &Store,
    keys: &qoder_llm::secret::KeySource,
) -> Result<Vec<qoder_domain::suggest::ProviderOverview>> {
    use qoder_domain::suggest::{KeyState, ProviderOverview, TierModelNames};
    use qoder_llm::ProviderKind;
    let key_state = |name: &str| {
        if keys.env_override.is_some() {
            KeyState::Env
        } else if !keys.keychain {
            KeyState::None
        } else {
            match qoder_llm::secret::keychain_get(name) {
                Ok(Some(_)) => KeyState::Keychain,
                Ok(None) => KeyState::None,
                Err(_) => KeyState::Unreadable,
            }
        }
    };
    let day = crate::config::local_day();
    let configured = configured_providers(store)?;
    let defaults = [ProviderKind::OpenaiCompatible, ProviderKind::Anthropic, ProviderKind::Gemini]
        .into_iter()
        .filter(|k| !configured.iter().any(|c| c.name == k.as_str()))
        .filter_map(|k| ProviderConfig::new(k, None).ok());
    let rows: Vec<(ProviderConfig, bool)> =
        configured.iter().cloned().map(|c| (c, true)).chain(defaults.map(|c| (c, false))).collect();
    rows.into_iter()
        .map(|(cfg, configured)| {
            Ok(ProviderOverview {
                key: key_state(&cfg.name),
                daily_limit_usd: daily_limit(store, &cfg.name)?,
                spent_today_usd: spent_on(store, &day, &cfg.name)?,
                kind: cfg.kind.as_str().into(),
                base_url: cfg.base_url,
                models: TierModelNames {
                    basic: cfg.models.basic,
                    standard: cfg.models.standard,
                    premium: cfg.models.premium,
                },
                name: cfg.name,
                configured,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_validated() {
        assert!(validate_points(r#"{"points":[{"bullet":"Did X"}]}"#, 8).is_ok());
        assert!(validate_points(r#"{"points":[{"bullet":""}]}"#, 8).is_err());
        assert!(validate_points(r#"{"bullets":[]}"#, 8).unwrap_err().contains("no \"points\""));
        let many = format!("{{\"points\":[{}]}}", vec![r#"{"bullet":"x"}"#; 30].join(","));
        assert!(validate_points(&many, 8).unwrap_err().contains("at most 24"));
        assert!(validate_points("Sure! Here are your points.", 8).is_err());
        assert!(validate_variants(r#"{"variants":[{"style":"concise","text":"Led X"}]}"#).is_ok());
        assert!(validate_review(r#"{"summary":"ok","strengths":[],"issues":[]}"#).is_ok());
        assert!(validate_review(r#"{"issues":[]}"#).is_err());
    }

    #[test]
    fn facts_are_kept_with_the_version() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        assert_eq!(stored_context(&store, "v1").unwrap(), "");
        assert_eq!(
            keep_context(&mut store, "v1", "Used Airflow at Acme\n").unwrap(),
            "Used Airflow at Acme"
        );
        assert_eq!(
            keep_context(&mut store, "v1", " Used Airflow at Acme\nWon the 2022 hackathon")
                .unwrap(),
            "Used Airflow at Acme\nWon the 2022 hackathon"
        );
        assert_eq!(
            stored_context(&store, "v1").unwrap(),
            "Used Airflow at Acme\nWon the 2022 hackathon"
        );
        assert_eq!(keep_context(&mut store, "v2", "").unwrap(), "");
        let big = "x".repeat(MAX_CONTEXT_BYTES + 1);
        assert!(keep_context(&mut store, "v1", &big).is_err());
    }

    #[test]
    fn the_review_keeps_only_backed_sentences() {
        let g = Grounding::new(
            "Staff Engineer, Stripe, 2021 – Present\n- Led teams of 5–10 engineers\n- Reduced chargebacks by 25%\nCTO, Snowflake, 2019 – 2021",
            "",
        );
        let mut held = Vec::new();
        let kept = grounded_sentences(
            &g,
            "Strong platform engineer who led teams of 5–10 engineers at Stripe. Managed a $40M budget at Snowflake. Bullets could show more impact.",
            &mut held,
        );
        assert_eq!(
            kept,
            "Strong platform engineer who led teams of 5–10 engineers at Stripe. Bullets could show more impact.",
            "{held:?}"
        );
        assert_eq!(
            kept,
            "Strong platform engineer who led teams of 5–10 engineers at Stripe. Bullets could show more impact."
        );
        assert_eq!(held.len(), 1);
        assert_eq!(held[0].issues[0].kind, qoder_domain::suggest::GroundingKind::Money);
    }

    #[test]
    fn review_sentences_are_split() {
        assert_eq!(
            split_sentences("Strong resume. Clear impact at Acme Corp. Led 5 people!"),
            ["Strong resume.", "Clear impact at Acme Corp.", "Led 5 people!"]
        );
        assert_eq!(split_sentences("Holds a B.S. In short"), ["Holds a B.S. In short"]);
    }

    #[test]
    fn limits_default_to_the_design() {
        let l = Limits::default();
        assert_eq!(
            (l.points_per_request, l.generations_per_day, l.max_prompt_tokens),
            (8, 50, 4000)
        );
    }
}
