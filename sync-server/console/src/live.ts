// The live figures of GET /api/admin/live (design "System Events"): a WebSocket that sends
// `system-metrics` every 2 s, `provider-health-update` on a change and `health-alert`. It
// reconnects with backoff; while it is down the screens keep polling.
import { useEffect, useRef, useState } from "react";
import { api, session } from "./api";

export interface Traffic {
  requests: number;
  error_rate: number;
  p95_ms: number | null;
}

export interface Minute {
  minute: string;
  requests: number;
  errors: number;
  p95_ms: number | null;
}

export interface SystemMetrics {
  type: "system-metrics";
  at: string;
  cpu: number | null;
  memory: number | null;
  connections: number;
  requests_in_flight: number;
  /** Every process: the previous minute and this one so far. */
  requests_per_minute: number | null;
  last_5_minutes: Traffic | null;
  /** Every process, each of the last 30 minutes, oldest first. */
  minutes: Minute[];
  db_ok: boolean;
  db_ping_ms: number | null;
}

export type ProviderHealth = "disabled" | "idle" | "healthy" | "degraded" | "failing";

export interface ProviderHealthUpdate {
  type: "provider-health-update";
  providerId: string;
  status: ProviderHealth;
  error_rate: number;
}

export interface HealthAlert {
  type: "health-alert";
  level: "info" | "warning" | "critical";
  message: string;
  /** The alert rule it is about; absent for the database's own. */
  rule?: string;
}

export interface LoadForecastUpdated {
  type: "load-forecast-updated";
  prediction: {
    series: "requests";
    method: string;
    metric: "mape" | "wape" | null;
    error: number | null;
    hours: { hour: string; value: number; lower: number; upper: number }[];
    generated_at: string;
  };
  /** 100 − the backtest error, percent. */
  accuracy: number | null;
}

export type LiveEvent = SystemMetrics | ProviderHealthUpdate | HealthAlert | LoadForecastUpdated;

export type LiveState = "connecting" | "live" | "reconnecting";

/** Frames kept: five minutes at one every 2 s. */
export const KEEP = 150;

export interface Live {
  state: LiveState;
  samples: SystemMetrics[];
  providers: Record<string, ProviderHealthUpdate>;
  alerts: (HealthAlert & { at: string })[];
  forecast: LoadForecastUpdated | null;
}

export function liveUrl(loc: Location, token: string): string {
  const scheme = loc.protocol === "https:" ? "wss" : "ws";
  return `${scheme}://${loc.host}/api/admin/live?access_token=${encodeURIComponent(token)}`;
}

/** Folds one event into what the screens show. */
export function fold(live: Live, e: LiveEvent, now = new Date().toISOString()): Live {
  switch (e.type) {
    case "system-metrics":
      return { ...live, samples: [...live.samples, e].slice(-KEEP) };
    case "provider-health-update":
      return { ...live, providers: { ...live.providers, [e.providerId]: e } };
    case "health-alert":
      return { ...live, alerts: [{ ...e, at: now }, ...live.alerts].slice(0, 5) };
    case "load-forecast-updated":
      return { ...live, forecast: e };
  }
}

export function useLive(): Live {
  const [live, setLive] = useState<Live>({ state: "connecting", samples: [], providers: {}, alerts: [], forecast: null });
  const retry = useRef(0);
  useEffect(() => {
    let socket: WebSocket | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const open = () => {
      const token = session.token();
      if (!token || stopped) return;
      socket = new WebSocket(liveUrl(window.location, token));
      let opened = false;
      socket.onopen = () => {
        opened = true;
        retry.current = 0;
        setLive((l) => ({ ...l, state: "live" }));
      };
      socket.onmessage = (m) => {
        try {
          const e = JSON.parse(String(m.data)) as LiveEvent;
          setLive((l) => fold(l, e));
        } catch {
          // not an event of ours: ignore
        }
      };
      socket.onclose = (ev) => {
        if (stopped) return;
        // Closed for the token (1008: expired, no longer an admin, disabled) or refused before
        // it opened: one API call tells why, and a refusal there signs the console out.
        if (ev.code === 1008 || !opened) api("GET", "/api/admin/health").catch(() => {});
        setLive((l) => ({ ...l, state: "reconnecting" }));
        const wait = Math.min(15_000, 1_000 * 2 ** retry.current);
        retry.current += 1;
        timer = setTimeout(open, wait);
      };
    };
    open();
    return () => {
      stopped = true;
      clearTimeout(timer);
      socket?.close();
    };
  }, []);
  return live;
}
