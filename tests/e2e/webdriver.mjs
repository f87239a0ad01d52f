// A minimal W3C WebDriver client (Node's fetch; no dependencies) for driving the real app
// through tauri-driver.

import { spawn } from "node:child_process";

/** Starts tauri-driver on `port` with `env` (the app inherits it) and waits until it answers. */
export async function startTauriDriver(port, env) {
  const bin = process.env.TAURI_DRIVER ?? "tauri-driver";
  const child = spawn(bin, ["--port", String(port), "--native-port", String(port + 1), "--native-driver", process.env.WEBKIT_DRIVER ?? "/usr/bin/WebKitWebDriver"], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const d = new Driver(`http://127.0.0.1:${port}`);
  await d.waitFor("tauri-driver", async () => (await fetch(`http://127.0.0.1:${port}/status`)).ok, 15000, 200);
  return child;
}

export class Driver {
  constructor(base) {
    this.base = base;
    this.session = null;
  }

  async cmd(method, path, body) {
    const url = `${this.base}${this.session && !path.startsWith("/session") ? `/session/${this.session}` : ""}${path}`;
    const res = await fetch(url, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json().catch(() => ({}));
    if (!res.ok) {
      const v = json.value ?? {};
      const err = new Error(`${method} ${path}: ${v.error ?? res.status}: ${v.message ?? ""}`);
      err.webdriver = v.error;
      throw err;
    }
    return json.value;
  }

  /** Opens a session on the app; WebKitWebDriver can be slow to listen on a loaded machine,
   *  so a refused connection is retried a few times. */
  async start(application, attempts = 4) {
    const caps = { capabilities: { alwaysMatch: { "tauri:options": { application } } } };
    for (let i = 1; ; i++) {
      try {
        const v = await this.cmd("POST", "/session", caps);
        this.session = v.sessionId;
        return v;
      } catch (e) {
        if (i >= attempts) throw e;
        console.log(`     session not started (${e.message}); retrying`);
        await new Promise((r) => setTimeout(r, 2000 * i));
      }
    }
  }

  async stop() {
    if (this.session) {
      await fetch(`${this.base}/session/${this.session}`, { method: "DELETE" }).catch(() => {});
      this.session = null;
    }
  }

  async findAll(css) {
    const v = await this.cmd("POST", "/elements", { using: "css selector", value: css });
    return v.map((e) => Object.values(e)[0]);
  }

  async waitFor(what, fn, timeoutMs = 20000, everyMs = 150) {
    const end = Date.now() + timeoutMs;
    let last;
    while (Date.now() < end) {
      try {
        const r = await fn();
        if (r) return r;
      } catch (e) {
        last = e;
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (${last.message})` : ""}`);
  }

  /** The first element matching `css`, waiting for it to appear. */
  async find(css, timeoutMs) {
    return this.waitFor(css, async () => (await this.findAll(css))[0], timeoutMs);
  }

  async click(css) {
    const el = await this.find(css);
    await this.cmd("POST", `/element/${el}/click`, {});
    return el;
  }

  async type(css, text) {
    const el = await this.find(css);
    await this.cmd("POST", `/element/${el}/value`, { text });
    return el;
  }

  async clear(css) {
    const el = await this.find(css);
    await this.cmd("POST", `/element/${el}/clear`, {});
  }

  async text(css) {
    const el = await this.find(css);
    return this.cmd("GET", `/element/${el}/text`);
  }

  /** The text content of the first match (WebKit's "element text" misses some laid-out text). */
  async content(css) {
    await this.find(css);
    return this.exec("return document.querySelector(arguments[0]).textContent", [css]);
  }

  async exec(script, args = []) {
    return this.cmd("POST", "/execute/sync", { script, args });
  }

  async execAsync(script, args = []) {
    return this.cmd("POST", "/execute/async", { script, args });
  }

  async screenshot() {
    return Buffer.from(await this.cmd("GET", "/screenshot"), "base64");
  }
}
