// The design's "UpgradePrompt" (a hosted-AI limit is reached: which one, how much is used, when
// it resets, and Upgrade) and the plan picker it and Settings → Account open: the three Pro
// terms with their prices from the server, a coupon field, and Stripe Checkout in the browser.
import { useState } from "react";
import { useMutation, useQuery } from "@tanstack/react-query";
import { api } from "../api";
import type { Plan } from "../bindings/Plan";
import type { PlanLimit } from "../bindings/PlanLimit";
import { Button, ErrorView, Field, Modal, Spinner, inputClass } from "./ui";

export const FEATURE_LABEL: Record<string, string> = {
  resume_analysis: "resume analyses",
  jd_matching: "JD matchings",
  bullet_points: "bullet-point generations",
  daily_budget: "hosted-AI calls",
};

export function money(cents: number, currency: string): string {
  try {
    return new Intl.NumberFormat("en-US", { style: "currency", currency: currency.toUpperCase() }).format(cents / 100);
  } catch {
    return `${(cents / 100).toFixed(2)} ${currency}`;
  }
}

/** "$10.00 a month", "$27.00 for 3 months". */
export function priceText(p: Plan): string {
  const per = p.interval_count === 1 ? `a ${p.interval}` : `for ${p.interval_count} ${p.interval}s`;
  return `${money(p.price_cents, p.currency)} ${per}`;
}

export function when(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

export function UpgradePicker({ onClose }: { onClose: () => void }) {
  const plans = useQuery({ queryKey: ["account-plans"], queryFn: api.accountPlans });
  const pro = (plans.data ?? []).filter((p) => p.id !== "free");
  const [chosen, setChosen] = useState<string | null>(null);
  const [coupon, setCoupon] = useState("");
  const plan = chosen ?? pro.find((p) => p.purchasable)?.id ?? null;
  const checkout = useMutation({ mutationFn: () => api.accountUpgrade(plan!, coupon) });
  return (
    <Modal title="Upgrade to Pro" onClose={onClose}>
      {plans.isPending && <Spinner />}
      {plans.isError && <ErrorView error={plans.error} />}
      {plans.data && !pro.some((p) => p.purchasable) && (
        <p className="text-sm">This server does not sell plans: it has no billing set up. Ask its operator, or keep using your own AI provider keys.</p>
      )}
      {checkout.data ? (
        <div role="status" data-testid="checkout-opened" className="text-sm">
          <p className="font-medium">{checkout.data.opened ? "Stripe's checkout page is open in your browser." : "Open Stripe's checkout page to pay:"}</p>
          <p className="mt-1 break-all">
            <a className="text-indigo-700 underline dark:text-indigo-300" href={checkout.data.url} target="_blank" rel="noreferrer">{checkout.data.url}</a>
          </p>
          <p className="mt-2 text-slate-600 dark:text-slate-300">Your plan and limits change here once Stripe confirms the payment.</p>
          <Button className="mt-4" variant="secondary" data-testid="checkout-done" onClick={onClose}>Done</Button>
        </div>
      ) : (
        pro.some((p) => p.purchasable) && (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (plan) checkout.mutate();
            }}
          >
            <fieldset className="flex flex-col gap-2" data-testid="plan-picker">
              <legend className="mb-2 text-sm text-slate-600 dark:text-slate-300">
                Pro: {pro[0] ? `${pro[0].limits.resume_analysis ?? "unlimited"} resume analyses and ${pro[0].limits.jd_matching ?? "unlimited"} JD matchings a ${pro[0].limits.period}` : ""} with QoderResume AI. Local analysis and matching stay free.
              </legend>
              {pro.map((p) => (
                <label key={p.id} className={`flex cursor-pointer items-center gap-3 rounded-lg border p-3 text-sm ${plan === p.id ? "border-indigo-500 bg-indigo-50 dark:bg-indigo-950" : "border-slate-200 dark:border-slate-700"} ${p.purchasable ? "" : "opacity-50"}`}>
                  <input type="radio" name="plan" value={p.id} disabled={!p.purchasable} checked={plan === p.id} onChange={() => setChosen(p.id)} />
                  <span className="flex-1 font-medium">{p.name}</span>
                  <span>{priceText(p)}</span>
                  {p.discount_percent > 0 && <span className="rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200">{p.discount_percent}% off</span>}
                </label>
              ))}
            </fieldset>
            <div className="mt-4">
              <Field label="Coupon (optional)">
                <input aria-label="Coupon" className={`${inputClass} w-48`} value={coupon} onChange={(e) => setCoupon(e.target.value)} />
              </Field>
            </div>
            {checkout.isError && (
              <div className="mt-3">
                <ErrorView error={checkout.error} />
              </div>
            )}
            <div className="mt-4 flex justify-end gap-2">
              <Button variant="secondary" type="button" onClick={onClose}>Cancel</Button>
              <Button type="submit" data-testid="checkout" disabled={!plan || checkout.isPending}>
                {checkout.isPending ? "Opening Stripe…" : "Continue to payment"}
              </Button>
            </div>
            <p className="mt-3 text-xs text-slate-500">Payment happens on Stripe's page in your browser; cancel or change plan any time under Manage billing.</p>
          </form>
        )
      )}
    </Modal>
  );
}

/** A hosted-AI call was refused: the plan's limit is reached. */
export function UpgradePrompt({ limit }: { limit: PlanLimit }) {
  const [open, setOpen] = useState(false);
  const what = FEATURE_LABEL[limit.feature] ?? limit.feature.replace(/_/g, " ");
  return (
    <div role="alert" data-testid="upgrade-prompt" className="rounded-lg border border-indigo-300 bg-indigo-50 p-4 text-sm text-indigo-950 dark:border-indigo-800 dark:bg-indigo-950 dark:text-indigo-100">
      <p className="font-semibold">You have used your plan's {what} for now.</p>
      <p className="mt-1">
        {limit.used} of {limit.limit} used · resets {when(limit.resets_at)}. Upgrade to Pro for more, or wait for the reset; your own provider key (Settings → AI suggestions) works meanwhile.
      </p>
      <Button className="mt-3" data-testid="upgrade-open" onClick={() => setOpen(true)}>Upgrade</Button>
      {open && <UpgradePicker onClose={() => setOpen(false)} />}
    </div>
  );
}
