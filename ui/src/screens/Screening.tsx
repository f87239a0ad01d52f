// Screening: many resumes (a folder, a zip or files) ranked against one job description, for
// recruiters. The ranking, knock-outs, statuses and exports are qoder-core's bulk use case
// (the same as `qoder bulk`); this screen starts runs, follows their progress and filters,
// sorts and compares the ranked candidates locally (lib/screening.ts).
import { useDeferredValue, useMemo, useRef, useState, useSyncExternalStore, type ReactNode } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useVirtualizer } from "@tanstack/react-virtual";
import { open, save } from "@tauri-apps/plugin-dialog";
import { ApiError, api } from "../api";
import type { BatchView } from "../bindings/BatchView";
import type { BulkBatch } from "../bindings/BulkBatch";
import type { BulkCandidate } from "../bindings/BulkCandidate";
import type { BulkEvent } from "../bindings/BulkEvent";
import type { BulkExportFormat } from "../bindings/BulkExportFormat";
import type { BulkRunReport } from "../bindings/BulkRunReport";
import type { BulkStage } from "../bindings/BulkStage";
import type { IdentityView } from "../bindings/IdentityView";
import type { Knockout } from "../bindings/Knockout";
import type { RecruiterStatus } from "../bindings/RecruiterStatus";
import { Badge, Button, Card, EmptyState, ErrorView, Field, Modal, PageHeader, Spinner, inputClass, nextStep } from "../components/ui";
import { on } from "../lib/events";
import { formatDateTime, newId } from "../lib/format";
import { navigate } from "../lib/router";
import {
  DEFAULT_SORT,
  NO_FILTER,
  RECRUITER_LABEL,
  RECRUITER_STATUSES,
  displayName,
  indexCandidates,
  knockoutLabel,
  screen,
  skillTerms,
  type ScreeningFilter,
  type Sort,
  type SortKey,
} from "../lib/screening";
import { useToast } from "../lib/toast";

const ROW_HEIGHT = 52;
const MAX_COMPARE = 4;

const STAGE_LABEL: Record<BulkStage, string> = {
  collecting: "Finding and hashing the files",
  parsing: "Reading the resumes",
  scoring: "Scoring every candidate",
  semantic: "Re-scoring the best with the language model",
  ranking: "Ranking",
};

const COMPONENT_LABEL: Record<string, string> = {
  required_skills: "Required skills",
  preferred_skills: "Preferred skills",
  title_seniority: "Title & seniority",
  experience_years: "Experience years",
  education: "Education",
  responsibility_fit: "Responsibility fit",
};

const STATUS_COLOR: Record<RecruiterStatus, string> = {
  new: "bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-200",
  shortlisted: "bg-green-100 text-green-800 dark:bg-green-950 dark:text-green-200",
  rejected: "bg-rose-100 text-rose-800 dark:bg-rose-950 dark:text-rose-200",
  contacted: "bg-blue-100 text-blue-800 dark:bg-blue-950 dark:text-blue-200",
};

function scoreClass(score: number | null): string {
  if (score === null) return "bg-slate-100 text-slate-500 dark:bg-slate-800";
  if (score >= 80) return "bg-green-100 text-green-800 dark:bg-green-950 dark:text-green-200";
  if (score >= 60) return "bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-200";
  return "bg-rose-100 text-rose-800 dark:bg-rose-950 dark:text-rose-200";
}

function years(y: number | null): string {
  return y === null ? "—" : `${Math.round(y * 10) / 10} y`;
}

function fileName(path: string): string {
  const inner = path.split("!/").pop() ?? path;
  return inner.split(/[\\/]/).pop() ?? inner;
}

function sourceLabel(b: BulkBatch): string {
  switch (b.source.kind) {
    case "folder":
      return `Folder ${b.source.path}`;
    case "zip":
      return `Zip ${fileName(b.source.path)}`;
    case "files":
      return `${b.source.paths.length} file(s)`;
  }
}

// ---- running a batch ----------------------------------------------------------------------

type RunState = {
  runId: string;
  stage: BulkStage | null;
  total: number;
  toParse: number;
  done: number;
  failed: number;
  alreadyDone: number;
  resumed: boolean;
  lastFile: string | null;
  cancelling: boolean;
};

function newRun(runId: string): RunState {
  return { runId, stage: null, total: 0, toParse: 0, done: 0, failed: 0, alreadyDone: 0, resumed: false, lastFile: null, cancelling: false };
}

function applyEvent(r: RunState, e: BulkEvent): RunState {
  switch (e.event) {
    case "started":
      return { ...r, total: e.total, toParse: e.to_parse, alreadyDone: e.already_done, resumed: e.resumed };
    case "stage":
      return { ...r, stage: e.stage };
    case "file_finished":
      return { ...r, done: e.done, toParse: e.to_parse, failed: r.failed + (e.ok ? 0 : 1), lastFile: e.file };
    default:
      return r;
  }
}

// The run in progress lives outside the screen, so leaving Screening and coming back shows it
// again (and does not offer to start a second one).
let active: RunState | null = null;
const subscribers = new Set<() => void>();
function setActive(next: RunState | null) {
  active = next;
  subscribers.forEach((f) => f());
}
function subscribe(f: () => void) {
  subscribers.add(f);
  return () => {
    subscribers.delete(f);
  };
}

function RunProgress({ run, onCancel }: { run: RunState; onCancel: () => void }) {
  const pct = run.toParse > 0 ? Math.round((run.done / run.toParse) * 100) : 0;
  const parsing = run.stage === "parsing" || run.stage === null || run.stage === "collecting";
  return (
    <Card title="Screening in progress" testId="screening-progress">
      <div className="flex flex-col gap-3">
        <div className="flex items-center justify-between gap-4 text-sm">
          <span className="font-medium text-slate-800 dark:text-slate-100">{run.stage ? STAGE_LABEL[run.stage] : "Starting…"}</span>
          <span className="tabular-nums text-slate-500" data-testid="screening-progress-count">
            {run.done} of {run.toParse} read{run.failed > 0 ? ` · ${run.failed} failed` : ""}
            {run.resumed ? ` · continuing (${run.alreadyDone} read before)` : ""}
          </span>
        </div>
        <div className="h-2 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-700" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} aria-label="Files read">
          <div className={`h-full rounded-full bg-indigo-600 transition-all ${!parsing ? "animate-pulse" : ""}`} style={{ width: `${parsing ? pct : 100}%` }} />
        </div>
        <div className="flex items-center justify-between gap-4">
          <p className="truncate text-xs text-slate-500" title={run.lastFile ?? undefined}>
            {run.lastFile ? `Last read: ${fileName(run.lastFile)}` : "Files are read in an isolated process, several at a time."}
          </p>
          <Button variant="secondary" onClick={onCancel} disabled={run.cancelling} data-testid="screening-cancel">
            {run.cancelling ? "Stopping…" : "Cancel"}
          </Button>
        </div>
        <p className="text-xs text-slate-500">Cancelling keeps every file read so far: start the same screening again (or press Continue) to pick up where it stopped.</p>
      </div>
    </Card>
  );
}

/** Starts runs (new or retry) and follows them; one at a time. */
function useRunner() {
  const qc = useQueryClient();
  const toast = useToast();
  const run = useSyncExternalStore(subscribe, () => active);
  const finished = (report: BulkRunReport) => {
    setActive(null);
    qc.invalidateQueries({ queryKey: ["bulk"] });
    const what = report.cancelled
      ? `Screening stopped: ${report.parsed_now} file(s) read this time; press Continue to read the rest.`
      : `Screening done: ${report.parsed_now} file(s) read${report.already_done ? `, ${report.already_done} read before` : ""}.`;
    toast.show(what, { tone: report.cancelled ? "info" : "success" });
    if (report.notice) toast.show(report.notice, { tone: "info" });
    // Only when the user is still on this screen (a run goes on while they look elsewhere).
    if (window.location.hash.startsWith("#/screening")) navigate({ screen: "screening", batchId: report.batch_id });
  };
  const failed = (e: unknown) => {
    setActive(null);
    qc.invalidateQueries({ queryKey: ["bulk"] });
    const err = e instanceof ApiError ? e : null;
    toast.show(err ? `${err.message}${nextStep(err.code) ? ` ${nextStep(err.code)}` : ""}` : String(e), { tone: "error" });
  };
  const start = (f: (runId: string) => Promise<BulkRunReport>) => {
    if (active) return;
    const runId = newId();
    setActive(newRun(runId));
    let unlisten: (() => void) | null = null;
    // Listening first, so the run's first events are not missed.
    on("bulk-progress", (p) => {
      if (p.run_id === runId && active?.runId === runId) setActive(applyEvent(active, p.event));
    })
      .then((u) => {
        unlisten = u;
      })
      .catch(() => {})
      .then(() => f(runId))
      .then(finished, failed)
      .finally(() => unlisten?.());
  };
  const cancel = () => {
    if (!active) return;
    setActive({ ...active, cancelling: true });
    api.bulkCancel(active.runId).catch(() => {});
  };
  return { run, start, cancel };
}

// ---- a new screening ------------------------------------------------------------------------

function list(text: string): string[] {
  return text
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function NewScreening({ onStart, busy }: { onStart: (f: (runId: string) => Promise<BulkRunReport>) => void; busy: boolean }) {
  const [paths, setPaths] = useState<string[]>([]);
  const [typed, setTyped] = useState("");
  const [jd, setJd] = useState("");
  const [jobId, setJobId] = useState("");
  const [mustHave, setMustHave] = useState("");
  const [minYears, setMinYears] = useState("");
  const [certs, setCerts] = useState("");
  const [statements, setStatements] = useState("");
  const [fresh, setFresh] = useState(false);
  const toast = useToast();
  const jobs = useQuery({
    queryKey: ["jobs", "screening-jds"],
    queryFn: () => api.jobsList({ status: [], vendor: null, company: null, text: null, date_field: "updatedAt", from: null, to: null }, { field: "updatedAt", order: "desc" }, 1, 100),
  });
  const withJd = (jobs.data?.items ?? []).filter((j) => j.description?.trim());

  const pick = async (kind: "folder" | "zip" | "files") => {
    try {
      const chosen =
        kind === "folder"
          ? await open({ directory: true, title: "Folder of resumes" })
          : kind === "zip"
            ? await open({ title: "Zip of resumes", filters: [{ name: "Zip", extensions: ["zip"] }] })
            : await open({ multiple: true, title: "Resumes", filters: [{ name: "Resumes", extensions: ["pdf", "docx", "txt"] }] });
      if (chosen === null) return;
      setPaths(Array.isArray(chosen) ? chosen : [chosen]);
      setTyped("");
    } catch (e) {
      toast.show((e as Error).message ?? String(e), { tone: "error" });
    }
  };

  const inputs = typed.trim() ? typed.split("\n").map((s) => s.trim()).filter(Boolean) : paths;
  const years = minYears.trim() === "" ? null : Number(minYears);
  const yearsBad = years !== null && (!Number.isFinite(years) || years < 0 || years > 60);
  const ready = inputs.length > 0 && (jd.trim() !== "" || jobId !== "") && !yearsBad && !busy;

  const submit = () =>
    onStart((runId) =>
      api.bulkRun({
        run_id: runId,
        paths: inputs,
        jd_text: jd,
        job_id: jd.trim() ? null : jobId || null,
        criteria: { must_have: list(mustHave), min_years: years, certificates: list(certs), statements: list(statements) },
        concurrency: null,
        new_batch: fresh,
      }),
    );

  return (
    <Card title="New screening" testId="screening-new">
      <form
        className="grid grid-cols-1 gap-5 lg:grid-cols-2"
        onSubmit={(e) => {
          e.preventDefault();
          if (ready) submit();
        }}
      >
        <div className="flex flex-col gap-4">
          <div className="flex flex-col gap-2 text-sm">
            <span className="font-medium text-slate-700 dark:text-slate-200">1. Resumes</span>
            <div className="flex flex-wrap gap-2">
              <Button type="button" variant="secondary" onClick={() => pick("folder")}>
                Choose folder…
              </Button>
              <Button type="button" variant="secondary" onClick={() => pick("zip")}>
                Choose .zip…
              </Button>
              <Button type="button" variant="secondary" onClick={() => pick("files")}>
                Choose files…
              </Button>
            </div>
            {paths.length > 0 && !typed.trim() && (
              <p className="truncate text-xs text-slate-600 dark:text-slate-300" data-testid="screening-picked" title={paths.join("\n")}>
                {paths.length === 1 ? paths[0] : `${paths.length} files: ${paths.slice(0, 3).map(fileName).join(", ")}${paths.length > 3 ? "…" : ""}`}
              </p>
            )}
            <textarea
              aria-label="Resume paths"
              data-testid="screening-path"
              rows={2}
              className={`${inputClass} font-mono text-xs`}
              placeholder="…or type a folder, a .zip or file paths (one per line)"
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
            />
            <span className="text-xs text-slate-500">PDF, DOCX and TXT files are read (folders recursively); others are skipped and listed.</span>
          </div>
          <div className="flex flex-col gap-2 text-sm">
            <span className="font-medium text-slate-700 dark:text-slate-200">2. Job description</span>
            <textarea
              aria-label="Job description"
              data-testid="screening-jd"
              rows={7}
              className={inputClass}
              placeholder="Paste the job description…"
              value={jd}
              onChange={(e) => setJd(e.target.value)}
            />
            {withJd.length > 0 && (
              <select aria-label="Tracked job" className={inputClass} value={jobId} onChange={(e) => setJobId(e.target.value)} disabled={jd.trim() !== ""}>
                <option value="">…or use a tracked job's description</option>
                {withJd.map((j) => (
                  <option key={j.id} value={j.id}>
                    {j.title}
                    {j.company ? ` — ${j.company}` : ""}
                  </option>
                ))}
              </select>
            )}
          </div>
        </div>
        <div className="flex flex-col gap-4">
          <div className="flex flex-col gap-3">
            <span className="text-sm font-medium text-slate-700 dark:text-slate-200">3. Knock-out criteria (optional)</span>
            <p className="text-xs text-slate-500">
              A criterion flags a candidate for you to look at; it never rejects anyone or lowers a score. When a resume does not say, the candidate shows “insufficient data”.
            </p>
            <Field label="Must-have skills" hint="Comma-separated, e.g. Kubernetes, Go">
              <input className={inputClass} data-testid="screening-must-have" value={mustHave} onChange={(e) => setMustHave(e.target.value)} />
            </Field>
            <Field label="Minimum years of experience">
              <input className={`${inputClass} w-32`} inputMode="decimal" value={minYears} onChange={(e) => setMinYears(e.target.value)} aria-invalid={yearsBad} />
            </Field>
            {yearsBad && <p className="text-xs text-rose-600">Years must be a number from 0 to 60.</p>}
            <Field label="Certificates or licences" hint="Comma-separated, e.g. PMP, CPA">
              <input className={inputClass} value={certs} onChange={(e) => setCerts(e.target.value)} />
            </Field>
            <Field label="Statements the resume should make" hint="One per line, e.g. authorized to work in the US">
              <textarea rows={2} className={inputClass} value={statements} onChange={(e) => setStatements(e.target.value)} />
            </Field>
          </div>
          <label className="flex items-center gap-2 text-sm text-slate-600 dark:text-slate-300">
            <input type="checkbox" checked={fresh} onChange={(e) => setFresh(e.target.checked)} />
            Start over (by default, screening the same files against the same JD continues the earlier batch)
          </label>
          <div>
            <Button type="submit" disabled={!ready} data-testid="screening-start">
              Screen resumes
            </Button>
          </div>
        </div>
      </form>
    </Card>
  );
}

function PastBatches({ batches }: { batches: BulkBatch[] }) {
  if (batches.length === 0) return null;
  return (
    <Card title="Earlier screenings" testId="screening-batches">
      <ul className="divide-y divide-slate-100 dark:divide-slate-800">
        {batches.map((b) => (
          <li key={b.id}>
            <a href={`#/screening/${b.id}`} className="flex items-center gap-3 py-2 text-sm hover:bg-slate-50 dark:hover:bg-slate-800/50" data-testid="screening-batch-link">
              <span className="flex-1 truncate font-medium text-indigo-700 dark:text-indigo-300">{b.jd_title ?? "Untitled job"}</span>
              <span className="w-64 truncate text-xs text-slate-500">{sourceLabel(b)}</span>
              <span className="w-40 text-xs tabular-nums text-slate-500">
                {b.counts.done} ranked{b.counts.failed ? ` · ${b.counts.failed} failed` : ""}
              </span>
              {b.state !== "done" && <Badge className="bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-200">{b.state === "running" ? "interrupted" : "stopped"}</Badge>}
              <span className="w-36 text-right text-xs text-slate-400">{formatDateTime(new Date(b.updated_at).toISOString())}</span>
            </a>
          </li>
        ))}
      </ul>
    </Card>
  );
}

// ---- a batch ----------------------------------------------------------------------------------

function KnockoutFlags({ knockouts }: { knockouts: Knockout[] }) {
  const shown = knockouts.map(knockoutLabel).filter((k) => k.tone !== "met");
  if (knockouts.length === 0) return <span className="text-xs text-slate-400">—</span>;
  if (shown.length === 0)
    return <span className="text-xs text-green-700 dark:text-green-300">all met</span>;
  return (
    <span className="flex min-w-0 flex-wrap gap-1">
      {shown.map((k) => (
        <span
          key={k.text}
          title={k.tone === "flag" ? "Flagged for review: the resume does not show this (not a rejection)" : "The resume does not let us tell"}
          className={`truncate rounded px-1.5 py-0.5 text-xs ${
            k.tone === "flag" ? "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200" : "bg-slate-100 text-slate-600 dark:bg-slate-800 dark:text-slate-300"
          }`}
          data-testid={k.tone === "flag" ? "knockout-flag" : "knockout-unknown"}
        >
          {k.tone === "flag" ? "⚑ " : "? "}
          {k.text}
        </span>
      ))}
    </span>
  );
}

function Skills({ skills, tone, max = 3 }: { skills: string[]; tone: "matched" | "missing"; max?: number }) {
  if (skills.length === 0) return <span className="text-xs text-slate-400">—</span>;
  const cls = tone === "matched" ? "bg-green-50 text-green-800 dark:bg-green-950 dark:text-green-200" : "bg-rose-50 text-rose-800 dark:bg-rose-950 dark:text-rose-200";
  return (
    <span className="flex min-w-0 flex-wrap gap-1" title={skills.join(", ")}>
      {skills.slice(0, max).map((s) => (
        <span key={s} className={`truncate rounded px-1.5 py-0.5 text-xs ${cls}`}>
          {s}
        </span>
      ))}
      {skills.length > max && <span className="text-xs text-slate-400">+{skills.length - max}</span>}
    </span>
  );
}

const COLUMNS: { label: string; key?: SortKey; className: string }[] = [
  { label: "", className: "w-6" },
  { label: "Score", key: "score", className: "w-16" },
  { label: "Candidate", key: "name", className: "flex-[2] min-w-0" },
  { label: "Title", key: "title", className: "flex-[2] min-w-0" },
  { label: "Years", key: "years", className: "w-14" },
  { label: "Top matched", className: "flex-[2] min-w-0" },
  { label: "Top missing", className: "flex-[2] min-w-0" },
  { label: "Knock-outs", className: "flex-[2] min-w-0" },
  { label: "Status", key: "status", className: "w-32" },
];

function Filters({ filter, setFilter }: { filter: ScreeningFilter; setFilter: (f: ScreeningFilter) => void }) {
  return (
    <div className="flex flex-wrap items-end gap-2" data-testid="screening-filters">
      <input
        type="search"
        aria-label="Must-have skills filter"
        data-testid="filter-skills"
        placeholder="Must-have skills (comma-separated)"
        className={`${inputClass} w-64`}
        value={filter.skills}
        onChange={(e) => setFilter({ ...filter, skills: e.target.value })}
      />
      <input
        type="number"
        min={0}
        max={60}
        aria-label="Minimum years filter"
        placeholder="Min. years"
        className={`${inputClass} w-28`}
        value={filter.minYears ?? ""}
        onChange={(e) => setFilter({ ...filter, minYears: e.target.value === "" ? null : Number(e.target.value) })}
      />
      <input type="search" aria-label="Location filter" placeholder="Location" className={`${inputClass} w-40`} value={filter.location} onChange={(e) => setFilter({ ...filter, location: e.target.value })} />
      <select aria-label="Status filter" className={inputClass} value={filter.status} onChange={(e) => setFilter({ ...filter, status: e.target.value as ScreeningFilter["status"] })}>
        <option value="all">All statuses</option>
        {RECRUITER_STATUSES.map((s) => (
          <option key={s} value={s}>
            {RECRUITER_LABEL[s]}
          </option>
        ))}
      </select>
      <label className="flex items-center gap-1.5 pb-1.5 text-xs text-slate-600 dark:text-slate-300" title="Candidates whose resume gives no years or location stay in the list">
        <input type="checkbox" checked={filter.keepUnknown} onChange={(e) => setFilter({ ...filter, keepUnknown: e.target.checked })} />
        Keep “insufficient data”
      </label>
    </div>
  );
}

function RankedTable({
  rows,
  sort,
  setSort,
  selected,
  toggle,
  onOpen,
  onStatus,
}: {
  rows: BulkCandidate[];
  sort: Sort;
  setSort: (s: Sort) => void;
  selected: number[];
  toggle: (id: number) => void;
  onOpen: (c: BulkCandidate) => void;
  onStatus: (c: BulkCandidate, s: RecruiterStatus) => void;
}) {
  const parent = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Virtual is used as documented
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => parent.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  return (
    <div className="rounded-xl border border-slate-200 bg-white dark:border-slate-700 dark:bg-slate-900" data-testid="screening-table">
      <div role="row" className="flex items-center gap-3 border-b border-slate-200 px-4 py-2 text-xs font-semibold uppercase tracking-wide text-slate-500 dark:border-slate-700">
        {COLUMNS.map((c) => (
          <div key={c.label || "select"} role="columnheader" className={c.className}>
            {c.key ? (
              <button
                className="uppercase hover:text-slate-800 dark:hover:text-slate-200"
                onClick={() => setSort({ key: c.key!, dir: sort.key === c.key && sort.dir === "desc" ? "asc" : "desc" })}
                aria-sort={sort.key === c.key ? (sort.dir === "asc" ? "ascending" : "descending") : "none"}
              >
                {c.label} {sort.key === c.key ? (sort.dir === "asc" ? "▲" : "▼") : ""}
              </button>
            ) : (
              c.label
            )}
          </div>
        ))}
      </div>
      {rows.length === 0 ? (
        <p className="px-4 py-8 text-center text-sm text-slate-500">No candidate matches these filters.</p>
      ) : (
        <div ref={parent} className="h-[calc(100vh-360px)] min-h-72 overflow-auto" data-testid="screening-scroll">
          <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
            {virtualizer.getVirtualItems().map((it) => {
              const c = rows[it.index];
              const checked = selected.includes(c.id);
              return (
                <div
                  key={c.id}
                  role="row"
                  data-testid="screening-row"
                  data-candidate={c.id}
                  className={`absolute left-0 flex w-full items-center gap-3 border-b border-slate-100 px-4 text-sm dark:border-slate-800 ${
                    checked ? "bg-indigo-50/60 dark:bg-indigo-950/40" : "hover:bg-slate-50 dark:hover:bg-slate-800/50"
                  }`}
                  style={{ height: ROW_HEIGHT, transform: `translateY(${it.start}px)` }}
                >
                  <span className="w-6">
                    <input type="checkbox" aria-label={`Select ${displayName(c)} to compare`} checked={checked} onChange={() => toggle(c.id)} />
                  </span>
                  <span className="w-16">
                    <span className={`inline-flex w-11 justify-center rounded-md py-0.5 font-semibold tabular-nums ${scoreClass(c.score)}`} data-testid="row-score">
                      {c.score ?? "—"}
                    </span>
                  </span>
                  <button className="flex min-w-0 flex-[2] flex-col items-start text-left" onClick={() => onOpen(c)} data-testid="row-open">
                    <span className="w-full truncate font-medium text-indigo-700 hover:underline dark:text-indigo-300" data-testid="row-name">
                      {c.rank ? `${c.rank}. ` : ""}
                      {displayName(c)}
                    </span>
                    <span className="w-full truncate text-xs text-slate-400">
                      {c.name ? fileName(c.file) : c.location ?? ""}
                      {c.same_person_as ? ` · same person as #${c.same_person_as}` : ""}
                    </span>
                  </button>
                  <span className="min-w-0 flex-[2] truncate text-slate-600 dark:text-slate-300" title={c.title ?? undefined}>
                    {c.title ?? "—"}
                  </span>
                  <span className="w-14 tabular-nums text-slate-600 dark:text-slate-300">{years(c.years)}</span>
                  <span className="min-w-0 flex-[2] overflow-hidden" style={{ maxHeight: ROW_HEIGHT - 8 }}>
                    <Skills skills={c.matched_skills} tone="matched" />
                  </span>
                  <span className="min-w-0 flex-[2] overflow-hidden" style={{ maxHeight: ROW_HEIGHT - 8 }}>
                    <Skills skills={c.missing_skills} tone="missing" />
                  </span>
                  <span className="min-w-0 flex-[2] overflow-hidden" style={{ maxHeight: ROW_HEIGHT - 8 }}>
                    <KnockoutFlags knockouts={c.knockouts} />
                  </span>
                  <span className="w-32">
                    <select
                      aria-label={`Status of ${displayName(c)}`}
                      data-testid="row-status"
                      className={`w-full rounded-md border-0 px-2 py-1 text-xs font-medium ${STATUS_COLOR[c.recruiter_status]}`}
                      value={c.recruiter_status}
                      onChange={(e) => onStatus(c, e.target.value as RecruiterStatus)}
                    >
                      {RECRUITER_STATUSES.map((s) => (
                        <option key={s} value={s}>
                          {RECRUITER_LABEL[s]}
                        </option>
                      ))}
                    </select>
                  </span>
                </div>
              );
            })}
          </div>
        </div>
      )}
    </div>
  );
}

function Components({ c }: { c: BulkCandidate }) {
  return (
    <ul className="flex flex-col gap-2">
      {c.components.map((k) => (
        <li key={k.kind} className="text-sm">
          <div className="flex justify-between gap-2">
            <span className={k.applicable ? "" : "text-slate-400"}>{COMPONENT_LABEL[k.kind] ?? k.kind}</span>
            <span className="tabular-nums text-slate-500">{k.applicable ? `${Math.round(k.points * 10) / 10} / ${Math.round(k.weight * 10) / 10}` : "n/a"}</span>
          </div>
          <div className="mt-1 h-1.5 rounded-full bg-slate-200 dark:bg-slate-700">
            <div className="h-full rounded-full bg-indigo-500" style={{ width: `${k.weight > 0 ? Math.min(100, (k.points / k.weight) * 100) : 0}%` }} />
          </div>
          <p className="mt-0.5 text-xs text-slate-500">{k.evidence}</p>
        </li>
      ))}
    </ul>
  );
}

function CandidateDetail({ c, onClose, onSave, onTrack, tracking }: { c: BulkCandidate; onClose: () => void; onSave: (status: RecruiterStatus, notes: string) => void; onTrack: () => void; tracking: boolean }) {
  const [status, setStatus] = useState(c.recruiter_status);
  const [notes, setNotes] = useState(c.notes);
  return (
    <Modal title={`${c.rank ? `#${c.rank} ` : ""}${displayName(c)}`} onClose={onClose} wide>
      <div className="grid grid-cols-1 gap-6 md:grid-cols-2" data-testid="candidate-detail">
        <div className="flex flex-col gap-3 text-sm">
          <div className="flex items-center gap-3">
            <span className={`rounded-md px-2 py-1 text-2xl font-bold tabular-nums ${scoreClass(c.score)}`}>{c.score ?? "—"}</span>
            <span className="text-slate-500">
              {c.semantic ? "Scored with the language model" : "Keyword score"}
              {c.band ? ` · ${c.band.replace(/_/g, " ")}` : ""}
            </span>
          </div>
          <dl className="grid grid-cols-[8rem_1fr] gap-x-3 gap-y-1">
            <dt className="text-slate-500">Title</dt>
            <dd>{c.title ?? "—"}</dd>
            <dt className="text-slate-500">Experience</dt>
            <dd>{c.years === null ? "insufficient data" : years(c.years)}</dd>
            <dt className="text-slate-500">Location</dt>
            <dd>{c.location ?? "—"}</dd>
            {(c.email || c.phone) && (
              <>
                <dt className="text-slate-500">Contact</dt>
                <dd>{[c.email, c.phone].filter(Boolean).join(" · ")}</dd>
              </>
            )}
            <dt className="text-slate-500">Education</dt>
            <dd>{c.education.length ? c.education.map((d) => [d.degree, d.field, d.school, d.year].filter(Boolean).join(", ")).join("; ") : "—"}</dd>
            <dt className="text-slate-500">File</dt>
            <dd className="break-all text-xs">{c.file}</dd>
          </dl>
          <div>
            <p className="mb-1 font-medium">Matched skills</p>
            <Skills skills={c.matched_skills} tone="matched" max={30} />
          </div>
          <div>
            <p className="mb-1 font-medium">Missing skills</p>
            <Skills skills={c.missing_skills} tone="missing" max={30} />
          </div>
          {c.knockouts.length > 0 && (
            <div>
              <p className="mb-1 font-medium">Knock-out criteria (flags, never rejections)</p>
              <ul className="flex flex-col gap-1">
                {c.knockouts.map((k) => {
                  const l = knockoutLabel(k);
                  return (
                    <li key={k.criterion} className="text-xs">
                      <span className={l.tone === "met" ? "text-green-700 dark:text-green-300" : l.tone === "flag" ? "text-amber-700 dark:text-amber-300" : "text-slate-500"}>
                        {l.tone === "met" ? "✓" : l.tone === "flag" ? "⚑" : "?"} {l.tone === "met" ? `${l.text}: met` : l.text}
                      </span>
                      {k.evidence && <span className="text-slate-400"> — {k.evidence}</span>}
                    </li>
                  );
                })}
              </ul>
            </div>
          )}
        </div>
        <div className="flex flex-col gap-4">
          <Components c={c} />
          <Field label="Status">
            <select className={inputClass} value={status} onChange={(e) => setStatus(e.target.value as RecruiterStatus)} data-testid="detail-status">
              {RECRUITER_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {RECRUITER_LABEL[s]}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Notes">
            <textarea rows={4} className={inputClass} value={notes} onChange={(e) => setNotes(e.target.value)} data-testid="detail-notes" />
          </Field>
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={onTrack} disabled={tracking || c.score === null} data-testid="detail-track" title="Add to the job tracker: this job, with the candidate as its contact">
              Track in jobs
            </Button>
            <Button variant="secondary" onClick={onClose}>
              Close
            </Button>
            <Button onClick={() => onSave(status, notes)} data-testid="detail-save">
              Save
            </Button>
          </div>
        </div>
      </div>
    </Modal>
  );
}

function Compare({ people, onClose }: { people: BulkCandidate[]; onClose: () => void }) {
  const row = (label: string, cell: (c: BulkCandidate) => ReactNode) => (
    <tr className="border-b border-slate-100 align-top dark:border-slate-800">
      <th scope="row" className="w-36 py-2 pr-3 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
        {label}
      </th>
      {people.map((c) => (
        <td key={c.id} className="py-2 pr-3 text-sm">
          {cell(c)}
        </td>
      ))}
    </tr>
  );
  const kinds = [...new Set(people.flatMap((c) => c.components.map((k) => k.kind)))];
  return (
    <Modal title={`Compare ${people.length} candidates`} onClose={onClose} wide>
      <div className="overflow-x-auto" data-testid="screening-compare">
        <table className="w-full table-fixed">
          <thead>
            <tr>
              <th className="w-36" />
              {people.map((c) => (
                <th key={c.id} className="pb-2 pr-3 text-left text-sm font-semibold">
                  {c.rank ? `#${c.rank} ` : ""}
                  {displayName(c)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {row("Score", (c) => <span className={`rounded-md px-2 py-0.5 font-semibold tabular-nums ${scoreClass(c.score)}`}>{c.score ?? "—"}</span>)}
            {row("Title", (c) => c.title ?? "—")}
            {row("Experience", (c) => (c.years === null ? "insufficient data" : years(c.years)))}
            {row("Location", (c) => c.location ?? "—")}
            {row("Education", (c) => c.education.map((d) => [d.degree, d.field].filter(Boolean).join(" ")).join("; ") || "—")}
            {kinds.map((k) =>
              row(COMPONENT_LABEL[k] ?? k, (c) => {
                const x = c.components.find((y) => y.kind === k);
                return x && x.applicable ? `${Math.round(x.points * 10) / 10} / ${Math.round(x.weight * 10) / 10}` : "n/a";
              }),
            )}
            {row("Matched", (c) => <Skills skills={c.matched_skills} tone="matched" max={12} />)}
            {row("Missing", (c) => <Skills skills={c.missing_skills} tone="missing" max={12} />)}
            {row("Knock-outs", (c) => <KnockoutFlags knockouts={c.knockouts} />)}
            {row("Status", (c) => <Badge className={STATUS_COLOR[c.recruiter_status]}>{RECRUITER_LABEL[c.recruiter_status]}</Badge>)}
            {row("Notes", (c) => <span className="whitespace-pre-wrap text-xs">{c.notes || "—"}</span>)}
          </tbody>
        </table>
      </div>
    </Modal>
  );
}

function Failures({ view, onRetry, busy }: { view: BatchView; onRetry: () => void; busy: boolean }) {
  if (view.failed.length === 0 && view.duplicates.length === 0) return null;
  return (
    <Card
      title={`Not ranked (${view.failed.length} failed, ${view.duplicates.length} duplicates)`}
      testId="screening-failures"
      actions={
        view.failed.length > 0 && (
          <Button variant="secondary" onClick={onRetry} disabled={busy} data-testid="screening-retry">
            Retry failed files
          </Button>
        )
      }
    >
      <ul className="flex flex-col gap-2 text-sm">
        {view.failed.map((c) => (
          <li key={c.id} className="rounded-md border border-rose-200 bg-rose-50 px-3 py-2 dark:border-rose-900 dark:bg-rose-950/50" data-testid="screening-failed">
            <p className="font-medium text-rose-900 dark:text-rose-100">{fileName(c.file)}</p>
            <p className="text-xs text-rose-800 dark:text-rose-200">
              {c.error ? `${c.error.code.replace(/_/g, " ")}: ${c.error.message}` : "failed"}
              {c.error && nextStep(c.error.code) ? ` ${nextStep(c.error.code)}` : ""}
            </p>
          </li>
        ))}
        {view.duplicates.map((c) => (
          <li key={c.id} className="text-xs text-slate-500">
            {fileName(c.file)}: the same file as candidate #{c.duplicate_of} (read once)
          </li>
        ))}
      </ul>
    </Card>
  );
}

function BatchScreen({ batchId, runner }: { batchId: string; runner: ReturnType<typeof useRunner> }) {
  const qc = useQueryClient();
  const toast = useToast();
  const [identity, setIdentity] = useState<IdentityView>("full");
  const [filter, setFilter] = useState<ScreeningFilter>(NO_FILTER);
  const [sort, setSort] = useState<Sort>(DEFAULT_SORT);
  const [selected, setSelected] = useState<number[]>([]);
  const [openId, setOpenId] = useState<number | null>(null);
  const [comparing, setComparing] = useState(false);
  const key = ["bulk", "show", batchId, identity] as const;
  const q = useQuery({ queryKey: key, queryFn: () => api.bulkShow(batchId, identity) });
  const indexed = useMemo(() => indexCandidates(q.data?.candidates ?? []), [q.data]);
  const deferred = useDeferredValue(filter);
  const rows = useMemo(() => screen(indexed, deferred, sort).map((r) => r.c), [indexed, deferred, sort]);

  const setStatus = useMutation({
    mutationFn: (p: { c: BulkCandidate; status: RecruiterStatus; notes: string | null }) => api.bulkSetStatus(batchId, p.c.id, p.status, p.notes, identity),
    onSuccess: (updated) => {
      // Only the recruiter's fields change: patch both identity views in place.
      for (const id of ["full", "anonymised"] as const) {
        qc.setQueryData<BatchView>(["bulk", "show", batchId, id], (v) =>
          v ? { ...v, candidates: v.candidates.map((c) => (c.id === updated.id ? { ...c, recruiter_status: updated.recruiter_status, notes: updated.notes } : c)) } : v,
        );
      }
      qc.invalidateQueries({ queryKey: ["bulk", "list"] });
    },
    onError: (e: Error) => toast.show(e.message, { tone: "error" }),
  });

  const track = useMutation({
    mutationFn: (c: BulkCandidate) => api.bulkTrack(batchId, c.id),
    onSuccess: (job) => {
      qc.invalidateQueries({ queryKey: ["bulk", "show", batchId] });
      qc.invalidateQueries({ queryKey: ["jobs"] });
      setOpenId(null);
      toast.show(`Added to the job tracker: ${job.title}.`, { tone: "success", action: { label: "Open", onClick: () => navigate({ screen: "job", jobId: job.id }) } });
    },
    onError: (e: Error) => toast.show(e.message, { tone: "error" }),
  });

  const exportAs = async (format: BulkExportFormat) => {
    try {
      const path = await save({ defaultPath: `screening-${batchId.slice(0, 8)}.${format}`, filters: [{ name: format.toUpperCase(), extensions: [format] }] });
      if (path) toast.show((await api.bulkExport(batchId, format, identity, path)).message, { tone: "success" });
    } catch (e) {
      toast.show((e as Error).message ?? String(e), { tone: "error" });
    }
  };

  if (q.isPending) return <Spinner />;
  if (q.isError) return <ErrorView error={q.error} onRetry={() => q.refetch()} />;
  const v = q.data;
  const b = v.batch;
  const byId = new Map(v.candidates.map((c) => [c.id, c]));
  const opened = openId !== null ? byId.get(openId) : undefined;
  const compared = selected.map((id) => byId.get(id)).filter((c): c is BulkCandidate => !!c);
  const toggle = (id: number) => setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : s.length >= MAX_COMPARE ? s : [...s, id]));
  const retry = () => runner.start((runId) => api.bulkRetry(runId, batchId));
  const busy = runner.run !== null;
  const terms = skillTerms(filter.skills);

  return (
    <div className="flex flex-col gap-4" data-testid="screening-batch">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="min-w-0">
          <h2 className="truncate text-lg font-semibold text-slate-900 dark:text-white" data-testid="screening-job-title">
            {b.jd_title ?? "Untitled job"}
          </h2>
          <p className="text-xs text-slate-500" data-testid="screening-counts">
            {sourceLabel(b)} · {v.candidates.length} ranked · {b.counts.flagged} flagged · {v.candidates.filter((c) => c.recruiter_status === "shortlisted").length} shortlisted · {v.failed.length} failed · {v.duplicates.length} duplicates
            {b.criteria.must_have.length > 0 ? ` · must have: ${b.criteria.must_have.join(", ")}` : ""}
            {b.criteria.min_years !== null ? ` · at least ${b.criteria.min_years} years` : ""}
          </p>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <label
            className="mr-2 flex cursor-pointer items-center gap-2 text-sm font-medium text-slate-700 dark:text-slate-200"
            title="Hide names, contact details, file names, school names and degree years to reduce bias"
            data-testid="screening-anonymised"
            data-on={identity === "anonymised"}
          >
            <input
              type="checkbox"
              role="switch"
              className="peer sr-only"
              checked={identity === "anonymised"}
              onChange={(e) => setIdentity(e.target.checked ? "anonymised" : "full")}
            />
            <span className="relative h-5 w-9 rounded-full bg-slate-300 transition peer-checked:bg-indigo-600 peer-focus-visible:outline-2 peer-focus-visible:outline-indigo-500 after:absolute after:left-0.5 after:top-0.5 after:h-4 after:w-4 after:rounded-full after:bg-white after:transition peer-checked:after:translate-x-4 dark:bg-slate-600" />
            Anonymised
          </label>
          <Button variant="secondary" disabled={compared.length < 2} onClick={() => setComparing(true)} data-testid="screening-compare-open" title="Select 2 to 4 candidates with their checkboxes">
            Compare{compared.length ? ` (${compared.length})` : ""}
          </Button>
          <Button variant="secondary" onClick={() => exportAs("csv")} data-testid="screening-export-csv">
            Export CSV
          </Button>
          <Button variant="secondary" onClick={() => exportAs("xlsx")} data-testid="screening-export-xlsx">
            Export XLSX
          </Button>
        </div>
      </div>

      {b.state !== "done" && !busy && (
        <p role="status" className="flex flex-wrap items-center justify-between gap-3 rounded-md border border-amber-300 bg-amber-50 px-4 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100" data-testid="screening-interrupted">
          <span>
            This screening {b.state === "cancelled" ? "was stopped" : "was interrupted"}: {v.queued.length} file(s) not read yet. The ranking shows the files read so far.
          </span>
          <Button onClick={retry} data-testid="screening-continue">
            Continue
          </Button>
        </p>
      )}

      <Filters filter={filter} setFilter={setFilter} />
      {terms.length > 0 && indexed.length > 0 && indexed.every((r) => r.c.matched_skills.length === 0) && (
        <p className="text-xs text-amber-700 dark:text-amber-300">This batch was ranked before skills were kept per candidate: press Retry or screen it again to filter by skill.</p>
      )}
      <RankedTable
        rows={rows}
        sort={sort}
        setSort={setSort}
        selected={selected}
        toggle={toggle}
        onOpen={(c) => setOpenId(c.id)}
        onStatus={(c, status) => setStatus.mutate({ c, status, notes: null })}
      />
      <p className="-mt-2 text-xs text-slate-500" data-testid="screening-shown">
        Showing {rows.length.toLocaleString()} of {v.candidates.length.toLocaleString()} ranked candidates. Scores are 0–100 against this job; knock-out flags are for review, never a rejection.
      </p>
      <Failures view={v} onRetry={retry} busy={busy} />
      {opened && (
        <CandidateDetail
          key={opened.id}
          c={opened}
          onClose={() => setOpenId(null)}
          onSave={(status, notes) => {
            setStatus.mutate({ c: opened, status, notes }, { onSuccess: () => setOpenId(null) });
          }}
          onTrack={() => track.mutate(opened)}
          tracking={track.isPending}
        />
      )}
      {comparing && compared.length >= 2 && <Compare people={compared} onClose={() => setComparing(false)} />}
    </div>
  );
}

// ---- the screen ---------------------------------------------------------------------------------

export function Screening({ batchId }: { batchId?: string }) {
  const runner = useRunner();
  const batches = useQuery({ queryKey: ["bulk", "list"], queryFn: api.bulkList });
  const busy = runner.run !== null;
  return (
    <div data-testid="screening-screen">
      <PageHeader
        title="Screening"
        subtitle="Rank a folder of resumes against one job description, on this computer. Knock-out criteria flag candidates for review; they never reject anyone."
        actions={
          batchId && (
            <Button variant="secondary" onClick={() => navigate({ screen: "screening" })} data-testid="screening-new-button" disabled={busy}>
              New screening
            </Button>
          )
        }
      />
      <div className="flex flex-col gap-5">
        {runner.run && <RunProgress run={runner.run} onCancel={runner.cancel} />}
        {batchId ? (
          <BatchScreen batchId={batchId} runner={runner} />
        ) : (
          <>
            {batches.data?.length === 0 && !busy && (
              <EmptyState
                testId="screening-empty"
                title="Screen many resumes at once"
                body="Choose a folder, a .zip or several resumes (PDF, DOCX, TXT) and paste the job description. Each file is read in an isolated process and every candidate gets a 0–100 job-fit score with its reasons. Filter, compare side by side, mark candidates shortlisted or contacted, hide names to reduce bias, and export the ranking as CSV or XLSX."
              />
            )}
            {/* Hidden, not unmounted, while a run goes: a failed run leaves the form as it was. */}
            <div hidden={busy}>
              <NewScreening onStart={runner.start} busy={busy} />
            </div>
            {batches.isError && <ErrorView error={batches.error} onRetry={() => batches.refetch()} />}
            {batches.data && <PastBatches batches={batches.data} />}
          </>
        )}
      </div>
    </div>
  );
}
