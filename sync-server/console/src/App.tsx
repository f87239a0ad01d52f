import { useCallback, useEffect, useState, type FormEvent } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { api, ApiError, onSignedOut, session, type Stats } from "./api";
import { applyTheme, initialTheme, ThemeContext, type Theme } from "./theme";
import { Button, cx, ErrorBox, Input } from "./ui";
import { Overview } from "./screens/Overview";
import { Users } from "./screens/Users";
import { Audit } from "./screens/Audit";
import { Flags } from "./screens/Flags";
import { Retention } from "./screens/Retention";
import { LlmCost } from "./screens/LlmCost";
import { Providers } from "./screens/Providers";
import { Alerts } from "./screens/Alerts";
import { Jobs } from "./screens/Jobs";
import { Forecast } from "./screens/Forecast";

// 24×24 outline icons (stroke paths).
const icons = {
  overview: "M3 13h8V3H3zm10 8h8V11h-8zM3 21h8v-6H3zm10-18v6h8V3z",
  users: "M16 19v-1a4 4 0 0 0-4-4H6a4 4 0 0 0-4 4v1M9 10a3 3 0 1 0 0-6 3 3 0 0 0 0 6m13 9v-1a4 4 0 0 0-3-3.9M16 4.1a3 3 0 0 1 0 5.8",
  audit: "M9 5H7a2 2 0 0 0-2 2v12a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V7a2 2 0 0 0-2-2h-2M9 5a2 2 0 0 0 2 2h2a2 2 0 0 0 2-2M9 5a2 2 0 0 1 2-2h2a2 2 0 0 1 2 2m-6 7h6m-6 4h4",
  flags: "M4 21V4m0 0h11l-2 4 2 4H4",
  retention: "M12 7v5l3 3m6-3a9 9 0 1 1-18 0 9 9 0 0 1 18 0",
  llm: "M12 3v18m4-14H10a3 3 0 0 0 0 6h4a3 3 0 0 1 0 6H7",
  alerts: "M15 17h5l-1.4-1.4A2 2 0 0 1 18 14.2V11a6 6 0 0 0-4-5.7V5a2 2 0 1 0-4 0v.3A6 6 0 0 0 6 11v3.2a2 2 0 0 1-.6 1.4L4 17h5m6 0v1a3 3 0 1 1-6 0v-1m6 0H9",
  jobs: "M4 6h16M4 12h16M4 18h10m4 0 2 2 3-4",
  forecast: "M3 17l6-6 4 4 8-8m0 0h-6m6 0v6",
  providers: "M5 12h14M5 12a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2v4a2 2 0 0 1-2 2M5 12a2 2 0 0 0-2 2v4a2 2 0 0 0 2 2h14a2 2 0 0 0 2-2v-4a2 2 0 0 0-2-2m-2-4h.01M17 16h.01",
};

function Icon({ d }: { d: string }) {
  return (
    <svg viewBox="0 0 24 24" className="h-4 w-4" fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round" strokeLinejoin="round" aria-hidden>
      <path d={d} />
    </svg>
  );
}

const screens = {
  overview: { label: "Overview", icon: icons.overview, view: Overview },
  users: { label: "Users", icon: icons.users, view: Users },
  audit: { label: "Audit log", icon: icons.audit, view: Audit },
  flags: { label: "Feature flags", icon: icons.flags, view: Flags },
  retention: { label: "Retention", icon: icons.retention, view: Retention },
  llm: { label: "LLM cost", icon: icons.llm, view: LlmCost },
  providers: { label: "AI providers", icon: icons.providers, view: Providers },
  alerts: { label: "Alerts", icon: icons.alerts, view: Alerts },
  jobs: { label: "Jobs", icon: icons.jobs, view: Jobs },
  forecast: { label: "Load forecast", icon: icons.forecast, view: Forecast },
} as const;
type ScreenKey = keyof typeof screens;

function screenOfHash(): ScreenKey {
  const h = location.hash.replace(/^#\/?/, "");
  return h in screens ? (h as ScreenKey) : "overview";
}

export function App() {
  const [theme, setTheme] = useState<Theme>(initialTheme);
  const [signedIn, setSignedIn] = useState(() => !!session.token());
  const [notice, setNotice] = useState<string | null>(null);
  const [screen, setScreen] = useState<ScreenKey>(screenOfHash);
  const client = useQueryClient();

  useEffect(() => {
    onSignedOut((why) => {
      client.clear();
      setSignedIn(false);
      setNotice(`Signed out: ${why}`);
    });
  }, [client]);
  useEffect(() => {
    const f = () => setScreen(screenOfHash());
    window.addEventListener("hashchange", f);
    return () => window.removeEventListener("hashchange", f);
  }, []);

  const toggleTheme = () => {
    const t = theme === "dark" ? "light" : "dark";
    applyTheme(t);
    setTheme(t);
  };
  const signOut = useCallback(() => {
    session.clear();
    client.clear();
    setSignedIn(false);
    setNotice(null);
  }, [client]);

  const View = screens[screen].view;
  return (
    <ThemeContext.Provider value={theme}>
      <div className="min-h-screen bg-slate-50 text-slate-900 dark:bg-slate-950 dark:text-slate-100">
        <header className="sticky top-0 z-30 flex h-14 items-center gap-3 border-b border-slate-200 bg-white/90 px-4 backdrop-blur dark:border-slate-800 dark:bg-slate-900/90">
          <div className="flex items-center gap-2">
            <span className="grid h-8 w-8 place-items-center rounded-lg bg-indigo-600 text-sm font-bold text-white">Q</span>
            <span className="font-semibold">QoderResume</span>
            <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs font-medium text-slate-600 dark:bg-slate-800 dark:text-slate-300">admin</span>
          </div>
          <span className="flex-1" />
          <Button tone="ghost" onClick={toggleTheme} aria-label="Toggle theme" data-testid="theme-toggle">
            {theme === "dark" ? "☀ Light" : "☾ Dark"}
          </Button>
          {signedIn && (
            <Button onClick={signOut} data-testid="sign-out">
              Sign out
            </Button>
          )}
        </header>
        {!signedIn ? (
          <SignIn
            notice={notice}
            onSignedIn={() => {
              setNotice(null);
              setSignedIn(true);
            }}
          />
        ) : (
          <div className="flex min-h-[calc(100vh-3.5rem)]">
            <nav className="hidden w-52 shrink-0 border-r border-slate-200 bg-white md:block dark:border-slate-800 dark:bg-slate-900">
              <div className="sticky top-14 flex flex-col gap-1 p-3">
              {(Object.keys(screens) as ScreenKey[]).map((k) => (
                <a
                  key={k}
                  href={`#/${k}`}
                  aria-current={k === screen ? "page" : undefined}
                  className={cx(
                    "flex items-center gap-2 rounded-md px-3 py-2 text-sm font-medium",
                    k === screen
                      ? "bg-indigo-50 text-indigo-700 dark:bg-indigo-950 dark:text-indigo-300"
                      : "text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800",
                  )}
                >
                  <Icon d={screens[k].icon} />
                  {screens[k].label}
                </a>
              ))}
              </div>
            </nav>
            <main className="min-w-0 flex-1 p-6">
              <div className="mx-auto max-w-6xl">
                <View />
              </div>
            </main>
          </div>
        )}
      </div>
    </ThemeContext.Provider>
  );
}

function SignIn({ notice, onSignedIn }: { notice: string | null; onSignedIn: () => void }) {
  const [token, setToken] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const t = token.trim();
      await api<Stats>("GET", "/api/admin/stats", undefined, t);
      session.set(t);
      onSignedIn();
    } catch (err) {
      setError(
        err instanceof ApiError && err.status === 403
          ? new ApiError(403, err.code, "This token is valid but its account is not an admin.")
          : err,
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="mx-auto mt-20 max-w-lg px-4">
      <div className="rounded-2xl border border-slate-200 bg-white p-8 shadow-sm dark:border-slate-800 dark:bg-slate-900">
        <h1 className="text-xl font-semibold">Sign in to the admin console</h1>
        <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">
          Paste an admin access token. On the server, run{" "}
          <code className="whitespace-nowrap rounded bg-slate-100 px-1 py-0.5 text-xs dark:bg-slate-800">qoder-server admin token &lt;email&gt;</code>{" "}
          (make an admin first with <code className="whitespace-nowrap rounded bg-slate-100 px-1 py-0.5 text-xs dark:bg-slate-800">qoder-server admin grant &lt;email&gt;</code>). The
          token stays in this tab only.
        </p>
        {notice && <p className="mt-3 text-sm text-amber-700 dark:text-amber-400">{notice}</p>}
        <form onSubmit={submit} className="mt-5 flex flex-col gap-3">
          <Input
            type="password"
            name="token"
            autoComplete="off"
            placeholder="Admin access token"
            value={token}
            onChange={(e) => setToken(e.target.value)}
            aria-label="Admin access token"
          />
          <ErrorBox error={error} title="Not signed in" />
          <Button tone="primary" type="submit" disabled={busy || !token.trim()} className="justify-center">
            {busy ? "Checking…" : "Sign in"}
          </Button>
        </form>
      </div>
    </div>
  );
}
