import type { SyncStatus } from "../bindings/SyncStatus";
import type { Dashboard } from "../bindings/Dashboard";
import type { JobApplication } from "../bindings/JobApplication";
import type { ResumeVersion } from "../bindings/ResumeVersion";

export const version: ResumeVersion = {
  id: "0193a000-0000-7000-8000-000000000001",
  resume_id: "0193a000-0000-7000-8000-0000000000f1",
  seq: 2,
  file_name: "jane-doe.pdf",
  format: "pdf",
  sha256: "ab".repeat(32),
  size: 48_000,
  ats_score: 82,
  tags: ["data"],
  notes: "",
  pinned: false,
  job_ids: [],
  created_at: "2026-11-20T10:00:00Z",
};

export function job(i: number, over: Partial<JobApplication> = {}): JobApplication {
  return {
    id: `0193a000-0000-7000-8000-${String(i).padStart(12, "0")}`,
    title: `Data Engineer ${i}`,
    company: "Acme",
    vendor_name: null,
    vendor_contact: null,
    rate: null,
    location: null,
    work_mode: null,
    source_url: null,
    description: null,
    resume_version_id: null,
    notes: null,
    status: "applied",
    applied_at: null,
    created_at: "2026-11-01T10:00:00Z",
    updated_at: "2026-11-02T10:00:00Z",
    ...over,
  };
}

export const emptyDashboard: Dashboard = {
  latest: null,
  latest_name: null,
  score_trend: [],
  jobs: { total: 0, by_status: {}, applied: 0, responded: 0, response_rate: 0, avg_days_in_status: {}, applications_per_week: [] },
  upcoming_interviews: [],
  due_reminders: [],
  due_reminders_total: 0,
  recent_matches: [],
};

/** A sync status before any sign-in. */
export const signedOut: SyncStatus = { signed_in: false, server: null, email: null, device_id: null, enabled: false, last_sync_at: null, last_attempt_at: null, last_error: null, waiting: 0, pending: 0, conflicts: 0, set_aside: 0 };
