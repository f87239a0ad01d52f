// The AI review on the analysis screen: a recruiter's reading of the resume's content (impact,
// clarity, relevance) beside the rule-based ATS checks, by QoderResume AI or the user's own
// provider. Its summary and strengths pass the grounding guard: sentences the resume does not
// back are shown as held back, never as praise.
import { useEffect, useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "../api";
import { on } from "../lib/events";
import { AiError, AiOutcomeNotes } from "./AiPoints";
import { Badge, Button, Card, Spinner } from "./ui";

export function AiReview({ versionId }: { versionId: string }) {
  const qc = useQueryClient();
  const [asking, setAsking] = useState<string | null>(null);
  useEffect(() => {
    const off = on("ai-review-progress", (p) =>
      setAsking(p.stage === "asking" ? `Asking ${p.provider} (${p.model ?? "default model"})…` : `${p.provider} failed; trying the next provider…`),
    );
    return () => {
      off.then((f) => f()).catch(() => {});
    };
  }, []);
  const run = useMutation({
    mutationFn: () => {
      setAsking(null);
      return api.aiReview(versionId);
    },
    // With QoderResume AI a review counts against the plan: Settings → Account shows it at once.
    onSettled: () => qc.invalidateQueries({ queryKey: ["account-status"] }),
  });
  const out = run.data;
  const r = out?.ai;
  return (
    <Card title="AI review" testId="ai-review">
      <p className="mb-3 text-sm text-slate-600 dark:text-slate-300">
        The checks above cover what an ATS reads. An AI review reads the content the way a recruiter would: impact, clarity and relevance, section by section. It uses QoderResume AI or your own provider; sentences about you that the resume does not back are held back.
      </p>
      <div className="flex items-center gap-3">
        <Button data-testid="ai-review-run" disabled={run.isPending} onClick={() => run.mutate()}>
          {run.isPending ? "Reviewing…" : r ? "Review again" : "Review with AI"}
        </Button>
        {run.isPending && <Spinner label={asking ?? "Preparing the prompt…"} />}
      </div>
      {run.isError && (
        <div className="mt-3">
          <AiError error={run.error} />
        </div>
      )}
      {out && <AiOutcomeNotes notice={out.notice} error={out.error} testId="ai-review-notice" />}
      {r && (
        <div className="mt-4 grid gap-4 text-sm" data-testid="ai-review-result">
          {r.summary && <p className="text-base">{r.summary}</p>}
          {r.strengths.length > 0 && (
            <div>
              <h3 className="mb-1 font-semibold text-emerald-700 dark:text-emerald-300">Strengths</h3>
              <ul className="list-disc pl-5">
                {r.strengths.map((s, i) => (
                  <li key={i}>{s}</li>
                ))}
              </ul>
            </div>
          )}
          {r.issues.length > 0 && (
            <div>
              <h3 className="mb-1 font-semibold text-indigo-700 dark:text-indigo-300">To improve</h3>
              <ul className="flex flex-col gap-2">
                {r.issues.map((x, i) => (
                  <li key={i} data-testid="ai-review-issue" className="rounded-md border border-slate-200 p-2 dark:border-slate-700">
                    <Badge className="mr-2 bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-200">{x.section}</Badge>
                    {x.problem}
                    {x.fix && <span className="mt-1 block text-indigo-900 dark:text-indigo-100"><span className="font-semibold">Fix: </span>{x.fix}</span>}
                  </li>
                ))}
              </ul>
            </div>
          )}
          {r.held_back.length > 0 && (
            <details className="text-rose-800 dark:text-rose-200">
              <summary className="cursor-pointer">{r.held_back.length} sentence(s) held back: the resume does not back them</summary>
              <ul className="mt-1 list-disc pl-5">
                {r.held_back.map((h, i) => (
                  <li key={i}>
                    <span className="line-through opacity-70">{h.bullet}</span> — {h.issues.map((x) => x.reason).join("; ")}
                  </li>
                ))}
              </ul>
            </details>
          )}
          <p className="text-xs text-slate-500">
            {r.meta.provider} · {r.meta.model} · {r.meta.tokens_in}/{r.meta.tokens_out} tokens · ${r.meta.cost_usd.toFixed(4)}
            {r.meta.cached ? " · from the cache" : ""}. The review complements the checks above; it does not replace them.
          </p>
        </div>
      )}
    </Card>
  );
}
