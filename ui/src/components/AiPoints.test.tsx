import { fireEvent, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { AiPoints } from "./AiPoints";
import { mockCommands, renderWithProviders } from "../test/render";

const meta = { provider: "ollama", model: "llama3.1", tier: "standard", cached: false, tokens_in: 900, tokens_out: 200, cost_usd: 0, latency_ms: 1200, prompt_tokens: 900, prompt_cut: [], failed: [] };

describe("AiPoints", () => {
  it("says clearly when no provider is set up", async () => {
    mockCommands({ ai_suggest_points: () => ({ ai: null, notice: "No AI provider is set up.", error: null, rule_based: [] }) });
    renderWithProviders(<AiPoints versionId="v1" jdText="Data Engineer" />);
    fireEvent.click(screen.getByTestId("ai-run"));
    expect(await screen.findByTestId("ai-notice")).toHaveTextContent("No AI provider is set up.");
    expect(screen.getByRole("link", { name: "Set up a provider or use QoderResume AI" })).toBeInTheDocument();
  });

  it("shows grounded points and holds back fabricated ones with the reason", async () => {
    const calls = mockCommands({
      ai_suggest_points: () => ({
        ai: {
          points: [{ bullet: "Built Kafka pipelines handling 40k messages/s", skill: "Apache Kafka", replaces: null, issues: [] }],
          flagged: [{ bullet: "Led a team of 40 at Google", skill: null, replaces: null, issues: [{ kind: "employer", text: "Google", reason: "Google is not an employer in the resume" }] }],
          notes: [],
          meta,
          generations_today: 3,
          generations_limit: 50,
        },
        notice: null,
        error: null,
        rule_based: [],
      }),
    });
    renderWithProviders(<AiPoints versionId="v1" jdText="Data Engineer" />);
    fireEvent.change(screen.getByLabelText(/Facts the resume leaves out/), { target: { value: "Used Airflow at Acme" } });
    fireEvent.click(screen.getByTestId("ai-run"));
    expect(await screen.findByText("Built Kafka pipelines handling 40k messages/s")).toBeInTheDocument();
    expect(screen.getByText(/1 bullet\(s\) held back/)).toBeInTheDocument();
    expect(screen.getByText("Google is not an employer in the resume")).toBeInTheDocument();
    expect(screen.getByText(/3\/50 generations today/)).toBeInTheDocument();
    const sent = calls.find((c) => c.cmd === "ai_suggest_points")!.args;
    expect(sent).toMatchObject({ versionId: "v1", jdText: "Data Engineer", context: "Used Airflow at Acme" });
  });

  it("says why a bullet is held back and offers adding it as a fact or using it without the claim", async () => {
    const flagged = [
      {
        bullet: "Led a team of 25 engineers at Stripe to rebuild the payments ledger",
        skill: null,
        replaces: null,
        issues: [{ kind: "team", text: "25", reason: "the resume has 25 but not as this number of people for Staff Software Engineer, Stripe" }],
        without_claim: "Led a team at Stripe to rebuild the payments ledger",
      },
      {
        bullet: "Won Stripe's engineering excellence award for the payments redesign",
        skill: null,
        replaces: null,
        issues: [{ kind: "award", text: "award", reason: "the resume states no such award or honour for Staff Software Engineer, Stripe" }],
        without_claim: null,
      },
    ];
    const calls = mockCommands({
      ai_context: () => "Speaker at RustConf 2024",
      ai_suggest_points: () => ({
        ai: { points: [], flagged, notes: [], meta, generations_today: 1, generations_limit: 50 },
        notice: null,
        error: null,
        rule_based: [],
      }),
      ai_check_points: (a) => (a.bullets as string[]).map((b) => ({ bullet: b, skill: null, replaces: null, issues: [], without_claim: null })),
    });
    renderWithProviders(<AiPoints versionId="v1" jdText="Staff Engineer" />);
    // The facts kept with the version come back into the box.
    expect(await screen.findByDisplayValue("Speaker at RustConf 2024")).toBeInTheDocument();
    fireEvent.click(screen.getByTestId("ai-run"));
    const held = await screen.findAllByTestId("ai-held-back");
    expect(held).toHaveLength(2);
    // Which words failed and which kind of claim.
    expect(held[0]).toHaveTextContent("team size");
    expect(held[0]).toHaveTextContent("25");
    expect(screen.getByText(/the resume has 25 but not as this number of people/)).toBeInTheDocument();
    expect(held[1]).toHaveTextContent("award");
    // Without the claim: only offered when something sensible is left.
    expect(screen.getByTestId("ai-without-claim")).toHaveTextContent("Led a team at Stripe to rebuild the payments ledger");
    expect(screen.getAllByTestId("ai-use-without")).toHaveLength(1);
    fireEvent.click(screen.getByTestId("ai-use-without"));
    expect(await screen.findByText("Led a team at Stripe to rebuild the payments ledger")).toBeInTheDocument();
    expect(screen.getByText("Taken without the claim.")).toBeInTheDocument();
    // Add it as a fact: the context grows, is sent with the bullet, and the re-check backs it.
    fireEvent.click(screen.getByTestId("ai-add-fact"));
    expect(await screen.findByText(/Added as a fact and kept with this version/)).toBeInTheDocument();
    const check = calls.find((c) => c.cmd === "ai_check_points")!.args;
    expect(check).toMatchObject({ versionId: "v1", bullets: ["Won Stripe's engineering excellence award for the payments redesign"] });
    expect(check.context).toBe("Speaker at RustConf 2024\nWon Stripe's engineering excellence award for the payments redesign");
    expect(screen.getAllByText("Won Stripe's engineering excellence award for the payments redesign").length).toBeGreaterThanOrEqual(2);
  });

  it("explains an AI failure with the next step", async () => {
    mockCommands({
      ai_suggest_points: () => ({ ai: null, notice: null, error: { code: "unauthorized", message: "openai: the key was refused (401)" }, rule_based: [] }),
    });
    renderWithProviders(<AiPoints versionId="v1" jdText="x" />);
    fireEvent.click(screen.getByTestId("ai-run"));
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("the key was refused");
    expect(alert).toHaveTextContent("Store a new key in Settings");
  });
});
