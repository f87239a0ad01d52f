import { useEffect, useRef, useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { getCurrentWebview } from "@tauri-apps/api/webview";
import { api, ApiError, MAX_UPLOAD_BYTES } from "../api";
import type { ImportResult } from "../bindings/ImportResult";
import type { ImportStage } from "../bindings/ImportStage";
import { on } from "../lib/events";
import { Button, Card, ErrorView, Field, PageHeader, inputClass } from "../components/ui";
import { formatBytes, newId } from "../lib/format";
import { navigate } from "../lib/router";
import { useToast } from "../lib/toast";

const STAGES: { stage: ImportStage; label: string }[] = [
  { stage: "reading", label: "Reading the file" },
  { stage: "extracting", label: "Extracting the text" },
  { stage: "analysing", label: "Analysing sections, skills and ATS checks" },
  { stage: "saving", label: "Saving the version" },
];
const ACCEPT = ".pdf,.docx,.txt,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document,text/plain";

/** The file's bytes (FileReader works in every web view, unlike Blob.arrayBuffer in old ones). */
function readBytes(file: File): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(new Uint8Array(r.result as ArrayBuffer));
    r.onerror = () => reject(r.error ?? new Error(`cannot read ${file.name}`));
    r.readAsArrayBuffer(file);
  });
}

interface Running {
  id: string;
  name: string;
  stage: ImportStage;
  progress: number;
}

export function Upload() {
  const qc = useQueryClient();
  const toast = useToast();
  const families = useQuery({ queryKey: ["versions", "families"], queryFn: api.families });
  // The configured limit (QODER_MAX_UPLOAD_BYTES); the default until the app has answered.
  const info = useQuery({ queryKey: ["app-info"], queryFn: api.appInfo });
  const maxBytes = info.data?.max_upload_bytes ?? MAX_UPLOAD_BYTES;
  const [familyId, setFamilyId] = useState("");
  const [running, setRunning] = useState<Running | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [over, setOver] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const runningRef = useRef<Running | null>(null);
  useEffect(() => {
    runningRef.current = running;
  }, [running]);

  useEffect(() => {
    const un = on("resume-upload-progress", (p) => {
      setRunning((r) => (r && r.id === p.fileId ? { ...r, stage: p.stage, progress: p.progress } : r));
    });
    return () => {
      un.then((f) => f()).catch(() => {});
    };
  }, []);

  const finish = (name: string, result: ImportResult) => {
    setRunning(null);
    if (result.status === "cancelled") {
      toast.show(`Upload of ${name} cancelled; nothing was saved.`);
      return;
    }
    qc.invalidateQueries({ queryKey: ["versions"] });
    qc.invalidateQueries({ queryKey: ["dashboard"] });
    const { outcome } = result;
    if (outcome.duplicate) toast.show(`${name} was analysed before: showing the stored version.`);
    else toast.show(`${name} analysed: ATS score ${outcome.version.ats_score}/100.`, { tone: "success" });
    if (outcome.removed.length > 0) {
      toast.show(`Retention removed ${outcome.removed.length} old version(s) of this resume (pinned versions are kept).`);
    }
    navigate({ screen: "analysis", versionId: outcome.version.id });
  };

  const run = async (name: string, go: (id: string) => Promise<ImportResult>) => {
    if (runningRef.current) return;
    const id = newId();
    runningRef.current = { id, name, stage: "reading", progress: 0 };
    setError(null);
    setRunning({ id, name, stage: "reading", progress: 0 });
    try {
      finish(name, await go(id));
    } catch (e) {
      setRunning(null);
      setError(e);
    }
  };

  const uploadFile = async (file: File) => {
    if (file.size > maxBytes) {
      setError(new ApiError("file_too_large", `${file.name} is ${formatBytes(file.size)}; the largest resume accepted is ${formatBytes(maxBytes)}.`));
      return;
    }
    const bytes = await readBytes(file);
    await run(file.name, (id) => api.uploadBytes(id, file.name, bytes, familyId || null));
  };

  // Native drops (Tauri delivers paths, not File objects).
  useEffect(() => {
    let un: (() => void) | undefined;
    try {
      getCurrentWebview()
        .onDragDropEvent((e) => {
          if (e.payload.type === "over" || e.payload.type === "enter") setOver(true);
          else if (e.payload.type === "leave") setOver(false);
          else if (e.payload.type === "drop") {
            setOver(false);
            const path = e.payload.paths[0];
            if (path) {
              const name = path.split(/[\\/]/).pop() ?? path;
              void run(name, (id) => api.uploadPath(id, path, familyId || null));
            }
          }
        })
        .then((f) => (un = f))
        .catch(() => {});
    } catch {
      // Not inside Tauri (unit tests): the HTML drop below handles files.
    }
    return () => un?.();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [familyId]);

  const stageIndex = running ? STAGES.findIndex((s) => s.stage === running.stage) : -1;

  return (
    <div data-testid="upload-screen">
      <PageHeader title="Analyze a resume" subtitle="PDF, DOCX or TXT up to 10 MB. Parsed on this computer in a sandboxed process." />
      <div className="grid grid-cols-1 gap-5 lg:grid-cols-3">
        <div className="lg:col-span-2">
          <div
            data-testid="dropzone"
            onDragOver={(e) => {
              e.preventDefault();
              setOver(true);
            }}
            onDragLeave={() => setOver(false)}
            onDrop={(e) => {
              e.preventDefault();
              setOver(false);
              const f = e.dataTransfer.files[0];
              if (f) void uploadFile(f);
            }}
            className={`flex min-h-72 flex-col items-center justify-center rounded-xl border-2 border-dashed p-8 text-center transition ${
              over ? "border-indigo-500 bg-indigo-50 dark:bg-indigo-950" : "border-slate-300 bg-white dark:border-slate-700 dark:bg-slate-900"
            }`}
          >
            {running ? (
              <div className="w-full max-w-md text-left" data-testid="upload-progress">
                <p className="mb-3 font-semibold">{running.name}</p>
                <div className="mb-4 h-2 w-full overflow-hidden rounded-full bg-slate-200 dark:bg-slate-700" role="progressbar" aria-valuenow={running.progress} aria-valuemin={0} aria-valuemax={100}>
                  <div className="h-full bg-indigo-600 transition-all" style={{ width: `${Math.max(running.progress, 3)}%` }} />
                </div>
                <ol className="mb-4 flex flex-col gap-1 text-sm">
                  {STAGES.map((s, i) => (
                    <li key={s.stage} className={i < stageIndex ? "text-green-600 dark:text-green-400" : i === stageIndex ? "font-medium" : "text-slate-400"}>
                      {i < stageIndex ? "✓" : i === stageIndex ? "●" : "○"} {s.label}
                    </li>
                  ))}
                </ol>
                <Button variant="secondary" onClick={() => void api.cancelUpload(running.id)} disabled={running.stage === "saving"}>
                  Cancel
                </Button>
              </div>
            ) : (
              <>
                <div className="mb-3 text-4xl" aria-hidden>
                  ⇪
                </div>
                <p className="text-lg font-semibold">Drop your resume here</p>
                <p className="mb-4 text-sm text-slate-500">or</p>
                <Button onClick={() => input.current?.click()}>Choose a file…</Button>
                <input
                  ref={input}
                  data-testid="file-input"
                  type="file"
                  accept={ACCEPT}
                  className="sr-only"
                  aria-label="Resume file"
                  onChange={(e) => {
                    const f = e.target.files?.[0];
                    e.target.value = "";
                    if (f) void uploadFile(f);
                  }}
                />
              </>
            )}
          </div>
          {error != null && (
            <div className="mt-4">
              <ErrorView error={error} />
            </div>
          )}
        </div>
        <Card title="Options">
          <Field label="Save as" hint="Versions of one resume are kept together; the newest 10 are kept unless pinned (Settings).">
            <select className={`${inputClass} w-full min-w-0`} value={familyId} onChange={(e) => setFamilyId(e.target.value)} aria-label="Save as">
              <option value="">New resume (or same file name)</option>
              {families.data?.map((f) => (
                <option key={f.id} value={f.id}>
                  New version of “{f.name}” ({f.versions} so far)
                </option>
              ))}
            </select>
          </Field>
          <p className="mt-4 text-xs text-slate-500">
            Scanned PDFs without a text layer, password-protected PDFs and files over 10 MB are refused with an explanation; nothing is stored for them.
          </p>
        </Card>
      </div>
    </div>
  );
}
