import { fireEvent, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { BatchView } from "../bindings/BatchView";
import type { BulkCandidate } from "../bindings/BulkCandidate";
import { Screening } from "./Screening";
import { mockCommands, renderWithProviders } from "../test/render";

const noJobs = () => ({ items: [], page: 1, limit: 100, total: 0, total_exact: true });

function cand(id: number, p: Partial<BulkCandidate> = {}): BulkCandidate {
  return {
    id, rank: id, file: `/cvs/c${id}.pdf`, sha256: "", size: 1, status: "done", error: null, name: `Person ${id}`, email: null, phone: null,
    score: 90 - id, band: null, components: [], matched_skills: ["Python"], missing_skills: ["Kafka"], semantic: false, knockouts: [], flagged: false,
    duplicate_of: null, duplicates: [], same_person_as: null, recruiter_status: "new", notes: "", location: null, title: "Data Engineer", years: 4, education: [],
    ...p,
  };
}

const view: BatchView = {
  batch: {
    id: "0190b", source: { kind: "folder", path: "/cvs" }, jd_sha256: "", jd_title: "Data Engineer", criteria: { must_have: ["Kafka"], min_years: null, certificates: [], statements: [] },
    state: "done", concurrency: 2, created_at: 0, updated_at: 0, counts: { total: 3, queued: 0, done: 2, failed: 1, duplicate: 0, flagged: 2, shortlisted: 0 },
  },
  candidates: [cand(1), cand(2, { recruiter_status: "shortlisted" })],
  failed: [cand(3, { status: "failed", rank: null, score: null, file: "/cvs/scan.pdf", error: { code: "no_text_layer", message: "no text layer" } })],
  duplicates: [],
  queued: [],
};

describe("Screening", () => {
  it("explains itself when nothing was screened and starts a run from a typed folder and a pasted JD", async () => {
    const calls = mockCommands({ bulk_list: () => [], jobs_list: noJobs, bulk_run: () => new Promise(() => {}) });
    renderWithProviders(<Screening />);
    expect(await screen.findByText("Screen many resumes at once")).toBeInTheDocument();
    const start = screen.getByTestId("screening-start");
    expect(start).toBeDisabled();
    await userEvent.type(screen.getByTestId("screening-path"), "/home/r/cvs");
    fireEvent.change(screen.getByTestId("screening-jd"), { target: { value: "Data Engineer\nPython, Kafka" } });
    await userEvent.type(screen.getByTestId("screening-must-have"), "Kafka, Spark");
    await userEvent.click(start);
    await waitFor(() => expect(calls.some((c) => c.cmd === "bulk_run")).toBe(true));
    const run = calls.find((c) => c.cmd === "bulk_run")!.args.start as Record<string, unknown>;
    expect(run.paths).toEqual(["/home/r/cvs"]);
    expect(run.criteria).toEqual({ must_have: ["Kafka", "Spark"], min_years: null, certificates: [], statements: [] });
    expect(await screen.findByTestId("screening-progress")).toHaveTextContent("Starting…");
  });

  it("shows a batch with its failures and asks for the anonymised view", async () => {
    const calls = mockCommands({ bulk_list: () => [view.batch], bulk_show: (a) => (a.identity === "anonymised" ? { ...view, candidates: view.candidates.map((c) => ({ ...c, name: null, file: `candidate-${c.id}` })) } : view) });
    renderWithProviders(<Screening batchId="0190b" />);
    expect(await screen.findByTestId("screening-counts")).toHaveTextContent("2 ranked · 2 flagged · 1 shortlisted · 1 failed");
    expect(screen.getByTestId("screening-failed")).toHaveTextContent("scan.pdf");
    expect(screen.getByTestId("screening-failed")).toHaveTextContent("no text layer");
    expect(screen.getByTestId("screening-retry")).toBeInTheDocument();
    await userEvent.click(screen.getByTestId("screening-anonymised"));
    await waitFor(() => expect(calls.some((c) => c.cmd === "bulk_show" && c.args.identity === "anonymised")).toBe(true));
  });
});
