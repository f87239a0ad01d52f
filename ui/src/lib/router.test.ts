import { describe, expect, it } from "vitest";
import { href, parseHash, type Route } from "./router";

describe("router", () => {
  const cases: Route[] = [
    { screen: "dashboard" },
    { screen: "upload" },
    { screen: "analysis", versionId: "v1" },
    { screen: "matching", versionId: "v1", jobId: "j1" },
    { screen: "matching" },
    { screen: "versions", compare: ["a", "b"] },
    { screen: "versions" },
    { screen: "jobs", view: "table" },
    { screen: "jobs", view: "board" },
    { screen: "job", jobId: "j9" },
    { screen: "screening" },
    { screen: "screening", batchId: "b1" },
    { screen: "settings" },
  ];
  it.each(cases)("round-trips %o", (r) => {
    expect(parseHash(href(r))).toEqual({ ...r, ...(r.screen === "matching" ? { versionId: r.versionId, jobId: r.jobId } : {}) });
  });
  it("falls back to the dashboard", () => {
    expect(parseHash("#/nope")).toEqual({ screen: "dashboard" });
    expect(parseHash("")).toEqual({ screen: "dashboard" });
  });
});
