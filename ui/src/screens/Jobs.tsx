import { useDeferredValue, useMemo, useRef, useState } from "react";
import { keepPreviousData, useMutation, useQueries, useQuery, useQueryClient } from "@tanstack/react-query";
import { useVirtualizer } from "@tanstack/react-virtual";
import { open, save } from "@tauri-apps/plugin-dialog";
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { api } from "../api";
import type { JobApplication } from "../bindings/JobApplication";
import type { JobFilter } from "../bindings/JobFilter";
import type { JobSort } from "../bindings/JobSort";
import type { JobSortField } from "../bindings/JobSortField";
import type { JobStatus } from "../bindings/JobStatus";
import { JobForm, emptyForm } from "../components/JobForm";
import { Badge, Button, Card, EmptyState, ErrorView, Modal, PageHeader, Spinner, inputClass } from "../components/ui";
import { STATUSES, STATUS_COLOR, STATUS_HEX, STATUS_LABEL, formatDate } from "../lib/format";
import { href, navigate } from "../lib/router";
import { useToast } from "../lib/toast";

export const PAGE = 100;
const ROW_HEIGHT = 44;

export function useJobMutations() {
  const qc = useQueryClient();
  const toast = useToast();
  const refresh = () => {
    qc.invalidateQueries({ queryKey: ["jobs"] });
    qc.invalidateQueries({ queryKey: ["dashboard"] });
  };
  const setStatus = useMutation({
    mutationFn: (p: { id: string; status: JobStatus }) => api.jobSetStatus(p.id, p.status),
    onSuccess: (j) => {
      refresh();
      toast.show(`“${j.title}” moved to ${STATUS_LABEL[j.status]}.`, { tone: "success" });
    },
    onError: (e: Error) => toast.show(e.message, { tone: "error" }),
  });
  return { setStatus, refresh };
}

function Filters({ filter, setFilter, vendors }: { filter: JobFilter; setFilter: (f: JobFilter) => void; vendors: string[] }) {
  return (
    <div className="mb-4 flex flex-wrap items-center gap-2">
      <input
        type="search"
        data-testid="job-search"
        aria-label="Search jobs"
        placeholder="Search title, company, vendor, description…"
        className={`${inputClass} w-80`}
        value={filter.text ?? ""}
        onChange={(e) => setFilter({ ...filter, text: e.target.value || null })}
      />
      <select aria-label="Status filter" className={inputClass} value={filter.status[0] ?? ""} onChange={(e) => setFilter({ ...filter, status: e.target.value ? [e.target.value as JobStatus] : [] })}>
        <option value="">All statuses</option>
        {STATUSES.map((s) => (
          <option key={s} value={s}>
            {STATUS_LABEL[s]}
          </option>
        ))}
      </select>
      <select aria-label="Vendor filter" className={inputClass} value={filter.vendor ?? ""} onChange={(e) => setFilter({ ...filter, vendor: e.target.value || null })}>
        <option value="">All vendors</option>
        {vendors.map((v) => (
          <option key={v} value={v}>
            {v}
          </option>
        ))}
      </select>
    </div>
  );
}

const COLUMNS: { label: string; field?: JobSortField; className: string }[] = [
  { label: "Title", field: "jobTitle", className: "flex-[3]" },
  { label: "Company", className: "flex-[2]" },
  { label: "Vendor", field: "vendorName", className: "flex-[2]" },
  { label: "Status", className: "w-28" },
  { label: "Rate", field: "rate", className: "w-32" },
  { label: "Updated", field: "updatedAt", className: "w-28" },
];

function rate(j: JobApplication) {
  return j.rate ? `${j.rate.amount.toLocaleString()} ${j.rate.currency}/${j.rate.period}` : "—";
}

function Table({ filter, sort, setSort }: { filter: JobFilter; sort: JobSort; setSort: (s: JobSort) => void }) {
  const parent = useRef<HTMLDivElement>(null);
  const first = useQuery({ queryKey: ["jobs", "list", filter, sort, 1], queryFn: () => api.jobsList(filter, sort, 1, PAGE), placeholderData: keepPreviousData });
  const total = first.data?.total ?? 0;
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Virtual is used as documented
  const virtualizer = useVirtualizer({ count: total, getScrollElement: () => parent.current, estimateSize: () => ROW_HEIGHT, overscan: 10 });
  const items = virtualizer.getVirtualItems();
  const pages = useMemo(() => {
    const set = new Set<number>();
    for (const it of items) set.add(Math.floor(it.index / PAGE) + 1);
    return [...set];
  }, [items]);
  const pageQueries = useQueries({
    queries: pages.map((p) => ({ queryKey: ["jobs", "list", filter, sort, p], queryFn: () => api.jobsList(filter, sort, p, PAGE), staleTime: 10_000 })),
  });
  const row = (i: number): JobApplication | undefined => {
    const p = Math.floor(i / PAGE) + 1;
    const data = p === 1 ? first.data : pageQueries[pages.indexOf(p)]?.data;
    return data?.items[i % PAGE];
  };

  if (first.isPending) return <Spinner />;
  if (first.isError) return <ErrorView error={first.error} onRetry={() => first.refetch()} />;
  if (total === 0) {
    const filtered = filter.text || filter.status.length || filter.vendor;
    return filtered ? (
      <EmptyState title="No job matches these filters" body="Clear the search or choose another status or vendor." />
    ) : (
      <EmptyState testId="jobs-empty" title="No applications yet" body="Add the jobs you apply to. Track status, vendor, rate, interviews and reminders in one place." />
    );
  }

  return (
    <div className="rounded-xl border border-slate-200 bg-white dark:border-slate-700 dark:bg-slate-900" data-testid="jobs-table">
      <div role="row" className="flex gap-3 border-b border-slate-200 px-4 py-2 text-xs font-semibold uppercase tracking-wide text-slate-500 dark:border-slate-700">
        {COLUMNS.map((c) => (
          <div key={c.label} role="columnheader" className={c.className}>
            {c.field ? (
              <button
                className="uppercase hover:text-slate-800 dark:hover:text-slate-200"
                onClick={() => setSort({ field: c.field!, order: sort.field === c.field && sort.order === "asc" ? "desc" : "asc" })}
                aria-sort={sort.field === c.field ? (sort.order === "asc" ? "ascending" : "descending") : "none"}
              >
                {c.label} {sort.field === c.field ? (sort.order === "asc" ? "▲" : "▼") : ""}
              </button>
            ) : (
              c.label
            )}
          </div>
        ))}
      </div>
      <div ref={parent} className="h-[calc(100vh-330px)] min-h-64 overflow-auto" data-testid="jobs-scroll">
        <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
          {items.map((it) => {
            const j = row(it.index);
            return (
              <div
                key={it.key}
                role="row"
                data-testid={j ? "job-row" : "job-row-loading"}
                className="absolute left-0 flex w-full items-center gap-3 border-b border-slate-100 px-4 text-sm hover:bg-slate-50 dark:border-slate-800 dark:hover:bg-slate-800/50"
                style={{ height: ROW_HEIGHT, transform: `translateY(${it.start}px)` }}
              >
                {j ? (
                  <>
                    <a className="flex-[3] truncate font-medium text-indigo-700 hover:underline dark:text-indigo-300" href={href({ screen: "job", jobId: j.id })}>
                      {j.title}
                    </a>
                    <span className="flex-[2] truncate">{j.company ?? "—"}</span>
                    <span className="flex-[2] truncate text-slate-500">{j.vendor_name ?? "—"}</span>
                    <span className="w-28">
                      <Badge className={STATUS_COLOR[j.status]}>{STATUS_LABEL[j.status]}</Badge>
                    </span>
                    <span className="w-32 truncate tabular-nums text-slate-500">{rate(j)}</span>
                    <span className="w-28 text-slate-500">{formatDate(j.updated_at)}</span>
                  </>
                ) : (
                  <span className="h-3 w-1/2 animate-pulse rounded bg-slate-200 dark:bg-slate-700" />
                )}
              </div>
            );
          })}
        </div>
      </div>
      <p
        className="border-t border-slate-200 px-4 py-2 text-xs text-slate-500 dark:border-slate-700"
        data-testid="jobs-total"
        data-filter={filter.text ?? ""}
        data-ready={!first.isPlaceholderData && !first.isFetching}
      >
        {first.data?.total_exact ? total.toLocaleString() : `${total.toLocaleString()}+`} job(s)
      </p>
    </div>
  );
}

function Board({ filter }: { filter: JobFilter }) {
  const q = useQuery({
    queryKey: ["jobs", "board", filter],
    queryFn: () => api.jobsList(filter, { field: "updatedAt", order: "desc" }, 1, PAGE),
  });
  const { setStatus } = useJobMutations();
  const [dragging, setDragging] = useState<string | null>(null);
  if (q.isPending) return <Spinner />;
  if (q.isError) return <ErrorView error={q.error} onRetry={() => q.refetch()} />;
  const byStatus = new Map<JobStatus, JobApplication[]>();
  for (const j of q.data.items) byStatus.set(j.status, [...(byStatus.get(j.status) ?? []), j]);
  const move = (id: string, status: JobStatus) => setStatus.mutate({ id, status });
  const drop = (status: JobStatus, id: string) => {
    const jobId = id || dragging;
    if (jobId) move(jobId, status);
    setDragging(null);
  };
  return (
    <div data-testid="jobs-board">
      {q.data.total > PAGE && <p className="mb-2 text-xs text-slate-500">Showing the {PAGE} most recently updated of {q.data.total} jobs; filter to narrow down.</p>}
      <div className="grid grid-cols-6 gap-3 pb-4">
        {ACTIVE.map((st) => (
          <Column key={st} status={st} jobs={byStatus.get(st) ?? []} onDrop={drop} onDrag={setDragging} onMove={move} />
        ))}
        <div className="flex flex-col gap-3">
          {CLOSED.map((st) => (
            <Column key={st} status={st} jobs={byStatus.get(st) ?? []} onDrop={drop} onDrag={setDragging} onMove={move} compact />
          ))}
        </div>
      </div>
    </div>
  );
}

const ACTIVE: JobStatus[] = ["saved", "applied", "screening", "interviewing", "offer"];
const CLOSED: JobStatus[] = ["accepted", "rejected", "withdrawn", "ghosted"];

function Column({
  status,
  jobs,
  onDrop,
  onDrag,
  onMove,
  compact,
}: {
  status: JobStatus;
  jobs: JobApplication[];
  onDrop: (status: JobStatus, id: string) => void;
  onDrag: (id: string | null) => void;
  onMove: (id: string, status: JobStatus) => void;
  compact?: boolean;
}) {
  const [over, setOver] = useState(false);
  return (
    <div
      data-testid={`column-${status}`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        onDrop(status, e.dataTransfer.getData("text/job-id"));
      }}
      className={`flex min-w-0 flex-col rounded-xl p-2 transition ${over ? "bg-indigo-100 dark:bg-indigo-950" : "bg-slate-100 dark:bg-slate-900"} ${compact ? "" : "min-h-96"}`}
    >
      <h3 className="mb-2 flex items-center justify-between px-1 text-xs font-semibold uppercase text-slate-500">
        <span className="flex items-center gap-1.5">
          <span className="h-2 w-2 rounded-full" style={{ background: STATUS_HEX[status] }} />
          {STATUS_LABEL[status]}
        </span>
        <span>{jobs.length}</span>
      </h3>
      <div className={`flex flex-col gap-2 ${compact ? "" : "min-h-16"}`}>
        {jobs.map((j) => (
          <div
            key={j.id}
            draggable
            data-testid="job-card"
            onDragStart={(e) => {
              e.dataTransfer.setData("text/job-id", j.id);
              onDrag(j.id);
            }}
            className="cursor-grab rounded-lg border border-slate-200 bg-white p-3 text-sm shadow-sm dark:border-slate-700 dark:bg-slate-800"
          >
            <a className="block truncate font-medium hover:underline" href={href({ screen: "job", jobId: j.id })}>
              {j.title}
            </a>
            <p className="truncate text-xs text-slate-500">{j.company ?? j.vendor_name ?? ""}</p>
            <select
              aria-label={`Move ${j.title}`}
              data-testid="card-move"
              className="mt-2 w-full rounded border border-slate-200 bg-transparent text-xs dark:border-slate-600"
              value={j.status}
              onChange={(e) => onMove(j.id, e.target.value as JobStatus)}
            >
              {STATUSES.map((t) => (
                <option key={t} value={t}>
                  {t === j.status ? STATUS_LABEL[t] : `Move to ${STATUS_LABEL[t]}`}
                </option>
              ))}
            </select>
          </div>
        ))}
      </div>
    </div>
  );
}

function Stats() {
  const stats = useQuery({ queryKey: ["jobs", "stats"], queryFn: api.jobStats });
  const vendors = useQuery({ queryKey: ["jobs", "vendors"], queryFn: api.vendors });
  if (stats.isPending || vendors.isPending) return <Spinner />;
  if (stats.isError) return <ErrorView error={stats.error} />;
  const weeks = stats.data.applications_per_week.slice(-12);
  return (
    <div className="grid grid-cols-1 gap-5 lg:grid-cols-2">
      <Card title="Applications per week">
        {weeks.length === 0 ? (
          <p className="text-sm text-slate-500">No applications sent yet.</p>
        ) : (
          <div className="h-48">
            <ResponsiveContainer width="100%" height="100%">
              <BarChart data={weeks}>
                <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#94a3b833" />
                <XAxis dataKey="week" tick={{ fontSize: 10 }} />
                <YAxis allowDecimals={false} width={30} tick={{ fontSize: 11 }} />
                <Tooltip />
                <Bar dataKey="count" fill="#6366f1" isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </div>
        )}
        <p className="mt-2 text-sm text-slate-500">
          Response rate {(stats.data.response_rate * 100).toFixed(0)}% ({stats.data.responded} of {stats.data.applied} applications)
        </p>
      </Card>
      <Card title="Vendors">
        {(vendors.data ?? []).length === 0 ? (
          <p className="text-sm text-slate-500">Jobs that came through an agency list it here.</p>
        ) : (
          <table className="w-full text-sm">
            <thead>
              <tr className="text-left text-xs uppercase text-slate-500">
                <th className="py-1">Vendor</th>
                <th>Jobs</th>
                <th>Contacts</th>
                <th>Last activity</th>
              </tr>
            </thead>
            <tbody>
              {vendors.data!.map((v) => (
                <tr key={v.name} className="border-t border-slate-100 dark:border-slate-800">
                  <td className="py-1 font-medium">{v.name}</td>
                  <td>{v.jobs}</td>
                  <td className="truncate text-slate-500">{v.contacts.join(", ") || "—"}</td>
                  <td className="text-slate-500">{formatDate(v.last_activity)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </div>
  );
}

export function Jobs({ view }: { view: "table" | "board" }) {
  const toast = useToast();
  const { refresh } = useJobMutations();
  const [filterInput, setFilter] = useState<JobFilter>({ status: [], vendor: null, company: null, text: null, date_field: "updatedAt", from: null, to: null });
  // The text filter needs a letter or digit; until then, it does not filter.
  const deferred = useDeferredValue(filterInput);
  const filter = useMemo(() => ({ ...deferred, text: deferred.text && /[\p{L}\p{N}]/u.test(deferred.text) ? deferred.text : null }), [deferred]);
  const [sort, setSort] = useState<JobSort>({ field: "updatedAt", order: "desc" });
  const [adding, setAdding] = useState(false);
  const [tab, setTab] = useState<"list" | "stats">("list");
  const vendors = useQuery({ queryKey: ["jobs", "vendors"], queryFn: api.vendors });

  const csv = async (kind: "import" | "export" | "ics") => {
    try {
      if (kind === "import") {
        const path = await open({ filters: [{ name: "CSV", extensions: ["csv"] }] });
        if (typeof path === "string") toast.show((await api.jobsImportCsv(path)).message, { tone: "success" });
        refresh();
      } else if (kind === "export") {
        const path = await save({ defaultPath: "jobs.csv" });
        if (path) toast.show((await api.jobsExportCsv(path)).message, { tone: "success" });
      } else {
        const path = await save({ defaultPath: "qoder-interviews.ics" });
        if (path) toast.show((await api.calendarExport(path, 30)).message, { tone: "success" });
      }
    } catch (e) {
      toast.show((e as Error).message, { tone: "error" });
    }
  };

  return (
    <div data-testid="jobs-screen">
      <PageHeader
        title="Job tracker"
        subtitle="Every application, its status, vendor, rate, interviews and reminders."
        actions={
          <>
            <Button variant="secondary" onClick={() => void csv("import")}>Import CSV</Button>
            <Button variant="secondary" onClick={() => void csv("export")}>Export CSV</Button>
            <Button variant="secondary" onClick={() => void csv("ics")}>Calendar (.ics)</Button>
            <Button data-testid="add-job" onClick={() => setAdding(true)}>Add job</Button>
          </>
        }
      />
      <div className="mb-4 flex gap-2" role="tablist">
        <Button role="tab" aria-selected={tab === "list" && view === "table"} variant={tab === "list" && view === "table" ? "primary" : "secondary"} onClick={() => { setTab("list"); navigate({ screen: "jobs", view: "table" }); }}>
          Table
        </Button>
        <Button role="tab" data-testid="view-board" aria-selected={tab === "list" && view === "board"} variant={tab === "list" && view === "board" ? "primary" : "secondary"} onClick={() => { setTab("list"); navigate({ screen: "jobs", view: "board" }); }}>
          Board
        </Button>
        <Button role="tab" aria-selected={tab === "stats"} variant={tab === "stats" ? "primary" : "secondary"} onClick={() => setTab("stats")}>
          Stats and vendors
        </Button>
      </div>
      {tab === "stats" ? (
        <Stats />
      ) : (
        <>
          <Filters filter={filterInput} setFilter={setFilter} vendors={(vendors.data ?? []).map((v) => v.name)} />
          {view === "table" ? <Table filter={filter} sort={sort} setSort={setSort} /> : <Board filter={filter} />}
        </>
      )}
      {adding && (
        <Modal title="Add a job" onClose={() => setAdding(false)}>
          <JobForm
            initial={emptyForm()}
            submitLabel="Add job"
            onCancel={() => setAdding(false)}
            onSubmit={async (f) => {
              const j = await api.jobAdd(f);
              setAdding(false);
              refresh();
              toast.show(`Added “${j.title}”.`, { tone: "success" });
            }}
          />
        </Modal>
      )}
    </div>
  );
}
