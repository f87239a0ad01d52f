import { cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { SettingsScreen } from "./Settings";
import { mockCommands, renderWithProviders } from "../test/render";
import { signedOut } from "../test/fixtures";

const NOTICE = "QoderResume AI runs on your account's server … Contact details never leave this computer.";

function mocks(hosted: { on: boolean }) {
  return mockCommands({
    settings_get: () => ({ retention_count: 20, follow_up_days: 7, notifications_enabled: true, interview_lead_minutes: 30, start_at_login: false, data_dir: "/d", log_dir: "/l" }),
    app_info: () => ({ version: "0.1.0", max_upload_bytes: 1, data_dir: "/d", log_dir: "/l", model: { state: "unavailable", reason: "none" } }),
    ai_status: () => ({ providers: [], generations_today: 0, generations_limit: 50, points_per_request: 8, hosted: hosted.on, hosted_notice: NOTICE }),
    ai_set_hosted: (a) => {
      hosted.on = a.on as boolean;
      return null;
    },
    sync_status: () => signedOut,
    calendar_status: () => ({ accounts: [] }),
  });
}

describe("Settings → AI suggestions: Use QoderResume AI", () => {
  it("says what is sent before turning it on, and only then turns it on", async () => {
    const hosted = { on: false };
    const calls = mocks(hosted);
    renderWithProviders(<SettingsScreen />);
    fireEvent.click(await screen.findByTestId("hosted-ai-on"));
    expect(screen.getByTestId("hosted-ai-notice")).toHaveTextContent("Contact details never leave this computer.");
    expect(calls.some((c) => c.cmd === "ai_set_hosted")).toBe(false);
    fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(calls.some((c) => c.cmd === "ai_set_hosted")).toBe(false);
    fireEvent.click(screen.getByTestId("hosted-ai-on"));
    fireEvent.click(screen.getByTestId("hosted-ai-agree"));
    expect(await screen.findByTestId("hosted-ai-off")).toBeInTheDocument();
    expect(calls.find((c) => c.cmd === "ai_set_hosted")!.args).toEqual({ on: true });
    expect(screen.getByTestId("account-signed-out")).toBeInTheDocument();
  });
});

describe("Settings → AI suggestions: the service's feature flags", () => {
  const signedIn = { ...signedOut, signed_in: true, server: "https://sync.example.com", email: "a@example.com", enabled: true };
  function flagged(hostedAi: boolean, on: boolean) {
    return mockCommands({
      settings_get: () => ({ retention_count: 20, follow_up_days: 7, notifications_enabled: true, interview_lead_minutes: 30, start_at_login: false, data_dir: "/d", log_dir: "/l" }),
      app_info: () => ({ version: "0.1.0", max_upload_bytes: 1, data_dir: "/d", log_dir: "/l", model: { state: "unavailable", reason: "none" } }),
      ai_status: () => ({ providers: [], generations_today: 0, generations_limit: 50, points_per_request: 8, hosted: on, hosted_notice: NOTICE }),
      sync_status: () => signedIn,
      account_flags: () => ({ flags: { hosted_ai: hostedAi, sync: true } }),
      account_status: () => {
        throw { code: "not_found", message: "this server sells no plans" };
      },
    });
  }

  it("offers QoderResume AI while the flag is on", async () => {
    const calls = flagged(true, false);
    renderWithProviders(<SettingsScreen />);
    expect(await screen.findByTestId("hosted-ai-on")).toBeInTheDocument();
    expect(calls.some((c) => c.cmd === "account_flags")).toBe(true);
  });

  it("hides the offer when the service turns the flag off, but keeps Turn off once it is on", async () => {
    const calls = flagged(false, false);
    renderWithProviders(<SettingsScreen />);
    await screen.findByTestId("ai-settings");
    await waitFor(() => expect(calls.some((c) => c.cmd === "account_flags")).toBe(true));
    await waitFor(() => expect(screen.queryByTestId("hosted-ai-on")).not.toBeInTheDocument());
    cleanup();
    flagged(false, true);
    renderWithProviders(<SettingsScreen />);
    expect(await screen.findByTestId("hosted-ai-off")).toBeInTheDocument();
  });
});
