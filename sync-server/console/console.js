// The minimal admin console: plain DOM over the admin API. Sign-in takes an admin access token
// (`qoder-server admin token <email>` prints one); it is kept in this tab's sessionStorage only.
"use strict";
const $ = (tag, attrs = {}, ...kids) => {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) el.setAttribute(k, v === true ? "" : v);
  }
  for (const kid of kids.flat()) el.append(kid instanceof Node ? kid : String(kid ?? ""));
  return el;
};
const main = document.getElementById("main");
const token = () => sessionStorage.getItem("qoder-admin-token");

async function api(method, path, body) {
  const r = await fetch(path, {
    method,
    headers: { authorization: `Bearer ${token()}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (r.status === 401) { sessionStorage.removeItem("qoder-admin-token"); render(); throw new Error("signed out"); }
  const type = r.headers.get("content-type") || "";
  const data = type.includes("json") ? await r.json() : await r.blob();
  if (!r.ok) throw new Error(data.message || `HTTP ${r.status}`);
  return data;
}
const fail = (e) => main.prepend($("p", { class: "err" }, e.message));
const when = (t) => (t ? new Date(t).toLocaleString() : "–");
const download = (blob, name) => { const a = $("a", { href: URL.createObjectURL(blob), download: name }); a.click(); };

const screens = {
  async Health() {
    const h = await api("GET", "/api/admin/health");
    const s = await api("GET", "/api/admin/stats");
    const rows = [["status", h.status], ["version", h.version], ["uptime", `${h.uptime_secs} s`],
      ["database", h.database.ok ? `ok, ${h.database.ping_ms?.toFixed(1)} ms, ${(h.database.size_bytes / 1e6).toFixed(1)} MB` : "down"],
      ["pool", `${h.database.pool_connections} open, ${h.database.pool_idle} idle, max ${h.database.pool_max}`],
      ["WebSockets", h.websocket_connections], ["requests in flight", h.requests_in_flight],
      ["memory", h.memory_rss_bytes ? `${(h.memory_rss_bytes / 1048576).toFixed(0)} MiB` : "–"],
      ["accounts", `${s.users} (${s.admins} admins), ${s.devices} devices`],
      ["records", `${s.records}, ${(s.ciphertext_bytes / 1e6).toFixed(1)} MB of ciphertext`]];
    return $("table", {}, rows.map(([k, v]) => $("tr", {}, $("th", {}, k), $("td", {}, v))));
  },
  async Users() {
    const box = $("div");
    const email = $("input", { placeholder: "email contains" });
    const plan = $("input", { placeholder: "plan (free, pro_monthly…)" });
    const state = $("select", {}, $("option", { value: "" }, "any state"), $("option", { value: "false" }, "enabled"), $("option", { value: "true" }, "disabled"));
    const list = $("div");
    let after = null;
    const load = async (reset) => {
      if (reset) { after = null; list.replaceChildren(); }
      const q = new URLSearchParams({ limit: "50" });
      if (email.value) q.set("email", email.value);
      if (plan.value) q.set("plan", plan.value);
      if (state.value) q.set("disabled", state.value);
      if (after) q.set("after", after);
      const page = await api("GET", `/api/admin/users?${q}`);
      const table = $("table", {}, $("tr", {}, ["email", "plan", "role", "devices", "last seen", "state", ""].map((h) => $("th", {}, h))),
        page.users.map((u) => $("tr", {},
          $("td", {}, u.email), $("td", {}, u.plan), $("td", {}, u.role), $("td", {}, u.devices), $("td", {}, when(u.last_seen)),
          $("td", {}, u.disabled_at ? "disabled" : "enabled"),
          $("td", {},
            $("button", { onclick: () => api("POST", `/api/admin/users/${u.id}/${u.disabled_at ? "enable" : "disable"}`).then(() => load(true), fail) }, u.disabled_at ? "Enable" : "Disable"), " ",
            $("button", { onclick: () => api("GET", `/api/admin/users/${u.id}/export`).then((b) => download(b, `account-${u.id}.zip`), fail) }, "Export")))));
      list.append(table);
      after = page.next;
      more.hidden = !after;
    };
    const more = $("button", { onclick: () => load(false).catch(fail) }, "More");
    box.append($("div", { class: "row" }, email, plan, state, $("button", { onclick: () => load(true).catch(fail) }, "Search")), list, more);
    await load(true);
    return box;
  },
  async Audit() {
    const box = $("div");
    const action = $("input", { placeholder: "action (auth.* …)" });
    const target = $("input", { placeholder: "target (user:<id>)" });
    const list = $("div");
    const query = () => { const q = new URLSearchParams({ limit: "100" }); if (action.value) q.set("action", action.value); if (target.value) q.set("target", target.value); return q; };
    const load = async () => {
      const page = await api("GET", `/api/admin/audit?${query()}`);
      list.replaceChildren($("table", {}, $("tr", {}, ["at", "action", "actor", "target", "ip", "details"].map((h) => $("th", {}, h))),
        page.entries.map((e) => $("tr", {}, $("td", {}, when(e.at)), $("td", {}, e.action), $("td", {}, $("code", {}, e.actor ?? "–")),
          $("td", {}, e.target ?? "–"), $("td", {}, e.ip ?? "–"), $("td", {}, $("code", {}, JSON.stringify(e.details)))))));
    };
    const exp = (f) => () => { const q = query(); q.delete("limit"); q.set("format", f); api("GET", `/api/admin/audit?${q}`).then((b) => download(b instanceof Blob ? b : new Blob([JSON.stringify(b, null, 2)]), `audit.${f}`), fail); };
    box.append($("div", { class: "row" }, action, target, $("button", { onclick: () => load().catch(fail) }, "Filter"),
      $("button", { onclick: exp("csv") }, "Export CSV"), $("button", { onclick: exp("json") }, "Export JSON")), list);
    await load();
    return box;
  },
  async Flags() {
    const { flags } = await api("GET", "/api/admin/flags");
    return $("table", {}, $("tr", {}, ["flag", "default", "per plan", "per user", ""].map((h) => $("th", {}, h))),
      flags.map((f) => $("tr", {}, $("td", {}, f.key, $("br"), $("small", {}, f.description)), $("td", {}, f.enabled ? "on" : "off"),
        $("td", {}, Object.entries(f.plans).map(([p, v]) => `${p}: ${v ? "on" : "off"}`).join(", ") || "–"),
        $("td", {}, f.users.map((u) => `${u.email}: ${u.enabled ? "on" : "off"}`).join(", ") || "–"),
        $("td", {}, $("button", { onclick: () => api("PUT", `/api/admin/flags/${f.key}`, { enabled: !f.enabled }).then(show, fail) }, f.enabled ? "Turn off" : "Turn on")))));
  },
  async Retention() {
    const { policies } = await api("GET", "/api/admin/retention");
    const out = $("pre");
    const run = (dry) => api("POST", "/api/admin/retention/run", { dry_run: dry })
      .then((r) => { out.textContent = r.items.map((i) => `${i.data_type}: ${i.rows} rows older than ${when(i.cutoff)} ${dry ? "would be" : "were"} deleted`).join("\n"); }, fail);
    return $("div", {}, $("table", {}, $("tr", {}, ["data type", "days", "last run", "deleted", "about"].map((h) => $("th", {}, h))),
      policies.map((p) => $("tr", {}, $("td", {}, p.data_type), $("td", {}, p.retention_days), $("td", {}, when(p.last_run_at)),
        $("td", {}, p.last_deleted ?? "–"), $("td", {}, p.description)))),
      $("div", { class: "row" }, $("button", { onclick: () => run(true) }, "Dry run"), $("button", { onclick: () => confirm("Delete the rows past each policy?") && run(false) }, "Execute")), out);
  },
};
let current = "Health";
async function show() {
  main.replaceChildren($("p", {}, "Loading…"));
  try { main.replaceChildren(await screens[current]()); } catch (e) { main.replaceChildren(); fail(e); }
}
function render() {
  const tabs = document.getElementById("tabs");
  const out = document.getElementById("signout");
  if (!token()) {
    tabs.replaceChildren();
    out.hidden = true;
    const input = $("input", { type: "password", placeholder: "admin access token", size: 60 });
    main.replaceChildren($("form", { onsubmit: (e) => { e.preventDefault(); sessionStorage.setItem("qoder-admin-token", input.value.trim()); render(); } },
      $("p", {}, "Sign in with an admin access token: run ", $("code", {}, "qoder-server admin token <email>"), " on the server."),
      $("div", { class: "row" }, input, $("button", {}, "Sign in"))));
    return;
  }
  out.hidden = false;
  out.onclick = () => { sessionStorage.removeItem("qoder-admin-token"); render(); };
  tabs.replaceChildren(...Object.keys(screens).map((name) => $("button", { "aria-current": name === current ? "page" : false, onclick: () => { current = name; render(); } }, name)));
  show();
}
render();
