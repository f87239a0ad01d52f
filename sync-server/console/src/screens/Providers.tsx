import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, type ProviderStatus, type Providers as ProviderList } from "../api";
import { Badge, Button, Empty, ErrorBox, Loading, PageTitle, Stat, Switch, Table, cx, td, usd, when, int } from "../ui";

type Status = { label: string; dot: string; text: string };

/** What the dot says: off, no traffic, failing, degraded or healthy (over the window). */
function statusOf(p: ProviderStatus): Status {
  if (!p.enabled) return { label: "Disabled", dot: "bg-slate-400 dark:bg-slate-500", text: "text-slate-500 dark:text-slate-400" };
  if (p.calls === 0) return { label: "No calls", dot: "bg-sky-500", text: "text-sky-700 dark:text-sky-300" };
  if (p.error_rate >= 0.5) return { label: "Failing", dot: "bg-red-500", text: "text-red-700 dark:text-red-400" };
  if (p.error_rate >= 0.05) return { label: "Degraded", dot: "bg-amber-500", text: "text-amber-700 dark:text-amber-400" };
  return { label: "Healthy", dot: "bg-emerald-500", text: "text-emerald-700 dark:text-emerald-400" };
}

const ms = (n: number | null) => (n === null ? "–" : `${int(Math.round(n))} ms`);
const pct = (r: number) => `${(r * 100).toFixed(r > 0 && r < 0.1 ? 1 : 0)}%`;

export function Providers() {
  const client = useQueryClient();
  const list = useQuery({
    queryKey: ["providers"],
    queryFn: () => api<ProviderList>("GET", "/api/admin/providers"),
    refetchInterval: 15_000,
  });
  const change = useMutation({
    mutationFn: (order: { name: string; enabled: boolean }[]) => api<ProviderList>("PUT", "/api/admin/providers", { providers: order }),
    onSuccess: (l) => client.setQueryData(["providers"], l),
  });
  const ps = list.data?.providers ?? [];
  const save = (next: ProviderStatus[]) => change.mutate(next.map((p) => ({ name: p.name, enabled: p.enabled })));
  const toggle = (i: number, enabled: boolean) => save(ps.map((p, j) => (j === i ? { ...p, enabled } : p)));
  const move = (i: number, by: -1 | 1) => {
    const next = [...ps];
    [next[i], next[i + by]] = [next[i + by], next[i]];
    save(next);
  };
  const enabled = ps.filter((p) => p.enabled);
  const calls = ps.reduce((a, p) => a + p.calls, 0);
  const errors = ps.reduce((a, p) => a + p.errors, 0);
  const cost = ps.reduce((a, p) => a + p.cost_usd, 0);
  const busy = change.isPending;
  return (
    <div>
      <PageTitle
        title="AI providers"
        sub={
          list.data
            ? `The hosted AI tries the enabled providers top to bottom and fails over to the next. Changes apply at once on every server process (at most ${list.data.reload_seconds} s if one misses the notice) and are audited. Figures: the last ${list.data.window_hours} hours, cache hits left out.`
            : "The hosted AI's providers, their failover order and their last 24 hours."
        }
      />
      <ErrorBox error={list.error} title="Providers" />
      <ErrorBox error={change.error} title="Not changed" />
      {list.isPending ? (
        <Loading />
      ) : !list.data?.configured ? (
        <Empty title="No hosted AI on this server">
          Name providers in <code>QODER_AI_PROVIDERS</code> (each with <code>QODER_AI_&lt;NAME&gt;_KIND</code>, <code>_BASE_URL</code>, <code>_API_KEY</code>,{" "}
          <code>_MODEL</code>, or a table in <code>QODER_AI_SECRETS_FILE</code>) and restart the server.
        </Empty>
      ) : (
        <>
          <div className="mb-4 grid grid-cols-2 gap-3 md:grid-cols-4">
            <Stat label="Enabled" value={`${enabled.length} of ${ps.length}`} hint={enabled[0] ? `first: ${enabled[0].name}` : "none: the hosted AI is off"} tone={enabled.length ? undefined : "bad"} />
            <Stat label="Calls" value={int(calls)} hint={`last ${list.data.window_hours} h`} />
            <Stat label="Error rate" value={calls ? pct(errors / calls) : "–"} hint={`${int(errors)} failed`} tone={calls && errors / calls >= 0.05 ? "bad" : calls ? "ok" : undefined} />
            <Stat label="Cost" value={usd(cost)} hint={`last ${list.data.window_hours} h`} />
          </div>
          {enabled.length === 0 && (
            <div role="alert" className="mb-3 rounded-lg border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950/60 dark:text-amber-200">
              Every provider is disabled: the hosted AI answers 503 (unavailable) until one is enabled.
            </div>
          )}
          <Table head={["Provider", "Status", "Calls", "Errors", "p50 / p95", "Cost", "Last error", "Enabled", "Order"]}>
            {ps.map((p, i) => {
              const st = statusOf(p);
              return (
                <tr key={p.name} data-testid={`provider-${p.name}`} className={cx(!p.enabled && "opacity-60")}>
                  <td className={td}>
                    <div className="font-medium">
                      <span className="mr-1.5 tabular-nums text-slate-400">{i + 1}.</span>
                      {p.name}
                    </div>
                    <div className="text-xs text-slate-500 dark:text-slate-400">
                      {p.kind} · <span className="font-mono">{p.model}</span>
                    </div>
                    <div className="whitespace-nowrap font-mono text-xs text-slate-500 dark:text-slate-400">{p.host}</div>
                  </td>
                  <td className={td}>
                    <span className={cx("inline-flex items-center gap-1.5 whitespace-nowrap text-sm font-medium", st.text)} data-testid="status">
                      <span className={cx("inline-block h-2.5 w-2.5 rounded-full", st.dot)} aria-hidden />
                      {st.label}
                    </span>
                  </td>
                  <td className={cx(td, "tabular-nums")}>
                    {int(p.calls)}
                    {p.cache_hits > 0 && <div className="text-xs text-slate-500 dark:text-slate-400">+{int(p.cache_hits)} cached</div>}
                  </td>
                  <td className={cx(td, "tabular-nums")}>
                    {p.calls ? (
                      <Badge tone={p.error_rate >= 0.5 ? "red" : p.error_rate >= 0.05 ? "amber" : "green"}>{pct(p.error_rate)}</Badge>
                    ) : (
                      "–"
                    )}
                  </td>
                  <td className={cx(td, "tabular-nums whitespace-nowrap")}>
                    {ms(p.p50_ms)}
                    <div className="text-xs text-slate-500 dark:text-slate-400">{ms(p.p95_ms)}</div>
                  </td>
                  <td className={cx(td, "tabular-nums")}>{usd(p.cost_usd)}</td>
                  <td className={td}>
                    {p.last_error ? (
                      <div>
                        <code className="rounded bg-red-50 px-1 text-xs text-red-700 dark:bg-red-950/60 dark:text-red-300">{p.last_error}</code>
                        <div className="text-xs text-slate-500 dark:text-slate-400">{when(p.last_error_at)}</div>
                      </div>
                    ) : (
                      <span className="text-slate-400">none</span>
                    )}
                  </td>
                  <td className={td}>
                    <Switch on={p.enabled} label={`${p.name} enabled`} disabled={busy} onChange={(v) => toggle(i, v)} />
                  </td>
                  <td className={td}>
                    <div className="flex gap-1">
                      <Button tone="ghost" className="px-2" aria-label={`Move ${p.name} up`} disabled={busy || i === 0} onClick={() => move(i, -1)}>
                        ↑
                      </Button>
                      <Button tone="ghost" className="px-2" aria-label={`Move ${p.name} down`} disabled={busy || i === ps.length - 1} onClick={() => move(i, 1)}>
                        ↓
                      </Button>
                    </div>
                  </td>
                </tr>
              );
            })}
          </Table>
        </>
      )}
    </div>
  );
}
