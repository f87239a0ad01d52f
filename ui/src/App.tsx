import { useEffect } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "./api";
import { on } from "./lib/events";
import { href, useRoute, type Route } from "./lib/router";
import { Dashboard } from "./screens/Dashboard";
import { Upload } from "./screens/Upload";
import { Analysis } from "./screens/Analysis";
import { Matching } from "./screens/Matching";
import { Versions } from "./screens/Versions";
import { Jobs } from "./screens/Jobs";
import { JobPage } from "./screens/JobPage";
import { SettingsScreen } from "./screens/Settings";
import { Screening } from "./screens/Screening";
import { ErrorBoundary } from "./components/ErrorBoundary";
import { NoticesButton } from "./components/Notices";

const NAV: { label: string; route: Route; match: Route["screen"][]; icon: string }[] = [
  { label: "Dashboard", route: { screen: "dashboard" }, match: ["dashboard"], icon: "◧" },
  { label: "Analyze resume", route: { screen: "upload" }, match: ["upload", "analysis"], icon: "⇪" },
  { label: "Match a job", route: { screen: "matching" }, match: ["matching"], icon: "⇄" },
  { label: "Versions", route: { screen: "versions" }, match: ["versions"], icon: "❏" },
  { label: "Job tracker", route: { screen: "jobs", view: "table" }, match: ["jobs", "job"], icon: "☰" },
  { label: "Screening", route: { screen: "screening" }, match: ["screening"], icon: "▤" },
  { label: "Settings", route: { screen: "settings" }, match: ["settings"], icon: "⚙" },
];

function Screen({ route }: { route: Route }) {
  switch (route.screen) {
    case "dashboard":
      return <Dashboard />;
    case "upload":
      return <Upload />;
    case "analysis":
      return <Analysis versionId={route.versionId} />;
    case "matching":
      return <Matching initialVersionId={route.versionId} initialJobId={route.jobId} />;
    case "versions":
      return <Versions compare={route.compare} />;
    case "jobs":
      return <Jobs view={route.view} />;
    case "job":
      return <JobPage jobId={route.jobId} />;
    case "screening":
      return <Screening batchId={route.batchId} />;
    case "settings":
      return <SettingsScreen />;
  }
}

export default function App() {
  const route = useRoute();
  const qc = useQueryClient();

  // Data changed by background work (or another window) refreshes what shows it.
  useEffect(() => {
    const unlisten = [
      on("job-tracker-entry-created", () => qc.invalidateQueries({ queryKey: ["jobs"] })),
      on("job-tracker-entry-updated", () => qc.invalidateQueries({ queryKey: ["jobs"] })),
      on("job-tracker-entry-deleted", () => qc.invalidateQueries({ queryKey: ["jobs"] })),
      on("resume-upload-completed", () => {
        qc.invalidateQueries({ queryKey: ["versions"] });
        qc.invalidateQueries({ queryKey: ["dashboard"] });
      }),
      on("model-status", () => qc.invalidateQueries({ queryKey: ["app-info"] })),
      on("sync-status", () => qc.invalidateQueries({ queryKey: ["sync-status"] })),
      // What another device changed: every screen's data may be stale.
      on("sync-completed", (report) => {
        if (report.applied > 0) qc.invalidateQueries({ predicate: (q) => q.queryKey[0] !== "sync-status" });
      }),
    ];
    return () => {
      unlisten.forEach((p) => p.then((f) => f()).catch(() => {}));
    };
  }, [qc]);

  return (
    <div className="flex h-full bg-slate-50 text-slate-900 dark:bg-slate-950 dark:text-slate-100">
      <nav aria-label="Main" className="flex w-56 shrink-0 flex-col border-r border-slate-200 bg-white px-3 py-4 dark:border-slate-800 dark:bg-slate-900">
        <div className="mb-6 flex items-center gap-2 px-2">
          <img src="/icon.svg" alt="" className="h-7 w-7" />
          <span className="text-lg font-semibold">QoderResume</span>
        </div>
        <ul className="flex flex-col gap-1">
          {NAV.map((n) => {
            const active = n.match.includes(route.screen);
            return (
              <li key={n.label}>
                <a
                  href={href(n.route)}
                  aria-current={active ? "page" : undefined}
                  data-testid={`nav-${n.route.screen}`}
                  className={`flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium ${
                    active
                      ? "bg-indigo-50 text-indigo-700 dark:bg-indigo-950 dark:text-indigo-200"
                      : "text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"
                  }`}
                >
                  <span aria-hidden className="w-4 text-center">{n.icon}</span>
                  {n.label}
                </a>
              </li>
            );
          })}
        </ul>
        <NoticesButton />
        <PrivacyNote />
      </nav>
      <main className="min-w-0 flex-1 overflow-y-auto overflow-x-hidden px-8 py-6" id="main">
        <ErrorBoundary resetKey={window.location.hash}>
          <Screen route={route} />
        </ErrorBoundary>
      </main>
    </div>
  );
}

/** The sidebar's promise, kept true: local only, or synced with end-to-end encryption. */
function PrivacyNote() {
  const sync = useQuery({ queryKey: ["sync-status"], queryFn: api.syncStatus, staleTime: 60_000 });
  const s = sync.data;
  const text = !s?.signed_in
    ? "Everything stays on this computer."
    : s.enabled
      ? `Synced with your other computers, end-to-end encrypted${s.last_error ? " (offline: retrying)" : ""}.`
      : "Sync is off: everything stays on this computer.";
  return (
    <a href={href({ screen: "settings" })} className="mt-auto px-2 text-xs text-slate-400 hover:text-slate-600" data-testid="privacy-note">
      {text}
    </a>
  );
}
