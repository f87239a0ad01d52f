//! The four wire formats: request bodies, whole answers and streamed events.
//!
//! | provider | request | streaming |
//! |---|---|---|
//! | OpenAI-compatible | `POST {base}/chat/completions`, `Authorization: Bearer KEY` (when a key is set), `{model, messages:[system,user], temperature, max_tokens, stream}`; answer `choices[0].message.content`, `usage.prompt_tokens/completion_tokens` | `stream: true`: `data: {choices:[{delta:{content}}]}` lines, ended by `data: [DONE]` |
//! | Anthropic | `POST {base}/v1/messages`, `x-api-key`, `anthropic-version: 2023-06-01`, `{model, system, messages:[user], max_tokens, temperature, stream}`; answer `content[type=text].text`, `usage.input_tokens/output_tokens` | `event: content_block_delta` with `delta.text`; `message_start`/`message_delta` carry usage; `message_stop` ends; `event: error` |
//! | Gemini | `POST {base}/v1beta/models/{model}:generateContent`, `x-goog-api-key`, `{systemInstruction, contents:[{role:user,parts:[{text}]}], generationConfig:{temperature, maxOutputTokens, responseMimeType}}`; answer `candidates[0].content.parts[].text`, `usageMetadata.promptTokenCount/candidatesTokenCount` | `:streamGenerateContent?alt=sse`: each `data:` is a partial answer of the same shape |
//! | Hosted | `POST {base}/v1/ai/complete`, `Authorization: Bearer TOKEN`, `{feature, tier_model, system, prompt, max_output_tokens, temperature, json, stream}`; answer `{text, model, usage:{input_tokens, output_tokens}, cost_usd}`; errors `{code, message}` (the app's ErrorBody), 402 = budget exceeded | `event: delta` `{text}`, `event: done` `{model, usage, cost_usd}`, `event: error` `{code, message}` |

use crate::error::LlmError;
use crate::http::{SseEvent, WireRequest};
use crate::provider::{Completion, ProviderKind, Request};
use crate::secret::ApiKey;
use serde_json::{Value, json};

/// The anthropic-version header we speak.
pub const ANTHROPIC_VERSION: &str = "2023-06-01";

pub fn build(kind: ProviderKind, base: &str, req: &Request, key: Option<&ApiKey>) -> WireRequest {
    let mut headers: Vec<(&'static str, String)> = Vec::new();
    let (url, body) = match kind {
        ProviderKind::OpenaiCompatible => {
            if let Some(k) = key {
                headers.push(("authorization", format!("Bearer {}", k.expose())));
            }
            let mut body = json!({
                "model": req.model,
                "messages": [
                    {"role": "system", "content": req.system},
                    {"role": "user", "content": req.prompt},
                ],
                "temperature": req.temperature,
                "max_tokens": req.max_output_tokens,
                "stream": req.stream,
            });
            if req.stream {
                // A last chunk with the token counts (OpenAI, Ollama, LM Studio and vLLM know it).
                body["stream_options"] = json!({"include_usage": true});
            }
            (format!("{base}/chat/completions"), body)
        }
        ProviderKind::Anthropic => {
            if let Some(k) = key {
                headers.push(("x-api-key", k.expose().to_string()));
            }
            headers.push(("anthropic-version", ANTHROPIC_VERSION.to_string()));
            let body = json!({
                "model": req.model,
                "system": req.system,
                "messages": [{"role": "user", "content": req.prompt}],
                "max_tokens": req.max_output_tokens,
                "temperature": req.temperature,
                "stream": req.stream,
            });
            (format!("{base}/v1/messages"), body)
        }
        ProviderKind::Gemini => {
            if let Some(k) = key {
                headers.push(("x-goog-api-key", k.expose().to_string()));
            }
            let mut generation = json!({
                "temperature": req.temperature,
                "maxOutputTokens": req.max_output_tokens,
            });
            if req.json {
                generation["responseMimeType"] = json!("application/json");
            }
            let body = json!({
                "systemInstruction": {"parts": [{"text": req.system}]},
                "contents": [{"role": "user", "parts": [{"text": req.prompt}]}],
                "generationConfig": generation,
            });
            let model = req.model.trim_start_matches("models/");
            let url = if req.stream {
                format!("{base}/v1beta/models/{model}:streamGenerateContent?alt=sse")
            } else {
                format!("{base}/v1beta/models/{model}:generateContent")
            };
            (url, body)
        }
        ProviderKind::Hosted => {
            if let Some(k) = key {
                headers.push(("authorization", format!("Bearer {}", k.expose())));
            }
            let body = json!({
                "feature": req.feature,
                "tier_model": req.model,
                "system": req.system,
                "prompt": req.prompt,
                "max_output_tokens": req.max_output_tokens,
                "temperature": req.temperature,
                "json": req.json,
                "stream": req.stream,
            });
            (format!("{base}/v1/ai/complete"), body)
        }
    };
    if req.stream {
        headers.push(("accept", "text/event-stream".to_string()));
    }
    WireRequest { url, headers, body }
}

fn u64_at(v: &Value, ptr: &str) -> Option<u64> {
    v.pointer(ptr).and_then(Value::as_u64)
}

fn gemini_text(v: &Value) -> Option<String> {
    let parts = v.pointer("/candidates/0/content/parts")?.as_array()?;
    Some(parts.iter().filter_map(|p| p.get("text").and_then(Value::as_str)).collect())
}

/// A whole (non-streamed) answer.
pub fn parse_full(kind: ProviderKind, v: &Value, asked_model: &str) -> Result<Completion, String> {
    let model =
        |v: &Value| v.get("model").and_then(Value::as_str).unwrap_or(asked_model).to_string();
    match kind {
        ProviderKind::OpenaiCompatible => {
            let text = v
                .pointer("/choices/0/message/content")
                .and_then(Value::as_str)
                .ok_or("no choices[0].message.content")?;
            Ok(Completion {
                text: text.to_string(),
                model: model(v),
                tokens_in: u64_at(v, "/usage/prompt_tokens"),
                tokens_out: u64_at(v, "/usage/completion_tokens"),
                cost_usd: None,
            })
        }
        ProviderKind::Anthropic => {
            let blocks = v.get("content").and_then(Value::as_array).ok_or("no content array")?;
            let text: String = blocks
                .iter()
                .filter(|b| b.get("type").and_then(Value::as_str) == Some("text"))
                .filter_map(|b| b.get("text").and_then(Value::as_str))
                .collect();
            Ok(Completion {
                text,
                model: model(v),
                tokens_in: u64_at(v, "/usage/input_tokens"),
                tokens_out: u64_at(v, "/usage/output_tokens"),
                cost_usd: None,
            })
        }
        ProviderKind::Gemini => {
            let text = gemini_text(v).ok_or_else(|| {
                match v.pointer("/promptFeedback/blockReason").and_then(Value::as_str) {
                    Some(r) => format!("the prompt was blocked ({r})"),
                    None => "no candidates[0].content.parts".to_string(),
                }
            })?;
            Ok(Completion {
                text,
                model: v
                    .get("modelVersion")
                    .and_then(Value::as_str)
                    .unwrap_or(asked_model)
                    .to_string(),
                tokens_in: u64_at(v, "/usageMetadata/promptTokenCount"),
                tokens_out: u64_at(v, "/usageMetadata/candidatesTokenCount"),
                cost_usd: None,
            })
        }
        ProviderKind::Hosted => {
            let text = v.get("text").and_then(Value::as_str).ok_or("no text")?;
            Ok(Completion {
                text: text.to_string(),
                model: model(v),
                tokens_in: u64_at(v, "/usage/input_tokens"),
                tokens_out: u64_at(v, "/usage/output_tokens"),
                cost_usd: v.get("cost_usd").and_then(Value::as_f64),
            })
        }
    }
}

/// What a stream has said so far.
#[derive(Debug, Default)]
pub struct StreamState {
    pub text: String,
    pub model: Option<String>,
    pub tokens_in: Option<u64>,
    pub tokens_out: Option<u64>,
    pub cost_usd: Option<f64>,
    /// An error event: (code or type, message).
    pub error: Option<(String, String)>,
}

impl StreamState {
    pub fn into_completion(self, asked_model: &str) -> Completion {
        Completion {
            text: self.text,
            model: self.model.unwrap_or_else(|| asked_model.to_string()),
            tokens_in: self.tokens_in,
            tokens_out: self.tokens_out,
            cost_usd: self.cost_usd,
        }
    }
}

/// One event's effect.
#[derive(Debug, Default)]
pub struct Step {
    pub delta: Option<String>,
    pub done: bool,
}

fn parse_data(data: &str) -> Result<Value, String> {
    serde_json::from_str(data).map_err(|e| format!("a streamed event is not JSON ({e})"))
}

/// Apply one streamed event to `state`.
pub fn on_event(
    kind: ProviderKind,
    ev: &SseEvent,
    state: &mut StreamState,
) -> Result<Step, String> {
    let mut step = Step::default();
    match kind {
        ProviderKind::OpenaiCompatible => {
            if ev.data.trim() == "[DONE]" {
                step.done = true;
                return Ok(step);
            }
            let v = parse_data(&ev.data)?;
            if let Some(e) = v.get("error") {
                let msg = e.get("message").and_then(Value::as_str).unwrap_or("error").to_string();
                state.error = Some(("error".into(), msg));
                step.done = true;
                return Ok(step);
            }
            if state.model.is_none() {
                state.model = v.get("model").and_then(Value::as_str).map(str::to_string);
            }
            step.delta =
                v.pointer("/choices/0/delta/content").and_then(Value::as_str).map(str::to_string);
            if let Some(n) = u64_at(&v, "/usage/prompt_tokens") {
                state.tokens_in = Some(n);
            }
            if let Some(n) = u64_at(&v, "/usage/completion_tokens") {
                state.tokens_out = Some(n);
            }
        }
        ProviderKind::Anthropic => {
            if ev.data.trim().is_empty() {
                return Ok(step);
            }
            let v = parse_data(&ev.data)?;
            let ty = v
                .get("type")
                .and_then(Value::as_str)
                .or(ev.event.as_deref())
                .unwrap_or_default()
                .to_string();
            match ty.as_str() {
                "message_start" => {
                    state.model =
                        v.pointer("/message/model").and_then(Value::as_str).map(str::to_string);
                    state.tokens_in = u64_at(&v, "/message/usage/input_tokens");
                }
                "content_block_delta" => {
                    step.delta =
                        v.pointer("/delta/text").and_then(Value::as_str).map(str::to_string);
                }
                "message_delta" => {
                    if let Some(n) = u64_at(&v, "/usage/output_tokens") {
                        state.tokens_out = Some(n);
                    }
                }
                "message_stop" => step.done = true,
                "error" => {
                    let t = v.pointer("/error/type").and_then(Value::as_str).unwrap_or("error");
                    let m = v.pointer("/error/message").and_then(Value::as_str).unwrap_or("");
                    state.error = Some((t.to_string(), m.to_string()));
                    step.done = true;
                }
                _ => {} // ping, content_block_start/stop
            }
        }
        ProviderKind::Gemini => {
            let v = parse_data(&ev.data)?;
            if let Some(e) = v.get("error") {
                let status = e.get("status").and_then(Value::as_str).unwrap_or("error");
                let msg = e.get("message").and_then(Value::as_str).unwrap_or("");
                state.error = Some((status.to_string(), msg.to_string()));
                step.done = true;
                return Ok(step);
            }
            step.delta = gemini_text(&v);
            if let Some(m) = v.get("modelVersion").and_then(Value::as_str) {
                state.model = Some(m.to_string());
            }
            if let Some(n) = u64_at(&v, "/usageMetadata/promptTokenCount") {
                state.tokens_in = Some(n);
            }
            if let Some(n) = u64_at(&v, "/usageMetadata/candidatesTokenCount") {
                state.tokens_out = Some(n);
            }
        }
        ProviderKind::Hosted => {
            let v = parse_data(&ev.data)?;
            match ev.event.as_deref().unwrap_or("delta") {
                "delta" => {
                    step.delta = v.get("text").and_then(Value::as_str).map(str::to_string);
                }
                "done" => {
                    state.model = v.get("model").and_then(Value::as_str).map(str::to_string);
                    state.tokens_in = u64_at(&v, "/usage/input_tokens");
                    state.tokens_out = u64_at(&v, "/usage/output_tokens");
                    state.cost_usd = v.get("cost_usd").and_then(Value::as_f64);
                    step.done = true;
                }
                "error" => {
                    let c = v.get("code").and_then(Value::as_str).unwrap_or("upstream");
                    let m = v.get("message").and_then(Value::as_str).unwrap_or("");
                    state.error = Some((c.to_string(), m.to_string()));
                    step.done = true;
                }
                _ => {}
            }
        }
    }
    Ok(step)
}

/// The error an in-stream error event stands for.
pub fn stream_error(provider: &str, (code, message): (String, String)) -> LlmError {
    let provider = provider.to_string();
    let message: String = message.chars().take(300).collect();
    match code.as_str() {
        "rate_limit_error" | "rate_limited" | "RESOURCE_EXHAUSTED" => {
            LlmError::RateLimited { provider, retry_after: None }
        }
        "budget_exceeded" => LlmError::BudgetExceeded { provider, detail: message },
        "authentication_error"
        | "permission_error"
        | "unauthorized"
        | "UNAUTHENTICATED"
        | "PERMISSION_DENIED" => LlmError::Unauthorized { provider, status: 401 },
        _ => LlmError::ProviderUnavailable {
            provider,
            reason: format!("the stream reported an error ({code}): {message}"),
        },
    }
}
