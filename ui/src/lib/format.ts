import type { JobStatus } from "../bindings/JobStatus";
import { JOB_STATUSES } from "../bindings/values";

export const STATUSES: readonly JobStatus[] = JOB_STATUSES;

export const STATUS_LABEL: Record<JobStatus, string> = {
  saved: "Saved",
  applied: "Applied",
  screening: "Screening",
  interviewing: "Interview",
  offer: "Offer",
  accepted: "Accepted",
  rejected: "Rejected",
  withdrawn: "Withdrawn",
  ghosted: "Ghosted",
};

export const STATUS_COLOR: Record<JobStatus, string> = {
  saved: "bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-200",
  applied: "bg-blue-100 text-blue-800 dark:bg-blue-950 dark:text-blue-200",
  screening: "bg-cyan-100 text-cyan-800 dark:bg-cyan-950 dark:text-cyan-200",
  interviewing: "bg-violet-100 text-violet-800 dark:bg-violet-950 dark:text-violet-200",
  offer: "bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-200",
  accepted: "bg-green-100 text-green-800 dark:bg-green-950 dark:text-green-200",
  rejected: "bg-rose-100 text-rose-800 dark:bg-rose-950 dark:text-rose-200",
  withdrawn: "bg-zinc-200 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300",
  ghosted: "bg-stone-200 text-stone-700 dark:bg-stone-800 dark:text-stone-300",
};

export const STATUS_HEX: Record<JobStatus, string> = {
  saved: "#94a3b8",
  applied: "#3b82f6",
  screening: "#06b6d4",
  interviewing: "#8b5cf6",
  offer: "#f59e0b",
  accepted: "#22c55e",
  rejected: "#f43f5e",
  withdrawn: "#71717a",
  ghosted: "#a8a29e",
};

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return "—";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "—";
  return d.toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" });
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "—";
  return d.toLocaleString(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
}

export function formatBytes(n: number | bigint): string {
  const v = Number(n);
  if (v < 1024) return `${v} B`;
  if (v < 1024 * 1024) return `${(v / 1024).toFixed(0)} KB`;
  return `${(v / 1024 / 1024).toFixed(1)} MB`;
}

export function scoreTone(score: number): { text: string; ring: string; label: string } {
  if (score >= 80) return { text: "text-green-600 dark:text-green-400", ring: "#22c55e", label: "Strong" };
  if (score >= 60) return { text: "text-amber-600 dark:text-amber-400", ring: "#f59e0b", label: "Fair" };
  return { text: "text-rose-600 dark:text-rose-400", ring: "#f43f5e", label: "Needs work" };
}

export function newId(): string {
  return typeof crypto !== "undefined" && "randomUUID" in crypto
    ? crypto.randomUUID()
    : `${Date.now()}-${Math.random().toString(16).slice(2)}`;
}
