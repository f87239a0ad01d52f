import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { Area, CartesianGrid, ComposedChart, Legend, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { api, type Forecast as ForecastAnswer, type ForecastSeries } from "../api";
import { chartColors, useTheme } from "../theme";
import { Card, Empty, ErrorBox, int, Loading, PageTitle, Segmented, Stat } from "../ui";

const SERIES: { value: ForecastSeries; label: string }[] = [
  { value: "requests", label: "Requests" },
  { value: "ai_calls", label: "AI calls" },
];
const HORIZONS = [
  { value: 24, label: "24 h" },
  { value: 168, label: "7 days" },
];
const METRIC: Record<string, string> = { mape: "MAPE", wape: "WAPE" };
const METRIC_HELP: Record<string, string> = {
  mape: "mean absolute percentage error over the held-out hours (hours with 0 left out)",
  wape: "weighted absolute percentage error, Σ|actual − forecast| / Σ actual (many held-out hours were 0)",
};

const hourLabel = (t: number) => new Date(t).toLocaleString(undefined, { weekday: "short", hour: "2-digit", minute: "2-digit" });
const dayLabel = (t: number) => new Date(t).toLocaleDateString(undefined, { weekday: "short", day: "numeric", month: "short" });

interface Point {
  t: number;
  actual?: number;
  forecast?: number;
  band?: [number, number];
}

export function Forecast() {
  const [series, setSeries] = useState<ForecastSeries>("requests");
  const [horizon, setHorizon] = useState(24);
  const q = useQuery({
    queryKey: ["forecast", series, horizon],
    queryFn: () => api<ForecastAnswer>("GET", `/api/admin/forecast?series=${series}&horizon=${horizon}`),
    refetchInterval: 300_000,
  });
  const f = q.data;
  const what = series === "requests" ? "requests" : "hosted-AI calls";
  return (
    <div>
      <PageTitle
        title="Load forecast"
        sub="Hourly load (UTC hours, every server process together), the coming hours forecast with their 95 % interval."
        actions={
          <div className="flex flex-wrap items-center gap-3">
            <Segmented label="Series" value={series} options={SERIES} onChange={setSeries} />
            <Segmented label="Horizon" value={horizon} options={HORIZONS} onChange={setHorizon} />
          </div>
        }
      />
      <ErrorBox error={q.error} title="Could not make the forecast" />
      {q.isPending ? (
        <Loading what="Fitting the model" />
      ) : (
        f &&
        (f.status === "not_enough_history" ? (
          <Card>
            <div data-testid="forecast-empty">
              <Empty title="Not enough history to forecast">
                {int(f.history_hours)} {f.history_hours === 1 ? "hour" : "hours"} of {what} recorded so far; a forecast needs {f.needed_hours} hours (two days) from
                the first hour with any load. It appears here on its own once the server has run that long.
              </Empty>
            </div>
          </Card>
        ) : (
          <ForecastView f={f} what={what} />
        ))
      )}
    </div>
  );
}

function ForecastView({ f, what }: { f: ForecastAnswer; what: string }) {
  const c = chartColors(useTheme());
  // A day of history before a 24-hour forecast would squeeze it: show four days, or all 14 for 7 days.
  const shown = f.horizon > 24 ? f.history : f.history.slice(-96);
  const data: Point[] = shown.map((h) => ({ t: Date.parse(h.hour), actual: h.value }));
  const last = data[data.length - 1];
  if (last && f.forecast.length) {
    // The forecast line starts from the last hour seen, so the two read as one.
    last.forecast = last.actual;
    last.band = [last.actual ?? 0, last.actual ?? 0];
  }
  for (const p of f.forecast) data.push({ t: Date.parse(p.hour), forecast: p.value, band: [p.lower, p.upper] });
  const now = f.forecast.length ? Date.parse(f.forecast[0].hour) : undefined;
  const total = f.forecast.reduce((s, p) => s + p.value, 0);
  const low = f.forecast.reduce((s, p) => s + p.lower, 0);
  const high = f.forecast.reduce((s, p) => s + p.upper, 0);
  const peak = f.forecast.reduce((a, p) => (p.value > a.value ? p : a), f.forecast[0]);
  const b = f.backtest;
  const days = f.horizon > 24;
  // Ticks on round hours of the viewer's clock: midnights over weeks, every 12 hours over days.
  const ticks = data.map((p) => p.t).filter((t) => (days ? new Date(t).getHours() === 0 : new Date(t).getHours() % 12 === 0));
  return (
    <>
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <Stat
          label={`Forecast, next ${days ? "7 days" : "24 h"}`}
          value={int(Math.round(total))}
          hint={`${what} · the hours' ${Math.round(f.level * 100)} % bounds add up to ${int(Math.round(low))}–${int(Math.round(high))}`}
        />
        <Stat label="Busiest hour ahead" value={peak ? int(Math.round(peak.value)) : "–"} hint={peak ? `${hourLabel(Date.parse(peak.hour))} · up to ${int(Math.round(peak.upper))}` : undefined} />
        <Stat
          label="Last 24 h"
          value={int(Math.round(f.history.slice(-24).reduce((s, h) => s + h.value, 0)))}
          hint={`${what}, complete hours`}
        />
        <Stat label="History used" value={`${int(Math.round(f.history_hours / 24))} days`} hint={`${int(f.history_hours)} hours since the first with load (at most 56 days)`} />
      </div>
      <div className="mt-5 grid gap-4 lg:grid-cols-[1fr_17rem]">
        <Card title={`${what[0].toUpperCase()}${what.slice(1)} per hour: history and forecast`}>
          <div className="h-80" data-testid="forecast-chart">
            <ResponsiveContainer width="100%" height="100%">
              <ComposedChart data={data} margin={{ top: 8, right: 8, left: 0, bottom: 0 }}>
                <CartesianGrid stroke={c.grid} strokeDasharray="3 3" />
                <XAxis
                  dataKey="t"
                  type="number"
                  scale="time"
                  domain={["dataMin", "dataMax"]}
                  stroke={c.axis}
                  fontSize={12}
                  ticks={ticks}
                  tickFormatter={(t: number) => (days ? dayLabel(t) : hourLabel(t))}
                  minTickGap={16}
                />
                <YAxis stroke={c.axis} fontSize={12} tickFormatter={(v: number) => (v >= 10_000 ? `${Math.round(v / 1000)}k` : int(v))} width={48} />
                <Tooltip
                  contentStyle={{ background: c.tooltipBg, borderColor: c.tooltipBorder, color: c.text }}
                  labelFormatter={(t) => new Date(Number(t)).toLocaleString()}
                  formatter={(v, name) => [Array.isArray(v) ? v.map((x) => int(Math.round(Number(x)))).join(" – ") : int(Math.round(Number(v))), name]}
                />
                <Legend formatter={(value: string) => <span className="text-slate-600 dark:text-slate-300">{value}</span>} />
                <Area
                  dataKey="band"
                  name={`${Math.round(f.level * 100)} % interval`}
                  stroke="none"
                  fill={c.band}
                  fillOpacity={1}
                  isAnimationActive={false}
                  connectNulls={false}
                />
                <Line dataKey="actual" name="Actual" stroke={c.actual} dot={false} strokeWidth={1.5} isAnimationActive={false} />
                <Line dataKey="forecast" name="Forecast" stroke={c.forecast} strokeDasharray="5 3" dot={false} strokeWidth={2} isAnimationActive={false} />
                {now !== undefined && <ReferenceLine x={now} stroke={c.axis} strokeDasharray="2 2" label={{ value: "now", fill: c.axis, fontSize: 11, position: "insideTopLeft" }} />}
              </ComposedChart>
            </ResponsiveContainer>
          </div>
        </Card>
        <Card title="Model">
          <dl className="space-y-3 text-sm" data-testid="forecast-model">
            <div>
              <dt className="text-xs font-medium uppercase tracking-wide text-slate-500 dark:text-slate-400">Method</dt>
              <dd className="mt-0.5 font-medium text-slate-900 dark:text-white" data-testid="forecast-method">
                {f.method_label}
              </dd>
              <dd className="text-xs text-slate-500 dark:text-slate-400">augurs (MSTL decomposition, ETS); falls back to fewer seasons with less history</dd>
            </div>
            <div>
              <dt className="text-xs font-medium uppercase tracking-wide text-slate-500 dark:text-slate-400">Backtest error</dt>
              {b ? (
                <>
                  <dd className="mt-0.5 text-2xl font-semibold tabular-nums text-slate-900 dark:text-white" data-testid="forecast-backtest">
                    {METRIC[b.metric]} {b.value.toFixed(1)} %
                  </dd>
                  <dd className="text-xs text-slate-500 dark:text-slate-400">
                    The last {b.horizon === 24 ? "24 hours" : `${b.horizon / 24} days`} held out, the model fitted on the {int(b.trained_on)} hours before; {METRIC_HELP[b.metric]}.
                  </dd>
                </>
              ) : (
                <dd className="mt-0.5 text-slate-500 dark:text-slate-400" data-testid="forecast-backtest">
                  Not measurable yet: it needs {f.horizon === 24 ? "3 days" : "3 days (9 for the 7-day test)"} of history with load in the held-out hours.
                </dd>
              )}
            </div>
            <div>
              <dt className="text-xs font-medium uppercase tracking-wide text-slate-500 dark:text-slate-400">Made</dt>
              <dd className="mt-0.5 text-slate-700 dark:text-slate-300">{new Date(f.generated_at).toLocaleString()}</dd>
              <dd className="text-xs text-slate-500 dark:text-slate-400">kept by the server for 5 minutes</dd>
            </div>
          </dl>
        </Card>
      </div>
    </>
  );
}
