// Typed listening: every event name and payload comes from ./bindings/events.ts, generated from
// the Rust side's declared events (a test there fails when an event has no listener here).
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type { EventPayloads } from "../bindings/events";

export function on<K extends keyof EventPayloads>(name: K, handler: (payload: EventPayloads[K]) => void): Promise<UnlistenFn> {
  return listen<EventPayloads[K]>(name, (e) => handler(e.payload));
}
