import { useEffect, useState } from "react";
import type { MatchStage } from "../bindings/MatchStage";
import { on } from "../lib/events";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { api } from "../api";
import type { MatchOutcome } from "../bindings/MatchOutcome";
import { AiPoints } from "../components/AiPoints";
import { Badge, Button, Card, EmptyState, ErrorView, Field, PageHeader, ScoreGauge, Spinner, inputClass } from "../components/ui";
import { formatDate, formatDateTime, scoreTone } from "../lib/format";
import { navigate } from "../lib/router";

const COMPONENT_LABEL: Record<string, string> = {
  required_skills: "Required skills",
  preferred_skills: "Preferred skills",
  title_seniority: "Title & seniority",
  experience_years: "Experience years",
  education: "Education",
  responsibility_fit: "Responsibility fit",
};

const BAND_LABEL: Record<string, string> = {
  strong_fit: "Strong fit",
  good_fit: "Good fit",
  possible: "Possible fit",
  stretch: "Stretch",
  long_shot: "Long shot",
  not_a_fit: "Not a fit",
};

function Results({ outcome, versionId, jdText }: { outcome: MatchOutcome; versionId: string; jdText: string }) {
  const r = outcome.report;
  const tone = scoreTone(r.score);
  const history = outcome.history.map((h) => ({ date: formatDateTime(h.created_at), score: h.score }));
  return (
    <div className="mt-5 flex flex-col gap-5" data-testid="match-results">
      {outcome.notice && (
        <p role="status" className="rounded-md border border-amber-300 bg-amber-50 px-4 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
          {outcome.notice}
        </p>
      )}
      <div className="grid grid-cols-1 gap-5 lg:grid-cols-3">
        <Card title={r.job.title ?? "Match score"}>
          <div className="flex flex-col items-center gap-2">
            <ScoreGauge score={r.score} size={160} label="Match score" />
            <p className={`font-semibold ${tone.text}`}>{BAND_LABEL[r.band] ?? r.band}</p>
            {(r.job_function || r.resume_function) && (
              <p className="text-xs text-slate-500">
                Job: {r.job_function ?? "function unclear"} · You: {r.resume_function ?? "function unclear"}
                {r.resume_level ? ` (${r.resume_level})` : ""}
              </p>
            )}
            {r.flags.map((f) => (
              <p key={f.message} className="text-xs text-amber-700 dark:text-amber-300">
                {f.message}
              </p>
            ))}
            <p className="text-xs text-slate-500">{r.semantic ? `Semantic matching (${outcome.model_id})` : "Keyword-only matching"}</p>
          </div>
        </Card>
        <Card title="Score breakdown" className="lg:col-span-2" testId="score-breakdown">
          <ul className="flex flex-col gap-3">
            {r.components
              .filter((c) => c.applicable)
              .map((c) => (
                <li key={c.kind} className="text-sm">
                  <div className="flex justify-between">
                    <span className="font-medium">{COMPONENT_LABEL[c.kind] ?? c.kind}</span>
                    <span className="tabular-nums text-slate-500">
                      {c.points.toFixed(0)} / {c.weight.toFixed(0)}
                    </span>
                  </div>
                  <div className="mt-1 h-2 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-700">
                    <div className="h-full bg-indigo-500" style={{ width: `${c.weight > 0 ? (100 * c.points) / c.weight : 0}%` }} />
                  </div>
                  <p className="mt-1 text-xs text-slate-500">{c.evidence}</p>
                </li>
              ))}
          </ul>
        </Card>
      </div>
      <div className="grid grid-cols-1 gap-5 lg:grid-cols-3">
        <Card title={`Matched (${r.matched.length})`} testId="matched-skills">
          <div className="flex flex-wrap gap-1">
            {r.matched.map((m) => (
              <Badge key={m.skill} className="bg-green-100 text-green-800 dark:bg-green-950 dark:text-green-200">
                ✓ {m.skill}
                {m.via && <span className="ml-1 opacity-70">via {m.via}</span>}
              </Badge>
            ))}
            {r.matched.length === 0 && <p className="text-sm text-slate-500">None of the JD's skills were found.</p>}
          </div>
        </Card>
        <Card title={`Missing (${r.missing.length})`} testId="missing-skills">
          <div className="flex flex-wrap gap-1">
            {r.missing.map((m) => (
              <Badge key={m.skill} className={m.required ? "bg-rose-100 text-rose-800 dark:bg-rose-950 dark:text-rose-200" : "bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-200"}>
                {m.skill}
                {m.required ? "" : " (preferred)"}
              </Badge>
            ))}
            {r.missing.length === 0 && <p className="text-sm text-slate-500">Nothing missing.</p>}
          </div>
        </Card>
        <Card title={`Related (${r.related.length})`} testId="related-skills">
          <ul className="flex flex-col gap-1 text-sm">
            {r.related.map((m) => (
              <li key={m.skill}>
                <span className="font-medium">{m.skill}</span>
                {m.related && (
                  <span className="text-slate-500">
                    {" "}
                    ← you have {m.related.name}
                    {m.related.similarity != null && ` (${(m.related.similarity * 100).toFixed(0)}%)`}
                  </span>
                )}
              </li>
            ))}
            {r.related.length === 0 && <p className="text-slate-500">No close skills to mention.</p>}
          </ul>
        </Card>
      </div>
      {r.suggestions.length > 0 && (
        <Card title="Suggestions" testId="suggestions">
          <ol className="list-decimal space-y-1 pl-5 text-sm">
            {r.suggestions.map((s, i) => (
              <li key={i}>{s.message}</li>
            ))}
          </ol>
        </Card>
      )}
      <AiPoints versionId={versionId} jdText={jdText} />
      {r.responsibilities.length > 0 && (
        <Card title="Responsibilities and your best bullets">
          <ul className="flex flex-col gap-3 text-sm">
            {r.responsibilities.map((f, i) => (
              <li key={i} className="grid grid-cols-1 gap-2 md:grid-cols-2">
                <p className="font-medium">{f.responsibility}</p>
                <div>
                  {f.best.length === 0 ? (
                    <p className="text-rose-600">No bullet supports this yet.</p>
                  ) : (
                    f.best.slice(0, 2).map((b, j) => (
                      <p key={j} className="text-slate-600 dark:text-slate-300">
                        <span className="mr-1 tabular-nums text-xs text-slate-400">{(b.similarity * 100).toFixed(0)}%</span>
                        {b.bullet}
                      </p>
                    ))
                  )}
                </div>
              </li>
            ))}
          </ul>
        </Card>
      )}
      <Card title="Match history for this resume and job" testId="match-history">
        {history.length < 2 ? (
          <p className="text-sm text-slate-500">Run the match again after editing your resume to see the score move.</p>
        ) : (
          <div className="h-44">
            <ResponsiveContainer width="100%" height="100%">
              <LineChart data={history}>
                <CartesianGrid strokeDasharray="3 3" stroke="#94a3b833" />
                <XAxis dataKey="date" tick={{ fontSize: 11 }} />
                <YAxis domain={[0, 100]} width={30} tick={{ fontSize: 11 }} />
                <Tooltip />
                <Line dataKey="score" stroke="#6366f1" strokeWidth={2} isAnimationActive={false} />
              </LineChart>
            </ResponsiveContainer>
          </div>
        )}
      </Card>
    </div>
  );
}

export function Matching({ initialVersionId, initialJobId }: { initialVersionId?: string; initialJobId?: string }) {
  const qc = useQueryClient();
  const versions = useQuery({ queryKey: ["versions", "all"], queryFn: () => api.versions(null) });
  const jobs = useQuery({
    queryKey: ["jobs", "for-matching"],
    queryFn: () => api.jobsList({ status: [], vendor: null, company: null, text: null, date_field: "updatedAt", from: null, to: null }, { field: "updatedAt", order: "desc" }, 1, 100),
  });
  const [chosenVersion, setVersionId] = useState(initialVersionId ?? "");
  const [jobId, setJobId] = useState(initialJobId ?? "");
  const [typedJd, setJd] = useState<string | null>(null);
  // Until the user picks one, the newest version; until they type, the chosen job's description.
  const newest = versions.data?.reduce<string>((best, v) => (!best || v.created_at > (versions.data!.find((x) => x.id === best)?.created_at ?? "") ? v.id : best), "");
  const versionId = chosenVersion || newest || "";
  const jd = typedJd ?? jobs.data?.items.find((j) => j.id === jobId)?.description ?? "";

  const [stage, setStage] = useState<MatchStage | null>(null);
  useEffect(() => {
    const un = on("jd-analysis-progress", (p) => setStage(p.stage));
    return () => {
      un.then((f) => f()).catch(() => {});
    };
  }, []);
  const STAGE_LABEL: Record<MatchStage, string> = {
    loading_model: "Loading the local language model (first match only)…",
    embedding: "Comparing meanings with the local model…",
    scoring: "Scoring skills, seniority, experience and responsibilities…",
  };

  const run = useMutation({
    mutationFn: () => api.matchRun(versionId, jd, jobId || null),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["dashboard"] }),
  });

  if (versions.isPending) return <Spinner />;
  if (versions.isError) return <ErrorView error={versions.error} onRetry={() => versions.refetch()} />;
  if (versions.data.length === 0) {
    return (
      <div>
        <PageHeader title="Match a job" />
        <EmptyState title="Analyze a resume first" body="Matching compares one of your stored resume versions with a job description." action={<Button onClick={() => navigate({ screen: "upload" })}>Analyze a resume</Button>} />
      </div>
    );
  }

  return (
    <div data-testid="matching-screen">
      <PageHeader title="Match a job" subtitle="Paste a job description to see how your resume covers it: skills, seniority, experience and responsibilities." />
      <Card>
        <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
          <Field label="Resume version">
            <select aria-label="Resume version" data-testid="match-version" className={inputClass} value={versionId} onChange={(e) => setVersionId(e.target.value)}>
              {versions.data.map((v) => (
                <option key={v.id} value={v.id}>
                  {v.file_name ?? "Resume"} · v{v.seq} · ATS {v.ats_score} · {formatDate(v.created_at)}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Tracked job (optional)" hint="Links the match to the job and fills in its description.">
            <select
              aria-label="Tracked job"
              className={inputClass}
              value={jobId}
              onChange={(e) => {
                setJobId(e.target.value);
                setJd(null);
              }}
            >
              <option value="">None</option>
              {jobs.data?.items.map((j) => (
                <option key={j.id} value={j.id}>
                  {j.title}
                  {j.company ? ` — ${j.company}` : ""}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <div className="mt-4">
          <Field label="Job description">
            <textarea
              data-testid="jd-input"
              aria-label="Job description"
              className={`${inputClass} h-48 font-mono text-xs`}
              placeholder="Paste the whole posting: title, requirements, responsibilities…"
              value={jd}
              onChange={(e) => setJd(e.target.value)}
            />
          </Field>
        </div>
        <div className="mt-4 flex items-center gap-3">
          <Button data-testid="match-run" disabled={!versionId || jd.trim().length === 0 || run.isPending} onClick={() => run.mutate()}>
            {run.isPending ? "Matching…" : "Match"}
          </Button>
          <span className="text-xs text-slate-500">{jd.trim().split(/\s+/).filter(Boolean).length} words</span>
        </div>
      </Card>
      {run.isError && (
        <div className="mt-4">
          <ErrorView error={run.error} />
        </div>
      )}
      {run.isPending && (
        <div className="mt-4">
          <Spinner label={(stage && STAGE_LABEL[stage]) ?? "Reading the job description…"} />
        </div>
      )}
      {run.data && <Results outcome={run.data} versionId={versionId} jdText={jd} />}
    </div>
  );
}
