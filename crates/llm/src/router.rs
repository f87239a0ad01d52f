//! Failover across providers, the cache and the daily spend limit (design "Cost Control Flow"
//! and "Failover Rules").
//!
//! For each provider in order: the cache (SHA-256 of provider, model and prompt) answers first;
//! then the provider's daily spend limit is checked (`budget_exceeded` → next provider); then the
//! call. `provider_unavailable` and `budget_exceeded` switch to the next provider, as do errors
//! that belong to one provider (its key, an unusable answer, an unknown model). `rate_limited`
//! defers: the run stops and the caller gets `RateLimited` with the provider's `Retry-After`.
//! Every call, cache hits and failures included, is recorded through the [`Ledger`].

use crate::error::{Failover, LlmError, Result};
use crate::prompt::cache_key;
use crate::provider::{Provider, Request};
use crate::tier::Tier;
use crate::tokens::estimate;
use qoder_domain::CodedError;
use std::sync::{Arc, RwLock};
use std::time::Instant;

/// Where cached answers, spend and usage records live (qoder-core implements it over SQLite).
/// Failures inside are the implementation's to log: a broken cache must not stop a call.
pub trait Ledger {
    /// A cached answer younger than the cache's lifetime.
    fn cached(&self, key: &str) -> Option<String>;
    fn store(&self, key: &str, text: &str);
    /// US dollars spent today with `provider`.
    fn spent_today(&self, provider: &str) -> f64;
    /// The user's daily limit for `provider`, if any.
    fn daily_limit(&self, provider: &str) -> Option<f64>;
    fn record(&self, usage: &Usage);
}

/// One call as the usage table records it.
#[derive(Clone, Debug, PartialEq)]
pub struct Usage {
    pub feature: String,
    pub provider: String,
    pub model: String,
    pub tokens_in: u64,
    pub tokens_out: u64,
    /// Whether the token counts are our estimate (the provider did not report them).
    pub estimated: bool,
    pub cost_usd: f64,
    pub latency_ms: u64,
    pub cache_hit: bool,
    /// `ok`, or the error code (`upstream`, `rate_limited`, `budget_exceeded`…).
    pub outcome: String,
}

/// What the caller asks.
#[derive(Clone, Debug)]
pub struct Call {
    pub feature: String,
    pub system: String,
    pub prompt: String,
    pub tier: Tier,
    pub max_output_tokens: u32,
    pub temperature: f32,
    pub json: bool,
    pub stream: bool,
}

/// What happens during a run, for a UI that shows progress.
#[derive(Debug)]
pub enum Event<'a> {
    /// A provider is being asked (a UI clears text streamed by a previous one).
    Attempt {
        provider: &'a str,
        model: &'a str,
    },
    Delta(&'a str),
    /// A provider failed and the next one is tried.
    Failover {
        provider: &'a str,
        error: &'a LlmError,
    },
}

/// The answer of a run.
#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    pub text: String,
    pub provider: String,
    pub model: String,
    pub cached: bool,
    pub tokens_in: u64,
    pub tokens_out: u64,
    pub cost_usd: f64,
    pub latency_ms: u64,
    /// Providers that failed before this one, with why.
    pub failed: Vec<(String, String)>,
}

/// The provider list, swappable while in use (settings change, a key is added).
#[derive(Default)]
pub struct Router {
    providers: RwLock<Vec<Arc<dyn Provider>>>,
}

impl Router {
    pub fn new(providers: Vec<Arc<dyn Provider>>) -> Router {
        Router { providers: RwLock::new(providers) }
    }

    /// Replace the provider list; runs already going keep the list they started with.
    pub fn set_providers(&self, providers: Vec<Arc<dyn Provider>>) {
        match self.providers.write() {
            Ok(mut g) => *g = providers,
            Err(poisoned) => *poisoned.into_inner() = providers,
        }
    }

    pub fn providers(&self) -> Vec<Arc<dyn Provider>> {
        match self.providers.read() {
            Ok(g) => g.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Run `call` with failover. `validate` checks an answer (schema, size); a refused answer
    /// is not cached, counts as `MalformedResponse` and moves to the next provider.
    pub fn run(
        &self,
        call: &Call,
        validate: &dyn Fn(&str) -> std::result::Result<(), String>,
        ledger: &dyn Ledger,
        on_event: &mut dyn FnMut(Event<'_>),
    ) -> Result<Answer> {
        let mut run = Run::new(self.providers())?;
        while let Some(p) = run.next_provider() {
            let ask = match run.prepare(&p, call, validate, ledger, on_event) {
                Step::Answered(a) => return Ok(a),
                Step::Skipped => continue,
                Step::Ask(ask) => ask,
            };
            let started = Instant::now();
            let mut sink = |d: &str| on_event(Event::Delta(d));
            let result = p.complete(&ask.req, &mut sink);
            if let Some(a) =
                run.conclude(&p, call, ask, started, result, validate, ledger, on_event)?
            {
                return Ok(a);
            }
        }
        Err(run.failed())
    }

    /// [`Router::run`] without blocking a thread, for callers inside an async runtime (the
    /// server's hosted AI): the same order, cache, limits, validation and records, each
    /// provider asked through [`Provider::complete_async`] (no events: nothing is streamed).
    /// A provider without an async path for the call fails over with a configuration error.
    pub async fn run_async(
        &self,
        call: &Call,
        validate: &(dyn Fn(&str) -> std::result::Result<(), String> + Sync),
        ledger: &(dyn Ledger + Sync),
    ) -> Result<Answer> {
        let mut run = Run::new(self.providers())?;
        while let Some(p) = run.next_provider() {
            let ask = match run.prepare(&p, call, validate, ledger, &mut |_| {}) {
                Step::Answered(a) => return Ok(a),
                Step::Skipped => continue,
                Step::Ask(ask) => ask,
            };
            let started = Instant::now();
            let result = match p.complete_async(&ask.req) {
                Some(f) => f.await,
                None => Err(LlmError::Config(format!(
                    "{}: this provider cannot be asked without blocking",
                    p.name()
                ))),
            };
            if let Some(a) =
                run.conclude(&p, call, ask, started, result, validate, ledger, &mut |_| {})?
            {
                return Ok(a);
            }
        }
        Err(run.failed())
    }
}

/// One run over the providers: the ones left, and the attempts that failed.
struct Run {
    providers: std::vec::IntoIter<Arc<dyn Provider>>,
    attempts: Vec<(String, LlmError)>,
}

/// What [`Run::prepare`] found for one provider.
enum Step {
    /// The cache answered.
    Answered(Answer),
    /// Over its daily limit: the next provider.
    Skipped,
    /// Ask it.
    Ask(Ask),
}

struct Ask {
    req: Request,
    cache_key: String,
    /// The prompt's estimated tokens (when the provider reports none).
    est_in: u64,
}

impl Run {
    fn new(providers: Vec<Arc<dyn Provider>>) -> Result<Run> {
        if providers.is_empty() {
            return Err(LlmError::NoProvider);
        }
        Ok(Run { providers: providers.into_iter(), attempts: Vec::new() })
    }

    fn next_provider(&mut self) -> Option<Arc<dyn Provider>> {
        self.providers.next()
    }

    fn failed_so_far(&self) -> Vec<(String, String)> {
        self.attempts.iter().map(|(n, e)| (n.clone(), e.to_string())).collect()
    }

    /// The cache, then the provider's daily limit; else the request to send.
    fn prepare(
        &mut self,
        p: &Arc<dyn Provider>,
        call: &Call,
        validate: &dyn Fn(&str) -> std::result::Result<(), String>,
        ledger: &dyn Ledger,
        on_event: &mut dyn FnMut(Event<'_>),
    ) -> Step {
        let cfg = p.config();
        let name = cfg.name.clone();
        let model = cfg.models.get(call.tier).to_string();
        let key = cache_key(
            &name,
            &model,
            &call.system,
            &call.prompt,
            call.max_output_tokens,
            call.temperature,
        );
        if let Some(text) = ledger.cached(&key).filter(|t| validate(t).is_ok()) {
            ledger.record(&Usage {
                feature: call.feature.clone(),
                provider: name.clone(),
                model: model.clone(),
                tokens_in: 0,
                tokens_out: 0,
                estimated: false,
                cost_usd: 0.0,
                latency_ms: 0,
                cache_hit: true,
                outcome: "ok".into(),
            });
            on_event(Event::Attempt { provider: &name, model: &model });
            on_event(Event::Delta(&text));
            return Step::Answered(Answer {
                text,
                provider: name,
                model,
                cached: true,
                tokens_in: 0,
                tokens_out: 0,
                cost_usd: 0.0,
                latency_ms: 0,
                failed: self.failed_so_far(),
            });
        }
        let est_in = estimate(&call.system) as u64 + estimate(&call.prompt) as u64;
        let price = cfg.price_of(&model);
        if let Some(limit) = ledger.daily_limit(&name) {
            let spent = ledger.spent_today(&name);
            let worst = price.cost(est_in, u64::from(call.max_output_tokens));
            if spent + worst > limit {
                let err = LlmError::BudgetExceeded {
                    provider: name.clone(),
                    detail: format!(
                        "the daily limit of ${limit:.2} would be passed (spent today ${spent:.4}, this call up to ${worst:.4}); raise it with `qoder ai limit {name} USD`"
                    ),
                };
                on_event(Event::Failover { provider: &name, error: &err });
                self.attempts.push((name, err));
                return Step::Skipped;
            }
        }
        on_event(Event::Attempt { provider: &name, model: &model });
        Step::Ask(Ask {
            req: Request {
                feature: call.feature.clone(),
                system: call.system.clone(),
                prompt: call.prompt.clone(),
                model,
                max_output_tokens: call.max_output_tokens,
                temperature: call.temperature,
                json: call.json,
                stream: call.stream,
            },
            cache_key: key,
            est_in,
        })
    }

    /// Records the provider's answer or failure. `Ok(Some)`: the answer; `Ok(None)`: fail over
    /// to the next provider; `Err`: stop (the failover rules "defer" and "stop").
    #[allow(clippy::too_many_arguments)]
    fn conclude(
        &mut self,
        p: &Arc<dyn Provider>,
        call: &Call,
        ask: Ask,
        started: Instant,
        result: Result<crate::provider::Completion>,
        validate: &dyn Fn(&str) -> std::result::Result<(), String>,
        ledger: &dyn Ledger,
        on_event: &mut dyn FnMut(Event<'_>),
    ) -> Result<Option<Answer>> {
        let cfg = p.config();
        let name = cfg.name.clone();
        let latency_ms = started.elapsed().as_millis() as u64;
        let mut usage = Usage {
            feature: call.feature.clone(),
            provider: name.clone(),
            model: ask.req.model.clone(),
            tokens_in: 0,
            tokens_out: 0,
            estimated: false,
            cost_usd: 0.0,
            latency_ms,
            cache_hit: false,
            outcome: "ok".into(),
        };
        let outcome = result.and_then(|c| {
            usage.model = c.model.clone();
            usage.estimated = c.tokens_in.is_none() || c.tokens_out.is_none();
            usage.tokens_in = c.tokens_in.unwrap_or(ask.est_in);
            usage.tokens_out = c.tokens_out.unwrap_or(estimate(&c.text) as u64);
            usage.cost_usd = c
                .cost_usd
                .unwrap_or_else(|| cfg.price_of(&c.model).cost(usage.tokens_in, usage.tokens_out));
            validate(&c.text)
                .map(|()| c)
                .map_err(|reason| LlmError::MalformedResponse { provider: name.clone(), reason })
        });
        match outcome {
            Ok(c) => {
                ledger.record(&usage);
                ledger.store(&ask.cache_key, &c.text);
                Ok(Some(Answer {
                    text: c.text,
                    provider: name,
                    model: c.model,
                    cached: false,
                    tokens_in: usage.tokens_in,
                    tokens_out: usage.tokens_out,
                    cost_usd: usage.cost_usd,
                    latency_ms,
                    failed: self.failed_so_far(),
                }))
            }
            Err(err) => {
                usage.outcome = code_name(&err);
                ledger.record(&usage);
                match err.failover() {
                    Failover::SwitchProvider => {
                        on_event(Event::Failover { provider: &name, error: &err });
                        self.attempts.push((name, err));
                        Ok(None)
                    }
                    Failover::Defer | Failover::Stop => Err(err),
                }
            }
        }
    }

    /// Every provider failed: the one error, or all of them.
    fn failed(mut self) -> LlmError {
        if self.attempts.len() == 1 {
            return self.attempts.remove(0).1;
        }
        LlmError::AllFailed { attempts: self.attempts }
    }
}

fn code_name(e: &LlmError) -> String {
    serde_json::to_value(e.code())
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| "error".into())
}
