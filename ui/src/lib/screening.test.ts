import { describe, expect, it } from "vitest";
import type { BulkCandidate } from "../bindings/BulkCandidate";
import { DEFAULT_SORT, NO_FILTER, displayName, filterCandidates, indexCandidates, knockoutLabel, screen, skillTerms, sortCandidates } from "./screening";

function cand(id: number, p: Partial<BulkCandidate> = {}): BulkCandidate {
  return {
    id,
    rank: id,
    file: `/cvs/c${id}.pdf`,
    sha256: "",
    size: 1,
    status: "done",
    error: null,
    name: `Person ${id}`,
    email: null,
    phone: null,
    score: 100 - id,
    band: null,
    components: [],
    matched_skills: [],
    missing_skills: [],
    semantic: false,
    knockouts: [],
    flagged: false,
    duplicate_of: null,
    duplicates: [],
    same_person_as: null,
    recruiter_status: "new",
    notes: "",
    location: null,
    title: null,
    years: null,
    education: [],
    ...p,
  };
}

const ids = (rows: { c: BulkCandidate }[]) => rows.map((r) => r.c.id);

describe("screening filters", () => {
  const list = indexCandidates([
    cand(1, { matched_skills: ["Kubernetes", "Go"], years: 8, location: "Berlin, Germany", recruiter_status: "shortlisted" }),
    cand(2, { matched_skills: ["React Native", "TypeScript"], years: 3, location: "Lisbon" }),
    cand(3, { matched_skills: ["Python"], years: null, location: null, knockouts: [{ kind: "must_have_skill", criterion: "Kubernetes", result: "met", evidence: null }] }),
    cand(4, { matched_skills: ["Golang"], years: 12, location: "Berlin", recruiter_status: "rejected" }),
  ]);

  it("keeps everyone without a filter", () => {
    expect(ids(filterCandidates(list, NO_FILTER))).toEqual([1, 2, 3, 4]);
  });

  it("must-have skills: every term, as a whole skill or word, case-insensitive; met knock-outs count", () => {
    expect(ids(filterCandidates(list, { ...NO_FILTER, skills: "kubernetes" }))).toEqual([1, 3]);
    expect(ids(filterCandidates(list, { ...NO_FILTER, skills: "Kubernetes, go" }))).toEqual([1]);
    // "go" is not a word of "Golang"; "react" is a word of "React Native".
    expect(ids(filterCandidates(list, { ...NO_FILTER, skills: "go" }))).toEqual([1]);
    expect(ids(filterCandidates(list, { ...NO_FILTER, skills: "react" }))).toEqual([2]);
    expect(skillTerms(" a ,, b ;c ")).toEqual(["a", "b", "c"]);
  });

  it("minimum years and location keep unknowns unless asked not to", () => {
    expect(ids(filterCandidates(list, { ...NO_FILTER, minYears: 5 }))).toEqual([1, 3, 4]);
    expect(ids(filterCandidates(list, { ...NO_FILTER, minYears: 5, keepUnknown: false }))).toEqual([1, 4]);
    expect(ids(filterCandidates(list, { ...NO_FILTER, location: "berlin" }))).toEqual([1, 3, 4]);
    expect(ids(filterCandidates(list, { ...NO_FILTER, location: "berlin", keepUnknown: false }))).toEqual([1, 4]);
  });

  it("status", () => {
    expect(ids(filterCandidates(list, { ...NO_FILTER, status: "rejected" }))).toEqual([4]);
  });

  it("sorts by a key with ties and unknowns in rank order", () => {
    expect(ids(sortCandidates(list, DEFAULT_SORT))).toEqual([1, 2, 3, 4]);
    expect(ids(sortCandidates(list, { key: "score", dir: "asc" }))).toEqual([4, 3, 2, 1]);
    expect(ids(sortCandidates(list, { key: "years", dir: "desc" }))).toEqual([4, 1, 2, 3]);
    expect(ids(sortCandidates(list, { key: "years", dir: "asc" }))).toEqual([2, 1, 4, 3]);
    expect(ids(sortCandidates(list, { key: "status", dir: "asc" }))).toEqual([1, 2, 3, 4]);
    expect(ids(sortCandidates(list, { key: "name", dir: "desc" }))).toEqual([4, 3, 2, 1]);
  });

  it("names anonymised candidates by their number and flags knock-outs without rejecting", () => {
    expect(displayName(cand(7, { name: null, file: "candidate-7" }))).toBe("Candidate 7");
    expect(displayName(cand(8, { name: null, file: "/x/a.zip!/in/jane.pdf" }))).toBe("jane.pdf");
    expect(knockoutLabel({ kind: "min_years", criterion: "at least 5 years", result: "insufficient_data", evidence: null })).toEqual({ text: "at least 5 years: insufficient data", tone: "unknown" });
    expect(knockoutLabel({ kind: "certificate", criterion: "PMP", result: "not_met", evidence: null }).tone).toBe("flag");
  });

  it("filters and sorts 5,000 candidates well within a frame (timing printed, not asserted)", () => {
    const skills = ["Kubernetes", "Go", "Python", "React", "SQL", "AWS", "Terraform", "Java", "Docker", "Rust"];
    const cities = ["Berlin", "Lisbon", "Paris", "Remote", "London"];
    const big = indexCandidates(
      Array.from({ length: 5000 }, (_, i) =>
        cand(i + 1, {
          score: (i * 37) % 101,
          years: i % 7 === 0 ? null : i % 20,
          location: i % 11 === 0 ? null : cities[i % cities.length],
          matched_skills: skills.filter((_, k) => (i >> k) % 2 === 1),
          recruiter_status: i % 9 === 0 ? "shortlisted" : "new",
        }),
      ),
    );
    const filter = { ...NO_FILTER, skills: "kubernetes, python", minYears: 3, location: "berlin" };
    const expected = big.filter(({ c }) => c.matched_skills.includes("Kubernetes") && c.matched_skills.includes("Python") && (c.years === null || c.years >= 3) && (c.location === null || c.location === "Berlin"));
    // Each round trip as the table does it: a narrow filter, then everyone sorted by name (the
    // costliest sort: string comparison of 5,000 names).
    const sorts = [DEFAULT_SORT, { key: "years", dir: "desc" }, { key: "name", dir: "asc" }] as const;
    const times: number[] = [];
    for (let i = 0; i < 60; i++) {
      const t0 = performance.now();
      screen(big, i % 2 ? filter : NO_FILTER, sorts[i % 3]);
      times.push(performance.now() - t0);
    }
    const out = screen(big, filter, DEFAULT_SORT);
    times.sort((a, b) => a - b);
    const p95 = times[Math.ceil(times.length * 0.95) - 1];
    console.log(`screening filter+sort of 5,000 candidates: median ${times[times.length >> 1].toFixed(2)} ms, p95 ${p95.toFixed(2)} ms, max ${times[times.length - 1].toFixed(2)} ms (${out.length} shown by the narrow filter)`);
    expect(new Set(ids(out))).toEqual(new Set(expected.map((r) => r.c.id)));
    expect(out.length).toBeGreaterThan(0);
  });
});
