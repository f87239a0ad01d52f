// Typed calls to the desktop's Rust commands. The command names, argument names and types come
// from ./bindings/commands.ts (generated from the #[tauri::command] signatures; never edit
// it); this file only gives them the screens' names and defaults. Every failure is an ApiError
// with the core's code.
import { invoke } from "@tauri-apps/api/core";
import { commands, UPLOAD_HEADERS, type Call } from "./bindings/commands";
import type { ErrorCode } from "./bindings/ErrorCode";
import type { ExportFormat } from "./bindings/ExportFormat";
import type { JobFilter } from "./bindings/JobFilter";
import type { JobSort } from "./bindings/JobSort";
import type { JobStatus } from "./bindings/JobStatus";
import type { PlanLimit } from "./bindings/PlanLimit";

export class ApiError extends Error {
  readonly code: ErrorCode | "ipc";
  /** With `limit_reached`: the plan's limit (what the upgrade prompt shows). */
  readonly limit?: PlanLimit;
  constructor(code: ErrorCode | "ipc", message: string, limit?: PlanLimit) {
    super(message);
    this.code = code;
    this.limit = limit;
  }
}

export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  if (e && typeof e === "object" && "code" in e && "message" in e) {
    const b = e as { code: ErrorCode; message: string; limit?: PlanLimit };
    return new ApiError(b.code, b.message, b.limit);
  }
  return new ApiError("ipc", typeof e === "string" ? e : String(e));
}

const call: Call = async <T>(cmd: string, args?: Record<string, unknown> | Uint8Array, options?: { headers: Record<string, string> }): Promise<T> => {
  try {
    return await invoke<T>(cmd, args, options);
  } catch (e) {
    throw toApiError(e);
  }
};

/** Every command, named and typed as the Rust side declares it (generated). */
const c = commands(call);

/** The largest resume the app accepts unless QODER_MAX_UPLOAD_BYTES says otherwise (the core
 * checks it again; AppInfo has the configured limit). */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

export const api = {
  appInfo: c.appInfo,
  appReady: c.appReady,
  dashboard: c.dashboard,

  /** The file's bytes travel as the raw IPC body, not as JSON. */
  uploadBytes: (uploadId: string, fileName: string, bytes: Uint8Array, familyId?: string | null) => {
    const headers: Record<string, string> = { [UPLOAD_HEADERS.uploadId]: uploadId, [UPLOAD_HEADERS.fileName]: encodeURIComponent(fileName) };
    if (familyId) headers[UPLOAD_HEADERS.familyId] = familyId;
    return c.resumeUploadBytes(bytes, headers);
  },
  uploadPath: (uploadId: string, path: string, familyId?: string | null) =>
    c.resumeUploadPath({ upload_id: uploadId, path, family_id: familyId ?? null }),
  cancelUpload: c.resumeCancelUpload,
  families: c.resumeFamilies,
  versions: (familyId?: string | null) => c.resumeVersions(familyId ?? null),
  versionDetail: c.resumeDetail,
  versionTags: c.versionTags,
  versionNote: c.versionNote,
  versionPin: c.versionPin,
  versionCorrect: c.versionCorrect,
  versionCompare: c.versionCompare,
  versionExport: (versionId: string, format: ExportFormat, path: string) => c.versionExport(versionId, format, path),
  versionCleanup: c.versionCleanup,

  matchRun: (versionId: string, jdText: string, jobId?: string | null) => c.matchRun(versionId, jdText, jobId ?? null),
  matchHistory: (versionId?: string | null) => c.matchHistory(versionId ?? null),

  jobsList: (filter: JobFilter, sort: JobSort, page: number, limit: number) => c.jobsList(filter, sort, { page, limit }),
  jobShow: c.jobShow,
  jobAdd: c.jobAdd,
  jobUpdate: c.jobUpdate,
  jobSetStatus: (jobId: string, status: JobStatus, note?: string | null) => c.jobSetStatus(jobId, status, note ?? null),
  jobRemove: c.jobRemove,
  vendors: c.jobsVendors,
  jobStats: c.jobsStats,
  jobsExportCsv: c.jobsExportCsv,
  jobsImportCsv: c.jobsImportCsv,

  interviewAdd: c.interviewAdd,
  interviewRemove: c.interviewRemove,
  reminderAdd: c.reminderAdd,
  reminderComplete: c.reminderComplete,
  calendarExport: c.calendarExport,
  /** Google Calendar / Outlook: connect waits for the sign-in in the system browser. */
  calendarStatus: c.calendarStatus,
  calendarConnect: c.calendarConnect,
  calendarConnectCancel: c.calendarConnectCancel,
  calendarSync: c.calendarSync,
  calendarDisconnect: c.calendarDisconnect,

  /** Due reminders and interviews (the in-app list of what the notifier notified). */
  noticeList: c.noticeList,
  noticeSnooze: c.noticeSnooze,
  noticeDone: c.noticeDone,

  settings: c.settingsGet,
  setRetention: c.settingsSetRetention,
  setFollowUp: c.settingsSetFollowUp,
  setNotifications: c.settingsSetNotifications,
  setStartAtLogin: c.settingsSetStartAtLogin,

  aiStatus: c.aiStatus,
  syncStatus: c.syncStatus,
  syncLogin: c.syncLogin,
  syncLogout: c.syncLogout,
  syncSetEnabled: c.syncSetEnabled,
  syncNow: c.syncNow,
  syncConflicts: c.syncConflicts,
  syncRecoveryCode: (password?: string) => c.syncRecoveryCode(password || null),
  syncChangePassword: c.syncChangePassword,
  aiKeySet: c.aiKeySet,
  aiSuggestPoints: c.aiSuggestPoints,
  /** The facts kept with a version ("facts to add"). */
  aiContext: c.aiContext,
  /** Keeps `context` with the version and checks the bullets again (no model is asked). */
  aiCheckPoints: c.aiCheckPoints,
  aiReview: c.aiReview,
  /** "Use QoderResume AI" on (after the notice was shown: this records the consent) or off. */
  aiSetHosted: c.aiSetHosted,

  accountStatus: c.accountStatus,
  accountPlans: c.accountPlans,
  accountInvoices: c.accountInvoices,
  accountFlags: c.accountFlags,
  /** Opens Stripe Checkout in the system browser. */
  accountUpgrade: (plan: string, coupon?: string) => c.accountUpgrade(plan, coupon?.trim() || null),
  /** Opens Stripe's customer portal in the system browser. */
  accountPortal: c.accountPortal,
  /** Opens a stripe.com page (an invoice) in the system browser. */
  accountOpenPage: c.accountOpenPage,

  /** Screens resumes against a JD; resolves when the run ends (`bulk-progress` events on the way). */
  bulkRun: c.bulkRun,
  /** Reads a batch's failed and unread files again (continues an interrupted run). */
  bulkRetry: c.bulkRetry,
  bulkCancel: c.bulkCancel,
  bulkList: c.bulkList,
  bulkShow: c.bulkShow,
  bulkSetStatus: c.bulkSetStatus,
  /** A ranked candidate into the job tracker (the JD as the job, the candidate as contact). */
  bulkTrack: c.bulkTrack,
  bulkExport: c.bulkExport,

  search: c.dataSearch,
  exportAll: c.dataExport,
};
