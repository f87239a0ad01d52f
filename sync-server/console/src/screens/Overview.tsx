import { useQuery } from "@tanstack/react-query";
import { Area, AreaChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { api, type ActivityDay, type Alerts, type Health, type Stats } from "../api";
import { chartColors, useTheme } from "../theme";
import { bytes, Card, count, duration, Empty, ErrorBox, int, Loading, PageTitle, Select, Stat } from "../ui";
import { useState } from "react";

export function Overview() {
  const [days, setDays] = useState(30);
  const health = useQuery({ queryKey: ["health"], queryFn: () => api<Health>("GET", "/api/admin/health"), refetchInterval: 5_000 });
  const stats = useQuery({ queryKey: ["stats"], queryFn: () => api<Stats>("GET", "/api/admin/stats"), refetchInterval: 30_000 });
  const activity = useQuery({
    queryKey: ["activity", days],
    queryFn: () => api<{ days: ActivityDay[] }>("GET", `/api/admin/activity?days=${days}`),
  });
  const alerts = useQuery({ queryKey: ["alerts"], queryFn: () => api<Alerts>("GET", "/api/admin/alerts"), refetchInterval: 10_000 });
  const h = health.data;
  const s = stats.data;
  const firing = alerts.data?.rules.filter((r) => r.state === "firing") ?? [];
  return (
    <div>
      <PageTitle title="Overview" sub="This server and its database; the figures refresh every 5 seconds." />
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
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-4" data-testid="health">
        <Stat
          label="Status"
          value={h ? (h.status === "ok" ? "Healthy" : "Degraded") : "…"}
          tone={h ? (h.status === "ok" ? "ok" : "bad") : undefined}
          hint={h ? `v${h.version} · up ${duration(h.uptime_secs)}` : undefined}
        />
        <Stat
          label="Database"
          value={h ? (h.database.ok ? `${h.database.ping_ms?.toFixed(1)} ms` : "Down") : "…"}
          tone={h && !h.database.ok ? "bad" : undefined}
          hint={h ? `${bytes(h.database.size_bytes)} · pool ${h.database.pool_connections}/${h.database.pool_max} (${h.database.pool_idle} idle)` : undefined}
        />
        <Stat
          label="Live connections"
          value={h ? int(h.websocket_connections) : "…"}
          hint={h ? `WebSockets · ${count(h.requests_in_flight, "request")} in flight` : undefined}
        />
        <Stat label="Memory" value={h ? bytes(h.memory_rss_bytes) : "…"} hint="resident, this process" />
        <Stat label="Accounts" value={s ? int(s.users) : "…"} hint={s ? count(s.admins, "admin") : undefined} />
        <Stat label="Devices" value={s ? int(s.devices) : "…"} />
        <Stat label="Synced records" value={s ? int(s.records) : "…"} />
        <Stat label="Ciphertext stored" value={s ? bytes(s.ciphertext_bytes) : "…"} hint="end-to-end encrypted" />
      </div>
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
