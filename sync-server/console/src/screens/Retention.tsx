import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, type Policy, type RunReport } from "../api";
import { Badge, Button, Card, Empty, ErrorBox, Input, int, Label, Loading, Modal, PageTitle, Table, td, Toolbar, when } from "../ui";

type Policies = { policies: Policy[] };

export function Retention() {
  const client = useQueryClient();
  const [filter, setFilter] = useState("");
  const [confirm, setConfirm] = useState(false);
  const [report, setReport] = useState<RunReport | null>(null);
  const policies = useQuery({ queryKey: ["retention"], queryFn: () => api<Policies>("GET", "/api/admin/retention") });
  const run = useMutation({
    mutationFn: (dry_run: boolean) => api<RunReport>("POST", "/api/admin/retention/run", { dry_run }),
    onSuccess: (r) => {
      setReport(r);
      setConfirm(false);
      client.invalidateQueries({ queryKey: ["retention"] });
    },
  });
  const save = useMutation({
    mutationFn: ({ type, days }: { type: string; days: number }) =>
      api<Policies>("PUT", `/api/admin/retention/${encodeURIComponent(type)}`, { retention_days: days }),
    onSuccess: (p) => client.setQueryData(["retention"], p),
  });
  const shown = policies.data?.policies.filter((p) => !filter || p.data_type.includes(filter) || p.description.toLowerCase().includes(filter.toLowerCase()));
  return (
    <div>
      <PageTitle
        title="Data retention"
        sub="How long each kind of data is kept. A dry run counts what a run would delete; running deletes it. Both are audited."
        actions={
          <div className="flex gap-2">
            <Button onClick={() => run.mutate(true)} disabled={run.isPending}>
              Dry run
            </Button>
            <Button tone="danger" onClick={() => setConfirm(true)} disabled={run.isPending}>
              Run now…
            </Button>
          </div>
        }
      />
      <ErrorBox error={run.error ?? save.error} title="Retention" />
      {report && (
        <Card className="mb-4" title={report.dry_run ? `Dry run at ${when(report.at)}: nothing was deleted` : `Run at ${when(report.at)}`}>
          <div data-testid="retention-report">
            <Table head={["Data type", "Kept", "Older than", report.dry_run ? "Would delete" : "Deleted"]}>
              {report.items.map((i) => (
                <tr key={i.data_type}>
                  <td className={td + " font-mono text-xs"}>{i.data_type}</td>
                  <td className={td}>{int(i.retention_days)} days</td>
                  <td className={td}>{when(i.cutoff)}</td>
                  <td className={td + " tabular-nums font-semibold"}>
                    {i.rows > 0 ? <Badge tone={report.dry_run ? "amber" : "red"}>{int(i.rows)} rows</Badge> : "0"}
                  </td>
                </tr>
              ))}
            </Table>
            <p className="mt-2 text-sm text-slate-500 dark:text-slate-400">
              Total: {int(report.items.reduce((n, i) => n + i.rows, 0))} rows {report.dry_run ? "would be deleted" : "deleted"}.
            </p>
          </div>
        </Card>
      )}
      <Card title="Policies">
        <Toolbar>
          <Label text="Filter">
            <Input value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="data type" />
          </Label>
        </Toolbar>
        <ErrorBox error={policies.error} title="Could not read the policies" />
        {policies.isPending ? (
          <Loading />
        ) : shown && shown.length === 0 ? (
          <Empty title="No policy matches" />
        ) : (
          <Table head={["Data type", "Keep for", "Last run", "Last deleted", "About"]}>
            {shown?.map((p) => (
              <PolicyRow key={p.data_type} p={p} busy={save.isPending} save={(days) => save.mutate({ type: p.data_type, days })} />
            ))}
          </Table>
        )}
      </Card>
      {confirm && (
        <Modal title="Delete data past its retention?">
          <p className="text-sm text-slate-600 dark:text-slate-300">
            Every policy runs now and deletes the rows older than its period. Run a dry run first to see the counts. This cannot be undone.
          </p>
          <ErrorBox error={run.error} title="Not run" />
          <div className="mt-4 flex justify-end gap-2">
            <Button onClick={() => setConfirm(false)}>Cancel</Button>
            <Button tone="danger" onClick={() => run.mutate(false)} disabled={run.isPending}>
              Delete now
            </Button>
          </div>
        </Modal>
      )}
    </div>
  );
}

function PolicyRow({ p, busy, save }: { p: Policy; busy: boolean; save: (days: number) => void }) {
  const [days, setDays] = useState(String(p.retention_days));
  const n = Number(days);
  const changed = days !== String(p.retention_days);
  return (
    <tr data-testid="policy-row">
      <td className={td + " font-mono text-xs"}>{p.data_type}</td>
      <td className={td}>
        <div className="flex items-center gap-1">
          <Input className="w-24" type="number" min={1} value={days} onChange={(e) => setDays(e.target.value)} aria-label={`${p.data_type} days`} />
          <span className="text-xs text-slate-500">days</span>
          {changed && (
            <Button disabled={busy || !Number.isInteger(n) || n < 1} onClick={() => save(n)}>
              Save
            </Button>
          )}
        </div>
      </td>
      <td className={td + " whitespace-nowrap"}>{when(p.last_run_at)}</td>
      <td className={td + " tabular-nums"}>{p.last_deleted ?? "–"}</td>
      <td className={td + " text-slate-500 dark:text-slate-400"}>{p.description}</td>
    </tr>
  );
}
