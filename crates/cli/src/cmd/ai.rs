//! `qoder ai …`: AI providers, keys, limits and usage.
//!
//! - `qoder ai key set PROVIDER` (the key on stdin) / `qoder ai key rm PROVIDER`: the OS keychain
//!   (service `qoderresume`, user = provider name); keys are never printed or stored elsewhere.
//! - `qoder ai set PROVIDER [--base-url URL] [--model M | --basic M --standard M --premium M]`,
//!   `qoder ai rm PROVIDER`: configured providers, in failover order.
//! - `qoder ai providers [--json]`: what is configured, whether a key is stored, limits, spend.
//! - `qoder ai limit PROVIDER USD|off`: a daily spend limit.
//! - `qoder ai usage [--days N] [--json]`: the local usage view.
//! - `qoder ai hosted on|off`: "Use QoderResume AI", the hosted AI of the account this folder
//!   is signed in to (`qoder sync login`), with the session as its key.
//!
//! Also the shared provider options of `suggest`, `rewrite` and `review`.

use crate::cmd::matching::open_store;
use crate::exit::{CliError, CliResult};
use qoder_core::Store;
use qoder_core::suggest as core_suggest;
use qoder_core::sync::account;
use qoder_domain::{CodedError, ErrorCode};
use qoder_llm::secret::{self, KeySource};
use qoder_llm::{
    HttpProvider, LlmError, Provider, ProviderConfig, ProviderKind, Router, TierModels,
};
use std::io::Read;
use std::sync::Arc;

#[derive(clap::Subcommand)]
pub enum Command {
    /// Store or remove a provider's API key in the OS keychain.
    #[command(subcommand)]
    Key(KeyCommand),
    /// Configure a provider (base URL, models per tier); new ones go last in the failover order.
    Set(SetArgs),
    /// Remove a configured provider (its key stays in the keychain until `ai key rm`).
    Rm { provider: String },
    /// The configured providers (keys are never shown).
    Providers {
        #[arg(long)]
        json: bool,
    },
    /// Set a daily spend limit in US dollars for a provider, or `off`.
    Limit { provider: String, usd: String },
    /// Use QoderResume AI (the hosted AI of your sync account, counted against your plan)
    /// first, before your own keys: `on`, or `off`.
    Hosted {
        #[arg(value_parser = ["on", "off"])]
        state: String,
    },
    /// Calls, tokens, cost and cache hits per day, provider, model and feature.
    Usage {
        /// Days back, today included.
        #[arg(long, default_value_t = 7)]
        days: u32,
        #[arg(long)]
        json: bool,
    },
}

#[derive(clap::Subcommand)]
pub enum KeyCommand {
    /// Read the key from stdin (one line) and store it.
    Set { provider: String },
    /// Delete the stored key.
    Rm { provider: String },
}

#[derive(clap::Args)]
pub struct SetArgs {
    /// openai-compatible (also: openai, ollama, lmstudio, vllm), anthropic, gemini or hosted.
    pub provider: String,
    /// A name of its own (keys, limits and usage are kept under it); default: the kind's name.
    #[arg(long)]
    pub name: Option<String>,
    #[arg(long)]
    pub base_url: Option<String>,
    /// One model for every tier.
    #[arg(long)]
    pub model: Option<String>,
    #[arg(long)]
    pub basic: Option<String>,
    #[arg(long)]
    pub standard: Option<String>,
    #[arg(long)]
    pub premium: Option<String>,
    /// Price in USD per million input tokens, for models without a list price.
    #[arg(long)]
    pub price_in: Option<f64>,
    /// Price in USD per million output tokens.
    #[arg(long)]
    pub price_out: Option<f64>,
}

/// Options every AI command takes.
#[derive(clap::Args, Clone, Default)]
pub struct ProviderArgs {
    /// Use only this provider: openai-compatible (openai, ollama, lmstudio, vllm), anthropic,
    /// gemini, hosted, or the name of a configured one. Default: the configured providers in
    /// order, with failover.
    #[arg(long)]
    pub provider: Option<String>,
    /// The provider's base URL (an OpenAI-compatible server: e.g. http://localhost:11434/v1).
    #[arg(long)]
    pub base_url: Option<String>,
    /// The model (for every tier).
    #[arg(long)]
    pub model: Option<String>,
    /// Facts to add that the resume lacks (text, or @FILE); generated text may use them.
    #[arg(long)]
    pub context: Option<String>,
    /// Show the model's text on stderr as it arrives.
    #[arg(long)]
    pub stream: bool,
}

/// qoder-llm's errors keep their own `code()` (the crate is not a boundary).
pub fn llm_error(e: LlmError) -> CliError {
    CliError::new(e.code(), e.to_string())
}

fn kind_of(name: &str) -> Result<ProviderKind, CliError> {
    ProviderKind::parse(name).ok_or_else(|| {
        CliError::bad_input(format!(
            "unknown provider {name:?}: use openai-compatible (openai, ollama, lmstudio, vllm), anthropic, gemini or hosted"
        ))
    })
}

/// The providers to use, in order; `None` when nothing is configured (the offline path).
pub fn router_for(args: &ProviderArgs, store: &Store) -> Result<Option<Router>, CliError> {
    let keys = KeySource::from_env();
    let http = crate::config()?.http.clone();
    let configured = core_suggest::configured_providers(store)?;
    let explicit = args.provider.is_some() || args.base_url.is_some();
    let sync_err = |e: qoder_core::sync::SyncError| CliError(e.body());
    let dir = crate::cmd::data_dir()?;
    if explicit {
        let name = args.provider.as_deref().unwrap_or("openai-compatible");
        let mut cfg = match configured.iter().find(|p| p.name == name) {
            Some(c) => c.clone(),
            // The account's own server, with its session as the key.
            None if name == ProviderKind::Hosted.as_str() && args.base_url.is_none() => {
                account::account_hosted_provider(store).map_err(sync_err)?
            }
            None => {
                ProviderConfig::new(kind_of(name)?, args.base_url.as_deref()).map_err(llm_error)?
            }
        };
        if let Some(u) = &args.base_url {
            cfg.base_url = qoder_llm::provider::normalise_base_url(u).map_err(llm_error)?;
        }
        let keys = account::with_session_for(&dir, store, &cfg, keys).map_err(sync_err)?;
        if cfg.kind == ProviderKind::Hosted {
            eprintln!("note: {}", account::HOSTED_AI_NOTICE);
        }
        if let Some(m) = &args.model {
            cfg.models = TierModels::single(m);
        }
        let p = HttpProvider::new(cfg, &keys, http).map_err(llm_error)?;
        return Ok(Some(Router::new(vec![Arc::new(p) as Arc<dyn Provider>])));
    }
    let keys = account::with_session_key(&dir, store, keys).map_err(sync_err)?;
    let mut skipped = Vec::new();
    let router =
        core_suggest::configured_router(store, &keys, &http, args.model.as_deref(), &mut skipped)?;
    for e in skipped {
        eprintln!("note: skipping a provider: {e}");
    }
    Ok(router)
}

/// `@FILE` or the text itself.
pub fn read_context(arg: Option<&str>) -> Result<String, CliError> {
    match arg {
        None => Ok(String::new()),
        Some(a) if a.starts_with('@') => {
            let path = &a[1..];
            let meta = std::fs::metadata(path)
                .map_err(|e| CliError::bad_input(format!("cannot read {path}: {e}")))?;
            if meta.len() > 64 * 1024 {
                return Err(CliError::new(
                    ErrorCode::FileTooLarge,
                    format!("{path}: the context is over 64 KB"),
                ));
            }
            std::fs::read_to_string(path)
                .map_err(|e| CliError::bad_input(format!("cannot read {path}: {e}")))
        }
        Some(a) => Ok(a.to_string()),
    }
}

pub fn run(c: Command) -> CliResult {
    match c {
        Command::Key(KeyCommand::Set { provider }) => {
            let mut buf = String::new();
            std::io::stdin().take(16 * 1024).read_to_string(&mut buf)?;
            let key =
                qoder_llm::ApiKey::new(buf.lines().next().unwrap_or("")).ok_or_else(|| {
                    CliError::bad_input("no key on stdin: `echo $KEY | qoder ai key set PROVIDER`")
                })?;
            secret::keychain_set(&provider, &key).map_err(llm_error)?;
            println!(
                "Stored the key for {provider} in the OS keychain (service {}).",
                secret::KEYCHAIN_SERVICE
            );
            Ok(())
        }
        Command::Key(KeyCommand::Rm { provider }) => {
            if secret::keychain_delete(&provider).map_err(llm_error)? {
                println!("Removed the key for {provider}.");
            } else {
                println!("No key was stored for {provider}.");
            }
            Ok(())
        }
        Command::Set(a) => {
            let kind = kind_of(&a.provider)?;
            let mut store = open_store()?;
            let name = a.name.clone().unwrap_or_else(|| kind.as_str().to_string());
            let existing =
                core_suggest::configured_providers(&store)?.into_iter().find(|p| p.name == name);
            let mut cfg = match existing {
                Some(c) if a.base_url.is_none() => c,
                _ => ProviderConfig::new(kind, a.base_url.as_deref()).map_err(llm_error)?,
            };
            cfg.name = name;
            if let Some(m) = &a.model {
                cfg.models = TierModels::single(m);
            }
            for (slot, v) in [
                (&mut cfg.models.basic, &a.basic),
                (&mut cfg.models.standard, &a.standard),
                (&mut cfg.models.premium, &a.premium),
            ] {
                if let Some(v) = v {
                    *slot = v.clone();
                }
            }
            if a.price_in.is_some() || a.price_out.is_some() {
                cfg.price = Some(qoder_llm::Price {
                    input_per_mtok: a.price_in.unwrap_or(0.0),
                    output_per_mtok: a.price_out.unwrap_or(0.0),
                });
            }
            let summary = format!(
                "{} ({}, {}): basic {}, standard {}, premium {}",
                cfg.name,
                cfg.kind.as_str(),
                cfg.base_url,
                cfg.models.basic,
                cfg.models.standard,
                cfg.models.premium
            );
            core_suggest::save_provider(&mut store, cfg)?;
            println!("Saved {summary}");
            Ok(())
        }
        Command::Rm { provider } => {
            let mut store = open_store()?;
            if core_suggest::remove_provider(&mut store, &provider)? {
                println!("Removed {provider} from the configured providers.");
                Ok(())
            } else {
                Err(CliError::new(
                    ErrorCode::NotFound,
                    format!("{provider} is not a configured provider"),
                ))
            }
        }
        Command::Providers { json } => providers(json),
        Command::Limit { provider, usd } => {
            let mut store = open_store()?;
            let v = if usd.eq_ignore_ascii_case("off") {
                None
            } else {
                Some(usd.trim_start_matches('$').parse::<f64>().map_err(|_| {
                    CliError::bad_input(format!(
                        "the limit must be an amount in US dollars or `off`, got {usd:?}"
                    ))
                })?)
            };
            core_suggest::set_daily_limit(&mut store, &provider, v)?;
            match v {
                Some(x) => println!("Daily limit for {provider}: ${x:.2}"),
                None => println!("No daily limit for {provider}."),
            }
            Ok(())
        }
        Command::Usage { days, json } => usage(days, json),
        Command::Hosted { state } => {
            let on = state == "on";
            account::set_hosted_ai(&crate::cmd::data_dir()?, on).map_err(|e| CliError(e.body()))?;
            if on {
                eprintln!("{}", account::HOSTED_AI_NOTICE);
                println!("QoderResume AI is on: it is asked first, your own keys after it.");
            } else {
                println!("QoderResume AI is off.");
            }
            Ok(())
        }
    }
}

fn providers(json: bool) -> CliResult {
    let store = open_store()?;
    let rows = core_suggest::provider_overview(&store, &KeySource::from_env())?;
    if json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(());
    }
    println!(
        "{:<18} {:<18} {:<9} {:>9} {:>9}  base URL / models (basic, standard, premium)",
        "provider", "kind", "key", "limit", "today"
    );
    for r in &rows {
        let active = r.active();
        let key = serde_json::to_value(r.key)?;
        println!(
            "{:<18} {:<18} {:<9} {:>9} {:>9}  {}{}\n{:<68}{} / {} / {}",
            r.name,
            r.kind,
            key.as_str().unwrap_or_default(),
            r.daily_limit_usd.map_or("-".into(), |x| format!("${x:.2}")),
            format!("${:.4}", r.spent_today_usd),
            r.base_url,
            if active { "" } else { "  (not configured)" },
            "",
            r.models.basic,
            r.models.standard,
            r.models.premium
        );
    }
    println!(
        "\nhosted: `qoder ai hosted on` uses QoderResume AI (the AI of your sync account's server)."
    );
    Ok(())
}

fn usage(days: u32, json: bool) -> CliResult {
    let store = open_store()?;
    let from = (chrono::Local::now() - chrono::Duration::days(i64::from(days.max(1)) - 1))
        .format("%Y-%m-%d")
        .to_string();
    let rows = core_suggest::usage_summary(&store, &from)?;
    if json {
        let v: Vec<serde_json::Value> = rows
            .iter()
            .map(|r| {
                serde_json::json!({
                    "day": r.day, "provider": r.provider, "model": r.model, "feature": r.feature,
                    "calls": r.calls, "cache_hits": r.cache_hits, "failures": r.failures,
                    "tokens_in": r.tokens_in, "tokens_out": r.tokens_out, "cost_usd": r.cost_usd,
                    "avg_latency_ms": r.avg_latency_ms,
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(());
    }
    if rows.is_empty() {
        println!("No AI calls in the last {days} days.");
        return Ok(());
    }
    println!(
        "{:<10} {:<18} {:<24} {:<16} {:>5} {:>5} {:>5} {:>8} {:>8} {:>9} {:>7}",
        "day",
        "provider",
        "model",
        "feature",
        "calls",
        "cache",
        "fail",
        "tok in",
        "tok out",
        "cost",
        "ms"
    );
    let mut total = 0.0;
    for r in &rows {
        total += r.cost_usd;
        println!(
            "{:<10} {:<18} {:<24} {:<16} {:>5} {:>5} {:>5} {:>8} {:>8} {:>9} {:>7}",
            r.day,
            r.provider,
            r.model,
            r.feature,
            r.calls,
            r.cache_hits,
            r.failures,
            r.tokens_in,
            r.tokens_out,
            format!("${:.4}", r.cost_usd),
            r.avg_latency_ms
        );
    }
    println!("total ${total:.4}");
    Ok(())
}
