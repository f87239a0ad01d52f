import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { api, type LlmFigures, type LlmUsage } from "../api";
import { chartColors, useTheme } from "../theme";
import { Card, Empty, ErrorBox, int, Label, Loading, PageTitle, Select, Stat, Table, td, usd } from "../ui";

export function LlmCost() {
  const [days, setDays] = useState(30);
  const usage = useQuery({ queryKey: ["llm", days], queryFn: () => api<LlmUsage>("GET", `/api/admin/llm?days=${days}`) });
  const u = usage.data;
  const c = chartColors(useTheme());
  return (
    <div>
      <PageTitle
        title="LLM cost"
        sub="Hosted-AI calls made for users: spend, tokens and cache, per day, feature, provider and model (UTC days)."
        actions={
          <Label text="Period">
            <Select value={days} onChange={(e) => setDays(Number(e.target.value))}>
              <option value={7}>7 days</option>
              <option value={30}>30 days</option>
              <option value={90}>90 days</option>
            </Select>
          </Label>
        }
      />
      <ErrorBox error={usage.error} title="Could not read the AI usage" />
      {usage.isPending ? (
        <Loading />
      ) : (
        u && (
          <>
            <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
              <Stat label={`Spend, ${u.days} days`} value={usd(u.total.cost_usd)} hint={`${int(u.total.calls)} calls · ${int(u.total.tokens_in + u.total.tokens_out)} tokens`} />
              <Stat
                label="This month"
                value={usd(u.month.spent_usd)}
                hint={`projected ${usd(u.month.projected_usd)} of a ${usd(u.month.budget_usd)} budget`}
                tone={u.month.projected_usd > u.month.budget_usd ? "bad" : undefined}
              />
              <Stat label="Cache hit rate" value={`${(u.cache_hit_rate * 100).toFixed(1)} %`} hint={`saved about ${usd(u.cache_savings_usd)}`} />
              <Stat
                label="Errors"
                value={int(u.total.errors)}
                tone={u.total.errors > 0 ? "bad" : "ok"}
                hint={`mean latency ${Math.round(u.total.avg_latency_ms)} ms`}
              />
            </div>
            <Card className="mt-5" title="Spend and calls per day">
              {u.total.calls === 0 ? (
                <Empty title="No hosted-AI calls in this period">Calls appear here once users run AI features on a paid plan.</Empty>
              ) : (
                <div className="h-72" data-testid="llm-chart">
                  <ResponsiveContainer width="100%" height="100%">
                    <ComposedChart data={u.by_day.map((d) => ({ ...d, label: d.key.slice(5) }))} margin={{ top: 8, right: 0, left: -8, bottom: 0 }}>
                      <CartesianGrid stroke={c.grid} strokeDasharray="3 3" />
                      <XAxis dataKey="label" stroke={c.axis} fontSize={12} />
                      <YAxis yAxisId="usd" stroke={c.axis} fontSize={12} tickFormatter={(v: number) => `$${v}`} />
                      <YAxis yAxisId="calls" orientation="right" stroke={c.axis} fontSize={12} allowDecimals={false} />
                      <Tooltip contentStyle={{ background: c.tooltipBg, borderColor: c.tooltipBorder, color: c.text }} />
                      <Legend />
                      <Bar yAxisId="usd" dataKey="cost_usd" name="Spend (USD)" fill="#6366f1" isAnimationActive={false} />
                      <Line yAxisId="calls" dataKey="calls" name="Calls" stroke="#f59e0b" dot={false} isAnimationActive={false} />
                    </ComposedChart>
                  </ResponsiveContainer>
                </div>
              )}
            </Card>
            <div className="mt-5 grid gap-4">
              <Breakdown title="By feature" rows={u.by_feature} />
              <Breakdown title="By provider" rows={u.by_provider} />
              <Breakdown title="By model" rows={u.by_model} />
            </div>
          </>
        )
      )}
    </div>
  );
}

function Breakdown({ title, rows }: { title: string; rows: LlmFigures[] }) {
  return (
    <Card title={title}>
      {rows.length === 0 ? (
        <p className="text-sm text-slate-500">Nothing yet.</p>
      ) : (
        <Table head={["", "Calls", "Failed", "Tokens in / out", "Spend", "Cache hits", "Mean latency"]}>
          {rows.map((r) => (
            <tr key={r.key}>
              <td className={td + " font-mono text-xs"}>{r.key}</td>
              <td className={td + " tabular-nums"}>{int(r.calls)}</td>
              <td className={td + " tabular-nums"}>{r.errors > 0 ? <span className="text-red-600 dark:text-red-400">{int(r.errors)}</span> : "0"}</td>
              <td className={td + " tabular-nums"}>
                {int(r.tokens_in)} / {int(r.tokens_out)}
              </td>
              <td className={td + " tabular-nums"}>{usd(r.cost_usd)}</td>
              <td className={td + " tabular-nums"}>{r.calls ? `${Math.round((r.cache_hits / r.calls) * 100)} %` : "–"}</td>
              <td className={td + " tabular-nums"}>{Math.round(r.avg_latency_ms)} ms</td>
            </tr>
          ))}
        </Table>
      )}
    </Card>
  );
}
