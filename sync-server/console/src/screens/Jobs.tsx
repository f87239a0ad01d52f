import { useCallback, useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, qs, type JobDetail, type JobsPage, type JobState } from "../api";
import { Badge, Button, Card, Drawer, Empty, ErrorBox, Label, Loading, Modal, PageTitle, Pager, Select, Table, td, Toast, Toolbar, usePager, when } from "../ui";

const PAGE = 25;

export const jobTone = (s: JobState) => (({ queued: "indigo", running: "amber", done: "green", failed: "red" }) as const)[s];

export function Jobs() {
  const [state, setState] = useState<"" | JobState>("failed");
  const [kind, setKind] = useState("");
  const [open, setOpen] = useState<number | null>(null);
  const [toast, setToast] = useState<string | null>(null);
  const pager = usePager<number>();
  const list = useQuery({
    queryKey: ["jobs", state, kind, pager.cursor],
    queryFn: () => api<JobsPage>("GET", `/api/admin/jobs${qs({ state, kind, before: pager.cursor, limit: PAGE })}`),
    refetchInterval: 5_000,
  });
  const clearToast = useCallback(() => setToast(null), []);
  const jobs = list.data?.jobs ?? [];
  return (
    <div>
      <PageTitle
        title="Background jobs"
        sub="The durable queue every server process works off: alert notifications and scheduled retention runs. A job is retried with backoff, then marked failed; fix the cause and replay it."
      />
      <Card>
        <Toolbar>
          <Label text="State">
            <Select
              value={state}
              onChange={(e) => {
                setState(e.target.value as "" | JobState);
                pager.reset();
              }}
              aria-label="Job state"
            >
              <option value="failed">Failed</option>
              <option value="queued">Queued</option>
              <option value="running">Running</option>
              <option value="done">Done</option>
              <option value="">All</option>
            </Select>
          </Label>
          <Label text="Kind">
            <Select
              value={kind}
              onChange={(e) => {
                setKind(e.target.value);
                pager.reset();
              }}
              aria-label="Job kind"
            >
              <option value="">All kinds</option>
              {(list.data?.kinds ?? []).map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </Select>
          </Label>
        </Toolbar>
        <ErrorBox error={list.error} title="Could not read the jobs" />
        {list.isPending ? (
          <Loading />
        ) : jobs.length === 0 ? (
          <Empty title={state === "failed" ? "No failed job" : "No job matches these filters"}>
            {state === "failed" ? "Every background job ran or is still being tried." : "Jobs appear here when alerts notify or a retention run is scheduled."}
          </Empty>
        ) : (
          <Table head={["#", "Kind", "State", "Tries", "Last error", "Created", "Next try / finished"]}>
            {jobs.map((j) => (
              <tr key={j.id} data-testid="job-row" className="cursor-pointer hover:bg-slate-50 dark:hover:bg-slate-800/50" onClick={() => setOpen(j.id)}>
                <td className={td + " tabular-nums text-slate-500"}>{j.id}</td>
                <td className={td + " font-mono text-xs"}>{j.kind}</td>
                <td className={td}>
                  <Badge tone={jobTone(j.state)}>{j.state}</Badge>
                </td>
                <td className={td + " tabular-nums"}>
                  {j.attempts} / {j.max_attempts}
                </td>
                <td className={td + " max-w-xs truncate text-slate-600 dark:text-slate-300"} title={j.last_error ?? undefined}>
                  {j.last_error ?? "–"}
                </td>
                <td className={td + " whitespace-nowrap"}>{when(j.created_at)}</td>
                <td className={td + " whitespace-nowrap"}>{j.finished_at ? when(j.finished_at) : when(j.run_at)}</td>
              </tr>
            ))}
          </Table>
        )}
        {list.data && (jobs.length > 0 || pager.page > 1) && (
          <Pager page={pager.page} count={jobs.length} hasNext={list.data.next !== null} onPrev={pager.prev} onNext={() => list.data?.next != null && pager.next(list.data.next)} />
        )}
      </Card>
      {open !== null && <JobDrawer id={open} onClose={() => setOpen(null)} onReplayed={(id) => setToast(`Job #${id} is queued again.`)} />}
      <Toast text={toast} onDone={clearToast} />
    </div>
  );
}

function JobDrawer({ id, onClose, onReplayed }: { id: number; onClose: () => void; onReplayed: (id: number) => void }) {
  const client = useQueryClient();
  const [confirm, setConfirm] = useState(false);
  const job = useQuery({ queryKey: ["job", id], queryFn: () => api<JobDetail>("GET", `/api/admin/jobs/${id}`), refetchInterval: 3_000 });
  const replay = useMutation({
    mutationFn: () => api<JobDetail>("POST", `/api/admin/jobs/${id}/replay`),
    onSuccess: (d) => {
      client.setQueryData(["job", id], d);
      client.invalidateQueries({ queryKey: ["jobs"] });
      setConfirm(false);
      onReplayed(id);
    },
  });
  const j = job.data;
  return (
    <Drawer title={`Job #${id}`} onClose={onClose} label="Job details">
      <ErrorBox error={job.error} title="Could not read the job" />
      {!j ? (
        <Loading />
      ) : (
        <div className="flex flex-col gap-4 text-sm">
          <div className="flex flex-wrap items-center gap-2">
            <span className="font-mono text-xs">{j.kind}</span>
            <Badge tone={jobTone(j.state)}>{j.state}</Badge>
            <span className="text-slate-500 dark:text-slate-400">
              {j.attempts} of {j.max_attempts} tries
            </span>
            <span className="flex-1" />
            {j.state === "failed" && (
              <Button tone="primary" onClick={() => setConfirm(true)}>
                Replay…
              </Button>
            )}
          </div>
          <dl className="grid grid-cols-[8rem_1fr] gap-x-3 gap-y-1">
            <dt className="text-slate-500 dark:text-slate-400">Created</dt>
            <dd>{when(j.created_at)}</dd>
            <dt className="text-slate-500 dark:text-slate-400">{j.state === "queued" ? "Next try" : "Due at"}</dt>
            <dd>{when(j.run_at)}</dd>
            <dt className="text-slate-500 dark:text-slate-400">Finished</dt>
            <dd>{when(j.finished_at)}</dd>
            <dt className="text-slate-500 dark:text-slate-400">Last error</dt>
            <dd className="break-words">{j.last_error ?? "–"}</dd>
          </dl>
          <section>
            <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">Payload</h3>
            <pre data-testid="job-payload" className="max-h-72 overflow-auto whitespace-pre-wrap break-words rounded-lg bg-slate-100 p-3 font-mono text-xs text-slate-800 dark:bg-slate-900 dark:text-slate-200">
              {JSON.stringify(j.payload, null, 2)}
            </pre>
          </section>
          <section>
            <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">Error history</h3>
            {j.errors.length === 0 ? (
              <p className="text-slate-500 dark:text-slate-400">No failed try.</p>
            ) : (
              <ol className="flex flex-col gap-2" data-testid="job-errors">
                {j.errors.map((e, i) => (
                  <li key={i} className="rounded-lg border border-red-200 bg-red-50 px-3 py-2 dark:border-red-900 dark:bg-red-950/50">
                    <div className="text-xs text-red-700 dark:text-red-300">
                      Try {e.attempt} · {when(e.at)}
                    </div>
                    <div className="break-words text-red-900 dark:text-red-100">{e.error}</div>
                  </li>
                ))}
              </ol>
            )}
          </section>
        </div>
      )}
      {confirm && j && (
        <Modal title="Replay this job?">
          <p className="text-sm text-slate-600 dark:text-slate-300">
            Job #{j.id} ({j.kind}) goes back to the queue, due now, with its tries counted from zero. Its error history is kept. Fix what made it fail first. The replay is audited.
          </p>
          <ErrorBox error={replay.error} title="Not replayed" />
          <div className="mt-4 flex justify-end gap-2">
            <Button onClick={() => setConfirm(false)}>Cancel</Button>
            <Button tone="primary" onClick={() => replay.mutate()} disabled={replay.isPending}>
              Replay now
            </Button>
          </div>
        </Modal>
      )}
    </Drawer>
  );
}
