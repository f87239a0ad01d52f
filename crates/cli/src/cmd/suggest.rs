//! `qoder suggest RESUME JD`, `qoder rewrite "BULLET"`, `qoder review RESUME`: AI suggestions
//! over the match report and the ATS report, with the grounding guard, limits and cache.
//!
//! Without a configured provider they say so and still print the rule-based suggestions (exit
//! 0). A provider that fails gives a clear error: exit 2 when the user can fix it (missing or
//! refused key, spend limit, daily generation limit, bad base URL or model), 1 otherwise.

use crate::cmd::ai::{ProviderArgs, read_context, router_for};
use crate::cmd::analyze::analyze_file;
use crate::cmd::matching::{open_store, read_jd, read_resume};
use crate::exit::{CliError, CliResult};
use qoder_core::suggest::{self as core_suggest, AiPointsJob, StoreLedger};
use qoder_core::{Cache, Store};
use qoder_domain::suggest::{AiMeta, AiPointsOutcome, GroundingIssue};
use qoder_llm::Event;
use std::io::Write;
use std::path::Path;

#[derive(clap::Args)]
pub struct SuggestArgs {
    /// The resume: a PDF, DOCX or TXT file, or a stored version id.
    pub resume: String,
    /// The job description: a file, `-` for stdin, or a tracked job id.
    pub jd: String,
    #[command(flatten)]
    pub ai: ProviderArgs,
    /// Print JSON: {"ai": …, "notice": …, "error": null, "rule_based": […], "match_score": …}.
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args)]
pub struct RewriteArgs {
    /// The bullet to rewrite.
    pub bullet: String,
    /// The resume the bullet is from (backs the facts a variant may use).
    #[arg(long)]
    pub resume: Option<String>,
    #[command(flatten)]
    pub ai: ProviderArgs,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args)]
pub struct ReviewArgs {
    /// The resume: a PDF, DOCX or TXT file.
    pub resume: String,
    #[command(flatten)]
    pub ai: ProviderArgs,
    #[arg(long)]
    pub json: bool,
}

/// Where the CLI sets up a provider (after [`core_suggest::NO_PROVIDER`]).
const HOW_TO_SET_UP: &str = "Store a key with `qoder ai key set PROVIDER`, configure one with `qoder ai set`, or pass --provider/--base-url.";

fn open_cache(store: &Store) -> Option<Cache> {
    Cache::open(store.dir())
        .map_err(|e| eprintln!("note: the AI answer cache is not available: {e}"))
        .ok()
}

/// Progress on stderr: which provider is asked, failovers, and streamed text with --stream.
fn progress(stream: bool) -> impl FnMut(Event<'_>) {
    move |e| match e {
        Event::Attempt { provider, model } => eprintln!("asking {provider} ({model})…"),
        Event::Failover { provider, error } => {
            eprintln!("note: {provider} failed, trying the next provider: {error}")
        }
        Event::Delta(d) if stream => {
            eprint!("{d}");
            let _ = std::io::stderr().flush();
        }
        Event::Delta(_) => {}
    }
}

fn meta_line(m: &AiMeta) -> String {
    let cache = if m.cached { ", from the cache" } else { "" };
    format!(
        "{} · {} ({} tier) · {} tokens in / {} out · ${:.4} · {} ms{cache}",
        m.provider, m.model, m.tier, m.tokens_in, m.tokens_out, m.cost_usd, m.latency_ms
    )
}

fn issues_line(issues: &[GroundingIssue]) -> String {
    issues
        .iter()
        .map(|i| format!("{}: {}", i.kind.as_str(), i.reason))
        .collect::<Vec<_>>()
        .join("; ")
}

fn render_rule_based(out: &AiPointsOutcome) -> String {
    let mut s = format!("Rule-based suggestions (match score {}/100):\n", out.match_score);
    if out.rule_based.is_empty() {
        s.push_str("  (none: the resume covers what the job asks)\n");
    }
    for x in &out.rule_based {
        s.push_str(&format!("  • {}\n", x.message));
    }
    s
}

pub fn suggest(args: SuggestArgs) -> CliResult {
    let config = crate::config()?;
    let context = read_context(args.ai.context.as_deref())?;
    let mut store: Option<Store> = None;
    let input = read_resume(&args.resume, &mut store)?;
    let (jd_text, _) = read_jd(&args.jd, &mut store)?;
    if jd_text.trim().is_empty() {
        return Err(CliError::bad_input(format!("{}: the job description is empty", args.jd)));
    }
    let mut store = match store {
        Some(s) => s,
        None => open_store()?,
    };
    let router = router_for(&args.ai, &store)?;
    let cache = router.as_ref().and_then(|_| open_cache(&store));
    let job = AiPointsJob {
        resume: &input.resume,
        version: input.version_id,
        jd_text: &jd_text,
        context: &context,
        stream: args.ai.stream,
    };
    let out = core_suggest::ai_points(
        &mut store,
        cache.as_ref(),
        router.as_ref(),
        &config.limits,
        &job,
        &mut progress(args.ai.stream),
    )?;
    if args.ai.stream && router.is_some() {
        eprintln!();
    }
    if let Some(notice) = &out.notice {
        eprintln!("note: {notice} {HOW_TO_SET_UP}");
    }
    if let Some(e) = &out.error {
        // The rule-based suggestions still stand; then the error and its exit code.
        if !args.json {
            print!("{}", render_rule_based(&out));
        }
        return Err(CliError(e.clone()));
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    let Some(points) = &out.ai else {
        print!("{}", render_rule_based(&out));
        return Ok(());
    };
    let title = out.job_title.as_deref().unwrap_or("the job");
    println!("AI bullet points for {} → {title}", input.label);
    println!("{}", meta_line(&points.meta));
    if points.points.is_empty() {
        println!("  (no grounded points)");
    }
    for p in &points.points {
        let skill = p.skill.as_deref().map(|s| format!(" [{s}]")).unwrap_or_default();
        println!("  • {}{skill}", p.bullet);
        if let Some(r) = &p.replaces {
            println!("      replaces: {r}");
        }
    }
    if !points.flagged.is_empty() {
        println!(
            "\nHeld back by the grounding guard ({}): they claim what your resume does not show",
            points.flagged.len()
        );
        for p in &points.flagged {
            println!("  ✗ {}", p.bullet);
            for i in &p.issues {
                println!("      {} \"{}\": {}", i.kind.as_str(), i.text, i.reason);
            }
            println!(
                "      → I have this: add it as a fact with --context \"…\" and run again (your facts count as evidence)"
            );
            match &p.without_claim {
                Some(w) => println!("      → use without the claim: {w}"),
                None => println!("      → without the claim nothing sensible is left"),
            }
        }
    }
    for n in &points.notes {
        println!("note: {n}");
    }
    println!("Generations today: {}/{}\n", points.generations_today, points.generations_limit);
    print!("{}", render_rule_based(&out));
    Ok(())
}

pub fn rewrite(args: RewriteArgs) -> CliResult {
    let limits = &crate::config()?.limits;
    let context = read_context(args.ai.context.as_deref())?;
    let mut store: Option<Store> = None;
    let resume = match &args.resume {
        Some(r) => Some(read_resume(r, &mut store)?.resume),
        None => None,
    };
    let store = match store {
        Some(s) => s,
        None => open_store()?,
    };
    let Some(router) = router_for(&args.ai, &store)? else {
        return Err(CliError::new(
            qoder_domain::ErrorCode::Validation,
            format!("{} Rewriting needs a model. {HOW_TO_SET_UP}", core_suggest::NO_PROVIDER),
        ));
    };
    let cache = open_cache(&store);
    let ledger = StoreLedger::new(&store, cache.as_ref(), qoder_core::local_day());
    let r = core_suggest::rewrite_bullet(
        &router,
        &ledger,
        &args.bullet,
        resume.as_ref(),
        &context,
        limits,
        &mut progress(false),
    )?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&r)?);
        return Ok(());
    }
    println!("Original: {}\n{}", r.original, meta_line(&r.meta));
    for (i, v) in r.variants.iter().enumerate() {
        println!("  {}. [{}] {}", i + 1, v.style, v.text);
    }
    if r.variants.is_empty() {
        println!("  (no grounded variants)");
    }
    for v in &r.flagged {
        println!("  ✗ [{}] {}\n      held back: {}", v.style, v.text, issues_line(&v.issues));
    }
    if resume.is_none() {
        println!(
            "note: without --resume, variants are checked against the bullet and --context only."
        );
    }
    Ok(())
}

pub fn review(args: ReviewArgs) -> CliResult {
    let limits = &crate::config()?.limits;
    let analysis = analyze_file(Path::new(&args.resume))?;
    let store = open_store()?;
    let ats = &analysis.ats;
    let ats_text = {
        let mut s = format!(
            "Rule-based ATS report: {}/100 (details: `qoder analyze {}`)\n",
            ats.score, args.resume
        );
        for c in ats.checks.iter().filter(|c| c.status != qoder_domain::ats::CheckStatus::Pass) {
            s.push_str(&format!(
                "  - {} ({}/{}): {}\n",
                c.title,
                c.points,
                c.weight,
                c.fix.as_deref().unwrap_or(&c.detail)
            ));
        }
        s
    };
    let router = router_for(&args.ai, &store)?;
    let cache = router.as_ref().and_then(|_| open_cache(&store));
    let out = core_suggest::ai_review(
        &store,
        cache.as_ref(),
        router.as_ref(),
        limits,
        &analysis.resume,
        ats,
        &mut progress(args.ai.stream),
    )?;
    if let Some(notice) = &out.notice {
        eprintln!("note: {notice} {HOW_TO_SET_UP}");
    }
    if args.json && out.error.is_none() {
        /// The outcome with the rule-based report beside it.
        #[derive(serde::Serialize)]
        struct ReviewJson<'a> {
            #[serde(flatten)]
            outcome: &'a qoder_domain::suggest::AiReviewOutcome,
            ats: &'a qoder_domain::ats::AtsReport,
        }
        println!("{}", serde_json::to_string_pretty(&ReviewJson { outcome: &out, ats })?);
        return Ok(());
    }
    if let Some(e) = &out.error {
        // The rule-based report still stands; then the error and its exit code.
        if !args.json {
            print!("{ats_text}");
        }
        return Err(CliError(e.clone()));
    }
    let Some(r) = &out.ai else {
        print!("{ats_text}");
        return Ok(());
    };
    print!("{ats_text}");
    println!("\nAI review ({})\n{}", meta_line(&r.meta), r.summary);
    if !r.strengths.is_empty() {
        println!("\nStrengths:");
        for s in &r.strengths {
            println!("  + {s}");
        }
    }
    if !r.issues.is_empty() {
        println!("\nTo improve:");
        for i in &r.issues {
            println!("  - [{}] {}\n      fix: {}", i.section, i.problem, i.fix);
        }
    }
    if !r.held_back.is_empty() {
        println!("\nHeld back by the grounding guard (the resume does not back them):");
        for h in &r.held_back {
            println!("  ✗ {}\n      {}", h.bullet, issues_line(&h.issues));
        }
    }
    println!("\nThe AI review complements the rule-based report above; it does not replace it.");
    Ok(())
}
