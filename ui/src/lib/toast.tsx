// Toasts, including the "Deleted — Undo" kind: the delete runs only when the toast expires,
// so Undo loses nothing and needs no restore path in the core.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";

export type Tone = "info" | "success" | "error";
export interface ToastAction {
  label: string;
  onClick: () => void;
}
interface Toast {
  id: number;
  message: string;
  tone: Tone;
  action?: ToastAction;
}
interface ToastApi {
  show: (message: string, opts?: { tone?: Tone; action?: ToastAction; durationMs?: number; onExpire?: () => void }) => number;
  dismiss: (id: number) => void;
  /** Hides the item at once, runs `commit` after the undo window unless Undo is pressed. */
  undoable: (message: string, commit: () => Promise<unknown>, undo: () => void) => void;
}

const Ctx = createContext<ToastApi | null>(null);
export const UNDO_WINDOW_MS = 6000;

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const timers = useRef(new Map<number, { timer: ReturnType<typeof setTimeout>; onExpire?: () => void }>());
  const next = useRef(1);

  const dismiss = useCallback((id: number) => {
    const t = timers.current.get(id);
    if (t) clearTimeout(t.timer);
    timers.current.delete(id);
    setToasts((ts) => ts.filter((x) => x.id !== id));
  }, []);

  const show = useCallback<ToastApi["show"]>(
    (message, opts = {}) => {
      const id = next.current++;
      const toast: Toast = { id, message, tone: opts.tone ?? "info", action: opts.action };
      setToasts((ts) => [...ts.slice(-2), toast]);
      const timer = setTimeout(() => {
        timers.current.get(id)?.onExpire?.();
        dismiss(id);
      }, opts.durationMs ?? (opts.tone === "error" ? 8000 : 4000));
      timers.current.set(id, { timer, onExpire: opts.onExpire });
      return id;
    },
    [dismiss],
  );

  const undoable = useCallback<ToastApi["undoable"]>(
    (message, commit, undo) => {
      let undone = false;
      const id: number = show(message, {
        durationMs: UNDO_WINDOW_MS,
        action: {
          label: "Undo",
          onClick: () => {
            undone = true;
            undo();
            dismiss(id);
          },
        },
        onExpire: () => {
          if (!undone) {
            commit().catch((e: unknown) => {
              undo();
              show(`Could not delete: ${e instanceof Error ? e.message : String(e)}`, { tone: "error" });
            });
          }
        },
      });
    },
    [show, dismiss],
  );

  // Pending deletes are committed when the window closes, as the user expects.
  useEffect(() => {
    const flush = () => {
      for (const [, t] of timers.current) {
        clearTimeout(t.timer);
        t.onExpire?.();
      }
      timers.current.clear();
    };
    window.addEventListener("beforeunload", flush);
    return () => window.removeEventListener("beforeunload", flush);
  }, []);

  const value = useMemo(() => ({ show, dismiss, undoable }), [show, dismiss, undoable]);
  return (
    <Ctx.Provider value={value}>
      {children}
      <div className="pointer-events-none fixed bottom-4 right-4 z-50 flex w-96 flex-col gap-2" aria-live="polite">
        {toasts.map((t) => (
          <div
            key={t.id}
            role={t.tone === "error" ? "alert" : "status"}
            data-testid="toast"
            className={`pointer-events-auto flex items-start gap-3 rounded-lg border px-4 py-3 text-sm shadow-lg ${
              t.tone === "error"
                ? "border-rose-300 bg-rose-50 text-rose-900 dark:border-rose-800 dark:bg-rose-950 dark:text-rose-100"
                : t.tone === "success"
                  ? "border-green-300 bg-green-50 text-green-900 dark:border-green-800 dark:bg-green-950 dark:text-green-100"
                  : "border-slate-200 bg-white text-slate-900 dark:border-slate-700 dark:bg-slate-800 dark:text-slate-100"
            }`}
          >
            <span className="flex-1">{t.message}</span>
            {t.action && (
              <button data-testid="toast-action" className="font-semibold underline" onClick={t.action.onClick}>
                {t.action.label}
              </button>
            )}
            <button aria-label="Dismiss" className="opacity-60 hover:opacity-100" onClick={() => dismiss(t.id)}>
              ×
            </button>
          </div>
        ))}
      </div>
    </Ctx.Provider>
  );
}

export function useToast(): ToastApi {
  const c = useContext(Ctx);
  if (!c) throw new Error("useToast outside ToastProvider");
  return c;
}
