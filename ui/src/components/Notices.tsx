// Due reminders and interviews: the sidebar's "Due now" button with its count, and the list
// where each can be snoozed or marked done. The notifier in the shell raises the system
// notifications; this list is the same items inside the app. What fell due while the app was
// closed opens the list at launch, headed "While you were away".
import { useEffect, useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../api";
import type { Notice } from "../bindings/Notice";
import { on } from "../lib/events";
import { formatDateTime } from "../lib/format";
import { href } from "../lib/router";
import { useToast } from "../lib/toast";
import { Badge, Button, EmptyState, Modal } from "./ui";

/** Snooze choices: minutes from now, and "tomorrow at 9:00" computed when chosen. */
export const SNOOZES: { label: string; minutes: () => number }[] = [
  { label: "10 minutes", minutes: () => 10 },
  { label: "1 hour", minutes: () => 60 },
  {
    label: "Tomorrow 9:00",
    minutes: () => {
      const t = new Date();
      t.setDate(t.getDate() + 1);
      t.setHours(9, 0, 0, 0);
      return Math.max(1, Math.round((t.getTime() - Date.now()) / 60000));
    },
  },
];

function NoticeRow({ n, onChanged }: { n: Notice; onChanged: (list: Notice[]) => void }) {
  const toast = useToast();
  const onError = (e: Error) => toast.show(e.message, { tone: "error" });
  const snooze = useMutation({ mutationFn: (minutes: number) => api.noticeSnooze(n.kind, n.item_id, minutes), onSuccess: onChanged, onError });
  const done = useMutation({ mutationFn: () => api.noticeDone(n.kind, n.item_id), onSuccess: onChanged, onError });
  const busy = snooze.isPending || done.isPending;
  return (
    <li className="flex items-start justify-between gap-3 py-3" data-testid="notice">
      <div className="min-w-0">
        <div className="flex items-center gap-2 text-sm font-medium">
          <span>{n.title}</span>
          {n.missed && <Badge className="bg-amber-100 text-amber-800 dark:bg-amber-900 dark:text-amber-100">missed</Badge>}
        </div>
        <p className="truncate text-sm text-slate-600 dark:text-slate-300">{n.body}</p>
        <p className="text-xs text-slate-500">
          {n.kind === "interview" ? "Starts" : "Due"} {formatDateTime(n.at)}
          {n.job_id && (
            <>
              {" · "}
              <a className="text-indigo-600 underline dark:text-indigo-300" href={href({ screen: "job", jobId: n.job_id })}>Open the job</a>
            </>
          )}
        </p>
      </div>
      <div className="flex shrink-0 items-center gap-1">
        <select
          aria-label={`Snooze ${n.title}`}
          data-testid="notice-snooze"
          disabled={busy}
          className="rounded-md border border-slate-300 bg-white px-2 py-1 text-xs dark:border-slate-700 dark:bg-slate-800"
          value=""
          onChange={(e) => {
            const s = SNOOZES.find((x) => x.label === e.target.value);
            if (s) snooze.mutate(s.minutes());
          }}
        >
          <option value="" disabled>Snooze…</option>
          {SNOOZES.map((s) => (
            <option key={s.label} value={s.label}>{s.label}</option>
          ))}
        </select>
        <Button variant="secondary" className="!px-2 !py-1 text-xs" data-testid="notice-done" disabled={busy} onClick={() => done.mutate()}>
          Done
        </Button>
      </div>
    </li>
  );
}

export function NoticesButton() {
  const qc = useQueryClient();
  const toast = useToast();
  const list = useQuery({ queryKey: ["notices"], queryFn: api.noticeList, refetchInterval: 60_000 });
  const [open, setOpen] = useState(false);
  const [away, setAway] = useState(false);
  const [launchChecked, setLaunchChecked] = useState(false);

  // At launch, what fell due while the app was closed opens the list (state adjusted during
  // render, once, when the first answer arrives).
  if (!launchChecked && list.data) {
    setLaunchChecked(true);
    if (list.data.some((n) => n.missed)) {
      setAway(true);
      setOpen(true);
    }
  }

  useEffect(() => {
    const unlisten = on("notices-due", (p) => {
      qc.invalidateQueries({ queryKey: ["notices"] });
      const fresh = p.notices.filter((n) => !n.missed);
      if (fresh.length === 1) toast.show(`${fresh[0].title}: ${fresh[0].body}`, { action: { label: "Show", onClick: () => setOpen(true) }, durationMs: 8000 });
      else if (fresh.length > 1) toast.show(`${fresh.length} reminders and interviews are due.`, { action: { label: "Show", onClick: () => setOpen(true) }, durationMs: 8000 });
    });
    return () => {
      unlisten.then((f) => f()).catch(() => {});
    };
  }, [qc, toast]);

  const items = list.data ?? [];
  const changed = (next: Notice[]) => {
    qc.setQueryData(["notices"], next);
    qc.invalidateQueries({ queryKey: ["jobs"] });
    qc.invalidateQueries({ queryKey: ["dashboard"] });
  };
  const close = () => {
    setOpen(false);
    setAway(false);
  };
  return (
    <>
      <button
        type="button"
        data-testid="notices-button"
        onClick={() => setOpen(true)}
        className="mt-4 flex items-center justify-between rounded-md px-3 py-2 text-sm font-medium text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"
      >
        <span className="flex items-center gap-3">
          <span aria-hidden className="w-4 text-center">⏰</span>
          Due now
        </span>
        {items.length > 0 && (
          <span data-testid="notices-count" className="rounded-full bg-rose-600 px-2 py-0.5 text-xs font-semibold text-white">
            {items.length}
          </span>
        )}
      </button>
      {open && (
        <Modal title={away ? "While you were away" : "Due now"} onClose={close}>
          {away && <p className="mb-2 text-sm text-slate-600 dark:text-slate-300">These fell due while QoderResume was closed.</p>}
          {items.length === 0 ? (
            <EmptyState testId="notices-empty" title="Nothing is due" body="Reminders and interviews show here when they fall due, with a desktop notification." />
          ) : (
            <ul className="divide-y divide-slate-200 dark:divide-slate-800" data-testid="notices-list">
              {items.map((n) => (
                <NoticeRow key={`${n.kind}:${n.item_id}`} n={n} onChanged={changed} />
              ))}
            </ul>
          )}
        </Modal>
      )}
    </>
  );
}
