// Typed calls to the desktop's Rust commands. Types come from ./bindings (generated from the
// Rust types; never edit them by hand). Every failure is an ApiError with the core's code.
import { invoke } from "@tauri-apps/api/core";
import type { AiPointsOutcome } from "./bindings/AiPointsOutcome";
import type { AiStatus } from "./bindings/AiStatus";
import type { AppInfo } from "./bindings/AppInfo";
import type { CleanupReport } from "./bindings/CleanupReport";
import type { Dashboard } from "./bindings/Dashboard";
import type { ErrorCode } from "./bindings/ErrorCode";
import type { FileReport } from "./bindings/FileReport";
import type { GeneratedPoint } from "./bindings/GeneratedPoint";
import type { ImportResult } from "./bindings/ImportResult";
import type { Interview } from "./bindings/Interview";
import type { JobApplication } from "./bindings/JobApplication";
import type { JobDetail } from "./bindings/JobDetail";
import type { JobFilter } from "./bindings/JobFilter";
import type { JobForm } from "./bindings/JobForm";
import type { JobSort } from "./bindings/JobSort";
import type { JobStats } from "./bindings/JobStats";
import type { JobStatus } from "./bindings/JobStatus";
import type { MatchOutcome } from "./bindings/MatchOutcome";
import type { MatchRecord } from "./bindings/MatchRecord";
import type { NewInterview } from "./bindings/NewInterview";
import type { NewReminder } from "./bindings/NewReminder";
import type { Page } from "./bindings/Page";
import type { Reminder } from "./bindings/Reminder";
import type { ResumeFamily } from "./bindings/ResumeFamily";
import type { ResumeVersion } from "./bindings/ResumeVersion";
import type { SearchResult } from "./bindings/SearchResult";
import type { Settings } from "./bindings/Settings";
import type { SyncConflict } from "./bindings/SyncConflict";
import type { SyncLogin } from "./bindings/SyncLogin";
import type { SyncPasswordChange } from "./bindings/SyncPasswordChange";
import type { SyncReport } from "./bindings/SyncReport";
import type { SyncStatus } from "./bindings/SyncStatus";
import type { VendorSummary } from "./bindings/VendorSummary";
import type { VersionDetail } from "./bindings/VersionDetail";
import type { VersionDiff } from "./bindings/VersionDiff";

export class ApiError extends Error {
  readonly code: ErrorCode | "ipc";
  constructor(code: ErrorCode | "ipc", message: string) {
    super(message);
    this.code = code;
  }
}

export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  if (e && typeof e === "object" && "code" in e && "message" in e) {
    const b = e as { code: ErrorCode; message: string };
    return new ApiError(b.code, b.message);
  }
  return new ApiError("ipc", typeof e === "string" ? e : String(e));
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw toApiError(e);
  }
}

/** The largest resume the app accepts (the core checks it again). */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

export const api = {
  appInfo: () => call<AppInfo>("app_info"),
  appReady: (screen: string) => call<null>("app_ready", { screen }),
  dashboard: () => call<Dashboard>("dashboard"),

  uploadBytes: (uploadId: string, fileName: string, bytes: Uint8Array, familyId?: string | null) =>
    call<ImportResult>("resume_upload_bytes", {
      upload: { upload_id: uploadId, file_name: fileName, bytes: Array.from(bytes), family_id: familyId ?? null },
    }),
  uploadPath: (uploadId: string, path: string, familyId?: string | null) =>
    call<ImportResult>("resume_upload_path", {
      upload: { upload_id: uploadId, path, family_id: familyId ?? null },
    }),
  cancelUpload: (uploadId: string) => call<boolean>("resume_cancel_upload", { uploadId }),
  families: () => call<ResumeFamily[]>("resume_families"),
  versions: (familyId?: string | null) => call<ResumeVersion[]>("resume_versions", { familyId: familyId ?? null }),
  versionDetail: (versionId: string) => call<VersionDetail>("resume_detail", { versionId }),
  versionTags: (versionId: string, add: string[], remove: string[]) =>
    call<ResumeVersion>("version_tags", { versionId, add, remove }),
  versionNote: (versionId: string, notes: string) => call<ResumeVersion>("version_note", { versionId, notes }),
  versionPin: (versionId: string, pinned: boolean) => call<ResumeVersion>("version_pin", { versionId, pinned }),
  versionCorrect: (versionId: string, field: string, value: string) =>
    call<VersionDetail>("version_correct", { versionId, field, value }),
  versionCompare: (from: string, to: string) => call<VersionDiff>("version_compare", { from, to }),
  versionExport: (versionId: string, format: "original" | "text" | "json-resume", path: string) =>
    call<FileReport>("version_export", { versionId, format, path }),
  versionCleanup: () => call<CleanupReport>("version_cleanup"),

  matchRun: (versionId: string, jdText: string, jobId?: string | null) =>
    call<MatchOutcome>("match_run", { versionId, jdText, jobId: jobId ?? null }),
  matchHistory: (versionId?: string | null) => call<MatchRecord[]>("match_history", { versionId: versionId ?? null }),

  jobsList: (filter: JobFilter, sort: JobSort, page: number, limit: number) =>
    call<Page<JobApplication>>("jobs_list", { filter, sort, page: { page, limit } }),
  jobShow: (jobId: string) => call<JobDetail>("job_show", { jobId }),
  jobAdd: (form: JobForm) => call<JobApplication>("job_add", { form }),
  jobUpdate: (jobId: string, form: JobForm) => call<JobApplication>("job_update", { jobId, form }),
  jobSetStatus: (jobId: string, status: JobStatus, note?: string | null) =>
    call<JobApplication>("job_set_status", { jobId, status, note: note ?? null }),
  jobRemove: (jobId: string) => call<null>("job_remove", { jobId }),
  vendors: () => call<VendorSummary[]>("jobs_vendors"),
  jobStats: () => call<JobStats>("jobs_stats"),
  jobsExportCsv: (path: string) => call<FileReport>("jobs_export_csv", { path }),
  jobsImportCsv: (path: string) => call<FileReport>("jobs_import_csv", { path }),

  interviewAdd: (jobId: string, form: NewInterview) => call<Interview>("interview_add", { jobId, form }),
  interviewRemove: (interviewId: string) => call<null>("interview_remove", { interviewId }),
  reminderAdd: (form: NewReminder) => call<Reminder>("reminder_add", { form }),
  reminderComplete: (reminderId: string) => call<null>("reminder_complete", { reminderId }),
  calendarExport: (path: string, days: number) => call<FileReport>("calendar_export", { path, days }),

  settings: () => call<Settings>("settings_get"),
  setRetention: (count: number) => call<Settings>("settings_set_retention", { count }),
  setFollowUp: (days: number) => call<Settings>("settings_set_follow_up", { days }),

  aiStatus: () => call<AiStatus>("ai_status"),
  syncStatus: () => call<SyncStatus>("sync_status"),
  syncLogin: (login: SyncLogin) => call<SyncStatus>("sync_login", { login }),
  syncLogout: () => call<SyncStatus>("sync_logout"),
  syncSetEnabled: (enabled: boolean) => call<SyncStatus>("sync_set_enabled", { enabled }),
  syncNow: () => call<SyncReport>("sync_now"),
  syncConflicts: () => call<SyncConflict[]>("sync_conflicts"),
  syncRecoveryCode: (password?: string) => call<string>("sync_recovery_code", { password: password || null }),
  syncChangePassword: (change: SyncPasswordChange) => call<SyncStatus>("sync_change_password", { change }),
  aiKeySet: (provider: string, key: string) => call<null>("ai_key_set", { provider, key }),
  aiSuggestPoints: (versionId: string, jdText: string, context: string) =>
    call<AiPointsOutcome>("ai_suggest_points", { versionId, jdText, context }),
  /** The facts kept with a version ("facts to add"). */
  aiContext: (versionId: string) => call<string>("ai_context", { versionId }),
  /** Keeps `context` with the version and checks the bullets again (no model is asked). */
  aiCheckPoints: (versionId: string, context: string, bullets: string[]) =>
    call<GeneratedPoint[]>("ai_check_points", { versionId, context, bullets }),

  search: (text: string) => call<SearchResult[]>("data_search", { text }),
  exportAll: (path: string) => call<FileReport>("data_export", { path }),
};
