import type { ReactElement } from "react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import { mockIPC } from "@tauri-apps/api/mocks";
import { ToastProvider } from "../lib/toast";

export type Handler = (args: Record<string, unknown>) => unknown;

/** Routes IPC calls to `handlers` by command name; unknown commands fail like the real app. */
export function mockCommands(handlers: Record<string, Handler>) {
  const calls: { cmd: string; args: Record<string, unknown> }[] = [];
  mockIPC((cmd, args) => {
    const a = (args ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args: a });
    if (cmd.startsWith("plugin:event|")) return 0;
    const h = handlers[cmd];
    if (!h) throw { code: "internal", message: `no mock for ${cmd}` };
    return h(a);
  });
  return calls;
}

export function renderWithProviders(ui: ReactElement) {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  return render(
    <QueryClientProvider client={qc}>
      <ToastProvider>{ui}</ToastProvider>
    </QueryClientProvider>,
  );
}
