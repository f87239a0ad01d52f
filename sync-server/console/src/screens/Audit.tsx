import { useState, type FormEvent } from "react";
import { keepPreviousData, useMutation, useQuery } from "@tanstack/react-query";
import { api, download, qs, type AuditPage } from "../api";
import { Badge, Button, Card, Empty, ErrorBox, Input, Label, Loading, PageTitle, Pager, Table, td, Toolbar, usePager, when } from "../ui";

interface Filters {
  actor: string;
  action: string;
  target: string;
  from: string;
  to: string;
}
const none: Filters = { actor: "", action: "", target: "", from: "", to: "" };
const PAGE = 50;

/** A datetime-local value (the admin's time zone) as RFC 3339. */
const iso = (local: string) => (local ? new Date(local).toISOString() : "");

function params(f: Filters) {
  return { actor: f.actor.trim(), action: f.action.trim(), target: f.target.trim(), from: iso(f.from), to: iso(f.to) };
}

/** `user:<uuid>` as `user:0190abcd…` (the whole in the tooltip). */
function short(target: string | null) {
  if (!target) return "–";
  return target.replace(/([0-9a-f]{8})-[0-9a-f-]{27}/i, "$1…");
}

function tone(action: string) {
  if (action.includes("failed") || action.includes("lockout") || action.includes("erased")) return "red" as const;
  if (action.startsWith("admin.")) return "indigo" as const;
  if (action.startsWith("auth.")) return "green" as const;
  return "slate" as const;
}

export function Audit() {
  const [draft, setDraft] = useState<Filters>(none);
  const [filters, setFilters] = useState<Filters>(none);
  const pager = usePager<number>();
  const page = useQuery({
    queryKey: ["audit", filters, pager.cursor],
    queryFn: () => api<AuditPage>("GET", `/api/admin/audit${qs({ ...params(filters), limit: PAGE, before: pager.cursor })}`),
    placeholderData: keepPreviousData,
  });
  const exp = useMutation({
    mutationFn: (format: "csv" | "json") => download(`/api/admin/audit${qs({ ...params(filters), format })}`, `audit.${format}`),
  });
  const apply = (e: FormEvent) => {
    e.preventDefault();
    setFilters(draft);
    pager.reset();
  };
  const set = (k: keyof Filters) => (e: React.ChangeEvent<HTMLInputElement>) => setDraft({ ...draft, [k]: e.target.value });
  const filtered = Object.values(filters).some(Boolean);
  return (
    <div>
      <PageTitle
        title="Audit log"
        sub="Every admin action and security event, newest first. Append-only: no one can edit or delete an entry."
        actions={
          <div className="flex gap-2">
            <Button onClick={() => exp.mutate("csv")} disabled={exp.isPending}>
              Export CSV
            </Button>
            <Button onClick={() => exp.mutate("json")} disabled={exp.isPending}>
              Export JSON
            </Button>
          </div>
        }
      />
      <Card>
        <form onSubmit={apply}>
          <Toolbar>
            <Label text="Action (exact or prefix*)">
              <Input value={draft.action} onChange={set("action")} placeholder="auth.*" name="action" />
            </Label>
            <Label text="Target">
              <Input value={draft.target} onChange={set("target")} placeholder="user:<id> or flag:<key>" name="target" />
            </Label>
            <Label text="Actor (account id)">
              <Input value={draft.actor} onChange={set("actor")} placeholder="uuid" name="actor" className="w-72" />
            </Label>
            <Label text="From">
              <Input type="datetime-local" value={draft.from} onChange={set("from")} name="from" />
            </Label>
            <Label text="To">
              <Input type="datetime-local" value={draft.to} onChange={set("to")} name="to" />
            </Label>
            <Button tone="primary" type="submit">
              Filter
            </Button>
            {filtered && (
              <Button
                type="button"
                tone="ghost"
                onClick={() => {
                  setDraft(none);
                  setFilters(none);
                  pager.reset();
                }}
              >
                Clear
              </Button>
            )}
          </Toolbar>
        </form>
        <ErrorBox error={page.error ?? exp.error} title="The audit log could not be read" />
        {exp.data && <p className="mb-2 text-sm text-emerald-700 dark:text-emerald-400">Downloaded {exp.data}.</p>}
        {page.isPending ? (
          <Loading />
        ) : page.data && page.data.entries.length === 0 ? (
          <Empty title={filtered ? "No entry matches these filters" : "The audit log is empty"} />
        ) : (
          page.data && (
            <>
              <Table head={["When", "Action", "Target", "Actor", "IP", "Details"]}>
                {page.data.entries.map((e) => (
                  <tr key={e.id} data-testid="audit-row">
                    <td className={td + " whitespace-nowrap"}>{when(e.at)}</td>
                    <td className={td}>
                      <Badge tone={tone(e.action)}>{e.action}</Badge>
                    </td>
                    <td className={td + " whitespace-nowrap"}>
                      <code className="text-xs" title={e.target ?? undefined}>
                        {short(e.target)}
                      </code>
                    </td>
                    <td className={td}>
                      <code className="text-xs" title={e.actor ?? "the server"}>
                        {e.actor ? e.actor.slice(0, 8) : "server"}
                      </code>
                    </td>
                    <td className={td + " whitespace-nowrap"}>{e.ip ?? "–"}</td>
                    <td className={td}>
                      <code className="block max-w-xs truncate text-xs text-slate-500 dark:text-slate-400" title={JSON.stringify(e.details, null, 2)}>
                        {JSON.stringify(e.details)}
                      </code>
                    </td>
                  </tr>
                ))}
              </Table>
              <Pager
                page={pager.page}
                count={page.data.entries.length}
                hasNext={page.data.next !== null}
                loading={page.isPlaceholderData}
                onPrev={pager.prev}
                onNext={() => page.data?.next != null && pager.next(page.data.next)}
              />
            </>
          )
        )}
      </Card>
    </div>
  );
}
