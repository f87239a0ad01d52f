import { useMemo, useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { save } from "@tauri-apps/plugin-dialog";
import { api } from "../api";
import type { ResumeVersion } from "../bindings/ResumeVersion";
import type { ExportFormat } from "../bindings/ExportFormat";
import type { VersionDiff } from "../bindings/VersionDiff";
import { Badge, Button, Card, EmptyState, ErrorView, Modal, PageHeader, Spinner, inputClass } from "../components/ui";
import { formatBytes, formatDate, scoreTone } from "../lib/format";
import { href, navigate } from "../lib/router";
import { useToast } from "../lib/toast";

function DiffView({ diff }: { diff: VersionDiff }) {
  const changed = diff.sections.filter((s) => s.change !== "unchanged");
  return (
    <div data-testid="version-diff">
      <p className="mb-4 text-sm">
        ATS score {diff.ats_score_from} → <span className="font-semibold">{diff.ats_score_to}</span>{" "}
        <span className={diff.ats_delta >= 0 ? "text-green-600" : "text-rose-600"}>({diff.ats_delta >= 0 ? "+" : ""}{diff.ats_delta})</span>
        {diff.match_score_delta != null && ` · match score ${diff.match_score_delta >= 0 ? "+" : ""}${diff.match_score_delta.toFixed(1)} on the same jobs`}
      </p>
      {changed.length === 0 && <p className="text-sm text-slate-500">The two versions have the same content.</p>}
      {changed.map((s, i) => (
        <div key={i} className="mb-4">
          <h3 className="mb-1 text-sm font-semibold">
            {s.heading || s.kind} <Badge className="ml-1 bg-slate-100 text-slate-600 dark:bg-slate-800 dark:text-slate-300">{s.change}</Badge>
          </h3>
          <div className="rounded-md border border-slate-200 font-mono text-xs dark:border-slate-700">
            {s.removed.map((l, j) => (
              <p key={`r${j}`} className="bg-rose-50 px-2 py-0.5 text-rose-900 dark:bg-rose-950 dark:text-rose-100">− {l}</p>
            ))}
            {s.added.map((l, j) => (
              <p key={`a${j}`} className="bg-green-50 px-2 py-0.5 text-green-900 dark:bg-green-950 dark:text-green-100">+ {l}</p>
            ))}
            {s.changed.map((c, j) => (
              <div key={`c${j}`} className="border-t border-slate-100 px-2 py-1 dark:border-slate-800">
                <p className="text-rose-800 dark:text-rose-200">− {c.from}</p>
                <p className="text-green-800 dark:text-green-200">+ {c.to}</p>
              </div>
            ))}
          </div>
        </div>
      ))}
    </div>
  );
}

function VersionCard({ v, name, selected, onSelect }: { v: ResumeVersion; name: string; selected: boolean; onSelect: () => void }) {
  const qc = useQueryClient();
  const toast = useToast();
  const [tag, setTag] = useState("");
  const [editingNotes, setEditingNotes] = useState(false);
  const [notes, setNotes] = useState(v.notes);
  const refresh = () => qc.invalidateQueries({ queryKey: ["versions"] });
  const onError = (e: Error) => toast.show(e.message, { tone: "error" });
  const pin = useMutation({ mutationFn: () => api.versionPin(v.id, !v.pinned), onSuccess: refresh, onError });
  const tags = useMutation({ mutationFn: (p: { add: string[]; remove: string[] }) => api.versionTags(v.id, p.add, p.remove), onSuccess: refresh, onError });
  const note = useMutation({ mutationFn: () => api.versionNote(v.id, notes), onSuccess: () => { setEditingNotes(false); refresh(); }, onError });
  const tone = scoreTone(v.ats_score);

  const exportAs = async (format: ExportFormat) => {
    const base = (v.file_name ?? name).replace(/\.[^.]+$/, "");
    const ext = format === "original" ? (v.file_name?.split(".").pop() ?? "pdf") : format === "text" ? "txt" : "json";
    try {
      const path = await save({ defaultPath: `${base}-v${v.seq}.${ext}` });
      if (!path) return;
      const r = await api.versionExport(v.id, format, path);
      toast.show(r.message, { tone: "success" });
    } catch (e) {
      onError(e as Error);
    }
  };

  return (
    <div data-testid="version-card" className={`rounded-xl border bg-white p-4 shadow-sm dark:bg-slate-900 ${selected ? "border-indigo-500 ring-2 ring-indigo-500/30" : "border-slate-200 dark:border-slate-700"}`}>
      <div className="flex items-start justify-between gap-2">
        <div className="min-w-0">
          <p className="truncate font-semibold">
            v{v.seq} {v.pinned && <span title="Pinned: never removed by retention">📌</span>}
          </p>
          <p className="truncate text-xs text-slate-500">
            {v.file_name} · {formatBytes(v.size)} · {formatDate(v.created_at)}
          </p>
        </div>
        <span className={`text-2xl font-bold tabular-nums ${tone.text}`}>{v.ats_score}</span>
      </div>
      <div className="mt-2 flex flex-wrap items-center gap-1">
        {v.tags.map((t) => (
          <Badge key={t} className="bg-indigo-50 text-indigo-800 dark:bg-indigo-950 dark:text-indigo-200">
            {t}
            <button aria-label={`Remove tag ${t}`} className="ml-1 opacity-60 hover:opacity-100" onClick={() => tags.mutate({ add: [], remove: [t] })}>
              ×
            </button>
          </Badge>
        ))}
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (tag.trim()) tags.mutate({ add: [tag.trim()], remove: [] });
            setTag("");
          }}
        >
          <input aria-label="Add a tag" className="w-24 rounded border border-transparent bg-transparent px-1 text-xs hover:border-slate-300 focus:border-indigo-400 focus:outline-none" placeholder="+ tag" value={tag} onChange={(e) => setTag(e.target.value)} />
        </form>
      </div>
      {editingNotes ? (
        <div className="mt-2">
          <textarea aria-label="Notes" className={`${inputClass} h-20 w-full text-xs`} value={notes} onChange={(e) => setNotes(e.target.value)} />
          <div className="mt-1 flex gap-1">
            <Button className="!px-2 !py-0.5 text-xs" onClick={() => note.mutate()}>Save</Button>
            <Button variant="ghost" className="!px-2 !py-0.5 text-xs" onClick={() => { setNotes(v.notes); setEditingNotes(false); }}>Cancel</Button>
          </div>
        </div>
      ) : (
        <button className="mt-2 block w-full text-left text-xs text-slate-500 hover:text-slate-700" onClick={() => setEditingNotes(true)}>
          {v.notes || "Add notes (what changed, where you sent it)…"}
        </button>
      )}
      <div className="mt-3 flex flex-wrap gap-1">
        <a className="rounded-md px-2 py-1 text-xs font-medium text-indigo-600 hover:bg-indigo-50 dark:text-indigo-400 dark:hover:bg-indigo-950" href={href({ screen: "analysis", versionId: v.id })}>
          Preview
        </a>
        <Button variant="ghost" className="!px-2 !py-1 text-xs" onClick={() => pin.mutate()}>{v.pinned ? "Unpin" : "Pin"}</Button>
        <Button variant="ghost" className="!px-2 !py-1 text-xs" onClick={() => void exportAs("original")}>Export</Button>
        <Button variant="ghost" className="!px-2 !py-1 text-xs" onClick={() => void exportAs("json-resume")}>JSON Resume</Button>
        <label className="ml-auto flex items-center gap-1 text-xs">
          <input type="checkbox" data-testid="compare-select" checked={selected} onChange={onSelect} /> Compare
        </label>
      </div>
    </div>
  );
}

export function Versions({ compare }: { compare?: [string, string] }) {
  const families = useQuery({ queryKey: ["versions", "families"], queryFn: api.families });
  const versions = useQuery({ queryKey: ["versions", "all"], queryFn: () => api.versions(null) });
  const [selected, setSelected] = useState<string[]>([]);
  const diff = useQuery({
    queryKey: ["versions", "diff", compare?.[0], compare?.[1]],
    queryFn: () => api.versionCompare(compare![0], compare![1]),
    enabled: Boolean(compare),
  });
  const grouped = useMemo(() => {
    const byFamily = new Map<string, ResumeVersion[]>();
    for (const v of versions.data ?? []) {
      const l = byFamily.get(v.resume_id) ?? [];
      l.push(v);
      byFamily.set(v.resume_id, l);
    }
    return (families.data ?? []).map((f) => ({ family: f, versions: (byFamily.get(f.id) ?? []).sort((a, b) => b.seq - a.seq) }));
  }, [families.data, versions.data]);

  if (families.isPending || versions.isPending) return <Spinner />;
  if (families.isError) return <ErrorView error={families.error} onRetry={() => families.refetch()} />;
  if (versions.isError) return <ErrorView error={versions.error} onRetry={() => versions.refetch()} />;

  const toggle = (id: string) => setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s.slice(-1), id]));
  const ordered = () => {
    const all = versions.data ?? [];
    const [a, b] = selected.map((id) => all.find((v) => v.id === id)!);
    return a.created_at <= b.created_at ? [a.id, b.id] : [b.id, a.id];
  };

  return (
    <div data-testid="versions-screen">
      <PageHeader
        title="Resume versions"
        subtitle="Every analysed file is kept as a version; the newest 10 of each resume are kept unless pinned or sent with an application."
        actions={
          <Button data-testid="compare-button" disabled={selected.length !== 2} onClick={() => { const [a, b] = ordered(); navigate({ screen: "versions", compare: [a, b] }); }}>
            Compare selected ({selected.length}/2)
          </Button>
        }
      />
      {grouped.length === 0 ? (
        <EmptyState title="No versions yet" body="Analyze a resume and each file you upload appears here, with its score, tags and notes." action={<Button onClick={() => navigate({ screen: "upload" })}>Analyze a resume</Button>} />
      ) : (
        grouped.map(({ family, versions }) => (
          <Card key={family.id} title={family.name} className="mb-5" actions={<span className="text-xs text-slate-500">{versions.length} version(s)</span>}>
            <div className="grid grid-cols-1 gap-3 md:grid-cols-2 xl:grid-cols-3">
              {versions.map((v) => (
                <VersionCard key={v.id} v={v} name={family.name} selected={selected.includes(v.id)} onSelect={() => toggle(v.id)} />
              ))}
            </div>
          </Card>
        ))
      )}
      {compare && (
        <Modal title="Compare versions" wide onClose={() => navigate({ screen: "versions" })}>
          {diff.isPending ? <Spinner /> : diff.isError ? <ErrorView error={diff.error} /> : <DiffView diff={diff.data} />}
        </Modal>
      )}
    </div>
  );
}
