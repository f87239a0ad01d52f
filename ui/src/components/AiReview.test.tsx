import { fireEvent, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { AiReview } from "./AiReview";
import { mockCommands, renderWithProviders } from "../test/render";

const meta = { provider: "hosted", model: "qoder-standard", tier: "standard", cached: false, tokens_in: 1400, tokens_out: 300, cost_usd: 0.0021, latency_ms: 900, prompt_tokens: 1400, prompt_cut: [], failed: [] };

describe("AiReview", () => {
  it("shows the summary, strengths, issues with their fixes and what the guard held back", async () => {
    const calls = mockCommands({
      ai_review: () => ({
        ai: {
          summary: "A backend engineer with five years of Python and Kafka.",
          strengths: ["Clear ownership of the payments pipeline"],
          issues: [{ section: "Experience", problem: "Bullets list duties, not results", fix: "Add the outcome of each project, with a figure you can back" }],
          held_back: [{ bullet: "Led a team of 40 at Google.", skill: null, replaces: null, issues: [{ kind: "employer", text: "Google", reason: "Google is not an employer in the resume" }], without_claim: null }],
          meta,
        },
        notice: null,
        error: null,
      }),
    });
    renderWithProviders(<AiReview versionId="v1" />);
    fireEvent.click(screen.getByTestId("ai-review-run"));
    expect(await screen.findByText("A backend engineer with five years of Python and Kafka.")).toBeInTheDocument();
    expect(screen.getByText("Clear ownership of the payments pipeline")).toBeInTheDocument();
    expect(screen.getByTestId("ai-review-issue")).toHaveTextContent("Bullets list duties, not results");
    expect(screen.getByTestId("ai-review-issue")).toHaveTextContent("Fix: Add the outcome");
    expect(screen.getByText(/1 sentence\(s\) held back/)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Review again" })).toBeEnabled();
    expect(calls.find((c) => c.cmd === "ai_review")!.args).toEqual({ versionId: "v1" });
  });

  it("says when no provider is set up, and shows the upgrade prompt at the plan's limit", async () => {
    let n = 0;
    const limit = { feature: "resume_analysis", limit: 7, used: 7, resets_at: "2027-01-01T00:00:00Z", upgrade_url: "https://example.com/upgrade" };
    mockCommands({
      ai_review: () => {
        n += 1;
        return n === 1
          ? { ai: null, notice: "No AI provider is set up.", error: null }
          : { ai: null, notice: null, error: { code: "limit_reached", message: "your plan's resume analysis limit is reached (7 of 7)", limit } };
      },
      account_plans: () => [],
    });
    renderWithProviders(<AiReview versionId="v1" />);
    fireEvent.click(screen.getByTestId("ai-review-run"));
    expect(await screen.findByTestId("ai-review-notice")).toHaveTextContent("No AI provider is set up.");
    fireEvent.click(screen.getByTestId("ai-review-run"));
    const prompt = await screen.findByTestId("upgrade-prompt");
    expect(prompt).toHaveTextContent("resume analyses");
    expect(prompt).toHaveTextContent("7 of 7 used");
  });
});
