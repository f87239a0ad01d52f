import { fireEvent, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { AccountSettings } from "./AccountSettings";
import { mockCommands, renderWithProviders } from "../test/render";
import { signedOut } from "../test/fixtures";

const signedIn = { ...signedOut, signed_in: true, server: "http://127.0.0.1:8080", email: "sam@example.com", device_id: "d1", enabled: true };

const limits = (period: string, n: number | null) => ({ period, resume_analysis: n, jd_matching: n, points_per_request: 8, points_daily: 50 });
const plan = (id: string, name: string, price_cents: number, interval_count: number, discount_percent: number) => ({
  id, name, price_cents, currency: "usd", interval: "month", interval_count, discount_percent, limits: id === "free" ? limits("month", 7) : limits("day", 12), purchasable: id !== "free",
});
const PLANS = [plan("free", "Free", 0, 1, 0), plan("pro_monthly", "Pro monthly", 1000, 1, 0), plan("pro_quarterly", "Pro quarterly", 2700, 3, 10), plan("pro_halfyearly", "Pro half-yearly", 5400, 6, 10)];
const usage = (used: number, limit: number | null) => ({
  plan_id: "free",
  items: [
    { feature: "resume_analysis", used, limit, period: "month", resets_at: "2027-01-01T00:00:00Z" },
    { feature: "jd_matching", used: 2, limit, period: "month", resets_at: "2027-01-01T00:00:00Z" },
    { feature: "bullet_points", used: 3, limit: 50, period: "day", resets_at: "2026-12-08T00:00:00Z" },
  ],
});
const free = { server: "http://127.0.0.1:8080", email: "sam@example.com", subscription: { plan: PLANS[0], status: "free", current_period_end: null, cancel_at_period_end: false, stripe_subscription_id: null }, usage: usage(7, 7) };

describe("AccountSettings", () => {
  it("tells a signed-out user how to sign in, without asking the server", async () => {
    const calls = mockCommands({ sync_status: () => signedOut });
    renderWithProviders(<AccountSettings />);
    expect(await screen.findByTestId("account-signed-out")).toHaveTextContent(/Sign in under Sync/);
    expect(calls.some((c) => c.cmd === "account_status")).toBe(false);
  });

  it("shows the plan, a bar for each limit with its reset, and upgrades through the plan picker with a coupon", async () => {
    const calls = mockCommands({
      sync_status: () => signedIn,
      account_status: () => free,
      account_plans: () => PLANS,
      account_upgrade: () => ({ url: "https://checkout.stripe.com/c/pay/cs_1", opened: false }),
    });
    renderWithProviders(<AccountSettings />);
    expect(await screen.findByTestId("account-plan")).toHaveTextContent("Free");
    const analyses = screen.getByTestId("usage-resume_analysis");
    expect(analyses).toHaveTextContent("7 of 7 this month");
    expect(analyses).toHaveTextContent(/Resets/);
    expect(within(analyses).getByRole("progressbar")).toHaveAttribute("aria-valuenow", "7");
    expect(screen.getByTestId("usage-jd_matching")).toHaveTextContent("2 of 7 this month");
    expect(screen.queryByTestId("account-portal")).toBeNull();

    fireEvent.click(screen.getByTestId("account-upgrade"));
    const picker = await screen.findByTestId("plan-picker");
    expect(picker).toHaveTextContent("$10.00 a month");
    expect(picker).toHaveTextContent("$27.00 for 3 months");
    expect(picker).toHaveTextContent("$54.00 for 6 months");
    expect(picker).not.toHaveTextContent("Free");
    fireEvent.click(within(picker).getByRole("radio", { name: /Pro quarterly/ }));
    fireEvent.change(screen.getByLabelText("Coupon"), { target: { value: " LAUNCH10 " } });
    fireEvent.click(screen.getByTestId("checkout"));
    expect(await screen.findByTestId("checkout-opened")).toHaveTextContent("https://checkout.stripe.com/c/pay/cs_1");
    expect(calls.find((c) => c.cmd === "account_upgrade")!.args).toEqual({ plan: "pro_quarterly", coupon: "LAUNCH10" });
  });

  it("shows a canceled Pro plan's end, its invoices and Manage billing", async () => {
    const pro = {
      ...free,
      subscription: { plan: PLANS[2], status: "active", current_period_end: "2027-03-01T00:00:00Z", cancel_at_period_end: true, stripe_subscription_id: "sub_1" },
      usage: { plan_id: "pro_quarterly", items: [{ feature: "resume_analysis", used: 1, limit: 12, period: "day", resets_at: "2026-12-08T00:00:00Z" }] },
    };
    const calls = mockCommands({
      sync_status: () => signedIn,
      account_status: () => pro,
      account_invoices: () => [{ id: "in_1", number: "QR-7", status: "paid", amount_due: 2700, amount_paid: 2700, currency: "usd", created: "2026-12-01T00:00:00Z", hosted_invoice_url: "https://invoice.stripe.com/i/in_1", invoice_pdf: null }],
      account_portal: () => ({ url: "https://billing.stripe.com/p/session/1", opened: true }),
      account_open_page: () => true,
    });
    renderWithProviders(<AccountSettings />);
    expect(await screen.findByTestId("account-renewal")).toHaveTextContent(/Canceled: Pro ends on/);
    expect(screen.queryByTestId("account-upgrade")).toBeNull();
    const invoices = await screen.findByTestId("account-invoices");
    expect(invoices).toHaveTextContent("QR-7");
    expect(invoices).toHaveTextContent("$27.00");
    fireEvent.click(within(invoices).getByRole("button", { name: "View" }));
    fireEvent.click(screen.getByTestId("account-portal"));
    expect(await screen.findByText(/billing page is open in your browser/)).toBeInTheDocument();
    expect(calls.find((c) => c.cmd === "account_open_page")!.args).toEqual({ url: "https://invoice.stripe.com/i/in_1" });
  });

  it("says so when the server has no billing", async () => {
    mockCommands({
      sync_status: () => signedIn,
      account_status: () => {
        throw { code: "not_found", message: "HTTP 404" };
      },
    });
    renderWithProviders(<AccountSettings />);
    expect(await screen.findByTestId("account-no-billing")).toHaveTextContent("has no plans or billing");
  });

  it("says so when the server sells no plans", async () => {
    mockCommands({ sync_status: () => signedIn, account_status: () => free, account_plans: () => PLANS.map((p) => ({ ...p, purchasable: false })) });
    renderWithProviders(<AccountSettings />);
    fireEvent.click(await screen.findByTestId("account-upgrade"));
    expect(await screen.findByText(/does not sell plans/)).toBeInTheDocument();
    expect(screen.queryByTestId("checkout")).toBeNull();
  });
});
