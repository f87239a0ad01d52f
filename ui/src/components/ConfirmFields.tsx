// The fields the parser is unsure of (confidence under 0.7), shown after an upload for the user
// to confirm or correct: the value read, the line it came from, why it is uncertain, and an edit
// box. A correction is kept with the version; every screen then reads the corrected value.
import { useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "../api";
import type { FieldConfidence } from "../bindings/FieldConfidence";
import type { ParsedResume } from "../bindings/ParsedResume";
import type { VersionDetail } from "../bindings/VersionDetail";
import { Badge, Button, Card, ErrorView, inputClass } from "./ui";

/** Fields under this are shown for confirmation (FieldConfidence::CONFIRM_BELOW in Rust). */
export const CONFIRM_BELOW = 0.7;
/** The reason of a field the user confirmed or corrected (qoder_core::correction::CONFIRMED). */
export const CONFIRMED = "confirmed by you";

const CONTACT_LABEL: Record<string, string> = { name: "Name", email: "E-mail", phone: "Phone", location: "Location" };
const PART_LABEL: Record<string, string> = { title: "Job title", employer: "Employer", dates: "Dates" };

/** "Job title · position 2 (Acme)" for `experience[1].title`; "Name" for `name`. */
export function fieldLabel(field: string, resume: ParsedResume): string {
  if (CONTACT_LABEL[field]) return CONTACT_LABEL[field];
  const m = /^experience\[(\d+)\]\.(\w+)$/.exec(field);
  if (!m) return field;
  const i = Number(m[1]);
  const e = resume.experience[i];
  const part = PART_LABEL[m[2]] ?? m[2];
  const around = m[2] === "employer" ? e?.title : (e?.employer ?? (m[2] === "dates" ? e?.title : null));
  return `${part} · position ${i + 1}${around ? ` (${around})` : ""}`;
}

function placeholder(field: string): string {
  if (field.endsWith(".dates")) return "e.g. Jan 2020 – Present";
  if (field === "email") return "name@example.com";
  return "";
}

function Row({ c, resume, versionId, onDone }: { c: FieldConfidence; resume: ParsedResume; versionId: string; onDone: (field: string, value: string) => void }) {
  const qc = useQueryClient();
  const read = c.value ?? "";
  const [value, setValue] = useState(read);
  const save = useMutation({
    mutationFn: (v: string) => api.versionCorrect(versionId, c.field, v),
    onSuccess: (detail: VersionDetail, v: string) => {
      qc.setQueryData(["versions", "detail", versionId], detail);
      // The list shows the score, the dashboard the latest resume: both may change.
      qc.invalidateQueries({ queryKey: ["versions"], predicate: (q) => q.queryKey[1] !== "detail" });
      qc.invalidateQueries({ queryKey: ["dashboard"] });
      onDone(c.field, v.trim());
    },
  });
  const label = fieldLabel(c.field, resume);
  const inputId = `confirm-${c.field.replace(/\W+/g, "-")}`;
  return (
    <li data-testid="confirm-field" data-field={c.field} className="border-b border-slate-100 py-4 first:pt-0 last:border-0 last:pb-0 dark:border-slate-800">
      <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <span className="font-medium text-slate-900 dark:text-slate-100">{label}</span>
        <span data-testid="confirm-value" className={c.value ? "text-slate-700 dark:text-slate-200" : "italic text-slate-500 dark:text-slate-400"}>
          {c.value ?? "not found"}
        </span>
        {c.reason === CONFIRMED ? (
          <Badge className="ml-auto bg-green-100 text-green-800 dark:bg-green-950 dark:text-green-200">✓ Confirmed by you</Badge>
        ) : (
          <Badge className={`ml-auto ${c.confidence < CONFIRM_BELOW ? "bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-200" : "bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-200"}`}>
            {Math.round(c.confidence * 100)}% sure
          </Badge>
        )}
      </div>
      {c.reason !== CONFIRMED && <p className="mt-1 text-sm text-slate-600 dark:text-slate-300">{c.reason.charAt(0).toUpperCase() + c.reason.slice(1)}.</p>}
      {c.source_line && (
        <p className="mt-2 text-sm">
          <span className="text-xs font-medium uppercase tracking-wide text-slate-500 dark:text-slate-400">Read from </span>
          <q data-testid="confirm-source" className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-800 dark:bg-slate-800 dark:text-slate-200">
            {c.source_line.trim()}
          </q>
        </p>
      )}
      <form
        className="mt-3 flex flex-wrap items-center gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate(value);
        }}
      >
        <label htmlFor={inputId} className="sr-only">
          {label}
        </label>
        <input
          id={inputId}
          data-testid="confirm-input"
          className={`${inputClass} min-w-0 flex-1`}
          value={value}
          placeholder={placeholder(c.field)}
          onChange={(e) => setValue(e.target.value)}
        />
        <Button type="button" variant="secondary" data-testid="confirm-keep" disabled={save.isPending} onClick={() => save.mutate(read)} title="The value read is right">
          Confirm
        </Button>
        <Button type="submit" data-testid="confirm-save" disabled={save.isPending || value.trim() === read.trim()}>
          Save correction
        </Button>
      </form>
      {save.isError && (
        <div className="mt-2">
          <ErrorView error={save.error} />
        </div>
      )}
    </li>
  );
}

/** The confirmation list for one version's parse. */
export function ConfirmFields({ versionId, resume }: { versionId: string; resume: ParsedResume }) {
  const [done, setDone] = useState<{ field: string; value: string }[]>([]);
  const unsure = resume.confidence.filter((c) => c.confidence < CONFIRM_BELOW);
  const others = resume.confidence.filter((c) => c.confidence >= CONFIRM_BELOW);
  const confirmed = resume.confidence.filter((c) => c.reason === CONFIRMED).length;
  const onDone = (field: string, value: string) => setDone((d) => [...d.filter((x) => x.field !== field), { field, value }]);
  return (
    <Card
      title="Check what we read"
      testId="confirm-fields"
      actions={
        unsure.length > 0 ? (
          <Badge className="bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-200">{unsure.length} to check</Badge>
        ) : undefined
      }
    >
      {unsure.length === 0 ? (
        <p data-testid="confirm-empty" className="text-sm text-slate-600 dark:text-slate-300">
          <span className="mr-1 text-green-600 dark:text-green-400" aria-hidden>
            ✓
          </span>
          {confirmed > 0 ? `Nothing left to check: ${confirmed === 1 ? "1 field" : `${confirmed} fields`} confirmed by you, kept with this version.` : "Everything we read looks certain."}
        </p>
      ) : (
        <>
          <p className="mb-4 text-sm text-slate-600 dark:text-slate-300">
            We are not sure we read these right. Confirm each value, or correct it: the correction is kept with this version and used for matching, the ATS checks and exports.
          </p>
          <ul data-testid="confirm-list">
            {unsure.map((c) => (
              <Row key={c.field} c={c} resume={resume} versionId={versionId} onDone={onDone} />
            ))}
          </ul>
        </>
      )}
      {done.length > 0 && (
        <ul className="mt-4 flex flex-col gap-1 border-t border-slate-100 pt-3 text-sm dark:border-slate-800" aria-label="Confirmed">
          {done.map((d) => (
            <li key={d.field} data-testid="confirmed-field" className="text-green-700 dark:text-green-400">
              ✓ {fieldLabel(d.field, resume)}: <span className="font-medium">{d.value || "cleared"}</span> — confirmed
            </li>
          ))}
        </ul>
      )}
      {others.length > 0 && (
        <details data-testid="confirm-others" className="mt-4 border-t border-slate-100 pt-3 text-sm dark:border-slate-800">
          <summary className="cursor-pointer text-slate-600 hover:text-slate-900 dark:text-slate-300 dark:hover:text-white">Something else wrong? Correct any field we read ({others.length})</summary>
          <ul className="mt-3">
            {others.map((c) => (
              <Row key={c.field} c={c} resume={resume} versionId={versionId} onDone={onDone} />
            ))}
          </ul>
        </details>
      )}
    </Card>
  );
}
