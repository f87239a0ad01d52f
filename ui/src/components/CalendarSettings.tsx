// Settings → Calendars: connect Google Calendar or Outlook (sign-in in the system browser),
// see the last sync and its error, sync now, disconnect (keeping or removing the events).
// Interviews are pushed by the app itself whenever they change.
import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../api";
import type { CalendarAccount } from "../bindings/CalendarAccount";
import type { CalendarProvider } from "../bindings/CalendarProvider";
import { formatDateTime } from "../lib/format";
import { useToast } from "../lib/toast";
import { Button, Card, ErrorView, Modal } from "./ui";

const LABEL: Record<CalendarProvider, string> = { google: "Google Calendar", outlook: "Microsoft Outlook" };
const CLIENT_VAR: Record<CalendarProvider, string> = { google: "GOOGLE_CALENDAR_CLIENT_ID", outlook: "OUTLOOK_CLIENT_ID" };

function Account({ a }: { a: CalendarAccount }) {
  const qc = useQueryClient();
  const toast = useToast();
  const [leaving, setLeaving] = useState(false);
  const refresh = () => qc.invalidateQueries({ queryKey: ["calendar-status"] });
  const connect = useMutation({
    mutationFn: () => api.calendarConnect(a.provider),
    onSuccess: () => {
      refresh();
      toast.show(`${LABEL[a.provider]} connected. Interviews are added to it.`, { tone: "success" });
    },
  });
  const disconnect = useMutation({
    mutationFn: (remove: boolean) => api.calendarDisconnect(a.provider, remove ? "remove" : "keep"),
    onSuccess: (d) => {
      setLeaving(false);
      refresh();
      toast.show(d.removed > 0 ? `${LABEL[a.provider]} disconnected; ${d.removed} event(s) removed.` : `${LABEL[a.provider]} disconnected; its events stay in the calendar.`, { tone: "success" });
    },
    onError: (e: Error) => {
      setLeaving(false);
      toast.show(e.message, { tone: "error" });
    },
  });
  return (
    <li data-testid={`calendar-${a.provider}`} className="rounded border border-slate-200 p-3 text-sm dark:border-slate-700">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <span className="font-medium">{LABEL[a.provider]}</span>
        {a.connected ? (
          <Button variant="secondary" data-testid={`calendar-disconnect-${a.provider}`} onClick={() => setLeaving(true)}>Disconnect</Button>
        ) : connect.isPending ? (
          <span className="flex items-center gap-2">
            <span className="text-slate-500">Waiting for the sign-in in your browser…</span>
            <Button variant="secondary" onClick={() => api.calendarConnectCancel()}>Cancel</Button>
          </span>
        ) : (
          <Button data-testid={`calendar-connect-${a.provider}`} disabled={!a.configured} onClick={() => connect.mutate()}>Connect</Button>
        )}
      </div>
      {!a.connected && !a.configured && (
        <p className="mt-1 text-xs text-slate-500">Needs an OAuth client: set <code>{CLIENT_VAR[a.provider]}</code> (see the README, “Calendars”).</p>
      )}
      {connect.isError && <div className="mt-2"><ErrorView error={connect.error} /></div>}
      {a.connected && (
        <dl className="mt-2 grid grid-cols-[9rem_1fr] gap-1 text-xs">
          <dt className="text-slate-500">Events</dt>
          <dd data-testid={`calendar-events-${a.provider}`}>{a.events} interview(s){a.waiting > 0 ? `, ${a.waiting} change(s) waiting` : ""}</dd>
          <dt className="text-slate-500">Last sync</dt>
          <dd>{a.last_sync_at ? formatDateTime(a.last_sync_at) : "not yet"}</dd>
          <dt className="text-slate-500">Last success</dt>
          <dd>{a.last_success_at ? formatDateTime(a.last_success_at) : "not yet"}</dd>
          <dt className="text-slate-500">Sign-in kept in</dt>
          <dd>{a.token_store === "keychain" ? "the system keychain" : "the data folder (no keychain)"}</dd>
        </dl>
      )}
      {a.connected && a.last_error && (
        <p role="alert" data-testid={`calendar-error-${a.provider}`} className="mt-2 rounded bg-rose-50 p-2 text-xs text-rose-900 dark:bg-rose-950 dark:text-rose-100">
          {a.last_error} It is tried again on the next sync.
        </p>
      )}
      {leaving && (
        <Modal title={`Disconnect ${LABEL[a.provider]}?`} onClose={() => setLeaving(false)}>
          <p className="text-sm">QoderResume stops adding interviews to this calendar. The events it added stay there unless you remove them.</p>
          <div className="mt-4 flex flex-wrap justify-end gap-2">
            <Button variant="secondary" onClick={() => setLeaving(false)}>Cancel</Button>
            <Button variant="secondary" data-testid="calendar-remove-events" disabled={disconnect.isPending} onClick={() => disconnect.mutate(true)}>Disconnect and remove {a.events} event(s)</Button>
            <Button data-testid="calendar-keep-events" disabled={disconnect.isPending} onClick={() => disconnect.mutate(false)}>Disconnect, keep the events</Button>
          </div>
        </Modal>
      )}
    </li>
  );
}

export function CalendarSettings() {
  const qc = useQueryClient();
  const toast = useToast();
  const status = useQuery({ queryKey: ["calendar-status"], queryFn: api.calendarStatus });
  const sync = useMutation({
    mutationFn: api.calendarSync,
    onSuccess: (reports) => {
      qc.invalidateQueries({ queryKey: ["calendar-status"] });
      const bad = reports.find((r) => r.error || r.failed.length > 0);
      if (bad) toast.show(`${LABEL[bad.provider]}: ${bad.error ?? bad.failed[0].message}`, { tone: "error" });
      else {
        const n = reports.reduce((s, r) => s + r.created + r.updated + r.deleted + r.recreated, 0);
        toast.show(n === 0 ? "Calendars are up to date." : `Calendars updated: ${n} event(s) written.`, { tone: "success" });
      }
    },
    onError: (e: Error) => toast.show(e.message, { tone: "error" }),
  });
  const anyConnected = status.data?.accounts.some((a) => a.connected) ?? false;
  return (
    <Card
      title="Calendars"
      testId="calendar-settings"
      actions={anyConnected ? <Button variant="secondary" data-testid="calendar-sync-now" disabled={sync.isPending} onClick={() => sync.mutate()}>{sync.isPending ? "Syncing…" : "Sync now"}</Button> : undefined}
    >
      <p className="mb-3 text-sm text-slate-600 dark:text-slate-300">Interviews you schedule here appear in your calendar and follow every change. Signing in happens in your browser; the sign-in is kept in the system keychain.</p>
      {status.isError ? (
        <ErrorView error={status.error} onRetry={() => status.refetch()} />
      ) : (
        <ul className="grid gap-2">
          {status.data?.accounts.map((a) => <Account key={a.provider} a={a} />)}
        </ul>
      )}
    </Card>
  );
}
