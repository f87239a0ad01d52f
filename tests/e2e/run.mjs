// End-to-end suite: the real QoderResume binary under Xvfb, driven over WebDriver
// (tauri-driver → WebKitWebDriver). Flows: upload a real PDF and see its score and fixes;
// paste a JD and see missing skills; create, edit, move and delete a job; compare two
// versions; confirm and correct a field the parser is unsure of; AI bullet points from a local
// OpenAI-compatible stand-in, with a held-back bullet's reasons and its two ways forward; the
// account's plan and usage, and the upgrade prompt at a hosted-AI limit; screening a folder of
// resumes against a JD (ranked, flagged, anonymised, compared); a due interview and reminder
// notify (system notification over D-Bus, the Due now list, snooze, done). A
// screenshot of every screen goes to the artifacts folder.
//
// Usage: node tests/e2e/run.mjs [APP_BINARY]   (run by scripts/e2e under xvfb-run)
import { spawn, execFileSync } from "node:child_process";
import { createServer } from "node:http";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Driver, startTauriDriver } from "./webdriver.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const app = resolve(process.argv[2] ?? process.env.QODER_APP ?? join(root, "target/debug/qoder-desktop"));
const artifacts = resolve(process.env.E2E_ARTIFACTS ?? join(root, "tests/e2e/artifacts"));
const corpus = join(root, "tests/corpus");
const port = Number(process.env.E2E_PORT ?? 4444);
const dataDir = mkdtempSync(join(tmpdir(), "qoder-e2e-"));
rmSync(artifacts, { recursive: true, force: true });
mkdirSync(artifacts, { recursive: true });

const results = [];
let shot = 0;
const driver = new Driver(`http://127.0.0.1:${port}`);

async function screenshot(name) {
  shot += 1;
  // Let the last state change paint before the capture.
  await driver.execAsync("const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 150)));");
  const file = join(artifacts, `${String(shot).padStart(2, "0")}-${name}.png`);
  writeFileSync(file, await driver.screenshot());
  return file;
}

async function step(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    results.push({ name, ok: true, ms: Date.now() - t0 });
    console.log(`ok   ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    results.push({ name, ok: false, ms: Date.now() - t0, error: e.message });
    console.log(`FAIL ${name}: ${e.message}`);
    await screenshot(`FAILED-${name.replace(/\W+/g, "-")}`).catch(() => {});
    throw e;
  }
}

function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

async function go(hash) {
  await driver.exec(`window.location.hash = arguments[0];`, [hash]);
}

/** A local OpenAI-compatible chat-completions server answering `content`, streamed (as
 * server-sent events, in two pieces) when the request asks for a stream. */
async function openAiStandIn(content) {
  const llm = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const parsed = JSON.parse(body || "{}");
      // `content` is the answer, or a function of the request that gives it.
      const answer = typeof content === "function" ? content(parsed) : content;
      if (parsed.stream) {
        res.writeHead(200, { "content-type": "text/event-stream" });
        const half = Math.floor(answer.length / 2);
        for (const piece of [answer.slice(0, half), answer.slice(half)]) {
          res.write(`data: ${JSON.stringify({ id: "e2e", object: "chat.completion.chunk", model: "e2e-model", choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] })}\n\n`);
        }
        res.write(`data: ${JSON.stringify({ id: "e2e", object: "chat.completion.chunk", model: "e2e-model", choices: [{ index: 0, delta: {}, finish_reason: "stop" }], usage: { prompt_tokens: 900, completion_tokens: 120 } })}\n\n`);
        res.end("data: [DONE]\n\n");
        return;
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({
        id: "e2e", object: "chat.completion", model: "e2e-model",
        choices: [{ index: 0, message: { role: "assistant", content: answer }, finish_reason: "stop" }],
        usage: { prompt_tokens: 900, completion_tokens: 120 },
      }));
    });
  });
  await new Promise((ok) => llm.listen(0, "127.0.0.1", ok));
  return llm;
}

/** The few Stripe endpoints qoder-server calls for Checkout (customers, checkout sessions),
 * answering Stripe's documented objects; any list reads as empty. */
async function stripeStandIn() {
  const stripe = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const path = req.url.split("?")[0];
      res.writeHead(200, { "content-type": "application/json" });
      if (req.method === "POST" && path === "/v1/customers") return res.end(JSON.stringify({ id: "cus_e2e", object: "customer" }));
      if (req.method === "POST" && path === "/v1/checkout/sessions") return res.end(JSON.stringify({ id: "cs_e2e", object: "checkout.session", url: "https://checkout.stripe.com/c/pay/cs_e2e" }));
      res.end(JSON.stringify({ object: "list", data: [], has_more: false, url: path }));
    });
  });
  await new Promise((ok) => stripe.listen(0, "127.0.0.1", ok));
  return stripe;
}

/** The analysis screen of the first uploaded resume (set by the upload step). */
let analysisHash = "";
const JD = readFileSync(join(corpus, "jds/jd08-data-engineer.txt"), "utf8");
let tauriDriver;
let failed = false;
try {
  tauriDriver = await startTauriDriver(port, { QODER_DATA_DIR: dataDir, QODER_LOG: "info", QODER_NO_KEYCHAIN: "1", QODER_LLM_API_KEY: "", QODER_NO_BROWSER: "1" });
  const t0 = Date.now();
  await driver.start(app);
  await step("dashboard appears (empty state)", async () => {
    await driver.find('[data-testid="dashboard"]', 30000);
    // WebKit keeps local storage between runs: start from the default (light) theme.
    await driver.exec("localStorage.removeItem('qoder.theme'); document.documentElement.classList.remove('dark');");
    await driver.find('[data-testid="empty-state"]');
    console.log(`     first dashboard in ${Date.now() - t0} ms (session start included)`);
    await screenshot("dashboard-empty");
  });

  await step("upload a real PDF resume and see its score and fixes", async () => {
    await driver.click('[data-testid="nav-upload"]');
    await driver.find('[data-testid="dropzone"]');
    await screenshot("upload");
    await driver.type('[data-testid="file-input"]', join(corpus, "files/r01-software.pdf"));
    await driver.find('[data-testid="analysis-screen"]', 30000);
    const score = Number(await driver.text('[data-testid="score-value"]'));
    assert(score > 0 && score <= 100, `score ${score}`);
    const checks = await driver.findAll('[data-testid="ats-check"]');
    assert(checks.length === 9, `${checks.length} ATS checks shown`);
    console.log(`     ATS score ${score}, ${checks.length} checks, ${(await driver.findAll('[data-testid="ats-fix"]')).length} fixes shown`);
    await screenshot("analysis");
    analysisHash = await driver.exec("return location.hash");
    await driver.click('[role="tab"]:nth-child(2)');
    await driver.find('[data-testid="skills"]');
    await screenshot("analysis-skills");
  });

  await step("paste a JD and see missing skills", async () => {
    await driver.click('[data-testid="nav-matching"]');
    await driver.find('[data-testid="matching-screen"]');
    // WebDriver types "\n" as nothing; Enter (U+E007) gives the line breaks the JD parser reads.
    await driver.type('[data-testid="jd-input"]', JD.replace(/\r?\n/g, "\uE007"));
    await driver.click('[data-testid="match-run"]');
    await driver.find('[data-testid="match-results"]', 60000);
    const missing = await driver.text('[data-testid="missing-skills"]');
    for (const s of ["Apache Spark", "Apache Airflow"]) assert(missing.includes(s), `missing skills do not list ${s}: ${missing}`);
    await screenshot("matching");
    await driver.exec("document.querySelector('[data-testid=\"missing-skills\"]').scrollIntoView({ block: 'start' })");
    await screenshot("matching-skills");
  });

  await step("AI bullet points without a provider say so and keep the rule-based suggestions", async () => {
    await driver.click('[data-testid="ai-run"]');
    const notice = await driver.content('[data-testid="ai-notice"]');
    assert(notice.includes("No AI provider is set up"), `notice: ${notice}`);
    assert((await driver.content('[data-testid="suggestions"]')).includes("Apache Spark"), "rule-based suggestions gone");
    await driver.exec("document.querySelector('[data-testid=\"ai-points\"]').scrollIntoView({ block: 'start' })");
    await screenshot("matching-ai-offline");
  });

  await step("AI bullet points: a held-back bullet says why and offers adding a fact or dropping the claim", async () => {
    // A local OpenAI-compatible stand-in: one bullet the resume backs, two it does not.
    const points = {
      points: [
        { bullet: "Designed an event pipeline on Kafka handling 40k messages/s with exactly-once semantics", skill: "Apache Kafka", replaces: null },
        { bullet: "Rewrote the ledger service in Rust at Tidewater Payments, cutting p99 latency by 90%", skill: null, replaces: null },
        { bullet: "Won the Tidewater Payments engineering award for the ledger rewrite", skill: null, replaces: null },
      ],
    };
    const llm = await openAiStandIn(JSON.stringify(points));
    const cli = join(dirname(app), "qoder");
    assert(existsSync(cli), `needs ${cli} (cargo build -p qoder-cli)`);
    try {
      execFileSync(cli, ["ai", "set", "openai-compatible", "--base-url", `http://127.0.0.1:${llm.address().port}/v1`, "--model", "e2e-model"], { env: { ...process.env, QODER_DATA_DIR: dataDir }, encoding: "utf8" });
      await driver.click('[data-testid="ai-run"]');
      await driver.find('[data-testid="ai-results"]', 30000);
      const held = await driver.findAll('[data-testid="ai-held-back"]');
      assert(held.length === 2, `${held.length} bullets held back`);
      const text = await driver.content('[data-testid="ai-results"]');
      assert(text.includes("90%") && text.includes("award"), `the reasons do not name the claims: ${text}`);
      assert(text.includes("Designed an event pipeline on Kafka"), "the backed bullet is not offered");
      const without = await driver.content('[data-testid="ai-without-claim"]');
      assert(without.includes("cutting p99 latency") && !without.includes("90%"), `without the claim: ${without}`);
      await driver.exec("document.querySelector('[data-testid=\"ai-held-back\"]').scrollIntoView({ block: 'center' })");
      await screenshot("matching-ai-held-back");
      await driver.click('[data-testid="ai-use-without"]');
      await driver.click('[data-testid="ai-add-fact"]');
      await driver.waitFor("the re-checked fact", async () => (await driver.content('[data-testid="ai-results"]')).includes("the bullet is backed now"), 15000, 200);
      await screenshot("matching-ai-fact-added");
    } finally {
      llm.close();
    }
  });

  await step("create a job application", async () => {
    await driver.click('[data-testid="nav-jobs"]');
    await driver.find('[data-testid="jobs-empty"]');
    await screenshot("jobs-empty");
    await driver.click('[data-testid="add-job"]');
    await driver.type('[data-testid="job-title"]', "Data Engineer");
    await driver.type('[data-testid="job-company"]', "Northwind");
    await driver.click('[data-testid="job-next"]');
    await screenshot("job-form-step2");
    await driver.click('[data-testid="job-save"]');
    await driver.find('[data-testid="job-row"]');
    await driver.waitFor("the new job in the table", async () => {
      const t = await driver.exec("return [...document.querySelectorAll('[data-testid=job-row]')].map((r) => r.textContent).join('|')");
      return t.includes("Northwind");
    });
    await screenshot("jobs-table");
  });

  await step("edit the job", async () => {
    await driver.click('[data-testid="job-row"] a');
    await driver.find('[data-testid="job-page"]');
    await driver.click('[data-testid="edit-job"]');
    await driver.clear('[data-testid="job-title"]');
    await driver.type('[data-testid="job-title"]', "Senior Data Engineer");
    await driver.click('[data-testid="job-save"]');
    await driver.waitFor("new title", async () => (await driver.text("h1")) === "Senior Data Engineer");
    // Schedule an interview through the app's own command (date inputs are not typeable over
    // WebDriver in WebKit), then see it on the job page.
    const res = await driver.execAsync(
      `const done = arguments[arguments.length - 1];
       const jobId = window.location.hash.split("/").pop();
       window.__TAURI_INTERNALS__.invoke("interview_add", { jobId, form: { starts_at: new Date(Date.now() + 86400000).toISOString(), duration_minutes: 45, timezone: null, kind: "video", location: null, link: null, interviewers: [], notes: null } })
         .then(() => done("ok"), (e) => done(JSON.stringify(e)));`,
    );
    assert(res === "ok", `interview_add: ${res}`);
    await driver.exec("window.location.reload()");
    await driver.waitFor("the interview on the job page", async () => (await driver.content('[data-testid="job-page"]')).includes("45 min"));
  });

  await step("a due interview and reminder notify; snooze and done from the Due now list", async () => {
    const invoke = (cmd, args) =>
      driver.execAsync(
        `const done = arguments[arguments.length - 1];
         window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1]).then(() => done("ok"), (e) => done(JSON.stringify(e)));`,
        [cmd, args],
      );
    const jobId = await driver.exec("return window.location.hash.split('/').pop()");
    // An interview in 10 minutes is inside the 30-minute lead: it is due at once.
    const at = new Date(Date.now() + 10 * 60000).toISOString();
    const res = await invoke("interview_add", { jobId, form: { starts_at: at, duration_minutes: 30, timezone: null, kind: "video", location: null, link: "https://meet.example.com/e2e", interviewers: [], notes: null } });
    assert(res === "ok", `interview_add: ${res}`);
    await driver.waitFor("the Due now count", async () => (await driver.exec("return document.querySelector('[data-testid=notices-count]')?.textContent ?? ''")) === "1");
    // The system notification went out over D-Bus (org.freedesktop.Notifications.Notify).
    const log = process.env.QODER_E2E_NOTIFY_LOG;
    if (log) {
      await driver.waitFor("the system notification", async () => existsSync(log) && readFileSync(log, "utf8").includes("Video interview at"), 10000);
    }
    await driver.click('[data-testid="notices-button"]');
    await driver.waitFor("the interview in the list", async () => (await driver.content('[data-testid="notices-list"]')).includes("meet.example.com/e2e"));
    await screenshot("notices-due");
    await driver.click('[data-testid="notice-snooze"] option[value="10 minutes"]');
    await driver.find('[data-testid="notices-empty"]');
    assert((await driver.exec("return document.querySelector('[data-testid=notices-count]')")) === null, "the count is gone after a snooze");
    await driver.click('[aria-label="Close"]');
    // A reminder that fell due a minute ago: Done marks it done on the job.
    const r = await invoke("reminder_add", { form: { job_id: jobId, kind: "custom", due_at: new Date(Date.now() - 60000).toISOString(), after_days: null, message: "Send the portfolio link" } });
    assert(r === "ok", `reminder_add: ${r}`);
    await driver.waitFor("the reminder counted", async () => (await driver.exec("return document.querySelector('[data-testid=notices-count]')?.textContent ?? ''")) === "1");
    if (log) {
      await driver.waitFor("its system notification", async () => readFileSync(log, "utf8").includes("Send the portfolio link"), 10000);
    }
    await driver.click('[data-testid="notices-button"]');
    await driver.waitFor("the reminder in the list", async () => (await driver.content('[data-testid="notices-list"]')).includes("Send the portfolio link"));
    await driver.click('[data-testid="notice-done"]');
    await driver.find('[data-testid="notices-empty"]');
    await driver.click('[aria-label="Close"]');
    await driver.exec("window.location.reload()");
    await driver.waitFor("no open reminder on the job", async () => (await driver.content('[data-testid="job-page"]')).includes("No open reminders."));
  });

  await step("move the job to interview", async () => {
    await driver.click('[data-testid="status-select"] option[value="interviewing"]');
    await driver.waitFor("timeline entry", async () => (await driver.content('[data-testid="timeline"]')).includes("Interview"));
    await screenshot("job-page");
    await go("#/jobs/board");
    await driver.find('[data-testid="jobs-board"]');
    await driver.waitFor("card in the interview column", async () => (await driver.content('[data-testid="column-interviewing"]')).includes("Senior Data Engineer"));
    await driver.click('[data-testid="card-move"] option[value="offer"]');
    await driver.waitFor("card in the offer column", async () => (await driver.content('[data-testid="column-offer"]')).includes("Senior Data Engineer"));
    await screenshot("jobs-board");
  });

  await step("delete the job, with undo", async () => {
    await driver.click('[data-testid="job-card"] a');
    await driver.click('[data-testid="delete-job"]');
    await driver.find('[data-testid="toast"]');
    await screenshot("job-deleted-undo");
    await driver.click('[data-testid="toast-action"]');
    await driver.find('[data-testid="job-page"]');
    await driver.click('[data-testid="delete-job"]');
    await driver.find('[data-testid="jobs-screen"]');
    await driver.find('[data-testid="jobs-empty"]', 15000);
    // Gone at once from the list; deleted for good when the undo window closes.
    await new Promise((r) => setTimeout(r, 7000));
    await driver.exec("window.location.reload()");
    await driver.find('[data-testid="jobs-empty"]', 15000);
  });

  await step("compare two versions", async () => {
    await driver.click('[data-testid="nav-upload"]');
    await driver.click('select[aria-label="Save as"] option:nth-child(2)');
    await driver.type('[data-testid="file-input"]', join(corpus, "files/r13-frontend.pdf"));
    await driver.find('[data-testid="analysis-screen"]', 30000);
    await driver.click('[data-testid="nav-versions"]');
    await driver.waitFor("two versions", async () => (await driver.findAll('[data-testid="version-card"]')).length === 2);
    await screenshot("versions");
    const boxes = await driver.findAll('[data-testid="compare-select"]');
    for (const b of boxes) await driver.cmd("POST", `/element/${b}/click`, {});
    await driver.click('[data-testid="compare-button"]');
    await driver.find('[data-testid="version-diff"]', 15000);
    assert((await driver.text('[data-testid="version-diff"]')).includes("ATS score"), "diff has no score line");
    await screenshot("versions-compare");
  });

  await step("dashboard with data, settings", async () => {
    await go("#/");
    await driver.find('[data-testid="latest-resume"] [data-testid="score-value"]');
    await screenshot("dashboard");
    await driver.click('[data-testid="nav-settings"]');
    await driver.find('[data-testid="settings-screen"]');
    await screenshot("settings");
  });

  await step("sync with a second computer through a local server", async () => {
    // The real qoder-server (built by `cargo test`) over a fresh PostgreSQL database, and the
    // CLI on a second data directory standing in for the other computer.
    const bin = dirname(app);
    const serverBin = join(bin, "qoder-server");
    const cli = join(bin, "qoder");
    assert(existsSync(serverBin) && existsSync(cli), `needs ${serverBin} and ${cli} (cargo build -p qoder-server -p qoder-cli)`);
    const pg = process.env.QODER_TEST_PG ?? "postgres://postgres@127.0.0.1:5432";
    const db = `qoder_e2e_${process.pid}`;
    execFileSync("psql", [`${pg}/postgres`, "-qc", `CREATE DATABASE ${db}`]);
    const syncPort = 18000 + (process.pid % 2000);
    const server = spawn(serverBin, ["--listen", `127.0.0.1:${syncPort}`, "--database-url", `${pg}/${db}`, "--jwt-secret", "e2e-sync-secret-0123456789abcdef0123456789"], { stdio: "ignore", env: { ...process.env, QODER_LOG: "warn" } });
    const other = mkdtempSync(join(tmpdir(), "qoder-e2e-other-"));
    const base = `http://127.0.0.1:${syncPort}`;
    const q = (...args) => execFileSync(cli, args, { env: { ...process.env, QODER_DATA_DIR: other, QODER_SYNC_PASSWORD: "e2e sync password" }, encoding: "utf8" });
    try {
      await driver.waitFor("the sync server", async () => (await fetch(`${base}/readyz`).catch(() => null))?.ok, 15000, 200);
      await driver.find('[data-testid="sync-settings"]');
      await screenshot("settings-sync-signed-out");
      await driver.type('[data-testid="sync-server"]', base);
      await driver.type('[data-testid="sync-email"]', "e2e@example.com");
      await driver.type('[data-testid="sync-password"]', "e2e sync password");
      await driver.click('[data-testid="sync-create"]');
      await driver.click('[data-testid="sync-submit"]');
      // Signing in wakes the background sync: the desktop's resumes go up on their own.
      await driver.waitFor("the first sync", async () => !(await driver.content('[data-testid="sync-last"]').catch(() => "Not yet")).includes("Not yet"), 30000, 300);
      await screenshot("settings-sync-signed-in");
      // A recovery code, shown once.
      await driver.click('[data-testid="sync-security"] summary');
      await driver.click('[data-testid="sync-security"] button');
      await driver.waitFor("a recovery code", async () => /^[0-9A-Z]{4}(-[0-9A-Z]{4}){7}$/.test((await driver.content('[data-testid="recovery-code"]').catch(() => "")).trim()), 15000);
      await driver.exec("document.querySelector('[data-testid=sync-security]').scrollIntoView({block: 'center'})");
      await screenshot("settings-sync-recovery-code");
      q("sync", "login", "--server", base, "--email", "e2e@example.com");
      q("sync", "now");
      const versions = JSON.parse(q("resume", "versions", "--json"));
      assert(versions.length === 2, `the other computer got ${versions.length} versions, not 2`);
      // Back the other way: a job added on the other computer shows up here after "Sync now".
      q("jobs", "add", "--title", "Synced Platform Engineer", "--company", "Contoso");
      q("sync", "now");
      await driver.click('[data-testid="sync-now"]');
      await driver.find('[data-testid="toast"]', 15000);
      await driver.click('[data-testid="nav-jobs"]');
      await driver.waitFor("the synced job in the table", async () => (await driver.content('[data-testid="jobs-screen"]')).includes("Synced Platform Engineer"), 15000);
      await screenshot("jobs-after-sync");
    } finally {
      server.kill();
      rmSync(other, { recursive: true, force: true });
      try { execFileSync("psql", [`${pg}/postgres`, "-qc", `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`]); } catch { /* best effort */ }
    }
  });

  await step("account: plan, usage and the upgrade prompt at the limit", async () => {
    // A second real qoder-server on a fresh database, with its hosted AI answered by a local
    // OpenAI-compatible stand-in and Checkout by a Stripe stand-in. Plans are data: the Free
    // plan is given one JD matching a month, so the second hosted call meets the limit.
    const bin = dirname(app);
    const serverBin = join(bin, "qoder-server");
    const cli = join(bin, "qoder");
    const pg = process.env.QODER_TEST_PG ?? "postgres://postgres@127.0.0.1:5432";
    const db = `qoder_e2e_account_${process.pid}`;
    execFileSync("psql", [`${pg}/postgres`, "-qc", `CREATE DATABASE ${db}`]);
    const points = JSON.stringify({ points: [{ bullet: "Designed an event pipeline on Kafka handling 40k messages/s with exactly-once semantics", skill: "Apache Kafka", replaces: null }] });
    const review = JSON.stringify({
      summary: "The resume is easy to scan and its sections are in the expected order.",
      strengths: ["Each role has its own list of bullets."],
      issues: [{ section: "Experience", problem: "Several bullets describe duties rather than results.", fix: "Say what changed because of the work, with a figure you can back." }],
    });
    const llm = await openAiStandIn((req) => (JSON.stringify(req.messages ?? []).includes("reviewing a resume") ? review : points));
    const stripe = await stripeStandIn();
    const accountPort = 20000 + (process.pid % 2000);
    const base = `http://127.0.0.1:${accountPort}`;
    const server = spawn(serverBin, ["--listen", `127.0.0.1:${accountPort}`, "--database-url", `${pg}/${db}`, "--jwt-secret", "e2e-account-secret-0123456789abcdef0123456789"], {
      stdio: "ignore",
      env: {
        ...process.env,
        QODER_LOG: "warn",
        QODER_AI_PROVIDERS: "e2e",
        QODER_AI_E2E_KIND: "openai",
        QODER_AI_E2E_BASE_URL: `http://127.0.0.1:${llm.address().port}/v1`,
        QODER_AI_E2E_API_KEY: "sk-e2e-provider",
        QODER_AI_E2E_MODEL: "e2e-model",
        QODER_STRIPE_API_BASE: `http://127.0.0.1:${stripe.address().port}`,
        QODER_STRIPE_SECRET_KEY: "sk_test_e2e",
        QODER_STRIPE_WEBHOOK_SECRET: "whsec_e2e_0123456789",
        QODER_STRIPE_PRICES: "pro_monthly=price_m,pro_quarterly=price_q,pro_halfyearly=price_h",
      },
    });
    try {
      await driver.waitFor("the account server", async () => (await fetch(`${base}/readyz`).catch(() => null))?.ok, 15000, 200);
      execFileSync("psql", [`${pg}/${db}`, "-qc", "UPDATE plans SET jd_matching_limit = 1 WHERE id = 'free'"]);
      // The previous step's own provider is gone with its stand-in: QoderResume AI alone.
      execFileSync(cli, ["ai", "rm", "openai-compatible"], { env: { ...process.env, QODER_DATA_DIR: dataDir }, encoding: "utf8" });
      await go("#/settings");
      await driver.find('[data-testid="account-settings"]');
      // Signed in to the previous (stopped) server: sign out, then in to this one.
      await driver.waitFor("signed out", async () => {
        if (await driver.find('[data-testid="account-signed-out"]', 500).then(() => true, () => false)) return true;
        await driver.click('[data-testid="sync-logout"]').catch(() => {});
        return false;
      }, 20000, 500);
      await driver.type('[data-testid="sync-server"]', base);
      await driver.type('[data-testid="sync-email"]', "account@example.com");
      await driver.type('[data-testid="sync-password"]', "e2e account password");
      await driver.click('[data-testid="sync-create"]');
      await driver.click('[data-testid="sync-submit"]');
      await driver.waitFor("the Free plan", async () => (await driver.content('[data-testid="account-plan"]').catch(() => "")).includes("Free"), 20000, 300);
      const before = await driver.content('[data-testid="usage-jd_matching"]');
      assert(before.includes("0 of 1"), `usage before: ${before}`);
      // Use QoderResume AI: the notice says what is sent before anything is.
      await driver.click('[data-testid="hosted-ai-on"]');
      const notice = await driver.content('[data-testid="hosted-ai-notice"]');
      assert(notice.includes("Contact details") && notice.includes("never leave"), `notice: ${notice}`);
      await screenshot("settings-hosted-ai-notice");
      await driver.click('[data-testid="hosted-ai-agree"]');
      await driver.find('[data-testid="hosted-ai-off"]', 10000);
      // An AI review on the analysis screen: one of the plan's resume analyses.
      assert(analysisHash.startsWith("#/analysis/"), `analysis screen: ${analysisHash}`);
      await go(analysisHash);
      await driver.find('[data-testid="analysis-screen"]', 20000);
      await driver.click('[data-testid="ai-review-run"]');
      await driver.find('[data-testid="ai-review-result"]', 30000);
      const reviewed = await driver.content('[data-testid="ai-review-result"]');
      assert(reviewed.includes("easy to scan") && reviewed.includes("duties rather than results"), `review: ${reviewed}`);
      await driver.exec("document.querySelector('[data-testid=\"ai-review\"]').scrollIntoView({ block: 'start' })");
      await screenshot("analysis-ai-review");
      // First hosted call: counted; the second meets the plan's limit.
      await driver.click('[data-testid="nav-matching"]');
      await driver.find('[data-testid="matching-screen"]');
      await driver.type('[data-testid="jd-input"]', "Data Engineer\uE007Requirements: Python, Apache Spark, Apache Kafka, Airflow, SQL.");
      await driver.click('[data-testid="match-run"]');
      await driver.find('[data-testid="match-results"]', 60000);
      await driver.click('[data-testid="ai-run"]');
      await driver.find('[data-testid="ai-results"]', 30000);
      assert((await driver.content('[data-testid="ai-results"]')).includes("event pipeline on Kafka"), "the hosted answer is not shown");
      await driver.type('[data-testid="ai-points"] textarea', "Ran Spark jobs nightly at Tidewater Payments");
      await driver.click('[data-testid="ai-run"]');
      await driver.find('[data-testid="upgrade-prompt"]', 30000);
      const prompt = await driver.content('[data-testid="upgrade-prompt"]');
      assert(prompt.includes("1 of 1") && prompt.includes("resets"), `prompt: ${prompt}`);
      await driver.exec("document.querySelector('[data-testid=\"upgrade-prompt\"]').scrollIntoView({ block: 'center' })");
      await screenshot("matching-upgrade-prompt");
      await driver.click('[data-testid="upgrade-open"]');
      await driver.find('[data-testid="plan-picker"]', 10000);
      const picker = await driver.content('[data-testid="plan-picker"]');
      assert(picker.includes("$10.00 a month") && picker.includes("$27.00 for 3 months"), `picker: ${picker}`);
      await screenshot("upgrade-plan-picker");
      await driver.click('[data-testid="checkout"]');
      const opened = await driver.content('[data-testid="checkout-opened"]');
      assert(opened.includes("https://checkout.stripe.com/c/pay/cs_e2e"), `checkout: ${opened}`);
      await screenshot("upgrade-checkout-opened");
      await driver.click('[data-testid="checkout-done"]');
      await go("#/settings");
      await driver.waitFor("the used-up matching limit", async () => (await driver.content('[data-testid="usage-jd_matching"]').catch(() => "")).includes("1 of 1"), 15000, 300);
      const analyses = await driver.content('[data-testid="usage-resume_analysis"]');
      assert(analyses.includes("1 of 7"), `the review was not counted: ${analyses}`);
      await driver.exec("document.querySelector('[data-testid=\"account-settings\"]').scrollIntoView({ block: 'start' })");
      await screenshot("settings-account");
    } finally {
      server.kill();
      llm.close();
      stripe.close();
      try { execFileSync("psql", [`${pg}/postgres`, "-qc", `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`]); } catch { /* best effort */ }
    }
  });

  await step("confirm an uncertain field after upload; the correction is kept", async () => {
    // A small real resume whose first position's title has no role word in it: the parser
    // reads it with confidence under 0.7 and asks for it to be checked.
    const dir = mkdtempSync(join(tmpdir(), "qoder-e2e-unsure-"));
    const file = join(dir, "ana-souza.txt");
    writeFileSync(
      file,
      "Ana Souza\nana.souza@example.com | +351 912 345 678 | Lisbon, Portugal\n\nSummary\nGrowth marketer for B2B software.\n\nExperience\nGrowth Wizardry, Acme Corp, Jan 2020 – Present\n• Grew sign-ups by 40% with referral campaigns\n• Ran 30 A/B tests a quarter on the onboarding flow\nMarketing Manager, Globex, 2016 – 2019\n• Built SQL dashboards for the sales team\n\nEducation\nUniversity of Lisbon, BSc Economics, 2012 – 2016\n\nSkills\nSQL, Google Analytics, HubSpot\n",
    );
    await driver.click('[data-testid="nav-upload"]');
    await driver.click('select[aria-label="Save as"] option[value=""]');
    await driver.type('[data-testid="file-input"]', file);
    await driver.find('[data-testid="analysis-screen"]', 30000);
    const row = '[data-testid="confirm-list"] [data-testid="confirm-field"][data-field="experience[0].title"]';
    await driver.find(row, 15000);
    const source = await driver.content(`${row} [data-testid="confirm-source"]`);
    assert(source.includes("Growth Wizardry, Acme Corp, Jan 2020 – Present"), `source line: ${source}`);
    assert((await driver.exec("return document.querySelector(arguments[0]).value", [`${row} [data-testid="confirm-input"]`])) === "Growth Wizardry", "the edit box holds the value read");
    await screenshot("confirm-fields");
    await driver.exec("document.documentElement.classList.add('dark')");
    await screenshot("confirm-fields-dark");
    await driver.exec("document.documentElement.classList.remove('dark')");
    await driver.clear(`${row} [data-testid="confirm-input"]`);
    await driver.type(`${row} [data-testid="confirm-input"]`, "Growth Marketing Manager");
    await driver.click(`${row} [data-testid="confirm-save"]`);
    await driver.waitFor("the field confirmed", async () => (await driver.content('[data-testid="confirm-fields"]')).includes("Growth Marketing Manager — confirmed"));
    assert((await driver.findAll(row)).length === 0, "the corrected field is still in the list to check");
    await driver.waitFor("the corrected title in what an ATS reads", async () => (await driver.content('[data-testid="parsed-sections"]')).includes("Growth Marketing Manager"));
    await screenshot("confirm-fields-saved");
    // Kept with the version: after a reload the corrected title is read, nothing asks again.
    await driver.exec("window.location.reload()");
    await driver.find('[data-testid="parsed-sections"]', 15000);
    const parsed = await driver.content('[data-testid="parsed-sections"]');
    assert(parsed.includes("Growth Marketing Manager") && !parsed.includes("Growth Wizardry"), `after reload: ${parsed}`);
    assert((await driver.findAll(row)).length === 0, "asked again after a reload");
    const empty = await driver.content('[data-testid="confirm-empty"]');
    assert(empty.includes("Nothing left to check: 1 field confirmed by you"), `after reload: ${empty}`);
    await screenshot("analysis-corrected");
    await driver.exec("document.querySelector('[data-testid=\"parsed-sections\"]').scrollIntoView({ block: 'start' })");
    await screenshot("analysis-corrected-parsed");
    rmSync(dir, { recursive: true, force: true });
  });

  await step("screening: rank a folder of resumes against a JD, flags, anonymised view, compare", async () => {
    // A recruiter's folder: six real resumes of the corpus and a damaged file.
    const dir = mkdtempSync(join(tmpdir(), "qoder-e2e-screening-"));
    const files = ["r33-data-engineer.pdf", "r02-data-scientist.pdf", "r20-ml-engineer.pdf", "r01-software.pdf", "r30-junior-dev.docx", "r06-teacher.txt"];
    for (const f of files) copyFileSync(join(corpus, "files", f), join(dir, f));
    writeFileSync(join(dir, "damaged.pdf"), "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer <<>>\n%%EOF\n");
    try {
      await driver.click('[data-testid="nav-screening"]');
      await driver.find('[data-testid="screening-screen"]');
      await driver.find('[data-testid="screening-empty"]');
      await screenshot("screening-empty");
      await driver.type('[data-testid="screening-path"]', dir);
      await driver.type('[data-testid="screening-jd"]', JD.replace(/\r?\n/g, "\uE007"));
      await driver.type('[data-testid="screening-must-have"]', "Python, Kafka");
      await driver.click('[data-testid="screening-start"]');
      await driver.find('[data-testid="screening-batch"]', 120000);
      const rows = await driver.findAll('[data-testid="screening-row"]');
      assert(rows.length === files.length, `${rows.length} ranked rows, expected ${files.length}`);
      const scores = await driver.exec("return [...document.querySelectorAll('[data-testid=\"row-score\"]')].map((e) => Number(e.textContent))");
      assert(scores.every((x, i) => x >= 0 && x <= 100 && (i === 0 || scores[i - 1] >= x)), `scores not ranked best first: ${scores}`);
      const names = await driver.exec("return [...document.querySelectorAll('[data-testid=\"row-name\"]')].map((e) => e.textContent)");
      const failed = await driver.content('[data-testid="screening-failures"]');
      assert(failed.includes("damaged.pdf"), `the damaged file is not listed as failed: ${failed}`);
      const flags = (await driver.findAll('[data-testid="knockout-flag"]')).length;
      console.log(`     ranked ${rows.length}: ${names.slice(0, 3).join(" | ")} … scores ${scores.join(", ")}; ${flags} knock-out flag(s)`);
      await screenshot("screening-ranked");
      // Anonymised: no names, the candidates by number.
      await driver.click('[data-testid="screening-anonymised"]');
      await driver.waitFor("the anonymised rows", async () => {
        const n = await driver.exec("return [...document.querySelectorAll('[data-testid=\"row-name\"]')].map((e) => e.textContent)");
        return n.length === files.length && n.every((x) => /^\d+\. Candidate \d+$/.test(x));
      });
      const page = await driver.content('[data-testid="screening-table"]');
      for (const f of files) assert(!page.includes(f), `the anonymised view shows the file name ${f}`);
      await screenshot("screening-anonymised");
      // Status, filter and side-by-side compare.
      await driver.click('[data-testid="screening-row"]:nth-child(1) [data-testid="row-status"] option[value="shortlisted"]');
      await driver.waitFor("the shortlisted count", async () => (await driver.content('[data-testid="screening-counts"]')).includes("1 shortlisted"), 10000);
      await driver.click('[data-testid="screening-row"]:nth-child(1) input[type="checkbox"]');
      await driver.click('[data-testid="screening-row"]:nth-child(2) input[type="checkbox"]');
      await driver.click('[data-testid="screening-compare-open"]');
      await driver.find('[data-testid="screening-compare"]');
      await screenshot("screening-compare");
      await driver.click('[aria-label="Close"]');
      await driver.click('[data-testid="screening-anonymised"]');
      // Every candidate shows Python; Kafka only some (the must-have the others are flagged for).
      await driver.type('[data-testid="filter-skills"]', "Python, Kafka");
      await driver.waitFor("the skill filter", async () => {
        const n = (await driver.findAll('[data-testid="screening-row"]')).length;
        return n > 0 && n < files.length;
      }, 10000);
      await screenshot("screening-filtered");
      await driver.exec("document.querySelector('[data-testid=\"screening-failures\"]').scrollIntoView({ block: 'end' })");
      await screenshot("screening-failures");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  await step("dark theme", async () => {
    await driver.click('[data-testid="nav-settings"]');
    await driver.find('[data-testid="settings-screen"]');
    await driver.click('select[aria-label="Theme"] option[value="dark"]');
    await go("#/");
    await driver.find('[data-testid="dashboard"]');
    await screenshot("dashboard-dark");
  });
} catch (e) {
  failed = true;
  if (!results.some((r) => !r.ok)) console.log(`FAIL setup: ${e.message}`);
} finally {
  await driver.stop();
  tauriDriver?.kill();
  rmSync(dataDir, { recursive: true, force: true });
}
writeFileSync(join(artifacts, "results.json"), JSON.stringify(results, null, 2));
console.log(`${results.filter((r) => r.ok).length}/${results.length} steps passed; screenshots in ${artifacts}`);
process.exit(failed ? 1 : 0);
