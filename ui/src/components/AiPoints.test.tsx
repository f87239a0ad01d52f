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
    expect(screen.getByRole("link", { name: "Set up a provider" })).toBeInTheDocument();
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
