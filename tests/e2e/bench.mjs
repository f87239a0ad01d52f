// Desktop figures (issue 5): cold start to the dashboard rendered, idle memory of all the
// app's processes, and the 100,000-job tracker (filter round trip, scroll to unloaded rows).
// Prints each figure next to its target. Run by scripts/bench-desktop under Xvfb.
//
// Cold start: the binary is spawned directly (no WebDriver) with QODER_BENCH=1; the UI calls
// `app_ready` when the dashboard has rendered with data, and the shell prints "qoder-ready".
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Driver, startTauriDriver } from "./webdriver.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const app = resolve(process.argv[2] ?? join(root, "target/debug/qoder-desktop"));
const cli = resolve(process.argv[3] ?? join(root, "target/debug/qoder"));
const JOBS = Number(process.env.BENCH_JOBS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const port = 4454;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))];

function descendants(pid) {
  const parent = new Map();
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      /* gone */
    }
  }
  const out = [pid];
  for (let i = 0; i < out.length; i++) for (const [c, p] of parent) if (p === out[i]) out.push(c);
  return out;
}

function rssMiB(pids) {
  let kb = 0;
  for (const p of pids) {
    try {
      const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, "utf8"));
      if (m) kb += Number(m[1]);
    } catch {
      /* gone */
    }
  }
  return kb / 1024;
}

/** Proportional set size: shared library pages divided among the processes that map them. */
function pssMiB(pids) {
  let kb = 0;
  for (const p of pids) {
    try {
      const m = /^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${p}/smaps_rollup`, "utf8"));
      if (m) kb += Number(m[1]);
    } catch {
      /* gone */
    }
  }
  return kb / 1024;
}

async function coldStart(dataDir) {
  const t0 = performance.now();
  const child = spawn(app, [], { env: { ...process.env, QODER_DATA_DIR: dataDir, QODER_BENCH: "1", QODER_LOG: "warn" }, stdio: ["ignore", "ignore", "pipe"] });
  const ms = await new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error("no qoder-ready within 30 s")), 30000);
    let buf = "";
    child.stderr.on("data", (d) => {
      buf += d;
      if (buf.includes("qoder-ready dashboard")) {
        clearTimeout(timer);
        res(performance.now() - t0);
      }
    });
    child.on("exit", (c) => rej(new Error(`app exited with ${c}: ${buf.slice(-500)}`)));
  });
  await new Promise((r) => setTimeout(r, 4000));
  const pids = descendants(child.pid);
  const rss = rssMiB(pids);
  const pss = pssMiB(pids);
  child.removeAllListeners("exit");
  child.kill("SIGTERM");
  await new Promise((r) => child.once("exit", r));
  return { ms, rss, pss, processes: pids.length };
}

function seed(dataDir, n) {
  const statuses = ["saved", "applied", "screening", "interviewing", "offer", "rejected", "ghosted"];
  const titles = ["Data Engineer", "Backend Developer", "Nurse Practitioner", "Financial Analyst", "Product Designer", "DevOps Engineer", "Marketing Manager"];
  const vendors = ["", "TekSystems", "Robert Half", "Randstad", "Hays", "Adecco"];
  const words = ["python", "kubernetes", "sql", "react", "payroll", "audit", "figma", "terraform", "spark", "excel"];
  let csv = "title,company,vendor_name,status,location,description\n";
  for (let i = 0; i < n; i++) {
    const w = `${words[i % words.length]} ${words[(i * 7) % words.length]}`;
    csv += `${titles[i % titles.length]} ${i},Company ${i % 997},${vendors[i % vendors.length]},${statuses[i % statuses.length]},City ${i % 50},Uses ${w} daily\n`;
  }
  const file = join(dataDir, "seed.csv");
  writeFileSync(file, csv);
  const t0 = performance.now();
  execFileSync(cli, ["jobs", "import", file], { env: { ...process.env, QODER_DATA_DIR: dataDir }, stdio: "ignore" });
  return performance.now() - t0;
}

const empty = mkdtempSync(join(tmpdir(), "qoder-bench-empty-"));
const full = mkdtempSync(join(tmpdir(), "qoder-bench-full-"));
const rows = [];
const report = (name, value, unit, target, ok) => {
  rows.push({ name, value, unit, target, ok });
  console.log(`${ok ? "ok  " : "MISS"} ${name}: ${typeof value === "number" ? value.toFixed(1) : value} ${unit} (target ${target})`);
};
let tauriDriver;
const driver = new Driver(`http://127.0.0.1:${port}`);
try {
  console.log(`seeding ${JOBS} jobs… ${(seed(full, JOBS) / 1000).toFixed(1)} s`);
  for (const [label, dir] of [["empty store", empty], [`${JOBS} jobs`, full]]) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await coldStart(dir));
    const ms = runs.map((r) => r.ms);
    console.log(`cold start, ${label}: runs ${ms.map((x) => x.toFixed(0)).join(", ")} ms`);
    report(`cold start to dashboard (${label}), median of ${RUNS}`, median(ms), "ms", "< 1500", median(ms) < 1500);
    const rss = median(runs.map((r) => r.rss));
    report(`idle RSS, all ${runs[0].processes} app processes (${label})`, rss, "MiB", "< 200", rss < 200);
    const pss = median(runs.map((r) => r.pss));
    report(`idle PSS (shared libraries counted once), all processes (${label})`, pss, "MiB", "< 200", pss < 200);
  }

  tauriDriver = await startTauriDriver(port, { QODER_DATA_DIR: full, QODER_LOG: "warn" });
  await driver.start(app);
  await driver.find('[data-testid="dashboard"]', 30000);
  await driver.exec("window.location.hash = '#/jobs'");
  await driver.find('[data-testid="job-row"]', 30000);
  const total = await driver.text('[data-testid="jobs-total"]');
  console.log(`tracker shows: ${total}`);

  // Raw command round trip (IPC + query + JSON) for typical filters.
  const filters = [
    { text: "python" },
    { text: "kubernetes terraform" },
    { status: ["interviewing"] },
    { vendor: "Randstad" },
    { status: ["applied"], vendor: "Hays" },
    {},
  ];
  const ipc = await driver.execAsync(
    `const done = arguments[arguments.length - 1];
     const filters = arguments[0];
     (async () => {
       const inv = window.__TAURI_INTERNALS__.invoke;
       const out = [];
       for (let round = 0; round < 5; round++) for (const f of filters) {
         const filter = { status: [], vendor: null, company: null, text: null, date_field: "updatedAt", from: null, to: null, ...f };
         const t = performance.now();
         await inv("jobs_list", { filter, sort: { field: "updatedAt", order: "desc" }, page: { page: 1, limit: 100 } });
         out.push(performance.now() - t);
       }
       done(out);
     })().catch((e) => done({ error: String(e) }));`,
    [filters],
  );
  if (ipc.error) throw new Error(ipc.error);
  filters.forEach((f, i) => {
    const mine = ipc.filter((_, k) => k % filters.length === i);
    console.log(`  jobs_list ${JSON.stringify(f)}: median ${median(mine).toFixed(1)} ms, max ${Math.max(...mine).toFixed(1)} ms`);
  });
  report("filter round trip, jobs_list command (30 calls), p95", p95(ipc), "ms", "< 50", p95(ipc) < 50);

  // Through the UI: type in the search box, wait until the table shows the filtered total.
  const ui = await driver.execAsync(
    `const done = arguments[arguments.length - 1];
     (async () => {
       const input = document.querySelector('[data-testid="job-search"]');
       const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set;
       const shows = (term) => {
         const el = document.querySelector('[data-testid="jobs-total"]');
         return el && el.dataset.filter === term && el.dataset.ready === "true";
       };
       const out = [];
       for (const term of ["python", "audit", "figma", "spark", "", "excel", "sql", ""]) {
         const t = performance.now();
         setValue.call(input, term);
         input.dispatchEvent(new Event("input", { bubbles: true }));
         await new Promise((r) => requestAnimationFrame(r));
         while (!shows(term) && performance.now() - t < 5000) await new Promise((r) => requestAnimationFrame(r));
         out.push(performance.now() - t);
       }
       done(out);
     })().catch((e) => done({ error: String(e) }));`,
  );
  if (ui.error) throw new Error(ui.error);
  report("filter in the UI, keystroke to table updated (8 filters), median", median(ui), "ms", "< 50", median(ui) < 50);

  // Scrolling: jump to unloaded parts of the list and wait until every visible row has data.
  const scroll = await driver.execAsync(
    `const done = arguments[arguments.length - 1];
     (async () => {
       const el = document.querySelector('[data-testid="jobs-scroll"]');
       const out = [];
       for (const frac of [0.1, 0.35, 0.5, 0.77, 0.99, 0.2]) {
         const t = performance.now();
         el.scrollTop = el.scrollHeight * frac;
         await new Promise((r) => requestAnimationFrame(r));
         while ((document.querySelector('[data-testid="job-row-loading"]') || !document.querySelector('[data-testid="job-row"]')) && performance.now() - t < 5000)
           await new Promise((r) => requestAnimationFrame(r));
         out.push(performance.now() - t);
       }
       done(out);
     })().catch((e) => done({ error: String(e) }));`,
  );
  if (scroll.error) throw new Error(scroll.error);
  report("scroll jump to unloaded rows until filled (6 jumps), median", median(scroll), "ms", "< 100", median(scroll) < 100);
  console.log(`  (scroll jumps: ${scroll.map((x) => x.toFixed(0)).join(", ")} ms; UI filters: ${ui.map((x) => x.toFixed(0)).join(", ")} ms)`);
} finally {
  await driver.stop();
  tauriDriver?.kill();
  rmSync(empty, { recursive: true, force: true });
  rmSync(full, { recursive: true, force: true });
}
const missed = rows.filter((r) => !r.ok).length;
console.log(`${rows.length - missed}/${rows.length} figures within target`);
