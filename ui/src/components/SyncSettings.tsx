// Settings → Sync: sign in to a sync server, turn sync on/off, sync now, see what is waiting,
// and read conflict copies. Everything is encrypted on this computer before it is sent.
import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../api";
import type { SyncStatus } from "../bindings/SyncStatus";
import { formatDateTime } from "../lib/format";
import { useToast } from "../lib/toast";
import { useFlags } from "../lib/flags";
import { Button, Card, ErrorView, Field, SYNC_HINTS, inputClass } from "./ui";

function SignInForm() {
  const qc = useQueryClient();
  const toast = useToast();
  const [server, setServer] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [create, setCreate] = useState(false);
  const login = useMutation({
    mutationFn: () => api.syncLogin({ server: server.trim(), email: email.trim(), password, create }),
    onSuccess: (s) => {
      setPassword("");
      qc.setQueryData(["sync-status"], s);
      toast.show("Signed in. The first sync starts now.", { tone: "success" });
    },
  });
  const ready = server.trim() !== "" && email.includes("@") && password.length > 0;
  return (
    <form
      aria-label="Sign in to sync"
      className="grid gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        login.mutate();
      }}
    >
      <p className="text-sm text-slate-600 dark:text-slate-300">
        Sync keeps your resumes, versions and applications the same on your computers. They are encrypted here with a key made from your password; the server only ever stores ciphertext.
      </p>
      <Field label="Server">
        <input data-testid="sync-server" className={inputClass} value={server} onChange={(e) => setServer(e.target.value)} placeholder="https://sync.example.com" autoComplete="url" />
      </Field>
      <Field label="Email">
        <input data-testid="sync-email" type="email" className={inputClass} value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="username" />
      </Field>
      <Field label="Password" hint="Used to unlock your key; never stored or sent. At least 8 characters; a long passphrase is best.">
        <input data-testid="sync-password" type="password" className={inputClass} value={password} onChange={(e) => setPassword(e.target.value)} autoComplete={create ? "new-password" : "current-password"} />
      </Field>
      <label className="flex items-center gap-2 text-sm">
        <input data-testid="sync-create" type="checkbox" checked={create} onChange={(e) => setCreate(e.target.checked)} />
        This is my first device: create the account
      </label>
      {login.isError && <ErrorView hints={SYNC_HINTS} error={login.error} />}
      <div>
        <Button data-testid="sync-submit" type="submit" disabled={!ready || login.isPending}>
          {login.isPending ? "Signing in…" : create ? "Create account and sign in" : "Sign in"}
        </Button>
      </div>
    </form>
  );
}

function Conflicts() {
  const list = useQuery({ queryKey: ["sync-status", "conflicts"], queryFn: api.syncConflicts });
  if (list.isError) return <ErrorView hints={SYNC_HINTS} error={list.error} />;
  if (!list.data?.length) return null;
  return (
    <details className="mt-2 text-sm" data-testid="sync-conflicts">
      <summary className="cursor-pointer">Conflict copies ({list.data.length}): edits made on two devices at once; the newer one is shown, the other is kept here</summary>
      <ul className="mt-2 grid gap-2">
        {list.data.map((c) => (
          <li key={`${c.entity}-${c.field}-${c.at}-${c.device_id}`} className="rounded border border-slate-200 p-2 dark:border-slate-700">
            <p className="text-xs text-slate-500">{c.collection} · {c.field} · {formatDateTime(c.at)}</p>
            <p className="whitespace-pre-wrap">{c.value}</p>
            <Button variant="secondary" className="mt-1" onClick={() => navigator.clipboard?.writeText(c.value)}>Copy</Button>
          </li>
        ))}
      </ul>
    </details>
  );
}

function Security() {
  const toast = useToast();
  const [code, setCode] = useState<string | null>(null);
  const [oldPw, setOldPw] = useState("");
  const [newPw, setNewPw] = useState("");
  const [codePw, setCodePw] = useState("");
  const recovery = useMutation({
    mutationFn: () => api.syncRecoveryCode(codePw),
    onSuccess: (c: string) => {
      setCodePw("");
      setCode(c);
    },
  });
  const change = useMutation({
    mutationFn: () => api.syncChangePassword({ oldPassword: oldPw, newPassword: newPw }),
    onSuccess: () => {
      setOldPw("");
      setNewPw("");
      toast.show("Password changed. Sign in again on your other computers with the new one.", { tone: "success" });
    },
  });
  return (
    <details className="mt-2 text-sm" data-testid="sync-security">
      <summary className="cursor-pointer">Recovery code and password</summary>
      <div className="mt-2 grid gap-3">
        <div>
          <p className="text-slate-600 dark:text-slate-300">A recovery code opens your synced data on a new computer if the key stored under your password cannot be opened. Making a new one replaces the old one, which needs your password.</p>
          {code ? (
            <div className="mt-2 rounded border border-amber-300 bg-amber-50 p-2 dark:border-amber-800 dark:bg-amber-950">
              <p className="font-mono text-base font-semibold tracking-wider text-slate-900 dark:text-amber-50" data-testid="recovery-code">{code}</p>
              <p className="mt-1 text-xs">Write it down and keep it somewhere safe. It is not shown again.</p>
              <Button variant="secondary" className="mt-1" onClick={() => navigator.clipboard?.writeText(code)}>Copy</Button>
            </div>
          ) : (
            <div className="mt-2 flex flex-wrap items-end gap-2">
              <label className="grid gap-1 text-xs text-slate-600 dark:text-slate-300">
                Password (only to replace an existing code)
                <input
                  type="password"
                  autoComplete="current-password"
                  className="rounded border border-slate-300 px-2 py-1 text-sm dark:border-slate-600 dark:bg-slate-900"
                  value={codePw}
                  onChange={(e) => setCodePw(e.target.value)}
                  data-testid="recovery-password"
                />
              </label>
              <Button variant="secondary" onClick={() => recovery.mutate()} disabled={recovery.isPending}>
                {recovery.isPending ? "Making a code…" : "Make a recovery code"}
              </Button>
            </div>
          )}
          {recovery.isError && <ErrorView hints={SYNC_HINTS} error={recovery.error} />}
        </div>
        <form
          aria-label="Change the sync password"
          className="grid gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            change.mutate();
          }}
        >
          <Field label="Current password">
            <input type="password" className={inputClass} value={oldPw} onChange={(e) => setOldPw(e.target.value)} autoComplete="current-password" />
          </Field>
          <Field label="New password" hint="At least 8 characters. Your data is not re-encrypted; the key is re-wrapped under the new password.">
            <input type="password" className={inputClass} value={newPw} onChange={(e) => setNewPw(e.target.value)} autoComplete="new-password" />
          </Field>
          {change.isError && <ErrorView hints={SYNC_HINTS} error={change.error} />}
          <div>
            <Button variant="secondary" type="submit" disabled={!oldPw || newPw.length < 8 || change.isPending}>
              {change.isPending ? "Changing…" : "Change password"}
            </Button>
          </div>
        </form>
      </div>
    </details>
  );
}

function Account({ s }: { s: SyncStatus }) {
  const flag = useFlags();
  const allowed = flag("sync");
  const qc = useQueryClient();
  const toast = useToast();
  const set = (next: SyncStatus) => qc.setQueryData(["sync-status"], next);
  const onError = (e: Error) => toast.show(e.message, { tone: "error" });
  const now = useMutation({
    mutationFn: api.syncNow,
    onSuccess: (r) => {
      qc.invalidateQueries();
      toast.show(`Synced: sent ${r.pushed}, received ${r.pulled}${r.conflicts ? `, ${r.conflicts} conflict copies` : ""}.`, { tone: "success" });
    },
    onError: (e: Error) => {
      qc.invalidateQueries({ queryKey: ["sync-status"] });
      onError(e);
    },
  });
  const toggle = useMutation({ mutationFn: (on: boolean) => api.syncSetEnabled(on), onSuccess: set, onError });
  const logout = useMutation({
    mutationFn: api.syncLogout,
    onSuccess: (next) => {
      set(next);
      toast.show("Signed out. Your data stays on this computer.", { tone: "success" });
    },
    onError,
  });
  return (
    <div className="grid gap-2 text-sm">
      <dl className="grid grid-cols-[8rem_1fr] gap-1">
        <dt className="text-slate-500">Account</dt>
        <dd>{s.email}</dd>
        <dt className="text-slate-500">Server</dt>
        <dd className="font-mono text-xs">{s.server}</dd>
        <dt className="text-slate-500">Last sync</dt>
        <dd data-testid="sync-last">{s.last_sync_at ? formatDateTime(s.last_sync_at) : "Not yet"}</dd>
        <dt className="text-slate-500">Waiting to send</dt>
        <dd>{s.waiting === 0 ? "Nothing" : `${s.waiting} change(s)`}</dd>
      </dl>
      {!allowed && (
        <p data-testid="sync-flag-off" className="rounded bg-amber-50 p-2 text-amber-900 dark:bg-amber-950 dark:text-amber-100">
          Device sync is turned off for this account by the service. Your data stays on this computer; nothing is sent or received until it is turned back on.
        </p>
      )}
      {!s.enabled && <p className="rounded bg-amber-50 p-2 text-amber-900 dark:bg-amber-950 dark:text-amber-100">Sync is off on this computer. Your edits are kept and sent when you turn it back on.</p>}
      {s.last_error && (
        <p role="alert" className="rounded bg-rose-50 p-2 text-rose-900 dark:bg-rose-950 dark:text-rose-100">
          Last attempt failed: {s.last_error}. It is retried automatically.
        </p>
      )}
      {s.pending > 0 && <p className="text-slate-500">{s.pending} received item(s) wait for what they belong to.</p>}
      {s.set_aside > 0 && (
        <p className="text-amber-700" data-testid="sync-set-aside">
          {s.set_aside} received item(s) could not be opened (another key or damaged) and were set aside; sync goes on without them.
        </p>
      )}
      <div className="flex flex-wrap gap-2">
        <Button data-testid="sync-now" onClick={() => now.mutate()} disabled={!s.enabled || !allowed || now.isPending}>{now.isPending ? "Syncing…" : "Sync now"}</Button>
        <Button variant="secondary" onClick={() => toggle.mutate(!s.enabled)} disabled={toggle.isPending}>{s.enabled ? "Turn sync off" : "Turn sync on"}</Button>
        <Button variant="secondary" data-testid="sync-logout" onClick={() => logout.mutate()} disabled={logout.isPending}>Sign out</Button>
      </div>
      {s.conflicts > 0 && <Conflicts />}
      <Security />
    </div>
  );
}

export function SyncSettings() {
  const status = useQuery({ queryKey: ["sync-status"], queryFn: api.syncStatus });
  return (
    <Card title="Sync" testId="sync-settings">
      {status.isError ? <ErrorView hints={SYNC_HINTS} error={status.error} onRetry={() => status.refetch()} /> : !status.data ? null : status.data.signed_in ? <Account s={status.data} /> : <SignInForm />}
    </Card>
  );
}
