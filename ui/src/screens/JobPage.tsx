import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../api";
import type { InterviewKind } from "../bindings/InterviewKind";
import type { JobApplication } from "../bindings/JobApplication";
import type { Page } from "../bindings/Page";
import type { JobStatus } from "../bindings/JobStatus";
import { JobForm, formFromJob } from "../components/JobForm";
import { Badge, Button, Card, ErrorView, Field, Modal, PageHeader, Spinner, inputClass } from "../components/ui";
import { STATUSES, STATUS_COLOR, STATUS_LABEL, formatDate, formatDateTime } from "../lib/format";
import { href, navigate } from "../lib/router";
import { useToast } from "../lib/toast";
import { useJobMutations } from "./Jobs";
import { INTERVIEW_KINDS } from "../bindings/values";


function AddInterview({ jobId, onDone }: { jobId: string; onDone: () => void }) {
  const toast = useToast();
  const [when, setWhen] = useState("");
  const [kind, setKind] = useState<InterviewKind>("video");
  const [minutes, setMinutes] = useState(45);
  const [link, setLink] = useState("");
  const add = useMutation({
    mutationFn: () =>
      api.interviewAdd(jobId, {
        starts_at: new Date(when).toISOString(),
        duration_minutes: minutes,
        timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
        kind,
        location: null,
        link: link || null,
        interviewers: [],
        notes: null,
      }),
    onSuccess: () => {
      toast.show("Interview scheduled.", { tone: "success" });
      onDone();
    },
    onError: (e: Error) => toast.show(e.message, { tone: "error" }),
  });
  return (
    <form className="grid grid-cols-2 gap-3" onSubmit={(e) => { e.preventDefault(); add.mutate(); }}>
      <Field label="Starts at (your time)">
        <input required type="datetime-local" className={inputClass} value={when} onChange={(e) => setWhen(e.target.value)} />
      </Field>
      <Field label="Kind">
        <select className={inputClass} value={kind} onChange={(e) => setKind(e.target.value as InterviewKind)}>
          {INTERVIEW_KINDS.map((k) => (
            <option key={k}>{k}</option>
          ))}
        </select>
      </Field>
      <Field label="Minutes">
        <input type="number" min={5} max={600} className={inputClass} value={minutes} onChange={(e) => setMinutes(Number(e.target.value))} />
      </Field>
      <Field label="Link">
        <input className={inputClass} value={link} onChange={(e) => setLink(e.target.value)} placeholder="https://meet…" />
      </Field>
      <div className="col-span-2 flex justify-end">
        <Button type="submit" disabled={!when || add.isPending}>Schedule</Button>
      </div>
    </form>
  );
}

/** A reminder at a time of the user's choosing (the follow-up above moves with the job). */
function AddReminder({ jobId, onDone }: { jobId: string; onDone: () => void }) {
  const toast = useToast();
  const [when, setWhen] = useState("");
  const [message, setMessage] = useState("");
  const add = useMutation({
    mutationFn: () => api.reminderAdd({ job_id: jobId, kind: "custom", due_at: new Date(when).toISOString(), after_days: null, message: message.trim() || null }),
    onSuccess: () => {
      toast.show(`Reminder set for ${formatDateTime(new Date(when).toISOString())}.`, { tone: "success" });
      setWhen("");
      setMessage("");
      onDone();
    },
    onError: (e: Error) => toast.show(e.message, { tone: "error" }),
  });
  return (
    <form className="mt-3 grid grid-cols-[1fr_auto] items-end gap-2" data-testid="add-reminder" onSubmit={(e) => { e.preventDefault(); add.mutate(); }}>
      <Field label="Remind me at (your time)">
        <input required type="datetime-local" className={inputClass} value={when} onChange={(e) => setWhen(e.target.value)} />
      </Field>
      <span />
      <Field label="About">
        <input className={inputClass} value={message} onChange={(e) => setMessage(e.target.value)} placeholder="Send the portfolio link" />
      </Field>
      <Button type="submit" variant="secondary" disabled={!when || add.isPending}>Add reminder</Button>
    </form>
  );
}

export function JobPage({ jobId }: { jobId: string }) {
  const qc = useQueryClient();
  const toast = useToast();
  const q = useQuery({ queryKey: ["jobs", "detail", jobId], queryFn: () => api.jobShow(jobId) });
  const { setStatus, refresh } = useJobMutations();
  const [editing, setEditing] = useState(false);
  const [scheduling, setScheduling] = useState(false);
  const [hidden, setHidden] = useState(false);
  const [reminderDays, setReminderDays] = useState(7);
  const reload = () => {
    qc.invalidateQueries({ queryKey: ["jobs"] });
    qc.invalidateQueries({ queryKey: ["dashboard"] });
  };
  const remind = useMutation({
    mutationFn: () => api.reminderAdd({ job_id: jobId, kind: "follow_up", due_at: null, after_days: reminderDays, message: null }),
    onSuccess: () => { reload(); toast.show(`Follow-up reminder set for ${reminderDays} days after the last change.`, { tone: "success" }); },
    onError: (e: Error) => toast.show(e.message, { tone: "error" }),
  });

  if (hidden) {
    return <p className="text-sm text-slate-500">Deleted. <a className="text-indigo-600 underline" href={href({ screen: "jobs", view: "table" })}>Back to the tracker</a></p>;
  }
  if (q.isPending) return <Spinner />;
  if (q.isError) return <ErrorView error={q.error} onRetry={() => q.refetch()} />;
  const { job, timeline, interviews, reminders } = q.data;

  const remove = () => {
    setHidden(true);
    // Gone from every list at once; the delete itself runs when the undo window closes.
    qc.setQueriesData<Page<JobApplication>>({ queryKey: ["jobs"] }, (page) =>
      page && Array.isArray(page.items) && page.items.some((j) => j.id === job.id)
        ? { ...page, items: page.items.filter((j) => j.id !== job.id), total: Math.max(0, page.total - 1) }
        : page,
    );
    navigate({ screen: "jobs", view: "table" });
    toast.undoable(
      `Deleted “${job.title}”.`,
      async () => {
        await api.jobRemove(job.id);
        refresh();
      },
      () => {
        setHidden(false);
        qc.invalidateQueries({ queryKey: ["jobs"] });
        navigate({ screen: "job", jobId: job.id });
      },
    );
  };

  return (
    <div data-testid="job-page">
      <PageHeader
        title={job.title}
        subtitle={[job.company, job.location, job.work_mode].filter(Boolean).join(" · ") || undefined}
        actions={
          <>
            <Button variant="secondary" onClick={() => navigate({ screen: "matching", jobId: job.id })} disabled={!job.description}>
              Match my resume
            </Button>
            <Button variant="secondary" data-testid="edit-job" onClick={() => setEditing(true)}>Edit</Button>
            <Button variant="danger" data-testid="delete-job" onClick={remove}>Delete</Button>
          </>
        }
      />
      <div className="grid grid-cols-1 gap-5 lg:grid-cols-3">
        <Card title="Status" testId="job-status">
          <div className="mb-3 flex items-center gap-2">
            <Badge className={STATUS_COLOR[job.status]}>{STATUS_LABEL[job.status]}</Badge>
            <select aria-label="Change status" data-testid="status-select" className={inputClass} value={job.status} onChange={(e) => setStatus.mutate({ id: job.id, status: e.target.value as JobStatus })}>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {STATUS_LABEL[s]}
                </option>
              ))}
            </select>
          </div>
          <ol className="relative ml-2 border-l border-slate-200 dark:border-slate-700" data-testid="timeline">
            {timeline.map((t, i) => (
              <li key={i} className="mb-3 ml-4">
                <span className="absolute -left-1.5 mt-1.5 h-3 w-3 rounded-full bg-indigo-500" />
                <p className="text-sm font-medium">{t.from ? `${STATUS_LABEL[t.from]} → ${STATUS_LABEL[t.to]}` : `Created as ${STATUS_LABEL[t.to]}`}</p>
                <p className="text-xs text-slate-500">{formatDateTime(t.at)}{t.note ? ` · ${t.note}` : ""}</p>
              </li>
            ))}
          </ol>
        </Card>
        <Card title="Details" className="lg:col-span-2">
          <dl className="grid grid-cols-2 gap-x-6 gap-y-2 text-sm">
            <dt className="text-slate-500">Vendor</dt>
            <dd>{job.vendor_name ?? "—"} {job.vendor_contact && <span className="text-slate-500">({job.vendor_contact})</span>}</dd>
            <dt className="text-slate-500">Rate</dt>
            <dd>{job.rate ? `${job.rate.amount.toLocaleString()} ${job.rate.currency} per ${job.rate.period} (${job.rate.kind})` : "—"}</dd>
            <dt className="text-slate-500">Applied</dt>
            <dd>{formatDate(job.applied_at)}</dd>
            <dt className="text-slate-500">Resume sent</dt>
            <dd>{job.resume_version_id ? <a className="text-indigo-600 hover:underline" href={href({ screen: "analysis", versionId: job.resume_version_id })}>View version</a> : "—"}</dd>
            <dt className="text-slate-500">Posting</dt>
            <dd className="truncate">{job.source_url ?? "—"}</dd>
          </dl>
          {job.notes && <p className="mt-3 whitespace-pre-wrap text-sm">{job.notes}</p>}
          {job.description && (
            <details className="mt-3 text-sm">
              <summary className="cursor-pointer text-slate-500">Job description</summary>
              <p className="mt-2 whitespace-pre-wrap">{job.description}</p>
            </details>
          )}
        </Card>
        <Card title="Interviews" className="lg:col-span-2" actions={<Button variant="secondary" onClick={() => setScheduling(true)}>Schedule</Button>}>
          {interviews.length === 0 ? (
            <p className="text-sm text-slate-500">No interviews scheduled.</p>
          ) : (
            <ul className="text-sm">
              {interviews.map((i) => (
                <li key={i.id} className="flex items-center justify-between border-b border-slate-100 py-2 last:border-0 dark:border-slate-800">
                  <span>
                    <span className="font-medium">{formatDateTime(i.starts_at)}</span> · {i.kind} · {i.duration_minutes} min {i.link && <span className="text-slate-500">· {i.link}</span>}
                  </span>
                  <Button variant="ghost" className="text-xs" onClick={() => api.interviewRemove(i.id).then(reload)}>Remove</Button>
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card title="Reminders">
          <ul className="mb-3 text-sm">
            {reminders.filter((r) => !r.done).map((r) => (
              <li key={r.id} className="flex items-center justify-between py-1">
                <span>{r.message} <span className="text-xs text-slate-500">· {formatDate(r.due_at)}</span></span>
                <Button variant="ghost" className="text-xs" onClick={() => api.reminderComplete(r.id).then(reload)}>Done</Button>
              </li>
            ))}
            {reminders.filter((r) => !r.done).length === 0 && <li className="text-slate-500">No open reminders.</li>}
          </ul>
          <div className="flex items-end gap-2">
            <Field label="Follow up after (days)">
              <input type="number" min={1} max={365} className={`${inputClass} w-24`} value={reminderDays} onChange={(e) => setReminderDays(Number(e.target.value))} />
            </Field>
            <Button variant="secondary" onClick={() => remind.mutate()}>Remind me</Button>
          </div>
          <AddReminder jobId={jobId} onDone={reload} />
        </Card>
      </div>
      {editing && (
        <Modal title="Edit job" onClose={() => setEditing(false)}>
          <JobForm
            initial={formFromJob(job)}
            submitLabel="Save changes"
            onCancel={() => setEditing(false)}
            onSubmit={async (f) => {
              await api.jobUpdate(job.id, f);
              setEditing(false);
              reload();
              toast.show("Saved.", { tone: "success" });
            }}
          />
        </Modal>
      )}
      {scheduling && (
        <Modal title="Schedule an interview" onClose={() => setScheduling(false)}>
          <AddInterview jobId={job.id} onDone={() => { setScheduling(false); reload(); }} />
        </Modal>
      )}
    </div>
  );
}
