import { fireEvent, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { AiPoints } from "./AiPoints";
import { mockCommands, renderWithProviders } from "../test/render";

const limit = { feature: "jd_matching", limit: 7, used: 7, resets_at: "2027-01-01T00:00:00Z", upgrade_url: "https://example.com/upgrade" };
const plans = [
  { id: "pro_monthly", name: "Pro monthly", price_cents: 1000, currency: "usd", interval: "month", interval_count: 1, discount_percent: 0, limits: { period: "day", resume_analysis: 12, jd_matching: 12, points_per_request: 8, points_daily: 50 }, purchasable: true },
];

describe("UpgradePrompt", () => {
  it("replaces the error when a hosted call meets the plan's limit, with the reset time and Upgrade", async () => {
    mockCommands({
      ai_context: () => "",
      ai_suggest_points: () => ({ ai: null, notice: null, rule_based: [], error: { code: "limit_reached", message: "hosted: your plan's jd matching limit is reached (7 of 7)", limit } }),
      account_plans: () => plans,
    });
    renderWithProviders(<AiPoints versionId="v1" jdText="Data Engineer" />);
    fireEvent.click(screen.getByTestId("ai-run"));
    const prompt = await screen.findByTestId("upgrade-prompt");
    expect(prompt).toHaveTextContent("You have used your plan's JD matchings for now.");
    expect(prompt).toHaveTextContent("7 of 7 used");
    expect(prompt).toHaveTextContent(/resets .*2027|resets .*2026/);
    expect(screen.queryByTestId("error-view")).toBeNull();
    fireEvent.click(screen.getByTestId("upgrade-open"));
    expect(await screen.findByTestId("plan-picker")).toHaveTextContent("$10.00 a month");
  });

  it("a refused command (not an outcome) gets the prompt too; other AI errors keep their hint", async () => {
    let n = 0;
    mockCommands({
      ai_context: () => "",
      ai_suggest_points: () => {
        n += 1;
        throw n === 1 ? { code: "limit_reached", message: "limit", limit } : { code: "unauthorized", message: "refused the key" };
      },
    });
    renderWithProviders(<AiPoints versionId="v1" jdText="Data Engineer" />);
    fireEvent.click(screen.getByTestId("ai-run"));
    expect(await screen.findByTestId("upgrade-prompt")).toHaveTextContent("7 of 7 used");
    fireEvent.click(screen.getByTestId("ai-run"));
    expect(await screen.findByTestId("error-view")).toHaveTextContent("Store a new key");
    expect(screen.queryByTestId("upgrade-prompt")).toBeNull();
  });
});
