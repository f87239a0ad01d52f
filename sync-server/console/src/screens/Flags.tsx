import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, type Flag, type Plan, type UsersPage } from "../api";
import { Badge, Button, Card, Empty, ErrorBox, Input, Label, Loading, PageTitle, Select, Toolbar, cx } from "../ui";

type FlagList = { flags: Flag[] };

function Switch({ on, onChange, label, disabled }: { on: boolean; onChange: (v: boolean) => void; label: string; disabled?: boolean }) {
  return (
    <button
      type="button"
      role="switch"
      aria-checked={on}
      aria-label={label}
      disabled={disabled}
      onClick={() => onChange(!on)}
      className={cx(
        "relative inline-flex h-6 w-11 shrink-0 items-center rounded-full transition disabled:opacity-50",
        on ? "bg-emerald-500" : "bg-slate-300 dark:bg-slate-600",
      )}
    >
      <span className={cx("inline-block h-5 w-5 rounded-full bg-white shadow transition", on ? "translate-x-5" : "translate-x-0.5")} />
    </button>
  );
}

export function Flags() {
  const client = useQueryClient();
  const [filter, setFilter] = useState("");
  const flags = useQuery({ queryKey: ["flags"], queryFn: () => api<FlagList>("GET", "/api/admin/flags") });
  const plans = useQuery({ queryKey: ["plans"], queryFn: () => api<{ plans: Plan[] }>("GET", "/api/billing/plans"), staleTime: Infinity });
  const change = useMutation({
    mutationFn: (c: { method: string; path: string; body?: unknown }) => api<FlagList>(c.method, c.path, c.body),
    onSuccess: (list) => client.setQueryData(["flags"], list),
  });
  const shown = flags.data?.flags.filter((f) => !filter || f.key.includes(filter.toLowerCase()) || f.description.toLowerCase().includes(filter.toLowerCase()));
  return (
    <div>
      <PageTitle title="Feature flags" sub="A default for everyone, overridden per plan, then per account (the most specific wins). Changes apply at once and are audited." />
      <Toolbar>
        <Label text="Filter">
          <Input value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="flag or description" />
        </Label>
      </Toolbar>
      <ErrorBox error={flags.error ?? change.error} title="Flags" />
      {flags.isPending ? (
        <Loading />
      ) : shown && shown.length === 0 ? (
        <Empty title={filter ? "No flag matches" : "No feature flags defined"} />
      ) : (
        <div className="space-y-3">
          {shown?.map((f) => (
            <FlagCard key={f.key} flag={f} plans={plans.data?.plans ?? []} busy={change.isPending} change={change.mutate} />
          ))}
        </div>
      )}
    </div>
  );
}

function FlagCard({
  flag: f,
  plans,
  busy,
  change,
}: {
  flag: Flag;
  plans: Plan[];
  busy: boolean;
  change: (c: { method: string; path: string; body?: unknown }) => void;
}) {
  const [plan, setPlan] = useState("");
  const [email, setEmail] = useState("");
  const [lookup, setLookup] = useState<string | null>(null);
  const base = `/api/admin/flags/${encodeURIComponent(f.key)}`;
  const addUser = async (enabled: boolean) => {
    setLookup(null);
    let page: UsersPage;
    try {
      page = await api<UsersPage>("GET", `/api/admin/users?limit=2&email=${encodeURIComponent(email.trim())}`);
    } catch (e) {
      setLookup(e instanceof Error ? e.message : String(e));
      return;
    }
    const exact = page.users.find((u) => u.email === email.trim().toLowerCase()) ?? (page.users.length === 1 ? page.users[0] : undefined);
    if (!exact) {
      setLookup(page.users.length ? "Several accounts match: type the whole email." : "No account with this email.");
      return;
    }
    change({ method: "PUT", path: `${base}/users/${exact.id}`, body: { enabled } });
    setEmail("");
  };
  return (
    <Card>
      <div className="flex items-start justify-between gap-4" data-testid={`flag-${f.key}`}>
        <div>
          <div className="font-mono text-sm font-semibold">{f.key}</div>
          <div className="mt-0.5 text-sm text-slate-500 dark:text-slate-400">{f.description || "No description."}</div>
        </div>
        <div className="flex items-center gap-2 text-sm">
          <span className="text-slate-500 dark:text-slate-400">Default {f.enabled ? "on" : "off"}</span>
          <Switch on={f.enabled} label={`${f.key} default`} disabled={busy} onChange={(v) => change({ method: "PUT", path: base, body: { enabled: v } })} />
        </div>
      </div>
      <div className="mt-4 grid gap-4 md:grid-cols-2">
        <div>
          <div className="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">Per plan</div>
          <div className="flex flex-wrap gap-2">
            {Object.keys(f.plans).length === 0 && <span className="text-sm text-slate-400">No plan overrides.</span>}
            {Object.entries(f.plans).map(([p, v]) => (
              <span key={p} className="inline-flex items-center gap-1">
                <Badge tone={v ? "green" : "red"}>
                  {p}: {v ? "on" : "off"}
                </Badge>
                <button className="text-xs text-slate-400 hover:text-red-500" aria-label={`Remove ${p} override`} onClick={() => change({ method: "DELETE", path: `${base}/plans/${p}` })}>
                  ✕
                </button>
              </span>
            ))}
          </div>
          <div className="mt-2 flex gap-2">
            <Select value={plan} onChange={(e) => setPlan(e.target.value)} aria-label={`Plan for ${f.key}`}>
              <option value="">Plan…</option>
              {plans.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </Select>
            <Button disabled={!plan || busy} onClick={() => change({ method: "PUT", path: `${base}/plans/${plan}`, body: { enabled: true } })}>
              On
            </Button>
            <Button disabled={!plan || busy} onClick={() => change({ method: "PUT", path: `${base}/plans/${plan}`, body: { enabled: false } })}>
              Off
            </Button>
          </div>
        </div>
        <div>
          <div className="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">Per account</div>
          <div className="flex flex-wrap gap-2">
            {f.users.length === 0 && <span className="text-sm text-slate-400">No account overrides.</span>}
            {f.users.map((u) => (
              <span key={u.user_id} className="inline-flex items-center gap-1">
                <Badge tone={u.enabled ? "green" : "red"}>
                  {u.email}: {u.enabled ? "on" : "off"}
                </Badge>
                <button
                  className="text-xs text-slate-400 hover:text-red-500"
                  aria-label={`Remove ${u.email} override`}
                  onClick={() => change({ method: "DELETE", path: `${base}/users/${u.user_id}` })}
                >
                  ✕
                </button>
              </span>
            ))}
          </div>
          <div className="mt-2 flex gap-2">
            <Input value={email} onChange={(e) => setEmail(e.target.value)} placeholder="account email" aria-label={`Account for ${f.key}`} />
            <Button disabled={!email.trim() || busy} onClick={() => addUser(true)}>
              On
            </Button>
            <Button disabled={!email.trim() || busy} onClick={() => addUser(false)}>
              Off
            </Button>
          </div>
          {lookup && <p className="mt-1 text-sm text-red-600 dark:text-red-400">{lookup}</p>}
        </div>
      </div>
    </Card>
  );
}
