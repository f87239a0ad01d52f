import { fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { CalendarSettings } from "./CalendarSettings";
import { mockCommands, renderWithProviders } from "../test/render";
import type { CalendarAccount } from "../bindings/CalendarAccount";
import type { CalendarStatus } from "../bindings/CalendarStatus";

const off = (provider: "google" | "outlook", configured = true): CalendarAccount => ({
  provider,
  configured,
  connected: false,
  connected_at: null,
  token_store: null,
  last_sync_at: null,
  last_success_at: null,
  last_error: null,
  events: 0,
  waiting: 0,
});

const on = (provider: "google" | "outlook", extra: Partial<CalendarAccount> = {}): CalendarAccount => ({
  ...off(provider),
  connected: true,
  connected_at: "2026-12-07T10:00:00Z",
  token_store: "keychain",
  last_sync_at: "2026-12-07T10:05:00Z",
  last_success_at: "2026-12-07T10:05:00Z",
  events: 3,
  ...extra,
});

const report = (provider: "google" | "outlook", extra = {}) => ({ provider, created: 1, updated: 0, deleted: 0, recreated: 0, unchanged: 2, failed: [], error: null, took_ms: 5, ...extra });

describe("Settings → Calendars", () => {
  it("connects through the browser and shows the calendar", async () => {
    const state: CalendarStatus = { accounts: [off("google"), off("outlook", false)] };
    const calls = mockCommands({
      calendar_status: () => JSON.parse(JSON.stringify(state)),
      calendar_connect: () => {
        state.accounts[0] = on("google");
        return state.accounts[0];
      },
    });
    renderWithProviders(<CalendarSettings />);
    expect(await screen.findByTestId("calendar-connect-outlook")).toBeDisabled();
    expect(screen.getByText("OUTLOOK_CLIENT_ID")).toBeInTheDocument();
    fireEvent.click(screen.getByTestId("calendar-connect-google"));
    expect(await screen.findByTestId("calendar-events-google")).toHaveTextContent("3 interview(s)");
    expect(calls.find((c) => c.cmd === "calendar_connect")!.args).toEqual({ provider: "google" });
    expect(screen.getByText("the system keychain")).toBeInTheDocument();
  });

  it("shows the last error, syncs now and reports a failure", async () => {
    mockCommands({
      calendar_status: () => ({ accounts: [on("google", { last_error: "Google Calendar asks to slow down (retry after 120 s); the next sync tries again", waiting: 1 }), off("outlook")] }),
      calendar_sync: () => [report("google", { created: 0, failed: [{ interview_id: "i1", message: "Google Calendar refused the event (HTTP 400)" }] })],
    });
    renderWithProviders(<CalendarSettings />);
    expect(await screen.findByTestId("calendar-error-google")).toHaveTextContent("retry after 120 s");
    expect(screen.getByTestId("calendar-events-google")).toHaveTextContent("1 change(s) waiting");
    fireEvent.click(screen.getByTestId("calendar-sync-now"));
    expect(await screen.findByText(/refused the event \(HTTP 400\)/)).toBeInTheDocument();
  });

  it("disconnects keeping the events unless asked to remove them", async () => {
    const state: CalendarStatus = { accounts: [on("google"), on("outlook")] };
    const calls = mockCommands({
      calendar_status: () => JSON.parse(JSON.stringify(state)),
      calendar_disconnect: (a) => {
        const p = a.provider as "google" | "outlook";
        state.accounts = state.accounts.map((x) => (x.provider === p ? off(p) : x));
        return { provider: p, removed: a.removeEvents === "remove" ? 3 : 0, kept: a.removeEvents === "remove" ? 0 : 3 };
      },
    });
    renderWithProviders(<CalendarSettings />);
    fireEvent.click(await screen.findByTestId("calendar-disconnect-google"));
    fireEvent.click(screen.getByTestId("calendar-keep-events"));
    expect(await screen.findByText(/its events stay in the calendar/)).toBeInTheDocument();
    fireEvent.click(screen.getByTestId("calendar-disconnect-outlook"));
    fireEvent.click(screen.getByTestId("calendar-remove-events"));
    expect(await screen.findByText(/3 event\(s\) removed/)).toBeInTheDocument();
    const sent = calls.filter((c) => c.cmd === "calendar_disconnect").map((c) => c.args);
    expect(sent).toEqual([{ provider: "google", removeEvents: "keep" }, { provider: "outlook", removeEvents: "remove" }]);
    await waitFor(() => expect(screen.getByTestId("calendar-connect-google")).toBeInTheDocument());
  });
});
