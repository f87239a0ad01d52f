import { fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { Notice } from "../bindings/Notice";
import { mockCommands, renderWithProviders } from "../test/render";
import { NoticesButton } from "./Notices";

const at = new Date().toISOString();
const missed: Notice = { kind: "reminder", item_id: "r1", job_id: null, title: "Reminder", body: "Call the recruiter", at, fire_at: at, missed: true, shown: true };
const interview: Notice = { kind: "interview", item_id: "i1", job_id: "j1", title: "Video interview at 14:30", body: "Data Engineer at Acme · https://meet.example.com/x", at, fire_at: at, missed: false, shown: true };

describe("Due now: reminders and interviews", () => {
  it("opens at launch with what fell due while the app was closed, and Done clears it", async () => {
    let list = [missed];
    const calls = mockCommands({
      notice_list: () => list,
      notice_done: () => {
        list = [];
        return list;
      },
    });
    renderWithProviders(<NoticesButton />);
    expect(await screen.findByRole("dialog", { name: "While you were away" })).toBeInTheDocument();
    expect(screen.getByText("Call the recruiter")).toBeInTheDocument();
    expect(screen.getByText("missed")).toBeInTheDocument();
    expect(screen.getByTestId("notices-count")).toHaveTextContent("1");
    fireEvent.click(screen.getByTestId("notice-done"));
    expect(await screen.findByTestId("notices-empty")).toBeInTheDocument();
    expect(calls.find((c) => c.cmd === "notice_done")!.args).toEqual({ kind: "reminder", itemId: "r1" });
    expect(screen.queryByTestId("notices-count")).toBeNull();
  });

  it("stays closed when nothing was missed; snooze sends the minutes chosen", async () => {
    let list = [interview];
    const calls = mockCommands({
      notice_list: () => list,
      notice_snooze: () => {
        list = [];
        return list;
      },
    });
    renderWithProviders(<NoticesButton />);
    expect(await screen.findByTestId("notices-count")).toHaveTextContent("1");
    expect(screen.queryByRole("dialog")).toBeNull();
    fireEvent.click(screen.getByTestId("notices-button"));
    expect(screen.getByRole("dialog", { name: "Due now" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Open the job" })).toHaveAttribute("href", "#/jobs/j1");
    fireEvent.change(screen.getByTestId("notice-snooze"), { target: { value: "1 hour" } });
    await waitFor(() => expect(calls.some((c) => c.cmd === "notice_snooze")).toBe(true));
    expect(calls.find((c) => c.cmd === "notice_snooze")!.args).toEqual({ kind: "interview", itemId: "i1", minutes: 60 });
    expect(await screen.findByTestId("notices-empty")).toBeInTheDocument();
  });
});
