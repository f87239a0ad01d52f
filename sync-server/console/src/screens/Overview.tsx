import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Area, AreaChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { api, type ActivityDay, type Alerts, type Health, type SlowQuery, type Stats } from "../api";
import { useLive, type Live, type ProviderHealth, type SystemMetrics } from "../live";
import { chartColors, useTheme } from "../theme";
import { Badge, bytes, Card, count, cx, duration, Empty, ErrorBox, int, Loading, PageTitle, Select, Stat, Table, td } from "../ui";
import { useEffect, useState } from "react";

export function Overview() {
  const [days, setDays] = useState(30);
  const live = useLive();
  const isLive = live.state === "live";
  // Live figures come over the WebSocket; the rest (versions, pool, size) is polled, more
  // often while the socket is down.
  const health = useQuery({
    queryKey: ["health"],
    queryFn: () => api<Health>("GET", "/api/admin/health"),
    refetchInterval: isLive ? 30_000 : 5_000,
  });
  const stats = useQuery({ queryKey: ["stats"], queryFn: () => api<Stats>("GET", "/api/admin/stats"), refetchInterval: 30_000 });
  const activity = useQuery({
    queryKey: ["activity", days],
    queryFn: () => api<{ days: ActivityDay[] }>("GET", `/api/admin/activity?days=${days}`),
  });
  const alerts = useQuery({
    queryKey: ["alerts"],
    queryFn: () => api<Alerts>("GET", "/api/admin/alerts"),
    refetchInterval: isLive ? 60_000 : 10_000,
  });
  // An alert that fires or resolves arrives over the socket: read the rules again at once.
  const client = useQueryClient();
  const latestAlert = live.alerts[0];
  useEffect(() => {
    if (latestAlert?.rule) void client.invalidateQueries({ queryKey: ["alerts"] });
  }, [latestAlert, client]);
  const h = health.data;
  const s = stats.data;
  const firing = alerts.data?.rules.filter((r) => r.state === "firing") ?? [];
  const last = live.samples.at(-1);
  return (
    <div>
      <PageTitle
        title="Overview"
        sub={isLive ? "This server and its database; live figures every 2 seconds." : "This server and its database; the figures refresh every 5 seconds."}
        actions={<LiveBadge live={live} />}
      />
      {firing.length > 0 && (
        <a
          href="#/alerts"
          role="alert"
          data-testid="firing-banner"
          className="mb-4 flex flex-wrap items-center gap-2 rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-900 hover:bg-red-100 dark:border-red-900 dark:bg-red-950/60 dark:text-red-100 dark:hover:bg-red-950"
        >
          <span className="h-2.5 w-2.5 animate-pulse rounded-full bg-red-500" aria-hidden />
          <span className="font-semibold">{firing.length === 1 ? "1 alert firing:" : `${firing.length} alerts firing:`}</span>
          <span>{firing.map((r) => r.name).join(", ")}</span>
          <span className="ml-auto font-medium underline">See the runbooks →</span>
        </a>
      )}
      {h?.jobs && h.jobs.failed > 0 && (
        <a
          href="#/jobs"
          data-testid="failed-jobs-banner"
          className="mb-4 flex items-center gap-2 rounded-lg border border-amber-200 bg-amber-50 px-4 py-2 text-sm text-amber-900 hover:bg-amber-100 dark:border-amber-900 dark:bg-amber-950/60 dark:text-amber-100 dark:hover:bg-amber-950"
        >
          <span className="font-semibold">{count(h.jobs.failed, "failed background job")}</span>
          <span>· {int(h.jobs.queued)} queued</span>
          <span className="ml-auto font-medium underline">Inspect and replay →</span>
        </a>
      )}
      <ErrorBox error={health.error ?? stats.error} title="Could not read the server's figures" />
      <HealthAlerts live={live} />
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-4" data-testid="health">
        <Stat
          label="Status"
          value={h ? (h.status === "ok" ? "Healthy" : "Degraded") : "…"}
          tone={h ? (h.status === "ok" ? "ok" : "bad") : undefined}
          hint={h ? `v${h.version} · up ${duration(h.uptime_secs)}` : undefined}
        />
        <Stat
          label="Database"
          value={last ? (last.db_ok ? `${last.db_ping_ms?.toFixed(1)} ms` : "Down") : h ? (h.database.ok ? `${h.database.ping_ms?.toFixed(1)} ms` : "Down") : "…"}
          tone={(last ? !last.db_ok : h && !h.database.ok) ? "bad" : undefined}
          hint={
            h
              ? `${bytes(h.database.size_bytes)} · pool ${h.database.pool_connections}/${h.database.pool_max} (${h.database.pool_idle} idle) · ${
                  h.database.slow_queries.length ? count(h.database.slow_queries.length, "slow statement") : "no slow statements"
                }`
              : undefined
          }
        />
        <Stat
          label="Live connections"
          value={last ? int(last.connections) : h ? int(h.websocket_connections) : "…"}
          hint={`WebSockets · ${count(last?.requests_in_flight ?? h?.requests_in_flight ?? 0, "request")} in flight`}
        />
        <Stat
          label="Memory"
          value={last ? bytes(last.memory) : h ? bytes(h.memory_rss_bytes) : "…"}
          hint={last?.cpu != null ? `resident · CPU ${last.cpu.toFixed(1)}% of a core` : "resident, this process"}
        />
        <Stat label="Accounts" value={s ? int(s.users) : "…"} hint={s ? count(s.admins, "admin") : undefined} />
        <Stat label="Devices" value={s ? int(s.devices) : "…"} />
        <Stat label="Synced records" value={s ? int(s.records) : "…"} />
        <Stat label="Ciphertext stored" value={s ? bytes(s.ciphertext_bytes) : "…"} hint="end-to-end encrypted" />
      </div>
      {h && h.database.slow_queries.length > 0 && <SlowQueries rows={h.database.slow_queries} />}
      <LiveTraffic live={live} polled={h?.requests_last_5_minutes ?? null} />
      <Card
        className="mt-5"
        title="Activity per day (UTC)"
        actions={
          <Select value={days} onChange={(e) => setDays(Number(e.target.value))} aria-label="Period">
            <option value={7}>7 days</option>
            <option value={30}>30 days</option>
            <option value={90}>90 days</option>
          </Select>
        }
      >
        <ErrorBox error={activity.error} title="Could not read the activity" />
        {activity.isPending ? <Loading /> : activity.data && <ActivityChart days={activity.data.days} />}
      </Card>
    </div>
  );
}

function ActivityChart({ days }: { days: ActivityDay[] }) {
  const c = chartColors(useTheme());
  if (days.every((d) => d.signups + d.audit_events + d.ai_calls === 0)) {
    return <Empty title="No activity in this period">Sign-ups, sign-ins and admin actions will show here.</Empty>;
  }
  const data = days.map((d) => ({ ...d, label: d.day.slice(5) }));
  return (
    <div className="h-72" data-testid="activity-chart">
      <ResponsiveContainer width="100%" height="100%">
        <AreaChart data={data} margin={{ top: 8, right: 12, left: -12, bottom: 0 }}>
          <CartesianGrid stroke={c.grid} strokeDasharray="3 3" />
          <XAxis dataKey="label" stroke={c.axis} fontSize={12} />
          <YAxis stroke={c.axis} fontSize={12} allowDecimals={false} />
          <Tooltip contentStyle={{ background: c.tooltipBg, borderColor: c.tooltipBorder, color: c.text }} />
          <Legend />
          <Area type="monotone" dataKey="audit_events" name="Audit events" stroke="#6366f1" fill="#6366f1" fillOpacity={0.2} isAnimationActive={false} />
          <Area type="monotone" dataKey="signups" name="Sign-ups" stroke="#10b981" fill="#10b981" fillOpacity={0.25} isAnimationActive={false} />
          <Area type="monotone" dataKey="ai_calls" name="Hosted-AI calls" stroke="#f59e0b" fill="#f59e0b" fillOpacity={0.2} isAnimationActive={false} />
          <Area type="monotone" dataKey="failed_logins" name="Failed sign-ins" stroke="#ef4444" fill="#ef4444" fillOpacity={0.2} isAnimationActive={false} />
        </AreaChart>
      </ResponsiveContainer>
    </div>
  );
}

function LiveBadge({ live }: { live: Live }) {
  const label = { live: "Live", connecting: "Connecting…", reconnecting: "Reconnecting…" }[live.state];
  return (
    <span
      className="inline-flex items-center gap-2 rounded-full border border-slate-200 px-3 py-1 text-xs font-medium text-slate-600 dark:border-slate-700 dark:text-slate-300"
      data-testid="live-state"
      data-state={live.state}
      title={live.state === "live" ? "Figures arrive over a WebSocket" : "The live socket is down; the figures are polled"}
    >
      <span className={cx("h-2 w-2 rounded-full", live.state === "live" ? "animate-pulse bg-emerald-500" : "bg-amber-500")} />
      {label}
    </span>
  );
}

/** The database's own alerts from the socket (the rules' show in the firing banner). */
function HealthAlerts({ live }: { live: Live }) {
  const latest = live.alerts.find((a) => !a.rule);
  if (!latest || latest.level === "info") return null;
  return (
    <div
      role="alert"
      className={cx(
        "mb-4 rounded-lg border px-4 py-3 text-sm",
        latest.level === "critical"
          ? "border-red-300 bg-red-50 text-red-800 dark:border-red-800 dark:bg-red-950/50 dark:text-red-300"
          : "border-amber-300 bg-amber-50 text-amber-800 dark:border-amber-800 dark:bg-amber-950/50 dark:text-amber-300",
      )}
    >
      <span className="font-semibold">{latest.level === "critical" ? "Critical: " : "Warning: "}</span>
      {latest.message} <span className="opacity-70">({new Date(latest.at).toLocaleTimeString()})</span>
    </div>
  );
}

const providerTone: Record<ProviderHealth, "slate" | "green" | "red" | "amber" | "indigo"> = {
  disabled: "slate",
  idle: "indigo",
  healthy: "green",
  degraded: "amber",
  failing: "red",
};

const pct = (r: number | undefined) => (r === undefined ? "–" : `${(r * 100).toFixed(r > 0 && r < 0.1 ? 1 : 0)}%`);
const rate = (n: number) => (n < 10 ? n.toFixed(1) : int(Math.round(n)));
const ms = (n: number | null | undefined) => (n == null ? "–" : `${int(Math.round(n))} ms`);

function LiveTraffic({ live, polled }: { live: Live; polled: Health["requests_last_5_minutes"] }) {
  const c = chartColors(useTheme());
  const last: SystemMetrics | undefined = live.samples.at(-1);
  // The socket's figures; while it is down, the polled health's.
  const five = last?.last_5_minutes ?? polled;
  const providers = Object.values(live.providers);
  const data = (last?.minutes ?? []).map((m) => ({
    t: new Date(m.minute).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }),
    requests: m.requests,
    errors: m.errors,
    p95: m.p95_ms == null ? null : Math.round(m.p95_ms),
  }));
  return (
    <Card className="mt-5" title="Live traffic, per minute (every server process)">
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-4" data-testid="live-figures">
        <Stat
          label="Requests / minute"
          value={last?.requests_per_minute != null ? rate(last.requests_per_minute) : "…"}
          hint={five ? `${int(five.requests)} in the last 5 min` : undefined}
        />
        <Stat label="5xx errors, 5 min" value={five ? pct(five.error_rate) : "…"} tone={five && five.error_rate >= 0.05 ? "bad" : undefined} />
        <Stat label="p95 latency, 5 min" value={five ? ms(five.p95_ms) : "…"} />
        <NextHour live={live} />
      </div>
      {providers.length > 0 && (
        <div className="mt-4 flex flex-wrap items-center gap-2 text-sm" data-testid="live-providers">
          <span className="text-slate-500 dark:text-slate-400">AI providers:</span>
          {providers.map((p) => (
            <Badge key={p.providerId} tone={providerTone[p.status]}>
              {p.providerId} · {p.status}
              {p.status === "degraded" || p.status === "failing" ? ` (${pct(p.error_rate)} errors)` : ""}
            </Badge>
          ))}
        </div>
      )}
      {data.length === 0 ? (
        <div className="mt-4">
          {live.state === "live" ? <Loading what="Waiting for the first figures" /> : <Empty title="No live figures yet">They arrive every 2 seconds once the live socket is connected.</Empty>}
        </div>
      ) : (
        <div className="mt-4 h-56" data-testid="live-chart">
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={data} margin={{ top: 8, right: 12, left: -12, bottom: 0 }}>
              <CartesianGrid stroke={c.grid} strokeDasharray="3 3" />
              <XAxis dataKey="t" stroke={c.axis} fontSize={12} minTickGap={40} />
              <YAxis yAxisId="rpm" stroke={c.axis} fontSize={12} allowDecimals={false} />
              <YAxis yAxisId="p95" orientation="right" stroke={c.axis} fontSize={12} unit=" ms" />
              <Tooltip contentStyle={{ background: c.tooltipBg, borderColor: c.tooltipBorder, color: c.text }} />
              <Legend />
              <Line yAxisId="rpm" type="linear" dataKey="requests" name="Requests" stroke="#6366f1" dot={false} isAnimationActive={false} />
              <Line yAxisId="rpm" type="linear" dataKey="errors" name="5xx errors" stroke="#ef4444" dot={false} isAnimationActive={false} />
              {/* No line across minutes without requests: each minute's p95 as a point, joined where they follow. */}
              <Line yAxisId="p95" type="linear" dataKey="p95" name="p95 latency" stroke="#f59e0b" dot={{ r: 2 }} isAnimationActive={false} />
            </LineChart>
          </ResponsiveContainer>
        </div>
      )}
    </Card>
  );
}

function SlowQueries({ rows }: { rows: SlowQuery[] }) {
  return (
    <Card className="mt-5" title={`Slow statements running now (${rows.length})`}>
      <p className="mb-3 text-sm text-slate-500 dark:text-slate-400">
        Statements running on the database for a second or longer (pg_stat_activity), slowest first. Their text has placeholders, never values.
      </p>
      <div data-testid="slow-queries">
        <Table head={["Running", "State", "Waiting on", "Client", "Statement"]}>
          {rows.map((q) => (
            <tr key={q.pid}>
              <td className={cx(td, "whitespace-nowrap tabular-nums font-medium")}>{(q.running_ms / 1000).toFixed(1)} s</td>
              <td className={td}>{q.state}</td>
              <td className={td}>{q.wait_event_type ?? "–"}</td>
              <td className={td}>{q.application_name || "–"}</td>
              <td className={cx(td, "max-w-xl truncate font-mono text-xs")} title={q.query}>
                {q.query}
              </td>
            </tr>
          ))}
        </Table>
      </div>
    </Card>
  );
}

/** The next hour of requests as forecast (the socket's `load-forecast-updated`). */
function NextHour({ live }: { live: Live }) {
  const f = live.forecast;
  // The forecast starts with the current hour: the next is the second.
  const next = f?.prediction.hours[1] ?? f?.prediction.hours[0];
  if (!f || !next) {
    return (
      <a href="#/forecast" className="block" data-testid="next-hour">
        <Stat label="Next hour, forecast" value="–" hint="needs 2 days of history" />
      </a>
    );
  }
  const at = new Date(next.hour).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  return (
    <a href="#/forecast" className="block" data-testid="next-hour" title={f.prediction.method}>
      <Stat
        label="Next hour, forecast"
        value={int(Math.round(next.value))}
        hint={`requests from ${at} · ${int(Math.round(next.lower))}–${int(Math.round(next.upper))} (95 %)${f.accuracy != null ? ` · ${f.accuracy.toFixed(0)} % accurate` : ""}`}
      />
    </a>
  );
}
