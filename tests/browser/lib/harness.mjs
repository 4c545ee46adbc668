// Shared by every browser test: the real grove-server on a free loopback port (stopped by PID),
// Debian's Chromium through playwright-core, and small page helpers.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const ROOT = resolve(import.meta.dirname, '../../..');
export const SERVER_BINARY = process.env.GROVE_SERVER_BINARY || join(ROOT, 'build/native/server-stub/grove-server');
export const WIDGET_DIST = process.env.GROVE_WIDGET_DIST || join(ROOT, 'build/wasm/dist/widget');
export const SITE_DIR = process.env.GROVE_SITE_DIR || join(ROOT, 'host-page');

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
];

// Starts grove-server with a fresh database; resolves once it printed its URL.
export async function startServer(extraArgs = []) {
  const dir = await mkdtemp(join(tmpdir(), 'grove-browser-'));
  // --dev (dev tokens) unless the test brings its own secret: the server refuses both at once.
  const dev = extraArgs.includes('--jwt-secret-file') ? [] : ['--dev'];
  const args = ['--port', '0', ...dev, '--db', join(dir, 'grove.db'),
    '--widget-dir', WIDGET_DIST, '--site-dir', SITE_DIR, ...extraArgs];
  const proc = spawn(SERVER_BINARY, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  const url = await new Promise((resolvePromise, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('grove-server did not start: ' + stderr)), 20000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/\S+)/);
      if (m) { clearTimeout(timer); resolvePromise(m[1].replace(/\/$/, '')); }
    });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`grove-server exited (${code}): ${stderr}`)); });
  });
  proc.stdout.resume();
  return {
    url, dir, proc,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        process.kill(proc.pid, 'SIGTERM');
        const timer = setTimeout(() => process.kill(proc.pid, 'SIGKILL'), 10000);
        await exited;
        clearTimeout(timer);
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser(extraArgs = []) {
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: [...CHROMIUM_ARGS, ...extraArgs] });
}

// Records every grove:* event on the page in window.__groveEvents (install before navigation).
export async function recordGroveEvents(context) {
  await context.addInitScript(() => {
    window.__groveEvents = [];
    for (const name of ['grove:ready', 'grove:post', 'grove:sync', 'grove:error']) {
      document.addEventListener(name, (e) => {
        window.__groveEvents.push({ name, target: e.target && e.target.id, detail: e.detail, t: performance.now() });
      });
    }
  });
}

// `predicate` is the source of a function of the recorded event ({name, target, detail}). It runs
// here in node on a copy of the events: evaluated in the page, it would be an eval that a page's
// Content-Security-Policy blocks (Playwright's first check is exempt, its later polls are not).
export async function waitForEvent(page, name, predicate = '() => true', timeout = 30000) {
  const test = (0, eval)(predicate);
  const deadline = Date.now() + timeout;
  for (;;) {
    let events = [];
    try {
      events = await page.evaluate(() => window.__groveEvents || []);
    } catch (e) {
      if (!/Execution context was destroyed|navigat/i.test(e.message)) throw e;   // a reload in progress
    }
    if (events.some((e) => e.name === name && test(e))) return;
    if (Date.now() > deadline) throw new Error(`waitForEvent: no ${name} matching ${predicate} within ${timeout} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// Pixel statistics of an element's screenshot, decoded in the page (no PNG library needed):
// how many distinct colours, and the share of pixels that differ from the dominant colour.
export async function pixelStats(page, locator) {
  const png = await locator.screenshot();
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = 'data:image/png;base64,' + b64;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width; c.height = img.height;
    const g = c.getContext('2d');
    g.drawImage(img, 0, 0);
    const d = g.getImageData(0, 0, c.width, c.height).data;
    const counts = new Map();
    for (let i = 0; i < d.length; i += 4) {
      const k = (d[i] << 16) | (d[i + 1] << 8) | d[i + 2];
      counts.set(k, (counts.get(k) || 0) + 1);
    }
    let dominant = 0;
    for (const v of counts.values()) dominant = Math.max(dominant, v);
    const total = d.length / 4;
    return { width: c.width, height: c.height, colours: counts.size, nonBackground: 1 - dominant / total };
  }, png.toString('base64'));
}
