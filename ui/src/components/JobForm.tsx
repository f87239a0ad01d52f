// The job form in three steps: the job, the vendor and pay, the details. The same form adds
// and edits (an edit sends every field, so clearing one clears it).
import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { api } from "../api";
import type { JobApplication } from "../bindings/JobApplication";
import type { JobForm as JobFormData } from "../bindings/JobForm";
import type { RateKind } from "../bindings/RateKind";
import type { RatePeriod } from "../bindings/RatePeriod";
import type { WorkMode } from "../bindings/WorkMode";
import { Button, ErrorView, Field, inputClass } from "./ui";
import { STATUSES, STATUS_LABEL } from "../lib/format";
import { RATE_PERIODS, WORK_MODES } from "../bindings/values";

const WORK_MODE_LABEL: Record<WorkMode, string> = { onsite: "On-site", hybrid: "Hybrid", remote: "Remote" };

export function emptyForm(): JobFormData {
  return {
    title: "",
    company: "",
    vendor_name: "",
    vendor_contact: "",
    rate: null,
    location: "",
    work_mode: null,
    source_url: "",
    description: "",
    notes: "",
    status: "saved",
    resume_version_id: null,
    applied_at: null,
  };
}

export function formFromJob(j: JobApplication): JobFormData {
  return {
    title: j.title,
    company: j.company ?? "",
    vendor_name: j.vendor_name ?? "",
    vendor_contact: j.vendor_contact ?? "",
    rate: j.rate,
    location: j.location ?? "",
    work_mode: j.work_mode,
    source_url: j.source_url ?? "",
    description: j.description ?? "",
    notes: j.notes ?? "",
    status: j.status,
    resume_version_id: j.resume_version_id,
    applied_at: j.applied_at,
  };
}

const STEPS = ["The job", "Vendor and pay", "Details"];

export function JobForm({ initial, onSubmit, onCancel, submitLabel }: { initial: JobFormData; onSubmit: (f: JobFormData) => Promise<unknown>; onCancel: () => void; submitLabel: string }) {
  const [f, setF] = useState<JobFormData>(initial);
  const [step, setStep] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const versions = useQuery({ queryKey: ["versions", "all"], queryFn: () => api.versions(null) });
  const set = <K extends keyof JobFormData>(k: K, v: JobFormData[K]) => setF((x) => ({ ...x, [k]: v }));
  const titleMissing = f.title.trim().length === 0;

  const submit = async () => {
    if (titleMissing) {
      setStep(0);
      setError(new Error("Give the job a title."));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onSubmit(f);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      data-testid="job-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (step < STEPS.length - 1) setStep(step + 1);
        else void submit();
      }}
    >
      <ol className="mb-5 flex gap-2 text-xs">
        {STEPS.map((s, i) => (
          <li key={s}>
            <button type="button" onClick={() => setStep(i)} className={`rounded-full px-3 py-1 ${i === step ? "bg-indigo-600 text-white" : "bg-slate-100 text-slate-600 dark:bg-slate-800 dark:text-slate-300"}`}>
              {i + 1}. {s}
            </button>
          </li>
        ))}
      </ol>
      {step === 0 && (
        <div className="grid grid-cols-2 gap-4">
          <div className="col-span-2">
            <Field label="Job title *">
              <input autoFocus data-testid="job-title" className={inputClass} value={f.title} onChange={(e) => set("title", e.target.value)} placeholder="Senior Data Engineer" />
            </Field>
          </div>
          <Field label="Company">
            <input data-testid="job-company" className={inputClass} value={f.company} onChange={(e) => set("company", e.target.value)} />
          </Field>
          <Field label="Status">
            <select className={inputClass} value={f.status ?? "saved"} onChange={(e) => set("status", e.target.value as JobFormData["status"])}>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {STATUS_LABEL[s]}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Location">
            <input className={inputClass} value={f.location} onChange={(e) => set("location", e.target.value)} />
          </Field>
          <Field label="Work mode">
            <select className={inputClass} value={f.work_mode ?? ""} onChange={(e) => set("work_mode", (e.target.value || null) as WorkMode | null)}>
              <option value="">Not stated</option>
              {WORK_MODES.map((m) => (
                <option key={m} value={m}>
                  {WORK_MODE_LABEL[m]}
                </option>
              ))}
            </select>
          </Field>
          <div className="col-span-2">
            <Field label="Posting URL">
              <input className={inputClass} value={f.source_url} onChange={(e) => set("source_url", e.target.value)} placeholder="https://…" />
            </Field>
          </div>
        </div>
      )}
      {step === 1 && (
        <div className="grid grid-cols-2 gap-4">
          <Field label="Vendor / agency">
            <input className={inputClass} value={f.vendor_name} onChange={(e) => set("vendor_name", e.target.value)} />
          </Field>
          <Field label="Vendor contact">
            <input className={inputClass} value={f.vendor_contact} onChange={(e) => set("vendor_contact", e.target.value)} placeholder="Name, e-mail or phone" />
          </Field>
          <div className="col-span-2 grid grid-cols-[2fr_1fr_1fr_1fr] gap-2">
            <Field label="Rate">
              <input
                type="number"
                min={0}
                className={inputClass}
                value={f.rate?.amount ?? ""}
                placeholder="Not stated"
                onChange={(e) => {
                  const v = e.target.value;
                  set("rate", v === "" ? null : { amount: Number(v), currency: f.rate?.currency ?? "USD", period: f.rate?.period ?? "hour", kind: f.rate?.kind ?? "pay" });
                }}
              />
            </Field>
            <Field label="Currency">
              <input className={inputClass} maxLength={3} disabled={!f.rate} value={f.rate?.currency ?? "USD"} onChange={(e) => f.rate && set("rate", { ...f.rate, currency: e.target.value.toUpperCase() })} />
            </Field>
            <Field label="Per">
              <select className={inputClass} disabled={!f.rate} value={f.rate?.period ?? "hour"} onChange={(e) => f.rate && set("rate", { ...f.rate, period: e.target.value as RatePeriod })}>
                {RATE_PERIODS.map((p) => (
                  <option key={p} value={p}>
                    {p}
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Kind">
              <select className={inputClass} disabled={!f.rate} value={f.rate?.kind ?? "pay"} onChange={(e) => f.rate && set("rate", { ...f.rate, kind: e.target.value as RateKind })}>
                <option value="pay">pay</option>
                <option value="bill">bill</option>
              </select>
            </Field>
          </div>
        </div>
      )}
      {step === 2 && (
        <div className="grid grid-cols-2 gap-4">
          <Field label="Resume version sent">
            <select className={inputClass} value={f.resume_version_id ?? ""} onChange={(e) => set("resume_version_id", e.target.value || null)}>
              <option value="">None</option>
              {versions.data?.map((v) => (
                <option key={v.id} value={v.id}>
                  {v.file_name} v{v.seq} (ATS {v.ats_score})
                </option>
              ))}
            </select>
          </Field>
          <Field label="Applied on">
            <input
              type="date"
              className={inputClass}
              value={f.applied_at ? f.applied_at.slice(0, 10) : ""}
              onChange={(e) => set("applied_at", e.target.value ? new Date(`${e.target.value}T12:00:00Z`).toISOString() : null)}
            />
          </Field>
          <div className="col-span-2">
            <Field label="Job description" hint="Paste it to match your resume against it later.">
              <textarea className={`${inputClass} h-28`} value={f.description} onChange={(e) => set("description", e.target.value)} />
            </Field>
          </div>
          <div className="col-span-2">
            <Field label="Notes">
              <textarea className={`${inputClass} h-16`} value={f.notes} onChange={(e) => set("notes", e.target.value)} />
            </Field>
          </div>
        </div>
      )}
      {error != null && (
        <div className="mt-4">
          <ErrorView error={error} />
        </div>
      )}
      <div className="mt-6 flex justify-between">
        <Button type="button" variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
        <div className="flex gap-2">
          {step > 0 && (
            <Button type="button" variant="secondary" onClick={() => setStep(step - 1)}>
              Back
            </Button>
          )}
          {step < STEPS.length - 1 && (
            <Button type="submit" variant="secondary" data-testid="job-next">
              Next
            </Button>
          )}
          <Button type="button" data-testid="job-save" disabled={busy} onClick={() => void submit()}>
            {busy ? "Saving…" : submitLabel}
          </Button>
        </div>
      </div>
    </form>
  );
}
