import { useEffect } from "react";
import { useQuery } from "@tanstack/react-query";
import { Bar, BarChart, CartesianGrid, Cell, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { api } from "../api";
import { Badge, Button, Card, EmptyState, ErrorView, PageHeader, ScoreGauge, Spinner } from "../components/ui";
import { STATUSES, STATUS_HEX, STATUS_LABEL, formatDate, formatDateTime, scoreTone } from "../lib/format";
import { href, navigate } from "../lib/router";

let reported = false;

export function Dashboard() {
  const q = useQuery({ queryKey: ["dashboard"], queryFn: api.dashboard });
  // Tells the shell the first screen is up (its log and the start-up benchmark read it).
  useEffect(() => {
    if (q.isSuccess && !reported) {
      reported = true;
      requestAnimationFrame(() => void api.appReady("dashboard").catch(() => {}));
    }
  }, [q.isSuccess]);
  if (q.isPending) return <Spinner />;
  if (q.isError) return <ErrorView error={q.error} onRetry={() => q.refetch()} />;
  const d = q.data;
  const byStatus = STATUSES.map((s) => ({ status: s, label: STATUS_LABEL[s], count: Number(d.jobs.by_status[s] ?? 0) }));
  const trend = d.score_trend.map((p) => ({ ...p, date: formatDate(p.at) }));

  return (
    <div data-testid="dashboard">
      <PageHeader
        title="Dashboard"
        subtitle="Your latest resume, your applications and what is coming up."
        actions={
          <>
            <Button variant="secondary" onClick={() => navigate({ screen: "matching" })}>Match a job</Button>
            <Button onClick={() => navigate({ screen: "upload" })}>Analyze a resume</Button>
          </>
        }
      />
      <div className="grid grid-cols-1 gap-5 lg:grid-cols-3">
        <Card title="Latest resume" testId="latest-resume">
          {d.latest ? (
            <div className="flex items-center gap-5">
              <ScoreGauge score={d.latest.ats_score} size={120} label="ATS score" />
              <div className="min-w-0">
                <p className="break-words font-semibold" title={d.latest.file_name ?? undefined}>{d.latest_name ?? d.latest.file_name}</p>
                <p className="text-sm text-slate-500">
                  v{d.latest.seq} · {formatDate(d.latest.created_at)}
                </p>
                <p className={`mt-1 text-sm font-medium ${scoreTone(d.latest.ats_score).text}`}>{scoreTone(d.latest.ats_score).label}</p>
                <a className="mt-2 inline-block text-sm font-medium text-indigo-600 hover:underline dark:text-indigo-400" href={href({ screen: "analysis", versionId: d.latest.id })}>
                  See the fixes →
                </a>
              </div>
            </div>
          ) : (
            <EmptyState
              title="No resume yet"
              body="Drop a PDF, DOCX or TXT resume to get its ATS score and concrete fixes. It never leaves this computer."
              action={<Button onClick={() => navigate({ screen: "upload" })}>Analyze your resume</Button>}
            />
          )}
        </Card>

        <Card title="Applications by status" className="lg:col-span-2" testId="status-chart">
          {d.jobs.total === 0 ? (
            <EmptyState
              title="No applications tracked"
              body="Add the jobs you apply to and follow them from saved to offer."
              action={<Button variant="secondary" onClick={() => navigate({ screen: "jobs", view: "table" })}>Open the job tracker</Button>}
            />
          ) : (
            <>
              <p className="mb-2 text-sm text-slate-500">
                {d.jobs.total} tracked · {d.jobs.applied} applied · response rate {(d.jobs.response_rate * 100).toFixed(0)}%
              </p>
              <div className="h-48">
                <ResponsiveContainer width="100%" height="100%">
                  <BarChart data={byStatus}>
                    <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#94a3b833" />
                    <XAxis dataKey="label" tick={{ fontSize: 11 }} interval={0} />
                    <YAxis allowDecimals={false} width={30} tick={{ fontSize: 11 }} />
                    <Tooltip />
                    <Bar dataKey="count" isAnimationActive={false}>
                      {byStatus.map((b) => (
                        <Cell key={b.status} fill={STATUS_HEX[b.status]} />
                      ))}
                    </Bar>
                  </BarChart>
                </ResponsiveContainer>
              </div>
            </>
          )}
        </Card>

        <Card title="Coming up" testId="coming-up">
          {d.upcoming_interviews.length === 0 && d.due_reminders.length === 0 ? (
            <p className="text-sm text-slate-500">No interviews or reminders in the next 7 days.</p>
          ) : (
            <ul className="flex flex-col gap-3 text-sm">
              {d.upcoming_interviews.map((u) => (
                <li key={u.interview.id} className="flex items-start gap-2">
                  <Badge className="bg-violet-100 text-violet-800 dark:bg-violet-950 dark:text-violet-200">Interview</Badge>
                  <a className="hover:underline" href={href({ screen: "job", jobId: u.interview.job_id })}>
                    <span className="font-medium">{u.job_label}</span>
                    <span className="block text-slate-500">{formatDateTime(u.interview.starts_at)} · {u.interview.kind}</span>
                  </a>
                </li>
              ))}
              {d.due_reminders.map((r) => (
                <li key={r.id} className="flex items-start gap-2">
                  <Badge className="bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-200">
                    {new Date(r.due_at) < new Date() ? "Overdue" : "Reminder"}
                  </Badge>
                  <span>
                    {r.message}
                    <span className="block text-slate-500">due {formatDate(r.due_at)}</span>
                  </span>
                </li>
              ))}
            </ul>
          )}
          {d.due_reminders_total > d.due_reminders.length && (
            <a className="mt-3 block text-sm font-medium text-indigo-600 hover:underline dark:text-indigo-400" href={href({ screen: "jobs", view: "table" })}>
              and {d.due_reminders_total - d.due_reminders.length} more follow-ups due →
            </a>
          )}
        </Card>

        <Card title="ATS score trend" className="lg:col-span-2" testId="score-trend">
          {trend.length < 2 ? (
            <p className="text-sm text-slate-500">
              {trend.length === 0 ? "Scores appear here as you analyze resumes." : "Analyze another version to see how your score moves."}
            </p>
          ) : (
            <div className="h-48">
              <ResponsiveContainer width="100%" height="100%">
                <LineChart data={trend}>
                  <CartesianGrid strokeDasharray="3 3" stroke="#94a3b833" />
                  <XAxis dataKey="date" tick={{ fontSize: 11 }} />
                  <YAxis domain={[0, 100]} width={30} tick={{ fontSize: 11 }} />
                  <Tooltip formatter={(v) => [`${v}/100`, "ATS score"]} labelFormatter={(_, p) => (p?.[0]?.payload as { label?: string })?.label ?? ""} />
                  <Line type="monotone" dataKey="score" stroke="#6366f1" strokeWidth={2} isAnimationActive={false} />
                </LineChart>
              </ResponsiveContainer>
            </div>
          )}
        </Card>

        {d.recent_matches.length > 0 && (
          <Card title="Recent matches" className="lg:col-span-3">
            <ul className="divide-y divide-slate-100 text-sm dark:divide-slate-800">
              {d.recent_matches.map((m) => (
                <li key={m.id} className="flex items-center justify-between py-2">
                  <span>
                    <span className="font-medium">{m.jd_title ?? "Untitled job"}</span>
                    <span className="text-slate-500"> · {m.resume_label}</span>
                  </span>
                  <span className="flex items-center gap-3">
                    <span className="text-slate-500">{formatDate(m.created_at)}</span>
                    <span className={`font-semibold ${scoreTone(m.score).text}`}>{m.score}/100</span>
                  </span>
                </li>
              ))}
            </ul>
          </Card>
        )}
      </div>
    </div>
  );
}
