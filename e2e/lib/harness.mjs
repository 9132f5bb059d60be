// Test harness: starts the real `raqib serve` on a free loopback port with a fresh SQLite
// database and no list data directory (so the lists embedded in the binary are served),
// creates member keys with the real CLI, and launches Debian's Chromium headless through
// playwright-core with a fresh profile and no background network.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const E2E_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const REPO = path.resolve(E2E_DIR, '..');
export const BIN = path.resolve(REPO, process.env.RAQIB_BIN || 'target/debug/raqib');
export const CHROMIUM = process.env.RAQIB_CHROMIUM || '/usr/bin/chromium';
export const SHOTS = path.join(REPO, 'test-output', 'e2e');
export const AMLSIM = path.resolve(REPO, '..', 'shared', 'data', 'transactions', 'amlsim_ctf_sample', 'transactions.csv');

export function tempDir(prefix) {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export class Server {
  constructor() {
    this.dir = tempDir('raqib-e2e-');
    this.db = path.join(this.dir, 'raqib.db');
    this.env = { ...process.env, RAQIB_DATA_DIR: path.join(this.dir, 'no-list-data'), RUST_LOG: process.env.RUST_LOG || 'warn' };
    delete this.env.RAQIB_DATABASE;
    this.log = '';
  }

  /** `raqib keys create`: returns the key (printed once on stdout). */
  createKey(member, role, label) {
    const args = ['keys', 'create', '--member', member, '--role', role, '--database', this.db];
    if (label) args.push('--label', label);
    const r = spawnSync(BIN, args, { cwd: this.dir, env: this.env, encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0) throw new Error(`raqib ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
    const key = r.stdout.trim().split(/\s+/).pop();
    if (!key) throw new Error(`raqib keys create printed no key: ${r.stdout} ${r.stderr}`);
    return key;
  }

  async start() {
    if (!fs.existsSync(BIN)) throw new Error(`no raqib binary at ${BIN}: build it (cargo build -p raqib) or set RAQIB_BIN`);
    this.port = await freePort();
    this.base = `http://127.0.0.1:${this.port}`;
    this.proc = spawn(BIN, ['serve', '--bind', `127.0.0.1:${this.port}`, '--database', this.db], { cwd: this.dir, env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (b) => { this.log = (this.log + b.toString()).slice(-20000); };
    this.proc.stdout.on('data', keep);
    this.proc.stderr.on('data', keep);
    let exited = null;
    this.proc.on('exit', (code, sig) => { exited = `exit ${code ?? sig}`; });
    const deadline = Date.now() + 240_000;
    while (Date.now() < deadline) {
      if (exited) throw new Error(`raqib serve stopped (${exited}) before answering:\n${this.log}`);
      try {
        const r = await fetch(`${this.base}/healthz`);
        if (r.ok) return;
      } catch { /* not listening yet */ }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`raqib serve did not answer /healthz within 240 s:\n${this.log}`);
  }

  async stop() {
    if (!this.proc || this.proc.exitCode !== null) return;
    const done = new Promise((r) => this.proc.once('exit', r));
    this.proc.kill('SIGTERM');
    const t = setTimeout(() => this.proc.kill('SIGKILL'), 10_000);
    await done;
    clearTimeout(t);
  }

  /** A JSON API call with a member key (what an integration would do). */
  async api(key, method, p, body, contentType = 'application/json') {
    const headers = { Authorization: `Bearer ${key}` };
    let payload;
    if (body !== undefined) {
      headers['Content-Type'] = contentType;
      payload = typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body);
    }
    const r = await fetch(`${this.base}${p}`, { method, headers, body: payload });
    const text = await r.text();
    let json = null;
    try { json = JSON.parse(text); } catch { /* not JSON */ }
    return { status: r.status, json, text, headers: r.headers };
  }
}

export async function launchBrowser() {
  const { chromium } = await import('playwright-core');
  const profile = tempDir('raqib-chromium-');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1366, height: 768 },
    locale: 'en-GB',
    timezoneId: 'UTC',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-default-apps', '--no-default-browser-check'],
  });
  return { context, profile };
}

let shotSeq = 0;
/** Saves a full-page screenshot under test-output/e2e/ and returns its file name. */
export async function shot(page, name) {
  fs.mkdirSync(SHOTS, { recursive: true });
  const file = `${String(++shotSeq).padStart(2, '0')}-${name}.png`;
  await page.screenshot({ path: path.join(SHOTS, file), fullPage: true });
  return file;
}

/**
 * Accessibility basics of the page as it stands: every form control has a label, every image
 * an alt text, every button and link an accessible name, the landmarks are there, and Arabic
 * names are tagged `lang="ar"`. Returns the problems found (empty when none).
 */
export async function a11yProblems(page) {
  return page.evaluate(() => {
    const out = [];
    const named = (el) => (el.getAttribute('aria-label') || '').trim() || el.getAttribute('aria-labelledby') || (el.labels && el.labels.length) || (el.title || '').trim();
    for (const el of document.querySelectorAll('input:not([type=hidden]), select, textarea')) {
      if (!named(el)) out.push(`unlabelled ${el.tagName.toLowerCase()} name=${el.name || ''}`);
    }
    for (const el of document.querySelectorAll('img')) if (!el.hasAttribute('alt')) out.push(`img without alt: ${el.src}`);
    for (const el of document.querySelectorAll('button, a[href]')) {
      if (!(el.textContent || '').trim() && !named(el)) out.push(`${el.tagName.toLowerCase()} without a name`);
    }
    for (const sel of ['header[role=banner], header', 'main', 'footer']) if (!document.querySelector(sel)) out.push(`no ${sel} landmark`);
    if (document.querySelectorAll('main h1').length !== 1) out.push(`${document.querySelectorAll('main h1').length} h1 in main`);
    const arabic = /[\u0600-\u06FF]/;
    for (const el of document.querySelectorAll('bdi')) {
      if (arabic.test(el.textContent) && !/[A-Za-z]/.test(el.textContent) && !el.closest('[lang="ar"]')) out.push(`Arabic name without lang=ar: ${el.textContent}`);
    }
    const ids = new Map();
    for (const el of document.querySelectorAll('[id]')) ids.set(el.id, (ids.get(el.id) || 0) + 1);
    for (const [id, n] of ids) if (n > 1) out.push(`duplicate id ${id}`);
    return out;
  });
}
