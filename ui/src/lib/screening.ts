// The Screening table's filtering and sorting, pure (no React) so it is tested on its own and
// stays fast with thousands of candidates: each candidate's lower-cased texts are computed once
// per list (`indexCandidates`), a filter pass is then string comparisons only.
import type { BulkCandidate } from "../bindings/BulkCandidate";
import type { Knockout } from "../bindings/Knockout";
import type { RecruiterStatus } from "../bindings/RecruiterStatus";

export const RECRUITER_STATUSES: RecruiterStatus[] = ["new", "shortlisted", "rejected", "contacted"];

export const RECRUITER_LABEL: Record<RecruiterStatus, string> = {
  new: "New",
  shortlisted: "Shortlisted",
  rejected: "Rejected",
  contacted: "Contacted",
};

export type ScreeningFilter = {
  /** Skills every candidate shown must have, comma-separated ("Kubernetes, Go"). */
  skills: string;
  minYears: number | null;
  /** Words of the location ("Berlin"). */
  location: string;
  status: RecruiterStatus | "all";
  /** Candidates whose years or location the resume does not give stay in the list: a
   * missing fact is "insufficient data", not a reason to drop someone. */
  keepUnknown: boolean;
};

export const NO_FILTER: ScreeningFilter = { skills: "", minYears: null, location: "", status: "all", keepUnknown: true };

export type SortKey = "score" | "name" | "title" | "years" | "status";
export type Sort = { key: SortKey; dir: "asc" | "desc" };
export const DEFAULT_SORT: Sort = { key: "score", dir: "desc" };

/** A candidate with its texts normalised once. */
export type Indexed = {
  c: BulkCandidate;
  /** Matched skills and met must-have criteria, normalised. */
  skills: string[];
  location: string;
  name: string;
  title: string;
};

export function norm(s: string): string {
  return s.toLowerCase().replace(/\s+/g, " ").trim();
}

/** What the table shows as the candidate's name: the name, else the file's name (the
 * anonymised view's files are `candidate-<id>`). */
export function displayName(c: BulkCandidate): string {
  if (c.name) return c.name;
  const inner = c.file.split("!/").pop() ?? c.file;
  const base = inner.split(/[\\/]/).pop() ?? inner;
  const m = /^candidate-(\d+)$/.exec(base);
  return m ? `Candidate ${m[1]}` : base;
}

export function indexCandidates(list: BulkCandidate[]): Indexed[] {
  return list.map((c) => ({
    c,
    skills: [
      ...c.matched_skills.map(norm),
      ...c.knockouts.filter((k) => k.kind === "must_have_skill" && k.result === "met").map((k) => norm(k.criterion)),
    ],
    location: norm(c.location ?? ""),
    name: norm(displayName(c)),
    title: norm(c.title ?? ""),
  }));
}

/** The skill terms of a filter text: comma- or semicolon-separated, normalised, non-empty. */
export function skillTerms(text: string): string[] {
  return text
    .split(/[,;]/)
    .map(norm)
    .filter((t) => t.length > 0);
}

function hasSkill(skills: string[], term: string): boolean {
  for (const s of skills) {
    if (s === term) return true;
    // A whole word or phrase of a longer skill ("react" in "react native").
    const i = s.indexOf(term);
    if (i >= 0) {
      const before = i === 0 || s[i - 1] === " ";
      const after = i + term.length === s.length || s[i + term.length] === " ";
      if (before && after) return true;
    }
  }
  return false;
}

export function filterCandidates(rows: Indexed[], f: ScreeningFilter): Indexed[] {
  const terms = skillTerms(f.skills);
  const loc = norm(f.location);
  const min = f.minYears;
  return rows.filter(({ c, skills, location }) => {
    if (f.status !== "all" && c.recruiter_status !== f.status) return false;
    for (const t of terms) if (!hasSkill(skills, t)) return false;
    if (min !== null && min > 0) {
      if (c.years === null) {
        if (!f.keepUnknown) return false;
      } else if (c.years < min) return false;
    }
    if (loc) {
      if (!location) {
        if (!f.keepUnknown) return false;
      } else if (!location.includes(loc)) return false;
    }
    return true;
  });
}

const STATUS_ORDER: Record<RecruiterStatus, number> = { shortlisted: 0, contacted: 1, new: 2, rejected: 3 };

/** Sorted copy; ties (and unknown values, always last) keep the batch's rank order. */
export function sortCandidates(rows: Indexed[], sort: Sort): Indexed[] {
  const sign = sort.dir === "asc" ? 1 : -1;
  const rank = (r: Indexed) => r.c.rank ?? Number.MAX_SAFE_INTEGER;
  const key = (r: Indexed): number | string | null => {
    switch (sort.key) {
      case "score":
        return r.c.score;
      case "name":
        return r.name;
      case "title":
        return r.title || null;
      case "years":
        return r.c.years;
      case "status":
        return STATUS_ORDER[r.c.recruiter_status];
    }
  };
  const keyed = rows.map((r) => ({ r, k: key(r), rank: rank(r) }));
  keyed.sort((a, b) => {
    if (a.k === null || b.k === null) {
      if (a.k !== b.k) return a.k === null ? 1 : -1;
    } else if (a.k !== b.k) {
      const cmp = typeof a.k === "string" ? (a.k as string).localeCompare(b.k as string) : (a.k as number) - (b.k as number);
      if (cmp !== 0) return sign * cmp;
    }
    return a.rank - b.rank;
  });
  return keyed.map((x) => x.r);
}

export function screen(rows: Indexed[], f: ScreeningFilter, sort: Sort): Indexed[] {
  return sortCandidates(filterCandidates(rows, f), sort);
}

/** A knock-out as the table shows it: a flag to look at, or missing data; never a rejection. */
export function knockoutLabel(k: Knockout): { text: string; tone: "flag" | "unknown" | "met" } {
  const what = k.criterion;
  switch (k.result) {
    case "met":
      return { text: what, tone: "met" };
    case "not_met":
      return { text: `${what}: not shown`, tone: "flag" };
    case "insufficient_data":
      return { text: `${what}: insufficient data`, tone: "unknown" };
  }
}
