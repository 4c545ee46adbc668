// Shared by every browser test: the real grove-server on a free loopback port (stopped by PID),
// Debian's Chromium through playwright-core, and small page helpers.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { inflateSync } from 'node:zlib';
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

// Decodes a PNG screenshot (8-bit RGB or RGBA, not interlaced: what Chromium writes) in node, with
// no PNG library and no round trip through a page: {width, height, rgba} (4 bytes a pixel).
export function decodePng(png) {
  if (png.readUInt32BE(0) !== 0x89504e47) throw new Error('decodePng: not a PNG');
  let width = 0, height = 0, depth = 0, type = 0, interlace = 0;
  const idat = [];
  for (let pos = 8; pos < png.length;) {
    const length = png.readUInt32BE(pos);
    const kind = png.toString('latin1', pos + 4, pos + 8);
    const data = png.subarray(pos + 8, pos + 8 + length);
    if (kind === 'IHDR') {
      width = data.readUInt32BE(0); height = data.readUInt32BE(4);
      depth = data[8]; type = data[9]; interlace = data[12];
    } else if (kind === 'IDAT') {
      idat.push(data);
    } else if (kind === 'IEND') {
      break;
    }
    pos += 12 + length;
  }
  const channels = { 2: 3, 6: 4 }[type];
  if (depth !== 8 || !channels || interlace) {
    throw new Error(`decodePng: unsupported PNG (bit depth ${depth}, colour type ${type}, interlace ${interlace})`);
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const rgba = Buffer.alloc(width * height * 4);
  let prev = Buffer.alloc(stride), line = Buffer.alloc(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? line[i - channels] : 0, b = prev[i], c = i >= channels ? prev[i - channels] : 0;
      let v = src[i];
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      } else if (filter !== 0) throw new Error(`decodePng: unknown filter ${filter}`);
      line[i] = v & 255;
    }
    for (let x = 0; x < width; x++) {
      const o = 4 * (y * width + x), i = x * channels;
      rgba[o] = line[i]; rgba[o + 1] = line[i + 1]; rgba[o + 2] = line[i + 2];
      rgba[o + 3] = channels === 4 ? line[i + 3] : 255;
    }
    [prev, line] = [line, prev];
  }
  return { width, height, rgba };
}

// The pixels of a box (device px) of a decoded image, {width, height, rgba}; those outside the
// image are 0, as a canvas's getImageData gives them.
export function cropImage({ width, height, rgba }, x0, y0, w, h) {
  const out = Buffer.alloc(w * h * 4);
  for (let y = 0; y < h; y++) {
    const sy = y0 + y;
    if (sy < 0 || sy >= height) continue;
    for (let x = 0; x < w; x++) {
      const sx = x0 + x;
      if (sx >= 0 && sx < width) rgba.copy(out, 4 * (y * w + x), 4 * (sy * width + sx), 4 * (sy * width + sx) + 4);
    }
  }
  return { width: w, height: h, rgba: out };
}

// Pixel statistics of an element's screenshot: how many distinct colours, and the share of
// pixels that differ from the dominant colour.
export async function pixelStats(page, locator) {
  const { width, height, rgba: d } = decodePng(await locator.screenshot());
  const counts = new Map();
  for (let i = 0; i < d.length; i += 4) {
    const k = (d[i] << 16) | (d[i + 1] << 8) | d[i + 2];
    counts.set(k, (counts.get(k) || 0) + 1);
  }
  let dominant = 0;
  for (const v of counts.values()) dominant = Math.max(dominant, v);
  const total = d.length / 4;
  return { width, height, colours: counts.size, nonBackground: 1 - dominant / total };
}
