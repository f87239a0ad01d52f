// AI bullet points for a match: grounded points to copy, the ones the guard held back with
// why (which words, which kind of claim) and two ways forward — "I have this: add it as a fact"
// (kept with the version, then the bullet is checked again) or "use without the claim" — and a
// clear notice when no provider is set up (the rule-based suggestions still apply).
import { useEffect, useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { on } from "../lib/events";
import { api, ApiError } from "../api";
import type { ErrorBody } from "../bindings/ErrorBody";
import type { GeneratedPoint } from "../bindings/GeneratedPoint";
import type { GroundingKind } from "../bindings/GroundingKind";
import { AI_HINTS, Badge, Button, Card, ErrorView, Field, Spinner, inputClass } from "./ui";
import { UpgradePrompt } from "./UpgradePrompt";
import { href } from "../lib/router";
import { useToast } from "../lib/toast";

const KIND: Record<GroundingKind, string> = {
  number: "figure",
  date: "date",
  skill: "skill",
  name: "name",
  title: "title",
  duration: "duration",
  money: "amount",
  team: "team size",
  scale: "scale",
  degree: "degree",
  certification: "certification",
  award: "award",
  promotion: "promotion",
  role: "other role",
};

/** An AI error: the upgrade prompt when the plan's limit is reached, else the error and its hint. */
export function AiError({ error }: { error: unknown }) {
  const e = error instanceof ApiError ? error : null;
  if (e?.code === "limit_reached" && e.limit) return <UpgradePrompt limit={e.limit} />;
  return <ErrorView error={error} hints={AI_HINTS} />;
}

/** What an AI outcome says instead of an answer: no provider is set up (and where to set one
 * up), or the provider's error (the upgrade prompt at a plan's limit). */
export function AiOutcomeNotes({ notice, error, testId }: { notice: string | null; error: ErrorBody | null; testId: string }) {
  return (
    <>
      {notice && (
        <p role="status" data-testid={testId} className="mt-3 rounded-md border border-amber-300 bg-amber-50 px-4 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
          {notice} <a className="font-medium underline" href={href({ screen: "settings" })}>Set up a provider or use QoderResume AI</a>
        </p>
      )}
      {error && (
        <div className="mt-3">
          <AiError error={new ApiError(error.code, error.message, error.limit)} />
        </div>
      )}
    </>
  );
}

export function AiPoints({ versionId, jdText }: { versionId: string; jdText: string }) {
  const toast = useToast();
  const [context, setContext] = useState("");
  // Points taken from the held-back list, and what became of each held-back one.
  const [extra, setExtra] = useState<GeneratedPoint[]>([]);
  const [resolved, setResolved] = useState<Record<number, string>>({});
  useEffect(() => {
    let live = true;
    api
      .aiContext(versionId)
      .then((c) => live && c && setContext((cur) => cur || c))
      .catch(() => {});
    return () => {
      live = false;
    };
  }, [versionId]);
  const [streamed, setStreamed] = useState("");
  const [asking, setAsking] = useState<string | null>(null);
  useEffect(() => {
    const a = on("jd-generate-points-delta", (p) => setStreamed((s) => (s + p.text).slice(-2000)));
    const b = on("jd-generate-points-progress", (p) =>
      setAsking(p.stage === "asking" ? `Asking ${p.provider} (${p.model ?? "default model"})…` : `${p.provider} failed; trying the next provider…`),
    );
    return () => {
      a.then((f) => f()).catch(() => {});
      b.then((f) => f()).catch(() => {});
    };
  }, []);
  const qc = useQueryClient();
  const run = useMutation({
    // A QoderResume AI call counts against the plan: Settings → Account shows it at once.
    onSettled: () => qc.invalidateQueries({ queryKey: ["account-status"] }),
    mutationFn: () => {
      setStreamed("");
      setAsking(null);
      setExtra([]);
      setResolved({});
      return api.aiSuggestPoints(versionId, jdText, context);
    },
  });
  const out = run.data;
  const addFact = useMutation({
    mutationFn: async ({ i, p }: { i: number; p: GeneratedPoint }) => {
      const next = context.trim() ? `${context.trim()}\n${p.bullet}` : p.bullet;
      setContext(next);
      const [checked] = await api.aiCheckPoints(versionId, next, [p.bullet]);
      return { i, checked };
    },
    onSuccess: ({ i, checked }) => {
      if (checked && checked.issues.length === 0) {
        setExtra((x) => [...x, checked]);
        setResolved((r) => ({ ...r, [i]: "Added as a fact and kept with this version: the bullet is backed now." }));
        toast.show("Added as a fact.");
      } else {
        setResolved((r) => ({ ...r, [i]: `Still not backed: ${checked?.issues.map((x) => x.reason).join("; ") ?? "no answer"}` }));
      }
    },
    onError: (e) => toast.show(e instanceof Error ? e.message : String(e), { tone: "error" }),
  });
  const takeWithout = (i: number, p: GeneratedPoint) => {
    if (!p.without_claim) return;
    setExtra((x) => [...x, { ...p, bullet: p.without_claim!, issues: [], without_claim: null }]);
    setResolved((r) => ({ ...r, [i]: "Taken without the claim." }));
  };

  return (
    <Card title="AI bullet points" testId="ai-points">
      <p className="mb-3 text-sm text-slate-600 dark:text-slate-300">
        Drafts for the missing skills and weak bullets above, written by QoderResume AI or your own AI provider. Every bullet is checked against your resume: employers, titles, dates, numbers or skills it does not contain are held back.
      </p>
      <Field label="Facts the resume leaves out (optional)" hint="e.g. “Used Airflow at Acme for nightly ETL (2023)”. Only these may add new facts.">
        <textarea className={`${inputClass} h-16`} value={context} onChange={(e) => setContext(e.target.value)} />
      </Field>
      <div className="mt-3 flex items-center gap-3">
        <Button data-testid="ai-run" disabled={run.isPending} onClick={() => run.mutate()}>
          {run.isPending ? "Writing…" : "Write bullet points"}
        </Button>
        {run.isPending && <Spinner label={asking ?? "Preparing the prompt…"} />}
      </div>
      {run.isPending && streamed && <pre className="mt-3 max-h-32 overflow-auto whitespace-pre-wrap rounded bg-slate-50 p-2 text-xs text-slate-500 dark:bg-slate-800">{streamed}</pre>}
      {run.isError && (
        <div className="mt-3">
          <AiError error={run.error} />
        </div>
      )}
      {out && <AiOutcomeNotes notice={out.notice} error={out.error} testId="ai-notice" />}
      {out?.ai && (
        <div className="mt-4" data-testid="ai-results">
          <ul className="flex flex-col gap-2">
            {[...out.ai.points, ...extra].map((p, i) => (
              <li key={i} className="flex items-start gap-2 rounded-md border border-slate-200 p-2 text-sm dark:border-slate-700">
                <span className="flex-1">
                  {p.bullet}
                  {p.replaces && <span className="block text-xs text-slate-500">replaces: {p.replaces}</span>}
                </span>
                {p.skill && <Badge className="bg-indigo-50 text-indigo-800 dark:bg-indigo-950 dark:text-indigo-200">{p.skill}</Badge>}
                <Button variant="ghost" className="!px-2 !py-0.5 text-xs" onClick={() => navigator.clipboard?.writeText(p.bullet).then(() => toast.show("Copied."), () => toast.show("Copy is not available here.", { tone: "error" }))}>
                  Copy
                </Button>
              </li>
            ))}
          </ul>
          {out.ai.flagged.length > 0 && (
            <details open className="mt-3 text-sm">
              <summary className="cursor-pointer text-rose-700 dark:text-rose-300">{out.ai.flagged.length} bullet(s) held back: they state things your resume does not</summary>
              <ul className="mt-2 flex flex-col gap-2">
                {out.ai.flagged.map((p, i) => (
                  <li key={i} data-testid="ai-held-back" className="rounded-md bg-rose-50 p-2 dark:bg-rose-950">
                    <span className="line-through opacity-70">{p.bullet}</span>
                    <ul className="mt-1 flex flex-col gap-0.5 text-xs">
                      {p.issues.map((x, j) => (
                        <li key={j} className="flex flex-wrap items-baseline gap-1">
                          <Badge className="bg-rose-100 text-rose-900 dark:bg-rose-900 dark:text-rose-100">{KIND[x.kind] ?? x.kind}</Badge>
                          <mark className="rounded bg-amber-100 px-1 dark:bg-amber-900 dark:text-amber-100">{x.text}</mark>
                          <span>{x.reason}</span>
                        </li>
                      ))}
                    </ul>
                    {p.without_claim && !resolved[i] && (
                      <span className="mt-1 block text-xs text-slate-600 dark:text-slate-300">
                        Without the claim: <q data-testid="ai-without-claim">{p.without_claim}</q>
                      </span>
                    )}
                    {resolved[i] ? (
                      <p role="status" className="mt-1 text-xs font-medium text-emerald-800 dark:text-emerald-200">
                        {resolved[i]}
                      </p>
                    ) : (
                      <div className="mt-2 flex flex-wrap gap-2">
                        <Button variant="ghost" data-testid="ai-add-fact" className="!px-2 !py-0.5 text-xs" disabled={addFact.isPending} onClick={() => addFact.mutate({ i, p })}>
                          I have this: add it as a fact
                        </Button>
                        {p.without_claim && (
                          <Button variant="ghost" data-testid="ai-use-without" className="!px-2 !py-0.5 text-xs" onClick={() => takeWithout(i, p)}>
                            Use without the claim
                          </Button>
                        )}
                      </div>
                    )}
                  </li>
                ))}
              </ul>
            </details>
          )}
          <p className="mt-3 text-xs text-slate-500">
            {out.ai.meta.provider} · {out.ai.meta.model} · {out.ai.meta.tokens_in}/{out.ai.meta.tokens_out} tokens · ${out.ai.meta.cost_usd.toFixed(4)}
            {out.ai.meta.cached ? " · from the cache" : ""} · {out.ai.generations_today}/{out.ai.generations_limit} generations today
          </p>
        </div>
      )}
    </Card>
  );
}
