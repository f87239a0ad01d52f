// Small accessible building blocks shared by the screens.
import type { ButtonHTMLAttributes, ReactNode } from "react";
import { ApiError } from "../api";
import type { ErrorCode } from "../bindings/ErrorCode";

type Variant = "primary" | "secondary" | "danger" | "ghost";
const VARIANT: Record<Variant, string> = {
  primary: "bg-indigo-600 text-white hover:bg-indigo-500 disabled:bg-indigo-300 dark:disabled:bg-indigo-900",
  secondary:
    "border border-slate-300 bg-white text-slate-800 hover:bg-slate-50 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100 dark:hover:bg-slate-700",
  danger: "bg-rose-600 text-white hover:bg-rose-500",
  ghost: "text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800",
};

export function Button({ variant = "primary", className = "", ...p }: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant }) {
  return (
    <button
      {...p}
      className={`inline-flex items-center justify-center gap-2 rounded-md px-3 py-1.5 text-sm font-medium transition focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500 disabled:cursor-not-allowed ${VARIANT[variant]} ${className}`}
    />
  );
}

export function Card({ title, actions, children, className = "", testId }: { title?: ReactNode; actions?: ReactNode; children: ReactNode; className?: string; testId?: string }) {
  return (
    <section
      data-testid={testId}
      className={`rounded-xl border border-slate-200 bg-white p-5 shadow-sm dark:border-slate-700 dark:bg-slate-900 ${className}`}
    >
      {(title || actions) && (
        <header className="mb-3 flex items-center justify-between gap-2">
          {title && <h2 className="text-sm font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">{title}</h2>}
          {actions}
        </header>
      )}
      {children}
    </section>
  );
}

export function PageHeader({ title, subtitle, actions }: { title: string; subtitle?: ReactNode; actions?: ReactNode }) {
  return (
    <div className="mb-6 flex flex-wrap items-end justify-between gap-3">
      <div>
        <h1 className="text-2xl font-semibold text-slate-900 dark:text-white">{title}</h1>
        {subtitle && <p className="mt-1 text-sm text-slate-500 dark:text-slate-400">{subtitle}</p>}
      </div>
      {actions && <div className="flex gap-2">{actions}</div>}
    </div>
  );
}

export function EmptyState({ title, body, action, testId }: { title: string; body: ReactNode; action?: ReactNode; testId?: string }) {
  return (
    <div data-testid={testId ?? "empty-state"} className="flex flex-col items-center justify-center rounded-xl border border-dashed border-slate-300 px-6 py-12 text-center dark:border-slate-700">
      <h3 className="text-base font-semibold text-slate-800 dark:text-slate-100">{title}</h3>
      <p className="mt-1 max-w-md text-sm text-slate-500 dark:text-slate-400">{body}</p>
      {action && <div className="mt-4">{action}</div>}
    </div>
  );
}

export function Spinner({ label = "Loading…" }: { label?: string }) {
  return (
    <div role="status" className="flex items-center gap-2 text-sm text-slate-500 dark:text-slate-400">
      <span className="h-4 w-4 animate-spin rounded-full border-2 border-slate-300 border-t-indigo-600" />
      {label}
    </div>
  );
}

/** The next step for each error code (keyed by the generated ErrorCode type, so a new code
 * must be given one here). `null`: the message says it all, or the step depends on the screen;
 * a screen gives its own through `hints` (AI_HINTS, SYNC_HINTS). */
const NEXT_STEP: Record<ErrorCode | "ipc", string | null> = {
  file_too_large: "Save the resume as a smaller PDF (fewer images) or as DOCX, then try again.",
  unsupported_file_type: "Use a PDF, DOCX or TXT file. Old .doc files: open in Word and save as .docx.",
  encrypted_pdf: "Remove the password (print to PDF from your viewer) and upload again.",
  no_text_layer: "This looks like a scan. Export the resume from your editor as a text PDF or DOCX.",
  corrupt_file: "The file is damaged. Export it again from the program that made it.",
  timeout: "The file took too long to read. Try exporting it again, or as DOCX.",
  resource_limit: "The file needs too much memory to read safely. Try a simpler export.",
  empty_document: "No resume text was found in the file.",
  validation: null,
  not_found: null,
  conflict: null,
  incompatible_database: "The data folder was written by a newer QoderResume. Update the app to open it.",
  upstream: "The service failed or could not be reached. Check your connection, then try again.",
  unauthorized: null,
  forbidden: null,
  payload_too_large: null,
  rate_limited: "The service asks us to slow down. Try again in a minute.",
  budget_exceeded: null,
  limit_reached: "Your plan's QoderResume AI limit is used up until it resets; upgrade under Settings → Account, or use your own provider key.",
  ipc: "The app's background process did not answer. Restart the app; details are in the log.",
  internal: "Something went wrong on our side; details are in the log file (Settings shows where).",
};

export type Hints = Partial<Record<ErrorCode, string>>;

/** The next steps of an AI provider's errors. */
export const AI_HINTS: Hints = {
  unauthorized: "The AI provider refused the key. Store a new key in Settings → AI suggestions.",
  rate_limited: "The AI provider asks us to slow down. Try again in a minute.",
  budget_exceeded: "Today's AI limit is used up (your daily spend limit, or 50 generations a day). It resets tomorrow.",
  upstream: "The AI provider failed or could not be reached. Check your connection or the local server, then try again.",
};

/** The next steps of the sync server's errors. */
export const SYNC_HINTS: Hints = {
  unauthorized: "Check the email and the password (or sign in again if this device was signed out elsewhere).",
  upstream: "The sync server could not be reached. Check the address and your connection; the app keeps trying.",
};

export function nextStep(code: ErrorCode | "ipc", hints?: Hints): string | null {
  return (code !== "ipc" ? hints?.[code] : undefined) ?? NEXT_STEP[code];
}

export function ErrorView({ error, onRetry, hints }: { error: unknown; onRetry?: () => void; hints?: Hints }) {
  const e = error instanceof ApiError ? error : null;
  const message = e ? e.message : error instanceof Error ? error.message : String(error);
  const next = e ? nextStep(e.code, hints) : null;
  return (
    <div role="alert" data-testid="error-view" className="rounded-lg border border-rose-300 bg-rose-50 p-4 text-sm text-rose-900 dark:border-rose-800 dark:bg-rose-950 dark:text-rose-100">
      <p className="font-semibold">{message}</p>
      {next && <p className="mt-1">{next}</p>}
      {onRetry && (
        <Button variant="secondary" className="mt-3" onClick={onRetry}>
          Try again
        </Button>
      )}
    </div>
  );
}

export function Badge({ children, className = "" }: { children: ReactNode; className?: string }) {
  return <span className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ${className}`}>{children}</span>;
}

export function Field({ label, children, hint }: { label: string; children: ReactNode; hint?: string }) {
  return (
    <label className="flex flex-col gap-1 text-sm">
      <span className="font-medium text-slate-700 dark:text-slate-200">{label}</span>
      {children}
      {hint && <span className="text-xs text-slate-500">{hint}</span>}
    </label>
  );
}

export const inputClass =
  "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm text-slate-900 placeholder:text-slate-400 focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500/30 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100";

export function ScoreGauge({ score, size = 140, label }: { score: number; size?: number; label?: string }) {
  const r = size / 2 - 10;
  const c = 2 * Math.PI * r;
  const pct = Math.max(0, Math.min(100, score)) / 100;
  const color = score >= 80 ? "#22c55e" : score >= 60 ? "#f59e0b" : "#f43f5e";
  return (
    <div className="relative inline-flex items-center justify-center" style={{ width: size, height: size }} role="img" aria-label={`${label ?? "Score"} ${score} out of 100`}>
      <svg width={size} height={size} className="-rotate-90">
        <circle cx={size / 2} cy={size / 2} r={r} stroke="currentColor" className="text-slate-200 dark:text-slate-700" strokeWidth={10} fill="none" />
        <circle cx={size / 2} cy={size / 2} r={r} stroke={color} strokeWidth={10} fill="none" strokeLinecap="round" strokeDasharray={`${c * pct} ${c}`} />
      </svg>
      <div className="absolute flex flex-col items-center">
        <span data-testid="score-value" className="text-3xl font-bold text-slate-900 dark:text-white">{score}</span>
        <span className="text-xs text-slate-500">/ 100</span>
      </div>
    </div>
  );
}

export function Modal({ title, onClose, children, wide }: { title: string; onClose: () => void; children: ReactNode; wide?: boolean }) {
  return (
    <div className="fixed inset-0 z-40 flex items-center justify-center bg-black/40 p-4" onKeyDown={(e) => e.key === "Escape" && onClose()}>
      <div role="dialog" aria-modal="true" aria-label={title} className={`max-h-[90vh] w-full overflow-auto rounded-xl bg-white p-6 shadow-xl dark:bg-slate-900 ${wide ? "max-w-4xl" : "max-w-xl"}`}>
        <div className="mb-4 flex items-center justify-between">
          <h2 className="text-lg font-semibold text-slate-900 dark:text-white">{title}</h2>
          <button aria-label="Close" className="text-2xl leading-none text-slate-400 hover:text-slate-600" onClick={onClose}>
            ×
          </button>
        </div>
        {children}
      </div>
    </div>
  );
}
