import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { save } from "@tauri-apps/plugin-dialog";
import { api } from "../api";
import { AccountSettings } from "../components/AccountSettings";
import { CalendarSettings } from "../components/CalendarSettings";
import { SyncSettings } from "../components/SyncSettings";
import { Button, Card, ErrorView, Field, Modal, PageHeader, Spinner, inputClass } from "../components/ui";
import { useTheme, type Theme } from "../lib/theme";
import { useFlags } from "../lib/flags";
import { useToast } from "../lib/toast";
import type { Settings } from "../bindings/Settings";

/** "Use QoderResume AI": the hosted AI of the signed-in account, asked before the user's own
 * keys. Turning it on first says what it sends (resume text, never contact details). */
function HostedAi({ on, notice }: { on: boolean; notice: string }) {
  const qc = useQueryClient();
  const toast = useToast();
  const [asking, setAsking] = useState(false);
  const set = useMutation({
    mutationFn: (v: boolean) => api.aiSetHosted(v),
    onSuccess: (_, v) => {
      setAsking(false);
      qc.invalidateQueries({ queryKey: ["ai-status"] });
      toast.show(v ? "QoderResume AI is on." : "QoderResume AI is off.", { tone: "success" });
    },
    onError: (e: Error) => {
      setAsking(false);
      toast.show(e.message, { tone: "error" });
    },
  });
  return (
    <div data-testid="hosted-ai" className="mb-3 flex flex-wrap items-center justify-between gap-2 rounded-lg border border-indigo-200 bg-indigo-50/60 p-3 text-sm dark:border-indigo-900 dark:bg-indigo-950/40">
      <span>
        <span className="font-medium">QoderResume AI</span>{" "}
        {on ? "is on: asked first, with your own keys after it. Uses your account's plan." : "works with your QoderResume account (sign in under Sync), no key of your own needed."}
      </span>
      {on ? (
        <Button variant="secondary" data-testid="hosted-ai-off" disabled={set.isPending} onClick={() => set.mutate(false)}>Turn off</Button>
      ) : (
        <Button data-testid="hosted-ai-on" onClick={() => setAsking(true)}>Use QoderResume AI</Button>
      )}
      {asking && (
        <Modal title="Use QoderResume AI?" onClose={() => setAsking(false)}>
          <p data-testid="hosted-ai-notice" className="text-sm">{notice}</p>
          <div className="mt-4 flex justify-end gap-2">
            <Button variant="secondary" onClick={() => setAsking(false)}>Cancel</Button>
            <Button data-testid="hosted-ai-agree" disabled={set.isPending} onClick={() => set.mutate(true)}>Agree and turn on</Button>
          </div>
        </Modal>
      )}
    </div>
  );
}

function AiSettings() {
  const qc = useQueryClient();
  const toast = useToast();
  const flag = useFlags();
  const status = useQuery({ queryKey: ["ai-status"], queryFn: api.aiStatus });
  const [provider, setProvider] = useState("openai-compatible");
  const [key, setKey] = useState("");
  const save = useMutation({
    mutationFn: () => api.aiKeySet(provider, key),
    onSuccess: () => {
      setKey("");
      qc.invalidateQueries({ queryKey: ["ai-status"] });
      toast.show("Key stored in the system keychain.", { tone: "success" });
    },
    onError: (e: Error) => toast.show(e.message, { tone: "error" }),
  });
  return (
    <Card title="AI suggestions" testId="ai-settings">
      {/* Offered while the service has it on for this account; once on, it can always be turned off. */}
      {status.data && (status.data.hosted || flag("hosted_ai")) && <HostedAi on={status.data.hosted} notice={status.data.hosted_notice} />}
      {status.isError ? (
        <ErrorView error={status.error} />
      ) : status.data && status.data.providers.length > 0 ? (
        <ul className="mb-3 text-sm">
          {status.data.providers.map((p) => (
            <li key={p.name} className="flex justify-between py-0.5">
              <span className="font-medium">{p.kind === "hosted" ? "QoderResume AI" : p.name}</span>
              <span className="text-slate-500">{p.kind === "hosted" ? "your account" : p.has_key ? "key stored" : "no key"} · {p.base_url}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="mb-3 text-sm text-slate-600 dark:text-slate-300">
          No provider yet. Matching still gives rule-based suggestions; a provider adds written bullet points. Local models work too: <code>qoder ai set ollama --base-url http://localhost:11434/v1</code>.
        </p>
      )}
      <form
        className="flex flex-wrap items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <Field label="Provider">
          <select aria-label="AI provider" className={inputClass} value={provider} onChange={(e) => setProvider(e.target.value)}>
            <option value="openai-compatible">OpenAI</option>
            <option value="anthropic">Anthropic (Claude)</option>
            <option value="gemini">Google Gemini</option>
          </select>
        </Field>
        <Field label="API key">
          <input type="password" autoComplete="off" className={`${inputClass} w-56`} value={key} onChange={(e) => setKey(e.target.value)} placeholder="Stored in the keychain" />
        </Field>
        <Button variant="secondary" type="submit" disabled={!key.trim() || save.isPending}>
          Save key
        </Button>
      </form>
      {status.data && (
        <p className="mt-2 text-xs text-slate-500">
          {status.data.generations_today} of {status.data.generations_limit} generations used today · up to {status.data.points_per_request} bullet points each
        </p>
      )}
    </Card>
  );
}

/** Desktop notifications for due reminders and interviews, and starting at login in the tray. */
export function NotificationSettings({ settings: s }: { settings: Settings }) {
  const qc = useQueryClient();
  const toast = useToast();
  const [lead, setLead] = useState<number | null>(null);
  const onError = (e: Error) => toast.show(e.message, { tone: "error" });
  const saved = (next: Settings) => qc.setQueryData(["settings"], next);
  const notifications = useMutation({
    mutationFn: (p: { enabled: boolean; lead: number }) => api.setNotifications(p.enabled, p.lead),
    onSuccess: (next) => {
      saved(next);
      setLead(null);
      toast.show(next.notifications_enabled ? `Notifications on, ${next.interview_lead_minutes} minutes before interviews.` : "Desktop notifications are off; due items still show under Due now.", { tone: "success" });
    },
    onError,
  });
  const login = useMutation({
    mutationFn: (on: boolean) => api.setStartAtLogin(on),
    onSuccess: (next) => {
      saved(next);
      toast.show(next.start_at_login ? "QoderResume starts at login in the tray; closing the window keeps it there." : "QoderResume no longer starts at login.", { tone: "success" });
    },
    onError,
  });
  return (
    <div className="mt-4 space-y-3 border-t border-slate-200 pt-4 dark:border-slate-800">
      <label className="flex items-center gap-2 text-sm">
        <input
          type="checkbox"
          data-testid="notifications-enabled"
          checked={s.notifications_enabled}
          disabled={notifications.isPending}
          onChange={(e) => notifications.mutate({ enabled: e.target.checked, lead: s.interview_lead_minutes })}
        />
        Desktop notifications when a reminder or interview is due
      </label>
      <div className="flex items-end gap-2">
        <Field label="Notify before an interview (minutes)">
          <input type="number" min={0} max={1440} className={`${inputClass} w-28`} value={lead ?? s.interview_lead_minutes} onChange={(e) => setLead(Number(e.target.value))} />
        </Field>
        <Button variant="secondary" disabled={lead == null || lead === s.interview_lead_minutes || notifications.isPending} onClick={() => lead != null && notifications.mutate({ enabled: s.notifications_enabled, lead })}>
          Save
        </Button>
      </div>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" data-testid="start-at-login" checked={s.start_at_login} disabled={login.isPending} onChange={(e) => login.mutate(e.target.checked)} />
        Start at login, in the tray, so reminders notify while the window is closed
      </label>
    </div>
  );
}

export function SettingsScreen() {
  const qc = useQueryClient();
  const toast = useToast();
  const [theme, setTheme] = useTheme();
  const settings = useQuery({ queryKey: ["settings"], queryFn: api.settings });
  const info = useQuery({ queryKey: ["app-info"], queryFn: api.appInfo });
  const [retention, setRetention] = useState<number | null>(null);
  const [followUp, setFollowUp] = useState<number | null>(null);
  const onError = (e: Error) => toast.show(e.message, { tone: "error" });
  const saveRetention = useMutation({
    mutationFn: (n: number) => api.setRetention(n),
    onSuccess: (s) => { qc.setQueryData(["settings"], s); toast.show(`Keeping the newest ${s.retention_count} versions of each resume.`, { tone: "success" }); },
    onError,
  });
  const saveFollowUp = useMutation({
    mutationFn: (n: number) => api.setFollowUp(n),
    onSuccess: (s) => { qc.setQueryData(["settings"], s); toast.show(s.follow_up_days === 0 ? "Automatic follow-ups are off." : `Follow-up reminders after ${s.follow_up_days} days without a change.`, { tone: "success" }); },
    onError,
  });
  if (settings.isPending) return <Spinner />;
  if (settings.isError) return <ErrorView error={settings.error} onRetry={() => settings.refetch()} />;
  const s = settings.data;
  const model = info.data?.model;

  return (
    <div data-testid="settings-screen">
      <PageHeader title="Settings" subtitle={`QoderResume ${info.data?.version ?? ""}`} />
      <div className="grid grid-cols-1 gap-5 lg:grid-cols-2">
        <Card title="Appearance">
          <Field label="Theme">
            <select aria-label="Theme" className={inputClass} value={theme} onChange={(e) => setTheme(e.target.value as Theme)}>
              <option value="system">Same as the system</option>
              <option value="light">Light</option>
              <option value="dark">Dark</option>
            </select>
          </Field>
        </Card>
        <Card title="Resume versions">
          <div className="flex items-end gap-2">
            <Field label="Versions kept per resume" hint="Older ones are removed when you add a version; pinned versions and versions sent with an application are always kept.">
              <input type="number" min={1} max={1000} className={`${inputClass} w-28`} value={retention ?? s.retention_count} onChange={(e) => setRetention(Number(e.target.value))} />
            </Field>
            <Button variant="secondary" disabled={retention == null || retention === s.retention_count} onClick={() => retention != null && saveRetention.mutate(retention)}>Save</Button>
          </div>
        </Card>
        <Card title="Reminders">
          <div className="flex items-end gap-2">
            <Field label="Follow up after (days without a change)" hint="0 turns automatic follow-up reminders off.">
              <input type="number" min={0} max={365} className={`${inputClass} w-28`} value={followUp ?? s.follow_up_days} onChange={(e) => setFollowUp(Number(e.target.value))} />
            </Field>
            <Button variant="secondary" disabled={followUp == null || followUp === s.follow_up_days} onClick={() => followUp != null && saveFollowUp.mutate(followUp)}>Save</Button>
          </div>
          <NotificationSettings settings={s} />
        </Card>
        <Card title="Semantic matching">
          <p className="text-sm">
            {model?.state === "ready" && <>Local model <span className="font-mono">{model.model_id}</span> is ready. It runs on this computer.</>}
            {model?.state === "not_loaded" && "The local model is installed and loads on your first match (it stays on this computer)."}
            {model?.state === "unavailable" && <>Keyword-only matching: {model.reason}</>}
          </p>
        </Card>
        <AiSettings />
        <SyncSettings />
        <CalendarSettings />
        <AccountSettings />
        <Card title="Your data" className="lg:col-span-2">
          <dl className="grid grid-cols-[10rem_1fr] gap-2 text-sm">
            <dt className="text-slate-500">Data folder</dt>
            <dd className="font-mono text-xs" data-testid="data-dir">{s.data_dir}</dd>
            <dt className="text-slate-500">Log files</dt>
            <dd className="font-mono text-xs">{s.log_dir}</dd>
          </dl>
          <div className="mt-3 flex gap-2">
            <Button
              variant="secondary"
              onClick={async () => {
                try {
                  const path = await save({ defaultPath: "qoder-export.zip" });
                  if (path) toast.show((await api.exportAll(path)).message, { tone: "success" });
                } catch (e) {
                  onError(e as Error);
                }
              }}
            >
              Export everything (.zip)
            </Button>
            <Button
              variant="secondary"
              onClick={async () => {
                try {
                  const r = await api.versionCleanup();
                  toast.show(`Cleanup removed ${r.removed.length} version(s) and ${r.orphan_files_removed} stray file(s).`, { tone: "success" });
                  qc.invalidateQueries({ queryKey: ["versions"] });
                } catch (e) {
                  onError(e as Error);
                }
              }}
            >
              Apply retention now
            </Button>
          </div>
        </Card>
      </div>
    </div>
  );
}
