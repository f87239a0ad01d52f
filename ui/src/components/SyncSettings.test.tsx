import { fireEvent, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { SyncSettings } from "./SyncSettings";
import { mockCommands, renderWithProviders } from "../test/render";
import { signedOut } from "../test/fixtures";

const signedIn = { ...signedOut, signed_in: true, server: "http://127.0.0.1:8080", email: "sam@example.com", device_id: "d1", enabled: true, waiting: 3 };

describe("SyncSettings", () => {
  it("signs in with the server, email and password, and shows the account", async () => {
    const calls = mockCommands({ sync_status: () => signedOut, sync_login: () => signedIn });
    renderWithProviders(<SyncSettings />);
    const submit = await screen.findByRole("button", { name: "Sign in" });
    expect(submit).toBeDisabled();
    fireEvent.change(screen.getByLabelText("Server"), { target: { value: " http://127.0.0.1:8080 " } });
    fireEvent.change(screen.getByLabelText("Email"), { target: { value: "sam@example.com" } });
    fireEvent.change(screen.getByLabelText(/^Password/), { target: { value: "correct horse battery" } });
    fireEvent.click(screen.getByLabelText(/create the account/));
    fireEvent.click(screen.getByRole("button", { name: "Create account and sign in" }));
    expect(await screen.findByText("sam@example.com")).toBeInTheDocument();
    expect(screen.getByText("3 change(s)")).toBeInTheDocument();
    const sent = calls.find((c) => c.cmd === "sync_login")!.args as { login: Record<string, unknown> };
    expect(sent.login).toEqual({ server: "http://127.0.0.1:8080", email: "sam@example.com", password: "correct horse battery", create: true });
  });

  it("a wrong sync password gets sync advice, not the AI key's", async () => {
    mockCommands({
      sync_status: () => signedOut,
      sync_login: () => {
        throw { code: "unauthorized", message: "the email or the password is not right" };
      },
    });
    renderWithProviders(<SyncSettings />);
    fireEvent.change(await screen.findByLabelText("Server"), { target: { value: "http://x:1" } });
    fireEvent.change(screen.getByLabelText("Email"), { target: { value: "a@b.co" } });
    fireEvent.change(screen.getByLabelText(/^Password/), { target: { value: "typo" } });
    fireEvent.click(screen.getByRole("button", { name: "Sign in" }));
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Check the email and the password");
    expect(alert).not.toHaveTextContent("AI provider");
  });

  it("shows why a sign-in failed and keeps the form", async () => {
    mockCommands({
      sync_status: () => signedOut,
      sync_login: () => {
        throw { code: "upstream", message: "could not reach the sync server at http://x:1" };
      },
    });
    renderWithProviders(<SyncSettings />);
    fireEvent.change(await screen.findByLabelText("Server"), { target: { value: "http://x:1" } });
    fireEvent.change(screen.getByLabelText("Email"), { target: { value: "a@b.co" } });
    fireEvent.change(screen.getByLabelText(/^Password/), { target: { value: "pw" } });
    fireEvent.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByText(/could not reach the sync server/)).toBeInTheDocument();
    expect(screen.getByLabelText("Server")).toHaveValue("http://x:1");
  });

  it("syncs now, reports a failed attempt, turns sync off and lists conflict copies", async () => {
    const calls = mockCommands({
      sync_status: () => ({ ...signedIn, last_error: "could not reach the sync server", conflicts: 1 }),
      sync_now: () => ({ pushed: 3, pulled: 5, applied: 2, pending: 0, conflicts: 1, took_ms: 40 }),
      sync_set_enabled: () => ({ ...signedIn, enabled: false }),
      sync_conflicts: () => [{ collection: "jobs", entity: "j1", field: "notes", value: "laptop notes", device_id: "d2", at: "2026-11-26T10:00:00Z" }],
    });
    renderWithProviders(<SyncSettings />);
    expect(await screen.findByRole("alert")).toHaveTextContent("Last attempt failed: could not reach the sync server");
    expect(await screen.findByText("laptop notes")).toBeInTheDocument();
    fireEvent.click(screen.getByRole("button", { name: "Sync now" }));
    expect(await screen.findByText(/Synced: sent 3, received 5/)).toBeInTheDocument();
    fireEvent.click(screen.getByRole("button", { name: "Turn sync off" }));
    expect(await screen.findByText(/Sync is off on this computer/)).toBeInTheDocument();
    expect(calls.some((c) => c.cmd === "sync_set_enabled")).toBe(true);
  });

  it("says so and offers no Sync now when the service turned sync off for the account", async () => {
    mockCommands({ sync_status: () => signedIn, account_flags: () => ({ flags: { sync: false, hosted_ai: true } }) });
    renderWithProviders(<SyncSettings />);
    expect(await screen.findByTestId("sync-flag-off")).toHaveTextContent("turned off for this account");
    expect(screen.getByRole("button", { name: "Sync now" })).toBeDisabled();
    expect(screen.getByRole("button", { name: "Sign out" })).toBeEnabled();
  });

  it("makes a recovery code and changes the password", async () => {
    const calls = mockCommands({
      sync_status: () => signedIn,
      sync_recovery_code: () => "7K3D-QX9M-AB12-CD34-EF56-GH78-JK9M-NP0Q",
      sync_change_password: () => signedIn,
    });
    renderWithProviders(<SyncSettings />);
    fireEvent.click(await screen.findByText("Recovery code and password"));
    fireEvent.click(screen.getByRole("button", { name: "Make a recovery code" }));
    expect(await screen.findByTestId("recovery-code")).toHaveTextContent("7K3D-QX9M-AB12-CD34-EF56-GH78-JK9M-NP0Q");
    const submit = screen.getByRole("button", { name: "Change password" });
    fireEvent.change(screen.getByLabelText("Current password"), { target: { value: "old password" } });
    fireEvent.change(screen.getByLabelText(/^New password/), { target: { value: "short" } });
    expect(submit).toBeDisabled();
    fireEvent.change(screen.getByLabelText(/^New password/), { target: { value: "a much longer one" } });
    fireEvent.click(submit);
    expect(await screen.findByText(/Password changed/)).toBeInTheDocument();
    const sent = calls.find((c) => c.cmd === "sync_change_password")!.args as { change: Record<string, string> };
    expect(sent.change).toEqual({ oldPassword: "old password", newPassword: "a much longer one" });
    // The first code needs no password.
    expect(calls.find((c) => c.cmd === "sync_recovery_code")!.args).toEqual({ password: null });
  });

  it("replaces an existing recovery code with the password, and says so when it is missing", async () => {
    let n = 0;
    const calls = mockCommands({
      sync_status: () => signedIn,
      sync_recovery_code: (args: unknown) => {
        n += 1;
        if (!(args as { password: string | null }).password) {
          throw { code: "conflict", message: "a recovery code is already set up; making a new one needs the account's password" };
        }
        return "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH";
      },
    });
    renderWithProviders(<SyncSettings />);
    fireEvent.click(await screen.findByText("Recovery code and password"));
    fireEvent.click(screen.getByRole("button", { name: "Make a recovery code" }));
    expect(await screen.findByText(/needs the account's password/)).toBeInTheDocument();
    fireEvent.change(screen.getByTestId("recovery-password"), { target: { value: "e2e sync password" } });
    fireEvent.click(screen.getByRole("button", { name: "Make a recovery code" }));
    expect(await screen.findByTestId("recovery-code")).toHaveTextContent("AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH");
    expect(n).toBe(2);
    expect(calls.filter((c) => c.cmd === "sync_recovery_code").map((c) => c.args)).toEqual([
      { password: null },
      { password: "e2e sync password" },
    ]);
  });
});
