// A hash router: the app has a handful of screens and no server, so the URL hash is enough.
import { useEffect, useState } from "react";

export type Route =
  | { screen: "dashboard" }
  | { screen: "upload" }
  | { screen: "analysis"; versionId: string }
  | { screen: "matching"; versionId?: string; jobId?: string }
  | { screen: "versions"; compare?: [string, string] }
  | { screen: "jobs"; view: "table" | "board" }
  | { screen: "job"; jobId: string }
  | { screen: "screening"; batchId?: string }
  | { screen: "settings" };

export function parseHash(hash: string): Route {
  const [path, query = ""] = hash.replace(/^#\/?/, "").split("?");
  const parts = path.split("/").filter(Boolean);
  const q = new URLSearchParams(query);
  switch (parts[0]) {
    case "upload":
      return { screen: "upload" };
    case "analysis":
      return parts[1] ? { screen: "analysis", versionId: parts[1] } : { screen: "upload" };
    case "matching":
      return { screen: "matching", versionId: q.get("version") ?? undefined, jobId: q.get("job") ?? undefined };
    case "versions": {
      const a = q.get("a");
      const b = q.get("b");
      return { screen: "versions", compare: a && b ? [a, b] : undefined };
    }
    case "jobs":
      if (parts[1] === "board") return { screen: "jobs", view: "board" };
      if (parts[1]) return { screen: "job", jobId: parts[1] };
      return { screen: "jobs", view: "table" };
    case "screening":
      return parts[1] ? { screen: "screening", batchId: parts[1] } : { screen: "screening" };
    case "settings":
      return { screen: "settings" };
    default:
      return { screen: "dashboard" };
  }
}

export function href(r: Route): string {
  switch (r.screen) {
    case "dashboard":
      return "#/";
    case "upload":
      return "#/upload";
    case "analysis":
      return `#/analysis/${r.versionId}`;
    case "matching": {
      const q = new URLSearchParams();
      if (r.versionId) q.set("version", r.versionId);
      if (r.jobId) q.set("job", r.jobId);
      const s = q.toString();
      return `#/matching${s ? `?${s}` : ""}`;
    }
    case "versions":
      return r.compare ? `#/versions?a=${r.compare[0]}&b=${r.compare[1]}` : "#/versions";
    case "jobs":
      return r.view === "board" ? "#/jobs/board" : "#/jobs";
    case "job":
      return `#/jobs/${r.jobId}`;
    case "screening":
      return r.batchId ? `#/screening/${r.batchId}` : "#/screening";
    case "settings":
      return "#/settings";
  }
}

export function navigate(r: Route) {
  window.location.hash = href(r);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(window.location.hash));
  useEffect(() => {
    const on = () => setRoute(parseHash(window.location.hash));
    window.addEventListener("hashchange", on);
    return () => window.removeEventListener("hashchange", on);
  }, []);
  return route;
}
