import type { ReactElement } from "react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import { mockIPC } from "@tauri-apps/api/mocks";
import { ToastProvider } from "../lib/toast";

export type Handler = (args: Record<string, unknown>) => unknown;

type Internals = { invoke: (cmd: string, args?: unknown, options?: { headers?: Record<string, string> }) => Promise<unknown> };

/** Routes IPC calls to `handlers` by command name (unknown commands fail like the real app)
 * and records every call: its JSON arguments, or its raw body and headers (uploads). */
export function mockCommands(handlers: Record<string, Handler>) {
  const calls: { cmd: string; args: Record<string, unknown>; body?: Uint8Array; headers?: Record<string, string> }[] = [];
  let headers: Record<string, string> | undefined;
  mockIPC((cmd, args) => {
    const body = args instanceof Uint8Array ? args : undefined;
    const a = (body ? {} : (args ?? {})) as Record<string, unknown>;
    calls.push({ cmd, args: a, body, headers });
    if (cmd.startsWith("plugin:event|")) return 0;
    const h = handlers[cmd];
    if (!h) throw { code: "internal", message: `no mock for ${cmd}` };
    return h(a);
  });
  const internals = (window as unknown as { __TAURI_INTERNALS__: Internals }).__TAURI_INTERNALS__;
  const inner = internals.invoke;
  internals.invoke = (cmd, args, options) => {
    headers = options?.headers;
    return inner(cmd, args, options);
  };
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
