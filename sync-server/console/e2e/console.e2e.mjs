// Browser tests of the admin console: Debian's Chromium driven by playwright-core against the
// real qoder-server binary on a fresh PostgreSQL database (made here, dropped at the end).
//
//   node e2e/console.e2e.mjs [path/to/qoder-server]
//
// Accounts are registered over the API; the admin is made with `qoder-server admin grant` and
// signs in with a token from `qoder-server admin token`. Hosted-AI call records are seeded in
// the database (their history is what the LLM cost screen and the retention run read).
// The hosted AI's two providers (`anthropic`, then `openai`) are a local stand-in HTTP server
// speaking their wire formats (Anthropic Messages, OpenAI chat completions); its Anthropic side
// answers 500, so calls fail over to OpenAI and the providers screen shows the failures.
// Screenshots of every screen (light, and dark for some) go to e2e/artifacts/; the console's
// first paint with data is measured and printed. Exits non-zero on the first failed check.
import { spawn, execFileSync } from "node:child_process";
import { mkdirSync, rmSync, readFileSync, existsSync } from "node:fs";
import { createServer } from "node:net";
import { createServer as createHttpServer } from "node:http";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { randomBytes, randomUUID } from "node:crypto";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../../..");
const binary = resolve(process.argv[2] ?? join(root, "target/debug/qoder-server"));
const artifacts = join(here, "artifacts");
const pgBase = process.env.QODER_TEST_PG ?? "postgres://postgres@127.0.0.1:5432";
const chromiumPath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const dbName = `qoder_console_e2e_${Date.now()}_${process.pid}`;
const jwtSecret = randomBytes(32).toString("hex");
const ADMIN = "root@example.com";

const started = Date.now();
const log = (...a) => console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s]`, ...a);
function check(cond, what) {
  if (!cond) throw new Error(`check failed: ${what}`);
  log("ok:", what);
}

function psql(db, sql) {
  return execFileSync("psql", [`${pgBase}/${db}`, "-v", "ON_ERROR_STOP=1", "-qAtc", sql], { encoding: "utf8" }).trim();
}

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once("error", rej);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

// The providers' stand-in: requests received per wire format, and what the Anthropic side answers.
const standIn = { port: 0, anthropic: 0, openai: 0, anthropicStatus: 500 };

function startStandIn() {
  const server = createHttpServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const reply = (status, json) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(json));
      };
      if (req.method === "POST" && req.url === "/v1/messages") {
        standIn.anthropic++;
        if (standIn.anthropicStatus !== 200) {
          return reply(standIn.anthropicStatus, { type: "error", error: { type: "api_error", message: "Internal server error" } });
        }
        return reply(200, {
          id: "msg_1", type: "message", role: "assistant", model: JSON.parse(body).model, stop_reason: "end_turn",
          content: [{ type: "text", text: '{"from":"anthropic"}' }], usage: { input_tokens: 120, output_tokens: 30 },
        });
      }
      if (req.method === "POST" && req.url === "/v1/chat/completions") {
        standIn.openai++;
        return reply(200, {
          id: "chatcmpl-1", object: "chat.completion", created: 1_700_000_000, model: JSON.parse(body).model,
          choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content: '{"from":"openai"}' } }],
          usage: { prompt_tokens: 120, completion_tokens: 30, total_tokens: 150 },
        });
      }
      reply(404, { error: { message: `no route ${req.method} ${req.url}` } });
    });
  });
  return new Promise((res) => server.listen(0, "127.0.0.1", () => {
    standIn.port = server.address().port;
    res(server);
  }));
}

const env = (port) => ({
  ...process.env,
  QODER_AI_PROVIDERS: "anthropic,openai",
  QODER_AI_ANTHROPIC_KIND: "anthropic",
  QODER_AI_ANTHROPIC_BASE_URL: `http://127.0.0.1:${standIn.port}`,
  QODER_AI_ANTHROPIC_API_KEY: "sk-ant-e2e-not-shown",
  QODER_AI_ANTHROPIC_MODEL: "claude-haiku",
  QODER_AI_OPENAI_KIND: "openai",
  QODER_AI_OPENAI_BASE_URL: `http://127.0.0.1:${standIn.port}/v1`,
  QODER_AI_OPENAI_API_KEY: "sk-e2e-not-shown",
  QODER_AI_OPENAI_MODEL: "gpt-4o-mini",
  QODER_AI_USER_DAILY_BUDGET_USD: "100",
  QODER_AI_GLOBAL_DAILY_BUDGET_USD: "1000",
  QODER_LISTEN: `127.0.0.1:${port}`,
  QODER_DATABASE_URL: `${pgBase}/${dbName}`,
  QODER_JWT_SECRET: jwtSecret,
  QODER_REGISTER_LIMIT_PER_IP: "1000",
  QODER_REGISTER_LIMIT: "1000",
  QODER_API_RATE_LIMIT: "100000",
  QODER_LOG: "warn",
});

function cli(port, ...args) {
  return execFileSync(binary, args, { env: env(port), encoding: "utf8" }).trim();
}

async function waitUp(base, server) {
  for (let i = 0; i < 200; i++) {
    if (server.exitCode !== null) throw new Error(`qoder-server exited (${server.exitCode})`);
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("qoder-server did not start within 20 s");
}

async function call(base, method, path, body, token) {
  const r = await fetch(base + path, {
    method,
    headers: { ...(body ? { "content-type": "application/json" } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await r.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: r.status, json, text };
}

const secretOf = (email) => `${email}-${"s".repeat(40)}`;

async function seed(base) {
  const users = [];
  const register = async (email) => {
    const r = await call(base, "POST", "/api/auth/register", { email, secret: secretOf(email), device_id: randomUUID() });
    if (r.status !== 201) throw new Error(`register ${email}: ${r.status} ${r.text}`);
    users.push({ email, id: r.json.user_id, token: r.json.access_token });
    return r.json;
  };
  await register(ADMIN);
  const names = ["ann", "bob", "carol", "dan", "erin", "frank", "grace", "heidi", "ivan", "judy", "ken", "lena", "mike", "nina", "oscar", "peggy"];
  for (let i = 0; i < 32; i++) await register(`${names[i % names.length]}${i}@example.com`);
  // A second device for a few, and failed sign-ins (security events in the audit log).
  for (const u of [...users.slice(1, 5), ...users.slice(10, 30)]) {
    await call(base, "POST", "/api/auth/login", { email: u.email, secret: secretOf(u.email), device_id: randomUUID() });
  }
  for (let i = 0; i < 3; i++) {
    await call(base, "POST", "/api/auth/login", { email: users[2].email, secret: "wrong-" + "x".repeat(40), device_id: randomUUID() });
  }
  // Hosted-AI call history: 3 features, 2 providers, 3 models over 14 days, and 5 calls of 45
  // days ago (older than a 30-day retention).
  const uid = users[1].id;
  psql(
    dbName,
    `INSERT INTO ai_calls (user_id, feature, provider, model, tokens_in, tokens_out, cost_usd, latency_ms, cache_hit, outcome, created_at)
     SELECT '${uid}', (ARRAY['bullet_points','jd_matching','resume_analysis'])[1 + i % 3],
            (ARRAY['openai','anthropic'])[1 + i % 2], (ARRAY['gpt-4o-mini','claude-haiku','gpt-4o'])[1 + i % 3],
            400 + i * 7, 150 + i * 3, CASE WHEN i % 5 = 0 THEN 0 ELSE 0.0004 * (1 + i % 7) END, 300 + (i * 37) % 900,
            i % 5 = 0, CASE WHEN i % 17 = 0 THEN 'timeout' ELSE 'ok' END,
            now() - make_interval(days => (i % 14), hours => i % 5)
     FROM generate_series(1, 180) AS i;
     INSERT INTO ai_calls (user_id, feature, provider, model, tokens_in, tokens_out, cost_usd, latency_ms, cache_hit, outcome, created_at)
     SELECT '${uid}', 'jd_matching', 'openai', 'gpt-4o', 900, 300, 0.01, 800, false, 'ok', now() - interval '45 days'
     FROM generate_series(1, 5);
     INSERT INTO ai_daily_spend (day, scope, cost_usd)
     SELECT (created_at AT TIME ZONE 'UTC')::date, 'all', sum(cost_usd) FROM ai_calls GROUP BY 1
     ON CONFLICT (day, scope) DO UPDATE SET cost_usd = excluded.cost_usd;`,
  );
  return users;
}

function unzipJson(file) {
  const names = execFileSync("unzip", ["-Z1", file], { encoding: "utf8" }).split("\n").filter(Boolean);
  const json = {};
  for (const n of names.filter((n) => n.endsWith(".json"))) {
    json[n] = JSON.parse(execFileSync("unzip", ["-p", file, n], { encoding: "utf8" }));
  }
  return { names, json };
}

async function main() {
  if (!existsSync(binary)) throw new Error(`no server binary at ${binary} (cargo build -p qoder-server)`);
  if (!existsSync(chromiumPath)) throw new Error(`no Chromium at ${chromiumPath} (apt-get install chromium)`);
  rmSync(artifacts, { recursive: true, force: true });
  mkdirSync(artifacts, { recursive: true });
  psql("postgres", `CREATE DATABASE ${dbName}`);
  log("database", dbName);
  const providers = await startStandIn();
  log("AI providers' stand-in at port", standIn.port);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(binary, [], { env: env(port), stdio: ["ignore", "inherit", "inherit"] });
  let browser;
  try {
    await waitUp(base, server);
    log("qoder-server up at", base);
    const users = await seed(base);
    log(`seeded ${users.length} accounts and ${psql(dbName, "SELECT count(*) FROM ai_calls")} AI calls`);
    cli(port, "admin", "grant", ADMIN);
    const token = cli(port, "admin", "token", ADMIN);
    check(token.split(".").length === 3, "`qoder-server admin token` prints a JWT");

    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ["--no-sandbox"] });
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, acceptDownloads: true, colorScheme: "light" });
    const page = await context.newPage();
    const problems = [];
    page.on("console", (m) => {
      if (m.type() === "error" && !/status of 40[13]/.test(m.text())) problems.push(m.text());
    });
    page.on("pageerror", (e) => problems.push(String(e)));
    // The whole page from its top; a drawer or dialog (fixed, the height of the window) as seen.
    const shot = async (name, { overlay = false } = {}) => {
      await page.waitForTimeout(150);
      if (!overlay) await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: !overlay });
      log("screenshot", `${name}.png`);
    };
    const go = async (hash, heading) => {
      await page.click(`nav a[href="#/${hash}"]`);
      await page.getByRole("heading", { level: 1, name: heading }).waitFor();
    };

    // --- served with the CSP
    const resp = await page.goto(`${base}/admin`);
    const csp = resp.headers()["content-security-policy"];
    check(/script-src 'self'/.test(csp) && !/unsafe-inline/.test(csp), "the page is served with a strict CSP (no unsafe-inline)");

    // --- sign-in refuses a bad token and a user's token
    await page.getByRole("heading", { name: "Sign in to the admin console" }).waitFor();
    await shot("01-sign-in");
    const tokenField = page.getByLabel("Admin access token");
    await tokenField.fill("not-a-valid-token");
    await page.getByRole("button", { name: "Sign in" }).click();
    const alert = page.getByRole("alert");
    await alert.waitFor();
    check((await alert.textContent()).includes("unauthorized"), "a bad token is refused with {code, message} (unauthorized)");
    await shot("02-sign-in-refused");
    await tokenField.fill(users[3].token);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("not an admin").waitFor();
    check(true, "a user's token is refused (forbidden, not an admin)");

    // --- sign in; overview with data
    await tokenField.fill(token);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("Healthy", { exact: true }).waitFor();
    await page.locator("[data-testid=activity-chart] svg[role=application]").waitFor();
    const accounts = await page.locator("[data-testid=health]").textContent();
    check(accounts.includes("33"), "the overview shows the 33 accounts");
    // --- live figures over the WebSocket (a sample every 2 s; the chart needs two)
    await page.locator("[data-testid=live-state][data-state=live]").waitFor();
    await page.locator("[data-testid=live-chart] svg[role=application]").waitFor({ timeout: 15_000 });
    await page.waitForFunction(
      () => /Requests \/ minute\s*[1-9]/.test(document.querySelector("[data-testid=live-figures]")?.textContent ?? ""),
      null,
      { timeout: 15_000 },
    );
    check(true, "the overview's live figures arrive over the WebSocket and count this console's requests");
    await shot("03-overview");

    // --- first paint with data (reload: the token is kept in the tab)
    const paints = [];
    for (let i = 0; i < 5; i++) {
      await page.goto(`${base}/admin?load=${i}`, { waitUntil: "commit" });
      await page.getByText("Healthy", { exact: true }).waitFor();
      await page.locator("[data-testid=activity-chart] svg[role=application]").waitFor();
      const t = await page.evaluate(() => ({
        data: performance.now(),
        fcp: performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? null,
      }));
      paints.push(t);
    }
    const dataMs = paints.map((p) => p.data).sort((a, b) => a - b);
    const median = dataMs[Math.floor(dataMs.length / 2)];
    log(
      `FIRST PAINT WITH DATA (overview, loopback, ${paints.length} loads): median ${median.toFixed(0)} ms, max ${dataMs.at(-1).toFixed(0)} ms; ` +
        `first contentful paint median ${paints.map((p) => p.fcp).sort((a, b) => a - b)[2]?.toFixed(0)} ms`,
    );
    check(median < 1000, `first paint with data under 1 s (${median.toFixed(0)} ms)`);

    // --- a statement running slowly on the database shows on the overview
    const sleeper = spawn("psql", [`${pgBase}/${dbName}`, "-qAtc", "SELECT pg_sleep(6)"], { stdio: "ignore" });
    await page.waitForTimeout(1500);
    await page.reload();
    await page.locator("[data-testid=slow-queries]").waitFor();
    check((await page.locator("[data-testid=slow-queries]").textContent()).includes("SELECT pg_sleep(6)"), "the overview lists the statement running slowly now (pg_stat_activity)");
    await shot("03b-overview-slow-statement");
    await new Promise((res) => (sleeper.exitCode !== null ? res() : sleeper.once("exit", res)));

    // --- users: search, paging, detail, disable, plan override, export
    await go("users", "Users");
    await page.locator("[data-testid=user-row]").first().waitFor();
    check((await page.locator("[data-testid=user-row]").count()) === 25, "the users list shows a page of 25");
    await page.getByRole("button", { name: "Next →" }).click();
    await page.getByText("Page 2").waitFor();
    check((await page.locator("[data-testid=user-row]").count()) === 8, "page 2 holds the other 8 accounts");
    await shot("04-users");
    await page.getByRole("button", { name: "← Previous" }).click();
    await page.getByText("Page 1").waitFor();
    await page.getByLabel("Email contains").fill("carol");
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=user-row]").length === 2);
    check(true, "searching 'carol' finds carol2 and carol18");
    await page.getByLabel("Email contains").fill("nobody-here");
    await page.getByRole("button", { name: "Search" }).click();
    await page.getByText("No account matches these filters").waitFor();
    await shot("05-users-empty");
    await page.getByLabel("Email contains").fill("bob1@");
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=user-row]").length === 1);
    await page.locator("[data-testid=user-row]").first().click();
    const drawer = page.getByRole("dialog", { name: "Account details" });
    await drawer.getByText("bob1@example.com").first().waitFor();
    await drawer.getByText("Devices (2)").waitFor();
    check(true, "the detail drawer shows bob1's two devices");
    await drawer.getByPlaceholder("e.g. abuse report #42").fill("e2e: spam");
    await drawer.getByRole("button", { name: "Disable account" }).click();
    await drawer.getByRole("button", { name: "Enable account" }).waitFor();
    const bob = users.find((u) => u.email === "bob1@example.com");
    const detail = await call(base, "GET", `/api/admin/users/${bob.id}`, null, token);
    check(detail.json.disabled_at !== null, "bob1 is disabled in the server");
    const login = await call(base, "POST", "/api/auth/login", { email: bob.email, secret: secretOf(bob.email), device_id: randomUUID() });
    check(login.status === 403, `bob1 can no longer sign in (${login.status} ${login.json?.code})`);
    await drawer.getByLabel("Plan override").selectOption("pro_monthly");
    await drawer.getByText("pro_monthly (override)").waitFor();
    check(true, "the plan override is set to pro_monthly");
    await shot("06-user-detail", { overlay: true });
    const [dl] = await Promise.all([page.waitForEvent("download"), drawer.getByRole("button", { name: "Download export (zip)" }).click()]);
    const zipPath = join(artifacts, dl.suggestedFilename());
    await dl.saveAs(zipPath);
    const zip = unzipJson(zipPath);
    const jsonFiles = Object.keys(zip.json);
    check(jsonFiles.length > 0, `the GDPR export is a zip of JSON (${zip.names.join(", ")})`);
    check(JSON.stringify(zip.json).includes("bob1@example.com"), "the export holds the account's email");
    await drawer.getByRole("button", { name: "Close" }).click();
    await page.getByLabel("Email contains").fill("");
    await page.getByLabel("State").selectOption("true");
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=user-row]").length === 1);
    check((await page.locator("[data-testid=user-row]").first().textContent()).includes("bob1@"), "the disabled filter lists bob1 only");

    // --- erase an account with a typed confirmation
    await page.getByLabel("State").selectOption("");
    await page.getByLabel("Email contains").fill("peggy15@");
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=user-row]").length === 1);
    await page.locator("[data-testid=user-row]").first().click();
    await drawer.getByRole("button", { name: "Erase account…" }).click();
    const erase = page.getByRole("dialog", { name: "Erase this account?" });
    check(await erase.getByRole("button", { name: "Erase for good" }).isDisabled(), "erasing needs the email typed");
    await erase.getByLabel("Type the email to confirm").fill("peggy15@example.com");
    await shot("07-erase-confirm", { overlay: true });
    await erase.getByRole("button", { name: "Erase for good" }).click();
    await page.locator("[data-testid=erasure-receipt]").waitFor();
    const gone = await call(base, "GET", `/api/admin/users/${users.find((u) => u.email === "peggy15@example.com").id}`, null, token);
    check(gone.status === 404, "the erased account is gone (404)");
    await shot("08-erasure-receipt", { overlay: true });
    await page.getByRole("button", { name: "Close" }).click();

    // --- audit log: filters, paging, export
    await go("audit", "Audit log");
    await page.locator("[data-testid=audit-row]").first().waitFor();
    check((await page.locator("[data-testid=audit-row]").count()) === 50, "the audit log shows a page of 50");
    await page.getByRole("button", { name: "Next →" }).click();
    await page.getByText("Page 2").waitFor();
    await page.getByRole("button", { name: "← Previous" }).click();
    await page.getByLabel("Action (exact or prefix*)").fill("admin.*");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForFunction(() => [...document.querySelectorAll("[data-testid=audit-row]")].every((r) => r.textContent.includes("admin.")));
    const adminRows = await page.locator("[data-testid=audit-row]").allTextContents();
    check(adminRows.some((r) => r.includes("admin.user_disabled")), "the admin.* filter lists the disable");
    check(adminRows.some((r) => r.includes("admin.user_erased")), "… and the erasure");
    await shot("09-audit");
    await page.getByLabel("Action (exact or prefix*)").fill("auth.login_failed");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=audit-row]").length === 3);
    check(true, "the three failed sign-ins are listed");
    const [csv] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export CSV" }).click()]);
    await csv.saveAs(join(artifacts, "audit.csv"));
    const csvLines = readFileSync(join(artifacts, "audit.csv"), "utf8").trim().split("\n");
    check(csvLines.length === 4 && csvLines.slice(1).every((l) => l.includes("auth.login_failed")), "the CSV export holds the filtered 3 rows and a header");
    const [jsonDl] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export JSON" }).click()]);
    await jsonDl.saveAs(join(artifacts, "audit.json"));
    const exported = JSON.parse(readFileSync(join(artifacts, "audit.json"), "utf8"));
    check(exported.length === 3 && exported.every((e) => e.action === "auth.login_failed"), "the JSON export holds the 3 rows");
    await page.getByLabel("Action (exact or prefix*)").fill("no.such.action");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.getByText("No entry matches these filters").waitFor();

    // --- feature flags: toggle a default, per-plan and per-user overrides
    await go("flags", "Feature flags");
    const bulk = page.locator("[data-testid=flag-bulk_upload]").locator("xpath=..");
    await page.getByRole("switch", { name: "bulk_upload default" }).click();
    await page.getByRole("switch", { name: "bulk_upload default", checked: true }).waitFor();
    let flags = (await call(base, "GET", "/api/admin/flags", null, token)).json.flags;
    check(flags.find((f) => f.key === "bulk_upload").enabled === true, "bulk_upload is on by default now (toggled)");
    await bulk.getByLabel("Plan for bulk_upload").selectOption("free");
    await bulk.getByRole("button", { name: "Off", exact: true }).first().click();
    await bulk.getByText("free: off").waitFor();
    await bulk.getByLabel("Account for bulk_upload").fill("ann0@example.com");
    await bulk.getByRole("button", { name: "On", exact: true }).nth(1).click();
    await bulk.getByText("ann0@example.com: on").waitFor();
    flags = (await call(base, "GET", "/api/admin/flags", null, token)).json.flags;
    const b = flags.find((f) => f.key === "bulk_upload");
    check(b.plans.free === false && b.users.some((u) => u.email === "ann0@example.com" && u.enabled), "the plan and account overrides are stored");
    await shot("10-flags");

    // --- retention: shorten a policy, dry run with counts, execute
    await go("retention", "Data retention");
    await page.getByLabel("ai_calls days").fill("30");
    await page.locator("[data-testid=policy-row]", { hasText: "ai_calls" }).getByRole("button", { name: "Save" }).click();
    await page.locator("[data-testid=policy-row]", { hasText: "ai_calls" }).getByRole("button", { name: "Save" }).waitFor({ state: "detached" });
    await page.getByRole("button", { name: "Dry run" }).click();
    const report = page.locator("[data-testid=retention-report]");
    await report.waitFor();
    const dryRow = await report.locator("tr", { hasText: "ai_calls" }).first().textContent();
    check(/5 rows/.test(dryRow), `the dry run counts the 5 AI calls older than 30 days (${dryRow})`);
    check(psql(dbName, "SELECT count(*) FROM ai_calls WHERE created_at < now() - interval '30 days'") === "5", "… and deletes nothing");
    await shot("11-retention-dry-run");
    await page.getByRole("button", { name: "Run now…" }).click();
    await page.getByRole("dialog", { name: "Delete data past its retention?" }).getByRole("button", { name: "Delete now" }).click();
    await page.getByText("Deleted", { exact: true }).waitFor();
    check(psql(dbName, "SELECT count(*) FROM ai_calls WHERE created_at < now() - interval '30 days'") === "0", "the run deleted them");
    check(psql(dbName, "SELECT count(*) FROM ai_calls") === "180", "… and only them");
    await page.locator("[data-testid=policy-row]", { hasText: "ai_calls" }).getByText("5", { exact: true }).waitFor();
    check(true, "the policy's last run reports 5 deleted");
    await shot("12-retention-run");

    // --- LLM cost
    await go("llm", "LLM cost");
    await page.locator("[data-testid=llm-chart] svg[role=application]").waitFor();
    const llmText = await page.locator("main").textContent();
    check(llmText.includes("180 calls") && llmText.includes("jd_matching") && llmText.includes("anthropic"), "the LLM cost screen shows 180 calls by feature and provider");
    await shot("13-llm-cost");

    // --- AI providers: hosted-AI calls (anthropic answers 500: each fails over to openai), the
    // figures, then anthropic disabled from the console and the next call going to openai only
    const ai = async (i) =>
      call(base, "POST", "/v1/ai/complete", {
        feature: "review", tier_model: "basic", system: "Answer in JSON.", prompt: `Review resume ${i}.`,
        max_output_tokens: 200, temperature: 0.2, json: true, stream: false,
      }, users[5].token);
    for (let i = 0; i < 3; i++) {
      const r = await ai(i);
      check(r.status === 200 && r.json.text === '{"from":"openai"}', `hosted-AI call ${i + 1} fails over to openai (${r.status})`);
    }
    check(standIn.anthropic >= 3 && standIn.openai === 3, `anthropic was tried first each time (${standIn.anthropic} requests) and openai answered (${standIn.openai})`);
    // The calls are recorded off the request path: wait for the 3 failures.
    for (let i = 0; i < 100; i++) {
      const l = (await call(base, "GET", "/api/admin/providers", null, token)).json;
      if (l.providers[0].errors >= 3 && l.providers[1].calls >= 3) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await go("providers", "AI providers");
    const anthropicRow = page.locator("[data-testid=provider-anthropic]");
    const openaiRow = page.locator("[data-testid=provider-openai]");
    await anthropicRow.getByText("upstream").waitFor();
    check((await anthropicRow.getByTestId("status").textContent()) === "Failing", "anthropic shows Failing (red) with its last error, upstream");
    check((await openaiRow.getByTestId("status").textContent()) === "Healthy", "openai shows Healthy");
    const providersText = await page.locator("main").textContent();
    check(!providersText.includes("not-shown") && providersText.includes(`127.0.0.1:${standIn.port}`), "hosts shown, never keys");
    const rowText = await openaiRow.textContent();
    check(/ms/.test(rowText) && /\b[1-9]\d*\b/.test(rowText), `openai's calls and latency are shown (${rowText})`);
    await shot("13a-providers");
    await page.getByRole("switch", { name: "anthropic enabled" }).click();
    await page.getByRole("switch", { name: "anthropic enabled", checked: false }).waitFor();
    await anthropicRow.getByText("Disabled").waitFor();
    let listed = (await call(base, "GET", "/api/admin/providers", null, token)).json.providers;
    check(listed.find((p) => p.name === "anthropic").enabled === false, "anthropic is disabled in the server");
    await page.getByRole("button", { name: "Move openai up" }).click();
    await page.waitForFunction(() => document.querySelector("tbody tr")?.getAttribute("data-testid") === "provider-openai");
    listed = (await call(base, "GET", "/api/admin/providers", null, token)).json.providers;
    check(listed.map((p) => p.name).join(",") === "openai,anthropic", "openai moved first in the failover order");
    const before = standIn.anthropic;
    const after = await ai(99);
    check(after.status === 200 && standIn.anthropic === before, "the next call goes to openai alone: no restart (hot-swapped)");
    const audited = (await call(base, "GET", "/api/admin/audit?action=admin.providers_changed", null, token)).json.entries;
    check(audited.length === 2, "both changes are audited (admin.providers_changed)");
    await shot("13b-providers-disabled");
    await go("llm", "LLM cost");
    await page.locator("[data-testid=llm-chart] svg[role=application]").waitFor();

    // --- dark theme, remembered
    await page.getByTestId("theme-toggle").click();
    check(await page.evaluate(() => document.documentElement.classList.contains("dark")), "the theme toggles to dark");
    await shot("14-llm-cost-dark");
    await page.reload();
    await page.locator("[data-testid=llm-chart] svg[role=application]").waitFor();
    check(await page.evaluate(() => document.documentElement.classList.contains("dark")), "the dark theme is remembered after a reload");
    await go("overview", "Overview");
    await page.locator("[data-testid=activity-chart] svg[role=application]").waitFor();
    await shot("15-overview-dark");
    await go("users", "Users");
    await page.locator("[data-testid=user-row]").first().waitFor();
    await page.locator("[data-testid=user-row]").nth(1).click();
    await page.getByRole("dialog", { name: "Account details" }).getByText("Devices").first().waitFor();
    await shot("16-user-detail-dark", { overlay: true });
    await page.getByRole("button", { name: "Close" }).click();
    await go("audit", "Audit log");
    await page.locator("[data-testid=audit-row]").first().waitFor();
    await shot("17-audit-dark");
    await go("flags", "Feature flags");
    await shot("18-flags-dark");
    await go("retention", "Data retention");
    await shot("19-retention-dark");
    await go("providers", "AI providers");
    await page.locator("[data-testid=provider-anthropic]").getByText("Disabled").waitFor();
    await shot("19a-providers-dark");

    // --- signing out forgets the token
    await page.getByTestId("sign-out").click();
    await page.getByRole("heading", { name: "Sign in to the admin console" }).waitFor();
    check(await page.evaluate(() => sessionStorage.length === 0), "signing out forgets the token");

    // --- a demoted admin's console is signed out at its next request
    await page.getByLabel("Admin access token").fill(token);
    await page.getByRole("button", { name: "Sign in" }).click();
    await go("overview", "Overview");
    await page.getByText("Healthy", { exact: true }).waitFor();
    psql(dbName, `UPDATE users SET role = 'user' WHERE email = '${ADMIN}'`);
    await page.getByText("Signed out: this needs an admin account").waitFor({ timeout: 15_000 });
    check(true, "after the admin is demoted the console signs out at its next refresh (403 forbidden)");
    const demoted = await call(base, "GET", "/api/admin/stats", null, token);
    check(demoted.status === 403 && demoted.json.code === "forbidden", "the API refuses the demoted admin's token (403 forbidden)");
    await shot("20-demoted-signed-out-dark");

    const csp_problems = problems.filter((p) => /Content Security Policy|Refused to/.test(p));
    check(csp_problems.length === 0, `no CSP violation in the browser console${csp_problems.length ? ": " + csp_problems.join("; ") : ""}`);
    const other = problems.filter((p) => !csp_problems.includes(p));
    if (other.length) log("browser console errors (expected refusals are 4xx):", other);
    log(`console e2e passed in ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${artifacts}`);
  } catch (e) {
    // What the browser showed when it failed.
    for (const p of browser?.contexts().flatMap((c) => c.pages()) ?? []) {
      await p.screenshot({ path: join(artifacts, "failure.png"), fullPage: true }).catch(() => {});
    }
    throw e;
  } finally {
    await browser?.close().catch(() => {});
    providers.close();
    server.kill("SIGTERM");
    await new Promise((r) => (server.exitCode !== null ? r() : server.once("exit", r)));
    try {
      psql("postgres", `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    } catch (e) {
      console.error("could not drop", dbName, e.message);
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
