// The admin API client: bearer token from sessionStorage (this tab only), `{code, message}`
// errors as ApiError; a refused token signs the console out.

const KEY = "qoder-admin-token";

export const session = {
  token: (): string | null => sessionStorage.getItem(KEY),
  set: (t: string) => sessionStorage.setItem(KEY, t),
  clear: () => sessionStorage.removeItem(KEY),
};

let signedOut: (why: string) => void = () => {};
/** Called with the reason when the server refuses the token (401, or 403 from the admin API). */
export function onSignedOut(f: (why: string) => void) {
  signedOut = f;
}

export class ApiError extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
  ) {
    super(message);
  }
}

async function send(method: string, path: string, body?: unknown, tokenOverride?: string): Promise<Response> {
  const token = tokenOverride ?? session.token();
  let r: Response;
  try {
    r = await fetch(path, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
  } catch {
    throw new ApiError(0, "network", "The server cannot be reached.");
  }
  if (r.ok) return r;
  let code = "http_" + r.status;
  let message = `The server answered ${r.status} ${r.statusText}.`;
  try {
    const e = (await r.json()) as { code?: string; message?: string };
    if (e.code) code = e.code;
    if (e.message) message = e.message;
  } catch {
    // not JSON: keep the status line
  }
  // 401: the token is invalid or expired; 403 from the admin API: its account is no longer an
  // admin, or is disabled. Either way this console's session is over.
  if ((r.status === 401 || (r.status === 403 && path.startsWith("/api/admin/"))) && tokenOverride === undefined) {
    session.clear();
    signedOut(message);
  }
  throw new ApiError(r.status, code, message);
}

export async function api<T>(method: string, path: string, body?: unknown, tokenOverride?: string): Promise<T> {
  const r = await send(method, path, body, tokenOverride);
  return (await r.json()) as T;
}

/** Downloads an answer as a file (the name from Content-Disposition). */
export async function download(path: string, fallback: string): Promise<string> {
  const r = await send("GET", path);
  const blob = await r.blob();
  const name = /filename="([^"]+)"/.exec(r.headers.get("content-disposition") ?? "")?.[1] ?? fallback;
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  return name;
}

export function qs(params: Record<string, string | number | boolean | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : "";
}

// ---- wire types (sync-server/src/admin/*, crates/sync/src/wire.rs) ----

export interface Stats {
  users: number;
  admins: number;
  devices: number;
  records: number;
  ciphertext_bytes: number;
}

export interface SlowQuery {
  pid: number;
  running_ms: number;
  state: string;
  wait_event_type: string | null;
  application_name: string;
  query: string;
}

export interface Health {
  status: "ok" | "degraded";
  version: string;
  uptime_secs: number;
  database: {
    ok: boolean;
    ping_ms: number | null;
    pool_connections: number;
    pool_idle: number;
    pool_max: number;
    size_bytes: number | null;
    slow_queries: SlowQuery[];
  };
  websocket_connections: number;
  requests_in_flight: number;
  requests_last_5_minutes: { requests: number; error_rate: number; p95_ms: number | null } | null;
  memory_rss_bytes: number | null;
  jobs: JobDepth | null;
  alerts_firing: number | null;
}

export interface ActivityDay {
  day: string;
  signups: number;
  audit_events: number;
  failed_logins: number;
  ai_calls: number;
  ai_cost_usd: number;
}

export interface UserRow {
  id: string;
  email: string;
  role: string;
  created_at: string;
  devices: number;
  records: number;
  ciphertext_bytes: number;
  last_push: string | null;
  plan: string;
  disabled_at: string | null;
  last_seen: string | null;
}

export interface UsersPage {
  users: UserRow[];
  next: string | null;
}

export interface UserDetail {
  id: string;
  email: string;
  role: string;
  created_at: string;
  disabled_at: string | null;
  plan: { id: string; source: string; subscription_status: string | null; current_period_end: string | null };
  plan_override: string | null;
  usage: { feature: string; used: number; limit: number | null; period: string; resets_at: string }[];
  devices: { id: string; created_at: string; last_seen: string | null; signed_in: boolean }[];
  last_seen: string | null;
  records: number;
  ciphertext_bytes: number;
  ai_calls_30d: number;
  ai_cost_usd_30d: number;
  flag_overrides: Record<string, boolean>;
}

export interface ErasureReceipt {
  receipt_id: string;
  user_id: string;
  email_sha256: string;
  erased_at: string;
  deleted: Record<string, number>;
  retained: Record<string, number>;
  notes: string[];
}

export interface Plan {
  id: string;
  name: string;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: string | null;
  action: string;
  target: string | null;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  details: unknown;
}

export interface AuditPage {
  entries: AuditEntry[];
  next: number | null;
}

export interface Flag {
  key: string;
  enabled: boolean;
  description: string;
  plans: Record<string, boolean>;
  users: { user_id: string; email: string; enabled: boolean }[];
}

export interface Policy {
  data_type: string;
  retention_days: number;
  description: string;
  last_run_at: string | null;
  last_deleted: number | null;
  updated_at: string;
}

export interface RunReport {
  dry_run: boolean;
  at: string;
  items: { data_type: string; retention_days: number; cutoff: string; rows: number }[];
}

export interface LlmFigures {
  key: string;
  calls: number;
  errors: number;
  cache_hits: number;
  tokens_in: number;
  tokens_out: number;
  cost_usd: number;
  avg_latency_ms: number;
}

export interface LlmUsage {
  days: number;
  total: LlmFigures;
  cache_hit_rate: number;
  cache_savings_usd: number;
  by_day: LlmFigures[];
  by_feature: LlmFigures[];
  by_provider: LlmFigures[];
  by_model: LlmFigures[];
  month: { spent_usd: number; projected_usd: number; budget_usd: number; days_elapsed: number; days_in_month: number };
  daily_budget_usd: number;
}

export interface ProviderStatus {
  name: string;
  kind: string;
  model: string;
  host: string;
  enabled: boolean;
  position: number;
  calls: number;
  errors: number;
  error_rate: number;
  p50_ms: number | null;
  p95_ms: number | null;
  cost_usd: number;
  cache_hits: number;
  last_error: string | null;
  last_error_at: string | null;
  last_call_at: string | null;
}

export interface Providers {
  configured: boolean;
  window_hours: number;
  reload_seconds: number;
  providers: ProviderStatus[];
}

export type JobState = "queued" | "running" | "done" | "failed";

export interface JobDepth {
  queued: number;
  due: number;
  running: number;
  failed: number;
  oldest_due_secs: number | null;
}

export interface Job {
  id: number;
  kind: string;
  state: JobState;
  attempts: number;
  max_attempts: number;
  last_error: string | null;
  run_at: string;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export interface JobDetail extends Job {
  payload: unknown;
  errors: { at: string; attempt: number; error: string }[];
}

export interface JobsPage {
  jobs: Job[];
  next: number | null;
  kinds: string[];
}

export type AlertUnit = "share" | "ms" | "minutes" | "jobs" | "bytes";

export interface AlertRule {
  rule: string;
  name: string;
  severity: "critical" | "warning";
  unit: AlertUnit;
  direction: "above" | "below";
  threshold: number;
  value: number | null;
  state: "firing" | "ok" | "unknown";
  since: string | null;
  message: string | null;
  evaluated_at: string | null;
  runbook: { meaning: string; check: string; action: string };
}

export interface AlertEvent {
  id: number;
  rule: string;
  state: "firing" | "resolved";
  value: number | null;
  threshold: number;
  message: string;
  fired_at: string;
  resolved_at: string | null;
}

export interface Alerts {
  interval_secs: number;
  channels: { webhook: boolean; email: boolean };
  firing: number;
  rules: AlertRule[];
  history: AlertEvent[];
}

// sync-server/src/forecast/mod.rs
export type ForecastSeries = "requests" | "ai_calls";
export type ForecastMethod = "mstl_daily_weekly" | "mstl_daily" | "ets";

export interface Backtest {
  metric: "mape" | "wape";
  /** Percent. */
  value: number;
  /** Hours held out. */
  horizon: number;
  method: ForecastMethod;
  trained_on: number;
}

export interface Forecast {
  series: ForecastSeries;
  horizon: number;
  status: "ok" | "not_enough_history";
  message: string | null;
  method: ForecastMethod | null;
  method_label: string | null;
  level: number;
  history_hours: number;
  needed_hours: number;
  history: { hour: string; value: number }[];
  forecast: { hour: string; value: number; lower: number; upper: number }[];
  backtest: Backtest | null;
  generated_at: string;
}
