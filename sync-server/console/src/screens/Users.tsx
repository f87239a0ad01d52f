import { useState, type FormEvent } from "react";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, download, qs, type ErasureReceipt, type Plan, type UserDetail, type UsersPage } from "../api";
import {
  Badge,
  bytes,
  Button,
  Card,
  day,
  Drawer,
  Empty,
  ErrorBox,
  Input,
  int,
  Label,
  Loading,
  Modal,
  PageTitle,
  Pager,
  Select,
  Table,
  td,
  Toolbar,
  usd,
  usePager,
  when,
} from "../ui";

interface Filters {
  email: string;
  plan: string;
  disabled: string;
}

const PAGE = 25;

function usePlans() {
  return useQuery({
    queryKey: ["plans"],
    queryFn: () => api<{ plans: Plan[] }>("GET", "/api/billing/plans"),
    staleTime: Infinity,
  });
}

export function Users() {
  const [draft, setDraft] = useState<Filters>({ email: "", plan: "", disabled: "" });
  const [filters, setFilters] = useState<Filters>(draft);
  const pager = usePager<string>();
  const [open, setOpen] = useState<string | null>(null);
  const plans = usePlans();
  const users = useQuery({
    queryKey: ["users", filters, pager.cursor],
    queryFn: () =>
      api<UsersPage>(
        "GET",
        `/api/admin/users${qs({ limit: PAGE, email: filters.email.trim(), plan: filters.plan, disabled: filters.disabled, after: pager.cursor })}`,
      ),
    placeholderData: keepPreviousData,
  });
  const search = (e: FormEvent) => {
    e.preventDefault();
    setFilters(draft);
    pager.reset();
  };
  const filtered = filters.email || filters.plan || filters.disabled;
  return (
    <div>
      <PageTitle title="Users" sub="Accounts, their plans and devices. Synced content stays encrypted and is never shown." />
      <Card>
        <form onSubmit={search}>
          <Toolbar>
            <Label text="Email contains">
              <Input value={draft.email} onChange={(e) => setDraft({ ...draft, email: e.target.value })} placeholder="e.g. example.com" name="email" />
            </Label>
            <Label text="Plan">
              <Select value={draft.plan} onChange={(e) => setDraft({ ...draft, plan: e.target.value })} name="plan">
                <option value="">Any plan</option>
                {plans.data?.plans.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </Select>
            </Label>
            <Label text="State">
              <Select value={draft.disabled} onChange={(e) => setDraft({ ...draft, disabled: e.target.value })} name="state">
                <option value="">Any state</option>
                <option value="false">Enabled</option>
                <option value="true">Disabled</option>
              </Select>
            </Label>
            <Button tone="primary" type="submit">
              Search
            </Button>
          </Toolbar>
        </form>
        <ErrorBox error={users.error} title="Could not list the accounts" />
        {users.isPending ? (
          <Loading />
        ) : users.data && users.data.users.length === 0 ? (
          <Empty title={filtered ? "No account matches these filters" : "No accounts yet"}>
            {filtered ? "Change or clear the filters." : "Accounts appear here once people register from the app."}
          </Empty>
        ) : (
          users.data && (
            <>
              <Table head={["Email", "Plan", "Role", "Devices", "Records", "Last seen", "State"]}>
                {users.data.users.map((u) => (
                  <tr
                    key={u.id}
                    onClick={() => setOpen(u.id)}
                    className="cursor-pointer hover:bg-slate-50 dark:hover:bg-slate-800/60"
                    data-testid="user-row"
                  >
                    <td className={td + " font-medium"}>{u.email}</td>
                    <td className={td}>{u.plan}</td>
                    <td className={td}>{u.role === "admin" ? <Badge tone="indigo">admin</Badge> : "user"}</td>
                    <td className={td + " tabular-nums"}>{u.devices}</td>
                    <td className={td + " tabular-nums"}>{int(u.records)}</td>
                    <td className={td + " whitespace-nowrap"}>{when(u.last_seen)}</td>
                    <td className={td}>{u.disabled_at ? <Badge tone="red">disabled</Badge> : <Badge tone="green">enabled</Badge>}</td>
                  </tr>
                ))}
              </Table>
              <Pager
                page={pager.page}
                count={users.data.users.length}
                hasNext={!!users.data.next}
                loading={users.isPlaceholderData}
                onPrev={pager.prev}
                onNext={() => users.data?.next && pager.next(users.data.next)}
              />
            </>
          )
        )}
      </Card>
      {open && <UserDrawer id={open} onClose={() => setOpen(null)} plans={plans.data?.plans ?? []} />}
    </div>
  );
}

function UserDrawer({ id, onClose, plans }: { id: string; onClose: () => void; plans: Plan[] }) {
  const client = useQueryClient();
  const detail = useQuery({ queryKey: ["user", id], queryFn: () => api<UserDetail>("GET", `/api/admin/users/${id}`) });
  const [reason, setReason] = useState("");
  const [erasing, setErasing] = useState(false);
  const [receipt, setReceipt] = useState<ErasureReceipt | null>(null);
  const [exported, setExported] = useState<string | null>(null);
  const done = (d: UserDetail) => {
    client.setQueryData(["user", id], d);
    client.invalidateQueries({ queryKey: ["users"] });
  };
  const toggle = useMutation({
    mutationFn: (disable: boolean) =>
      api<UserDetail>("POST", `/api/admin/users/${id}/${disable ? "disable" : "enable"}`, disable ? { reason: reason || undefined } : undefined),
    onSuccess: done,
  });
  const plan = useMutation({
    mutationFn: (plan_id: string | null) => api<UserDetail>("PUT", `/api/admin/users/${id}/plan`, { plan_id }),
    onSuccess: done,
  });
  const exp = useMutation({ mutationFn: () => download(`/api/admin/users/${id}/export`, `qoder-account-${id}.zip`), onSuccess: setExported });
  const d = detail.data;
  const error = toggle.error ?? plan.error ?? exp.error;
  return (
    <Drawer title={d?.email ?? "Account"} onClose={onClose}>
      <ErrorBox error={detail.error} title="Could not read the account" />
      {receipt ? (
        <div className="space-y-3" data-testid="erasure-receipt">
          <div className="rounded-lg border border-emerald-200 bg-emerald-50 p-3 text-sm text-emerald-900 dark:border-emerald-900 dark:bg-emerald-950/50 dark:text-emerald-200">
            The account was erased. Keep this receipt: <code className="text-xs">{receipt.receipt_id}</code>
          </div>
          <Table head={["Deleted", "Rows"]}>
            {Object.entries(receipt.deleted).map(([k, v]) => (
              <tr key={k}>
                <td className={td}>{k}</td>
                <td className={td + " tabular-nums"}>{v}</td>
              </tr>
            ))}
          </Table>
          {receipt.notes.map((n) => (
            <p key={n} className="text-sm text-slate-600 dark:text-slate-400">
              {n}
            </p>
          ))}
        </div>
      ) : detail.isPending ? (
        <Loading />
      ) : (
        d && (
          <div className="space-y-5 text-sm">
            <div className="flex flex-wrap gap-2">
              {d.disabled_at ? <Badge tone="red">disabled {day(d.disabled_at)}</Badge> : <Badge tone="green">enabled</Badge>}
              <Badge tone={d.role === "admin" ? "indigo" : "slate"}>{d.role}</Badge>
              <Badge tone="amber">
                {d.plan.id} ({d.plan.source})
              </Badge>
            </div>
            <dl className="grid grid-cols-2 gap-x-4 gap-y-2">
              {[
                ["Created", when(d.created_at)],
                ["Last seen", when(d.last_seen)],
                ["Records", int(d.records)],
                ["Ciphertext", bytes(d.ciphertext_bytes)],
                ["Hosted AI (30 days)", `${int(d.ai_calls_30d)} calls · ${usd(d.ai_cost_usd_30d)}`],
                ["Subscription", d.plan.subscription_status ?? "none"],
              ].map(([k, v]) => (
                <div key={k}>
                  <dt className="text-xs text-slate-500 dark:text-slate-400">{k}</dt>
                  <dd className="font-medium">{v}</dd>
                </div>
              ))}
            </dl>
            <ErrorBox error={error} title="The action failed" />
            {exported && <p className="text-emerald-700 dark:text-emerald-400">Downloaded {exported}.</p>}

            <Section title="Access">
              {d.disabled_at ? (
                <Button onClick={() => toggle.mutate(false)} disabled={toggle.isPending}>
                  Enable account
                </Button>
              ) : (
                <div className="flex flex-wrap items-end gap-2">
                  <Label text="Reason (optional, in the audit log)">
                    <Input value={reason} onChange={(e) => setReason(e.target.value)} placeholder="e.g. abuse report #42" />
                  </Label>
                  <Button tone="danger" onClick={() => toggle.mutate(true)} disabled={toggle.isPending}>
                    Disable account
                  </Button>
                </div>
              )}
              <p className="mt-1 text-xs text-slate-500">Disabling signs out every device and refuses new sign-ins.</p>
            </Section>

            <Section title="Plan override">
              <div className="flex items-end gap-2">
                <Select
                  aria-label="Plan override"
                  value={d.plan_override ?? ""}
                  onChange={(e) => plan.mutate(e.target.value || null)}
                  disabled={plan.isPending}
                >
                  <option value="">No override (billing decides)</option>
                  {plans.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name}
                    </option>
                  ))}
                </Select>
              </div>
            </Section>

            <Section title="Usage this period">
              {d.usage.length === 0 ? (
                <p className="text-slate-500">No metered usage.</p>
              ) : (
                <Table head={["Feature", "Used", "Limit", "Resets"]}>
                  {d.usage.map((u) => (
                    <tr key={u.feature}>
                      <td className={td}>{u.feature}</td>
                      <td className={td + " tabular-nums"}>{u.used}</td>
                      <td className={td}>{u.limit ?? "unlimited"} / {u.period}</td>
                      <td className={td}>{when(u.resets_at)}</td>
                    </tr>
                  ))}
                </Table>
              )}
            </Section>

            <Section title={`Devices (${d.devices.length})`}>
              {d.devices.length === 0 ? (
                <p className="text-slate-500">No devices.</p>
              ) : (
                <Table head={["Device", "Added", "Last seen", ""]}>
                  {d.devices.map((v) => (
                    <tr key={v.id}>
                      <td className={td}>
                        <code className="text-xs">{v.id.slice(0, 8)}</code>
                      </td>
                      <td className={td}>{day(v.created_at)}</td>
                      <td className={td}>{when(v.last_seen)}</td>
                      <td className={td}>{v.signed_in ? <Badge tone="green">signed in</Badge> : <Badge>signed out</Badge>}</td>
                    </tr>
                  ))}
                </Table>
              )}
            </Section>

            {Object.keys(d.flag_overrides).length > 0 && (
              <Section title="Feature flags set for this account">
                <div className="flex flex-wrap gap-2">
                  {Object.entries(d.flag_overrides).map(([k, v]) => (
                    <Badge key={k} tone={v ? "green" : "slate"}>
                      {k}: {v ? "on" : "off"}
                    </Badge>
                  ))}
                </div>
              </Section>
            )}

            <Section title="GDPR">
              <div className="flex flex-wrap gap-2">
                <Button onClick={() => exp.mutate()} disabled={exp.isPending}>
                  {exp.isPending ? "Preparing…" : "Download export (zip)"}
                </Button>
                <Button tone="danger" onClick={() => setErasing(true)} disabled={d.role === "admin"} title={d.role === "admin" ? "Revoke the admin role first" : undefined}>
                  Erase account…
                </Button>
              </div>
              <p className="mt-1 text-xs text-slate-500">
                The export is everything the server holds about the account, as readable JSON (ciphertext marked as such). Both are audited.
              </p>
            </Section>
          </div>
        )
      )}
      {erasing && d && (
        <EraseDialog
          detail={d}
          onCancel={() => setErasing(false)}
          onErased={(r) => {
            setErasing(false);
            setReceipt(r);
            client.invalidateQueries({ queryKey: ["users"] });
            client.invalidateQueries({ queryKey: ["stats"] });
          }}
        />
      )}
    </Drawer>
  );
}

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section>
      <h3 className="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">{title}</h3>
      {children}
    </section>
  );
}

function EraseDialog({ detail, onCancel, onErased }: { detail: UserDetail; onCancel: () => void; onErased: (r: ErasureReceipt) => void }) {
  const [typed, setTyped] = useState("");
  const erase = useMutation({
    mutationFn: () => api<ErasureReceipt>("DELETE", `/api/admin/users/${detail.id}`),
    onSuccess: onErased,
  });
  return (
    <Modal title="Erase this account?">
      <p className="text-sm text-slate-600 dark:text-slate-300">
        This deletes <strong>{detail.email}</strong>, its devices and all {int(detail.records)} synced records for good. It cannot be undone. Type the
        email to confirm.
      </p>
      <Input className="mt-3 w-full" value={typed} onChange={(e) => setTyped(e.target.value)} placeholder={detail.email} aria-label="Type the email to confirm" />
      <div className="mt-3">
        <ErrorBox error={erase.error} title="Not erased" />
      </div>
      <div className="mt-4 flex justify-end gap-2">
        <Button onClick={onCancel}>Cancel</Button>
        <Button tone="danger" disabled={typed.trim().toLowerCase() !== detail.email.toLowerCase() || erase.isPending} onClick={() => erase.mutate()}>
          Erase for good
        </Button>
      </div>
    </Modal>
  );
}
