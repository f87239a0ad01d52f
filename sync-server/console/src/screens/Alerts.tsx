import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { api, type AlertRule, type Alerts as AlertList, type AlertUnit } from "../api";
import { Badge, bytes, Card, cx, Empty, ErrorBox, int, Loading, PageTitle, Table, td, when } from "../ui";

/** A rule's value in its unit. */
export function shown(v: number | null, unit: AlertUnit) {
  if (v === null) return "–";
  switch (unit) {
    case "share":
      return `${(v * 100).toFixed(v > 0 && v < 0.1 ? 1 : 0)}%`;
    case "ms":
      return `${int(Math.round(v))} ms`;
    case "minutes":
      return `${v.toFixed(1)} min`;
    case "jobs":
      return int(v);
    case "bytes":
      return bytes(v);
  }
}

const stateTone = { firing: "red", ok: "green", unknown: "slate" } as const;
const stateLabel = { firing: "Firing", ok: "OK", unknown: "Not measured" } as const;

export function Alerts() {
  const list = useQuery({ queryKey: ["alerts"], queryFn: () => api<AlertList>("GET", "/api/admin/alerts"), refetchInterval: 10_000 });
  const a = list.data;
  const firing = a?.rules.filter((r) => r.state === "firing") ?? [];
  return (
    <div>
      <PageTitle
        title="Alerts"
        sub={
          a
            ? `Rules evaluated every ${a.interval_secs} s by one server process. Each time a rule fires or resolves, a notification goes to ${channelsText(a.channels)}.`
            : "Rules evaluated on the server, their runbooks and history."
        }
      />
      <ErrorBox error={list.error} title="Could not read the alerts" />
      {list.isPending ? (
        <Loading />
      ) : (
        a && (
          <>
            {!a.channels.webhook && !a.channels.email && (
              <div role="note" className="mb-4 rounded-lg border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950/60 dark:text-amber-200">
                No notification channel is configured: alerts show here only. Set <code>QODER_ALERTS_WEBHOOK_URL</code> or <code>QODER_ALERTS_SMTP_URL</code> and{" "}
                <code>QODER_ALERTS_EMAIL_TO</code> (or the <code>[alerts]</code> section of the settings file).
              </div>
            )}
            <div className="mb-4 flex items-center gap-2 text-sm" data-testid="alerts-summary">
              {firing.length ? (
                <Badge tone="red">{firing.length === 1 ? "1 rule firing" : `${firing.length} rules firing`}</Badge>
              ) : (
                <Badge tone="green">All clear</Badge>
              )}
              <span className="text-slate-500 dark:text-slate-400">{a.rules.length} rules</span>
            </div>
            <div className="flex flex-col gap-3">
              {a.rules.map((r) => (
                <RuleCard key={r.rule} r={r} />
              ))}
            </div>
            <Card className="mt-5" title="History (latest 50)">
              {a.history.length === 0 ? (
                <Empty title="No alert has fired yet">Each firing shows here with when it resolved.</Empty>
              ) : (
                <Table head={["Rule", "State", "Value", "Threshold", "Message", "Fired", "Resolved"]}>
                  {a.history.map((h) => {
                    const rule = a.rules.find((r) => r.rule === h.rule);
                    const unit = rule?.unit ?? "share";
                    return (
                      <tr key={h.id} data-testid="alert-history-row">
                        <td className={td + " whitespace-nowrap"}>{rule?.name ?? h.rule}</td>
                        <td className={td}>
                          <Badge tone={h.state === "firing" ? "red" : "slate"}>{h.state}</Badge>
                        </td>
                        <td className={td + " tabular-nums"}>{shown(h.value, unit)}</td>
                        <td className={td + " tabular-nums"}>{shown(h.threshold, unit)}</td>
                        <td className={td + " text-slate-600 dark:text-slate-300"}>{h.message}</td>
                        <td className={td + " whitespace-nowrap"}>{when(h.fired_at)}</td>
                        <td className={td + " whitespace-nowrap"}>{when(h.resolved_at)}</td>
                      </tr>
                    );
                  })}
                </Table>
              )}
            </Card>
          </>
        )
      )}
    </div>
  );
}

function channelsText(c: { webhook: boolean; email: boolean }) {
  const on = [c.webhook && "the webhook", c.email && "email"].filter(Boolean);
  return on.length ? on.join(" and ") : "no channel (none configured)";
}

function RuleCard({ r }: { r: AlertRule }) {
  const [open, setOpen] = useState(r.state === "firing");
  const share = r.value === null || r.threshold <= 0 ? null : Math.min(1, r.direction === "above" ? r.value / r.threshold : r.threshold / Math.max(r.value, 1e-9));
  return (
    <section
      data-testid={`alert-${r.rule}`}
      className={cx(
        "rounded-xl border bg-white p-4 shadow-sm dark:bg-slate-900",
        r.state === "firing" ? "border-red-300 dark:border-red-800" : "border-slate-200 dark:border-slate-800",
      )}
    >
      <div className="flex flex-wrap items-center gap-3">
        <span className={cx("h-2.5 w-2.5 rounded-full", r.state === "firing" ? "bg-red-500" : r.state === "ok" ? "bg-emerald-500" : "bg-slate-400")} aria-hidden />
        <h2 className="font-semibold text-slate-900 dark:text-white">{r.name}</h2>
        <Badge tone={stateTone[r.state]}>
          <span data-testid="alert-state">{stateLabel[r.state]}</span>
        </Badge>
        <Badge tone={r.severity === "critical" ? "amber" : "slate"}>{r.severity}</Badge>
        <span className="flex-1" />
        <span className="text-sm tabular-nums text-slate-700 dark:text-slate-200" data-testid="alert-value">
          <span className={cx("font-semibold", r.state === "firing" && "text-red-600 dark:text-red-400")}>{shown(r.value, r.unit)}</span>
          <span className="text-slate-500 dark:text-slate-400">
            {" "}
            {r.direction === "above" ? "alert at ≥" : "alert below"} {shown(r.threshold, r.unit)}
          </span>
        </span>
      </div>
      {share !== null && (
        <div className="mt-2 h-1.5 overflow-hidden rounded-full bg-slate-100 dark:bg-slate-800" aria-hidden>
          <div className={cx("h-full rounded-full", r.state === "firing" ? "bg-red-500" : share > 0.8 ? "bg-amber-500" : "bg-emerald-500")} style={{ width: `${Math.max(2, share * 100)}%` }} />
        </div>
      )}
      <p className="mt-2 text-sm text-slate-600 dark:text-slate-300">{r.message ?? "Not evaluated yet."}</p>
      <p className="mt-1 text-xs text-slate-500 dark:text-slate-400">
        {r.state === "firing" && r.since ? `Firing since ${when(r.since)} · ` : r.state === "ok" && r.since ? `Resolved ${when(r.since)} · ` : ""}
        {r.evaluated_at ? `evaluated ${when(r.evaluated_at)}` : "not evaluated yet"}
      </p>
      <button
        type="button"
        className="mt-2 text-sm font-medium text-indigo-600 hover:underline dark:text-indigo-400"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        {open ? "Hide runbook" : "Runbook"}
      </button>
      {open && (
        <dl className="mt-2 grid gap-2 rounded-lg bg-slate-50 p-3 text-sm dark:bg-slate-800/60" data-testid="runbook">
          <div>
            <dt className="text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">What it means</dt>
            <dd className="text-slate-700 dark:text-slate-200">{r.runbook.meaning}</dd>
          </div>
          <div>
            <dt className="text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">What to check</dt>
            <dd className="text-slate-700 dark:text-slate-200">{r.runbook.check}</dd>
          </div>
          <div>
            <dt className="text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">What to do</dt>
            <dd className="text-slate-700 dark:text-slate-200">{r.runbook.action}</dd>
          </div>
        </dl>
      )}
    </section>
  );
}
