import { useMemo, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { api } from "../api";
import type { AtsCheck } from "../bindings/AtsCheck";
import type { Experience } from "../bindings/Experience";
import type { PartialDate } from "../bindings/PartialDate";
import type { SkillMention } from "../bindings/SkillMention";
import { AiReview } from "../components/AiReview";
import { ConfirmFields } from "../components/ConfirmFields";
import { Badge, Button, Card, ErrorView, PageHeader, ScoreGauge, Spinner } from "../components/ui";
import { formatBytes, formatDate, scoreTone } from "../lib/format";
import { navigate } from "../lib/router";

const STATUS_STYLE: Record<AtsCheck["status"], { badge: string; icon: string; label: string }> = {
  pass: { badge: "bg-green-100 text-green-800 dark:bg-green-950 dark:text-green-200", icon: "✓", label: "Pass" },
  warn: { badge: "bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-200", icon: "!", label: "Improve" },
  fail: { badge: "bg-rose-100 text-rose-800 dark:bg-rose-950 dark:text-rose-200", icon: "✕", label: "Fix" },
};

function date(d: PartialDate | null) {
  if (!d) return "";
  return d.month ? `${String(d.month).padStart(2, "0")}/${d.year}` : String(d.year);
}

function CheckRow({ check }: { check: AtsCheck }) {
  const [open, setOpen] = useState(check.status !== "pass");
  const st = STATUS_STYLE[check.status];
  return (
    <li data-testid="ats-check" className="border-b border-slate-100 py-3 last:border-0 dark:border-slate-800">
      <button className="flex w-full items-center gap-3 text-left" onClick={() => setOpen((o) => !o)} aria-expanded={open}>
        <Badge className={st.badge}>
          {st.icon} {st.label}
        </Badge>
        <span className="flex-1 font-medium">{check.title}</span>
        <span className="text-sm tabular-nums text-slate-500">
          {check.points}/{check.weight}
        </span>
      </button>
      {open && (
        <div className="mt-2 pl-2 text-sm">
          <p className="text-slate-600 dark:text-slate-300">{check.detail}</p>
          {check.fix && (
            <p data-testid="ats-fix" className="mt-2 rounded-md bg-indigo-50 px-3 py-2 text-indigo-900 dark:bg-indigo-950 dark:text-indigo-100">
              <span className="font-semibold">Fix: </span>
              {check.fix}
            </p>
          )}
          {check.evidence.length > 0 && (
            <ul className="mt-2 list-disc pl-5 text-slate-500">
              {check.evidence.slice(0, 6).map((e, i) => (
                <li key={i}>{e}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </li>
  );
}

function ExperienceItem({ e }: { e: Experience }) {
  return (
    <div className="mb-3">
      <p className="font-medium">
        {e.title ?? "Role"} {e.employer && <span className="text-slate-500">· {e.employer}</span>}
      </p>
      <p className="text-xs text-slate-500">
        {date(e.start)} – {e.current ? "Present" : date(e.end)} {e.location && `· ${e.location}`}
      </p>
      <ul className="mt-1 list-disc pl-5 text-sm">
        {e.bullets.map((b, i) => (
          <li key={i}>{b}</li>
        ))}
      </ul>
    </div>
  );
}

export function Analysis({ versionId }: { versionId: string }) {
  const q = useQuery({ queryKey: ["versions", "detail", versionId], queryFn: () => api.versionDetail(versionId) });
  const [tab, setTab] = useState<"parsed" | "skills">("parsed");
  const skillsByCategory = useMemo(() => {
    const m = new Map<string, SkillMention[]>();
    for (const s of q.data?.resume.skills ?? []) {
      const list = m.get(s.category) ?? [];
      list.push(s);
      m.set(s.category, list);
    }
    return [...m.entries()].sort((a, b) => b[1].length - a[1].length);
  }, [q.data]);

  if (q.isPending) return <Spinner label="Loading the analysis…" />;
  if (q.isError) return <ErrorView error={q.error} onRetry={() => q.refetch()} />;
  const { version, ats, resume, family_name, text } = q.data;
  const tone = scoreTone(ats.score);
  const checks = [...ats.checks].sort((a, b) => a.points / a.weight - b.points / b.weight);
  const toFix = checks.filter((c) => c.status !== "pass").length;

  return (
    <div data-testid="analysis-screen">
      <PageHeader
        title={`${family_name} · v${version.seq}`}
        subtitle={`${version.file_name ?? ""} · ${formatBytes(version.size)} · analysed ${formatDate(version.created_at)} · ${resume.document.extractor}`}
        actions={
          <>
            <Button variant="secondary" onClick={() => navigate({ screen: "versions" })}>All versions</Button>
            <Button onClick={() => navigate({ screen: "matching", versionId: version.id })}>Match against a job</Button>
          </>
        }
      />
      <div className="mb-5">
        <ConfirmFields versionId={version.id} resume={resume} />
      </div>
      <div className="grid grid-cols-1 gap-5 xl:grid-cols-3">
        <Card title="ATS readiness" testId="ats-score">
          <div className="flex flex-col items-center gap-2">
            <ScoreGauge score={ats.score} size={170} label="ATS score" />
            <p className={`text-lg font-semibold ${tone.text}`}>{tone.label}</p>
            <p className="text-center text-sm text-slate-500">
              {toFix === 0 ? "Every check passes." : `${toFix} of ${ats.checks.length} checks have a fix below, worst first.`}
            </p>
          </div>
          <dl className="mt-4 grid grid-cols-2 gap-2 text-sm">
            <dt className="text-slate-500">Name</dt>
            <dd>{resume.contact.name ?? "—"}</dd>
            <dt className="text-slate-500">E-mail</dt>
            <dd className="truncate">{resume.contact.email ?? "—"}</dd>
            <dt className="text-slate-500">Phone</dt>
            <dd>{resume.contact.phone ?? "—"}</dd>
            <dt className="text-slate-500">Location</dt>
            <dd>{resume.contact.location ?? "—"}</dd>
            <dt className="text-slate-500">Pages</dt>
            <dd>{resume.document.pages ?? "—"}</dd>
          </dl>
        </Card>
        <Card title="Checks and fixes" className="xl:col-span-2" testId="ats-checks">
          <ul>
            {checks.map((c) => (
              <CheckRow key={c.id} check={c} />
            ))}
          </ul>
        </Card>
      </div>

      <div className="mt-5">
        <AiReview versionId={version.id} />
      </div>

      <div className="mt-5 flex gap-2" role="tablist">
        <Button variant={tab === "parsed" ? "primary" : "secondary"} role="tab" aria-selected={tab === "parsed"} onClick={() => setTab("parsed")}>
          Parsed vs original
        </Button>
        <Button variant={tab === "skills" ? "primary" : "secondary"} role="tab" aria-selected={tab === "skills"} onClick={() => setTab("skills")}>
          Skills ({resume.skills.length})
        </Button>
      </div>
      {tab === "parsed" ? (
        <div className="mt-3 grid grid-cols-1 gap-5 lg:grid-cols-2">
          <Card title="What an ATS reads" testId="parsed-sections">
            {resume.summary && <p className="mb-3 text-sm italic">{resume.summary}</p>}
            {resume.experience.length > 0 && (
              <>
                <h3 className="mb-2 text-sm font-semibold text-indigo-600 dark:text-indigo-400">Experience</h3>
                {resume.experience.map((e, i) => (
                  <ExperienceItem key={i} e={e} />
                ))}
              </>
            )}
            {resume.education.length > 0 && (
              <>
                <h3 className="mb-2 mt-3 text-sm font-semibold text-indigo-600 dark:text-indigo-400">Education</h3>
                {resume.education.map((e, i) => (
                  <p key={i} className="mb-1 text-sm">
                    <span className="font-medium">{e.degree ?? "Degree"}</span>
                    {e.field && ` in ${e.field}`} {e.institution && <span className="text-slate-500">· {e.institution}</span>}{" "}
                    <span className="text-xs text-slate-500">{date(e.end)}</span>
                  </p>
                ))}
              </>
            )}
            <h3 className="mb-2 mt-3 text-sm font-semibold text-indigo-600 dark:text-indigo-400">Sections found</h3>
            <div className="flex flex-wrap gap-1">
              {resume.sections.map((s, i) => (
                <Badge key={i} className="bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-200">
                  {s.heading || s.kind}
                </Badge>
              ))}
            </div>
          </Card>
          <Card title="Original text">
            <pre className="max-h-[32rem] overflow-auto whitespace-pre-wrap font-sans text-sm text-slate-700 dark:text-slate-300">{text}</pre>
          </Card>
        </div>
      ) : (
        <Card className="mt-3" title="Skills by category" testId="skills">
          {skillsByCategory.length === 0 ? (
            <p className="text-sm text-slate-500">No skills from the taxonomy were found. Add a Skills section listing the tools and methods you use.</p>
          ) : (
            <div className="grid grid-cols-1 gap-4 md:grid-cols-2 xl:grid-cols-3">
              {skillsByCategory.map(([cat, list]) => (
                <div key={cat}>
                  <h3 className="mb-2 text-sm font-semibold capitalize">{cat.replace(/_/g, " ")}</h3>
                  <div className="flex flex-wrap gap-1">
                    {list.map((s) => (
                      <Badge key={s.name} className="bg-indigo-50 text-indigo-800 dark:bg-indigo-950 dark:text-indigo-200">
                        {s.name}
                        {s.count > 1 && <span className="ml-1 opacity-60">×{s.count}</span>}
                      </Badge>
                    ))}
                  </div>
                </div>
              ))}
            </div>
          )}
        </Card>
      )}
    </div>
  );
}
