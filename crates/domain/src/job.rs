//! The job tracker: applications, their status timeline, interviews, reminders, and the DTOs of
//! listing (filter, sort, page) and statistics.

use crate::ids::{InterviewId, JobId, ReminderId, VersionId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

crate::named_enum! {
    /// Where an application stands.
    #[derive(PartialOrd, Ord)]
    pub enum JobStatus {
        Saved = "saved",
        Applied = "applied",
        Screening = "screening",
        Interviewing = "interviewing",
        Offer = "offer",
        Accepted = "accepted",
        Rejected = "rejected",
        Withdrawn = "withdrawn",
        Ghosted = "ghosted",
    }
}

impl JobStatus {
    /// Still waiting on someone: a follow-up makes sense.
    pub fn awaits_reply(self) -> bool {
        matches!(self, JobStatus::Applied | JobStatus::Screening | JobStatus::Interviewing)
    }

    /// The employer or vendor answered (positively or not).
    pub fn is_response(self) -> bool {
        matches!(
            self,
            JobStatus::Screening
                | JobStatus::Interviewing
                | JobStatus::Offer
                | JobStatus::Accepted
                | JobStatus::Rejected
        )
    }
}

crate::named_enum! {
    /// What a rate is counted per.
    pub enum RatePeriod {
        Hour = "hour" | "hr" | "h" | "hourly",
        Day = "day" | "d" | "daily",
        Year = "year" | "yr" | "y" | "annum" | "annual" | "yearly",
    }
}

impl RatePeriod {
    /// A full-time year in this unit (2,080 hours, 260 days), to compare rates when sorting.
    pub fn per_year(self) -> f64 {
        match self {
            RatePeriod::Hour => 2080.0,
            RatePeriod::Day => 260.0,
            RatePeriod::Year => 1.0,
        }
    }
}

crate::named_enum! {
    /// Bill rate (what the agency charges the client) or pay rate (what the candidate gets).
    #[derive(Default)]
    pub enum RateKind {
        Bill = "bill",
        #[default]
        Pay = "pay",
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Rate {
    pub amount: f64,
    /// ISO 4217 code, upper case ("USD", "GBP").
    pub currency: String,
    pub period: RatePeriod,
    pub kind: RateKind,
}

impl Rate {
    /// The amount over a full-time year, for sorting rates given per hour, day or year.
    pub fn yearly(&self) -> f64 {
        self.amount * self.period.per_year()
    }
}

crate::named_enum! {
    /// Where the work happens.
    pub enum WorkMode {
        Onsite = "onsite" | "on-site" | "office",
        Hybrid = "hybrid",
        Remote = "remote",
    }
}

/// One application in the tracker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct JobApplication {
    pub id: JobId,
    pub title: String,
    pub company: Option<String>,
    /// The staffing agency, when the job came through one.
    pub vendor_name: Option<String>,
    /// The person at the vendor (name, e-mail, phone as the user wrote it).
    pub vendor_contact: Option<String>,
    pub rate: Option<Rate>,
    pub location: Option<String>,
    pub work_mode: Option<WorkMode>,
    pub source_url: Option<String>,
    pub description: Option<String>,
    /// The resume version sent with this application.
    pub resume_version_id: Option<VersionId>,
    pub notes: Option<String>,
    pub status: JobStatus,
    pub applied_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The fields of a job a user gives when adding or updating one. `None` leaves a field as it
/// is (or unset when adding); `Some("")` clears a text field.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct JobFields {
    pub title: Option<String>,
    pub company: Option<String>,
    pub vendor_name: Option<String>,
    pub vendor_contact: Option<String>,
    /// `Some(None)` clears the rate.
    pub rate: Option<Option<Rate>>,
    pub location: Option<String>,
    pub work_mode: Option<Option<WorkMode>>,
    pub source_url: Option<String>,
    pub description: Option<String>,
    pub resume_version_id: Option<Option<VersionId>>,
    pub notes: Option<String>,
    pub status: Option<JobStatus>,
    pub applied_at: Option<Option<DateTime<Utc>>>,
}

/// One entry of the status timeline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StatusChange {
    pub from: Option<JobStatus>,
    pub to: JobStatus,
    pub at: DateTime<Utc>,
    pub note: Option<String>,
}

crate::named_enum! {
    /// What kind of interview.
    pub enum InterviewKind {
        Phone = "phone",
        Video = "video",
        Onsite = "onsite",
        Technical = "technical",
        Panel = "panel",
        Other = "other",
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Interview {
    pub id: InterviewId,
    pub job_id: JobId,
    pub starts_at: DateTime<Utc>,
    pub duration_minutes: u32,
    /// The IANA time zone the user thinks in ("Europe/London"), shown next to the time.
    pub timezone: Option<String>,
    pub kind: InterviewKind,
    pub location: Option<String>,
    pub link: Option<String>,
    pub interviewers: Vec<String>,
    pub notes: Option<String>,
    pub created_at: DateTime<Utc>,
}

crate::named_enum! {
    /// What a reminder is for.
    pub enum ReminderKind {
        /// Follow up when an application has not changed for `after_days` days.
        FollowUp = "follow_up" | "follow-up" | "followup",
        Interview = "interview",
        Deadline = "deadline",
        Custom = "custom",
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Reminder {
    pub id: ReminderId,
    pub job_id: Option<JobId>,
    pub kind: ReminderKind,
    /// When it is due. For a follow-up this is the job's last change plus `after_days`.
    pub due_at: DateTime<Utc>,
    pub message: String,
    pub after_days: Option<u32>,
    pub done: bool,
    pub created_at: DateTime<Utc>,
}

/// A job with everything attached to it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct JobDetail {
    pub job: JobApplication,
    pub timeline: Vec<StatusChange>,
    pub interviews: Vec<Interview>,
    pub reminders: Vec<Reminder>,
}

crate::named_enum! {
    /// Which date a date-range filter applies to.
    #[derive(Default)]
    pub enum DateField {
        #[default]
        CreatedAt = "createdAt" | "created" | "created_at",
        UpdatedAt = "updatedAt" | "updated" | "updated_at",
        AppliedAt = "appliedAt" | "applied" | "applied_at",
    }
}

/// Which jobs to list. Empty fields do not filter.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct JobFilter {
    /// Any of these statuses.
    pub status: Vec<JobStatus>,
    /// Part of the vendor name, case-insensitive.
    pub vendor: Option<String>,
    /// The company, case-insensitive, exact.
    pub company: Option<String>,
    /// Words to find in title, company, vendor, description and notes (full-text search).
    pub text: Option<String>,
    pub date_field: DateField,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

crate::named_enum! {
    /// What a job list is sorted by.
    #[derive(Default)]
    pub enum JobSortField {
        CreatedAt = "createdAt" | "created" | "created_at",
        #[default]
        UpdatedAt = "updatedAt" | "updated" | "updated_at",
        JobTitle = "jobTitle" | "title" | "job_title",
        VendorName = "vendorName" | "vendor" | "vendor_name",
        Rate = "rate",
    }
}

crate::named_enum! {
    /// Ascending or descending.
    #[derive(Default)]
    pub enum SortOrder {
        Asc = "asc" | "ascending",
        #[default]
        Desc = "desc" | "descending",
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct JobSort {
    pub field: JobSortField,
    pub order: SortOrder,
}

/// The largest page a list returns.
pub const MAX_PAGE_LIMIT: u32 = 100;

/// A page request: `page` counts from 1; `limit` is 1..=100.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PageRequest {
    pub page: u32,
    pub limit: u32,
}

impl Default for PageRequest {
    fn default() -> Self {
        Self { page: 1, limit: 20 }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Page<T> {
    pub items: Vec<T>,
    pub page: u32,
    pub limit: u32,
    /// How many items match the filter in all; with a text filter, counting stops at
    /// [`TEXT_COUNT_CAP`] and `total_exact` is false.
    pub total: u64,
    #[serde(default = "exact")]
    pub total_exact: bool,
}

fn exact() -> bool {
    true
}

/// Where counting the matches of a text filter stops (the page itself is always exact).
pub const TEXT_COUNT_CAP: u64 = 1_000;

/// A staffing agency with the jobs that came through it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct VendorSummary {
    pub name: String,
    pub jobs: u64,
    pub by_status: BTreeMap<JobStatus, u64>,
    pub contacts: Vec<String>,
    pub job_ids: Vec<JobId>,
    pub last_activity: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct WeekCount {
    /// ISO week, e.g. "2026-W48".
    pub week: String,
    pub count: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct JobStats {
    pub total: u64,
    pub by_status: BTreeMap<JobStatus, u64>,
    /// Jobs that left `saved` (applications actually sent).
    pub applied: u64,
    /// Of those, how many got a response (screening, interview, offer, accepted or rejected).
    pub responded: u64,
    /// `responded / applied`, 0 when nothing was applied to.
    pub response_rate: f64,
    /// Mean days spent in each status, over the timeline of every job.
    pub avg_days_in_status: BTreeMap<JobStatus, f64>,
    /// Applications sent per ISO week, oldest first.
    pub applications_per_week: Vec<WeekCount>,
}

/// What a user gives to schedule an interview.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct NewInterview {
    pub starts_at: Option<DateTime<Utc>>,
    pub duration_minutes: Option<u32>,
    pub timezone: Option<String>,
    pub kind: Option<InterviewKind>,
    pub location: Option<String>,
    pub link: Option<String>,
    pub interviewers: Vec<String>,
    pub notes: Option<String>,
}

/// What a user gives to set a reminder.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct NewReminder {
    pub job_id: Option<JobId>,
    pub kind: ReminderKind,
    /// Required except for follow-ups.
    pub due_at: Option<DateTime<Utc>>,
    /// Follow-ups only: days without a change before it is due.
    pub after_days: Option<u32>,
    pub message: Option<String>,
}

crate::named_enum! {
    /// What a desktop notification is about.
    pub enum NoticeKind {
        Reminder = "reminder",
        Interview = "interview",
    }
}

/// A reminder or an interview that is due: what a desktop notification says, and a line of
/// the in-app list where it can be snoozed or marked done.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Notice {
    pub kind: NoticeKind,
    /// The reminder's or interview's id.
    pub item_id: String,
    pub job_id: Option<JobId>,
    /// "Interview in 15 min", "Follow-up due", "Deadline".
    pub title: String,
    /// The reminder's message, or the interview's job, time and place.
    pub body: String,
    /// When it is due: the reminder's time, or the interview's start.
    pub at: DateTime<Utc>,
    /// When it was to be notified (an interview: `at` minus the lead time).
    pub fire_at: DateTime<Utc>,
    /// It fell due while the app was not running (shown at the next launch).
    pub missed: bool,
    /// Already notified (still listed until snoozed or done).
    pub shown: bool,
}
