// Settings → Account: the plan of the account this computer is signed in to (Settings → Sync),
// its renewal, the use of each QoderResume AI limit, invoices with their Stripe pages, Upgrade
// (the plan picker) and Manage billing (Stripe's portal, in the browser).
import { useState } from "react";
import { useMutation, useQuery } from "@tanstack/react-query";
import { api } from "../api";
import type { UsageItem } from "../bindings/UsageItem";
import { useToast } from "../lib/toast";
import { Badge, Button, Card, ErrorView, Spinner } from "./ui";
import { FEATURE_LABEL, UpgradePicker, money, when } from "./UpgradePrompt";

function UsageBar({ item }: { item: UsageItem }) {
  const what = FEATURE_LABEL[item.feature] ?? item.feature.replace(/_/g, " ");
  const pct = item.limit == null || item.limit === 0 ? 0 : Math.min(100, Math.round((item.used / item.limit) * 100));
  const full = item.limit != null && item.used >= item.limit;
  return (
    <li data-testid={`usage-${item.feature}`} className="text-sm">
      <div className="flex justify-between gap-2">
        <span className="font-medium first-letter:uppercase">{what}</span>
        <span className={full ? "font-semibold text-rose-700 dark:text-rose-300" : "text-slate-600 dark:text-slate-300"}>
          {item.used} of {item.limit ?? "unlimited"} this {item.period}
        </span>
      </div>
      <div
        role="progressbar"
        aria-label={what}
        aria-valuemin={0}
        aria-valuemax={item.limit ?? undefined}
        aria-valuenow={item.used}
        className="mt-1 h-2 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-700"
      >
        <div className={`h-full rounded-full ${full ? "bg-rose-500" : pct >= 80 ? "bg-amber-500" : "bg-indigo-500"}`} style={{ width: `${pct}%` }} />
      </div>
      <p className="mt-0.5 text-xs text-slate-500">Resets {when(item.resets_at)}</p>
    </li>
  );
}

export function AccountSettings() {
  const toast = useToast();
  const sync = useQuery({ queryKey: ["sync-status"], queryFn: api.syncStatus });
  const signedIn = sync.data?.signed_in === true;
  const status = useQuery({ queryKey: ["account-status", sync.data?.server, sync.data?.email], queryFn: api.accountStatus, enabled: signedIn });
  const paid = status.data?.subscription.stripe_subscription_id != null;
  const invoices = useQuery({ queryKey: ["account-invoices", sync.data?.email], queryFn: api.accountInvoices, enabled: signedIn && paid });
  const [picking, setPicking] = useState(false);
  const portal = useMutation({
    mutationFn: api.accountPortal,
    onSuccess: (p) => toast.show(p.opened ? "Stripe's billing page is open in your browser." : `Open ${p.url} to manage billing.`, { tone: "success" }),
    onError: (e: Error) => toast.show(e.message, { tone: "error" }),
  });

  let body;
  if (sync.isPending) {
    body = <Spinner />;
  } else if (!signedIn) {
    body = (
      <p data-testid="account-signed-out" className="text-sm text-slate-600 dark:text-slate-300">
        Not signed in. Sign in under <strong>Sync</strong> (on this page) with your QoderResume account to see your plan, use QoderResume AI without a key of your own, and upgrade to Pro. Local analysis, matching and tracking stay free and need no account.
      </p>
    );
  } else if (status.isPending) {
    body = <Spinner label="Asking the server for your plan…" />;
  } else if (status.isError) {
    const code = (status.error as { code?: string }).code;
    body =
      code === "not_found" ? (
        <p data-testid="account-no-billing" className="text-sm text-slate-600 dark:text-slate-300">
          {sync.data?.server} has no plans or billing (an older or self-hosted server). Sync works as before; for AI, use your own provider keys.
        </p>
      ) : (
        <ErrorView error={status.error} onRetry={() => status.refetch()} />
      );
  } else {
    const s = status.data;
    const sub = s.subscription;
    body = (
      <div className="flex flex-col gap-4">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <div>
            <p className="text-lg font-semibold" data-testid="account-plan">
              {sub.plan.name}{" "}
              <Badge className={sub.status === "active" || sub.status === "trialing" || sub.status === "free" ? "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200" : "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-100"}>
                {sub.status.replace(/_/g, " ")}
              </Badge>
            </p>
            <p className="text-xs text-slate-500">{s.email} on {s.server}</p>
          </div>
          <div className="flex gap-2">
            {sub.plan.id === "free" && (
              <Button data-testid="account-upgrade" onClick={() => setPicking(true)}>
                Upgrade
              </Button>
            )}
            {paid && (
              <Button variant="secondary" data-testid="account-portal" disabled={portal.isPending} onClick={() => portal.mutate()}>
                Manage billing
              </Button>
            )}
          </div>
        </div>
        {sub.current_period_end && (
          <p className="text-sm" data-testid="account-renewal">
            {sub.cancel_at_period_end ? (
              <>Canceled: Pro ends on <strong>{new Date(sub.current_period_end).toLocaleDateString()}</strong>, then the account is on Free.</>
            ) : (
              <>Renews on <strong>{new Date(sub.current_period_end).toLocaleDateString()}</strong>.</>
            )}
          </p>
        )}
        <div>
          <h3 className="mb-2 text-sm font-medium text-slate-700 dark:text-slate-200">QoderResume AI use</h3>
          <ul className="flex flex-col gap-3" data-testid="account-usage">
            {s.usage.items.map((i) => (
              <UsageBar key={i.feature} item={i} />
            ))}
          </ul>
        </div>
        {paid && (
          <div>
            <h3 className="mb-2 text-sm font-medium text-slate-700 dark:text-slate-200">Invoices</h3>
            {invoices.isPending && <Spinner />}
            {invoices.isError && <p className="text-sm text-slate-500">Invoices are not available right now: {invoices.error.message}</p>}
            {invoices.data?.length === 0 && <p className="text-sm text-slate-500">No invoices yet.</p>}
            <ul className="text-sm" data-testid="account-invoices">
              {invoices.data?.map((i) => (
                <li key={i.id} className="flex items-center justify-between gap-2 py-0.5">
                  <span>{new Date(i.created).toLocaleDateString()} · {i.number ?? i.id}</span>
                  <span className="tabular-nums">{money(i.amount_due, i.currency)}</span>
                  <span className="text-slate-500">{i.status ?? ""}</span>
                  {i.hosted_invoice_url ? (
                    <Button variant="ghost" className="!px-2 !py-0.5 text-xs" onClick={() => api.accountOpenPage(i.hosted_invoice_url!).catch((e: Error) => toast.show(e.message, { tone: "error" }))}>
                      View
                    </Button>
                  ) : (
                    <span />
                  )}
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>
    );
  }
  return (
    <Card title="Account" testId="account-settings" className="lg:col-span-2">
      {body}
      {picking && <UpgradePicker onClose={() => setPicking(false)} />}
    </Card>
  );
}
