#!/usr/bin/env node
// Row groups 2 and 5 of ./grove bench, in real Chromium against the real grove-server seeded with
// 10,000 posts in the page's module:
//   startup  navigation start -> grove:ready, cold and warm HTTP cache, with 0 and with 10,000
//            posts in the widget's IndexedDB cache; the four cases interleaved, round after round,
//            so the shared machine's noise hits them alike; medians. Each with its breakdown:
//            fetches, compile, text probe, cache read, instantiate, runtime, WebGL context, the
//            mount's setup and the first frame (the startup marks, see `breakdown`).
//   sync     first pull: empty cache -> every post stored in IndexedDB and shown (grove:sync with
//            last_sync set, then counted); incremental pull with nothing new: a reload with the
//            full cache -> the pull's request and answer.
// Writes JSON to --out. Needs the sync engine (groveSyncState on the mount element); without it
// the cached-post and sync figures are reported as unavailable.
//   node bench/startup_sync.mjs --out results/startup_sync.json [--posts 10000] [--rounds 3]
import { writeFileSync } from 'node:fs';
import { startServer, launchBrowser, recordGroveEvents } from '../tests/browser/lib/harness.mjs';
import { seedPosts } from './lib/seed.mjs';
import { median, wheelFrames, heapAfterGc } from './lib/measure.mjs';

const argv = process.argv.slice(2);
const arg = (name, def) => (argv.includes('--' + name) ? argv[argv.indexOf('--' + name) + 1] : def);
const OUT = arg('out');
const POSTS = Number(arg('posts', 10000));
const ROUNDS = Number(arg('rounds', 3));
const MODULE = 'fire-safety-101';   // the module of host-page/index.html
const log = (s) => console.log(`  ${s}`);

const cacheName = (server) => 'grove-cache:' + server.url + '/api/v1';

async function cachedCount(page, server) {
  return page.evaluate((name) => new Promise(async (resolve) => {
    if (!(await indexedDB.databases()).some((d) => d.name === name)) { resolve(0); return; }
    const open = indexedDB.open(name);
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains('posts')) { db.close(); resolve(0); return; }
      const c = db.transaction('posts').objectStore('posts').count();
      c.onsuccess = () => { db.close(); resolve(c.result); };
      c.onerror = () => { db.close(); resolve(-1); };
    };
    open.onerror = () => resolve(-1);
  }), cacheName(server));
}

// Deletes the widget's IndexedDB cache from a page of the same origin that holds no widget.
async function clearIndexedDb(page, server) {
  await page.goto(server.url + '/api/v1/health');
  await page.evaluate((name) => new Promise((resolve, reject) => {
    const r = indexedDB.deleteDatabase(name);
    r.onsuccess = resolve;
    r.onerror = () => reject(r.error);
    r.onblocked = () => setTimeout(resolve, 2000);
  }), cacheName(server));
}

const eventTime = (page, name, pred = '() => true') => page.waitForFunction(
  ([n, p]) => { const e = (window.__groveEvents || []).find((x) => x.name === n && (0, eval)(p)(x)); return e ? e.t : false; },
  [name, pred], { timeout: 120000, polling: 50 }).then((h) => h.jsonValue());

// Where the time to grove:ready went: the startup marks of the loader (grove.js), the glue
// (platform.js) and the mount (web_mount.cpp), and the assets' Resource Timing; ms, or null.
// After them, not part of the time to ready: when the deferred module (a split build) was in
// place, from grove:ready (negative: before it); waited for up to 5 s.
const PHASES = ['loader_fetch', 'wasm_fetch', 'glue_fetch', 'compile_after_download', 'text_probe', 'cache_read',
  'instantiate', 'runtime_init', 'webgl_context', 'app_setup', 'first_frame', 'deferred_after_ready'];
const breakdown = (page) => page.evaluate(async () => {
  const deferred = performance.getEntriesByName('grove:deferred-start').length > 0;
  for (let i = 0; deferred && i < 100 && !performance.getEntriesByName('grove:deferred-ready').length; i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  const m = {};
  for (const e of performance.getEntriesByType('mark'))
    if (e.name.startsWith('grove:') && !(e.name.slice(6) in m)) m[e.name.slice(6)] = e.startTime;
  const res = performance.getEntriesByType('resource');
  const asset = (re) => res.find((e) => re.test(new URL(e.name).pathname));
  const fetched = (e) => (e ? e.responseEnd - e.startTime : null);
  const span = (a, b) => (a !== undefined && b !== undefined && a !== null && b !== null ? b - a : null);
  const wasm = asset(/\/grove-core(\.[0-9a-f]{12})?\.wasm$/);
  return {
    loader_fetch: fetched(asset(/\/grove\.js$/)),
    wasm_fetch: fetched(wasm),
    glue_fetch: fetched(asset(/grove-core[^/]*\.js$/)),
    compile_after_download: wasm ? span(wasm.responseEnd, m['wasm-compiled']) : null,
    text_probe: span(m['text-probe-start'], m['text-probe']),
    cache_read: span(m['cache-read-start'], m['cache-read']),
    instantiate: span(m['instantiate-start'], m.instantiated),
    runtime_init: span(m.instantiated, m['core-ready']),
    webgl_context: span(m['webgl-start'], m.webgl),
    app_setup: span(m.webgl, m.mounted),
    first_frame: span(m.mounted, m.ready),
    deferred_after_ready: span(m.ready, m['deferred-ready']),
  };
});

let phases = null;   // the case being measured collects its breakdowns here
async function readyMs(page, url) {
  await page.goto(url);
  const t = await eventTime(page, 'grove:ready');
  if (phases) phases.push(await breakdown(page));
  return t;
}

// A grove:sync whose last_sync is from this page view (a pull finished), not from the cache.
const FRESH_SYNC = '(e) => e.detail && e.detail.last_sync && Date.parse(e.detail.last_sync) >= Math.floor(performance.timeOrigin)';
const hasSyncEngine = (page) => page.locator('[data-grove-module]').evaluate((el) => typeof el.groveSyncState === 'function');
const shownPosts = (page) => page.locator('[data-grove-module]').evaluate((el) => el.groveSyncState().posts.length);

// Every feed request of the page so far: [{url, start, end, bytes}] (Resource Timing).
const feedRequests = (page) => page.evaluate(() => performance.getEntriesByType('resource')
  .filter((e) => /\/api\/v1\/modules\/[^/]+\/posts\?/.test(e.name))
  .map((e) => ({ url: e.name, start: e.startTime, end: e.responseEnd, bytes: e.encodedBodySize })));

const server = await startServer(['--writes-per-minute', '1000000', '--sqlite-sync', 'normal']);
const browser = await launchBrowser();
const result = { posts: POSTS, rounds: ROUNDS, startup: {}, sync: null, notes: [] };
try {
  log(`seeding ${POSTS} posts...`);
  const t0 = Date.now();
  const retriedSeeds = await seedPosts(server, MODULE, POSTS);
  result.seed_s = (Date.now() - t0) / 1000;
  result.seed_retries = retriedSeeds;
  if (retriedSeeds) result.notes.push(`seeding: ${retriedSeeds} POSTs retried after the server closed a keep-alive connection`);
  log(`seeded in ${result.seed_s.toFixed(1)} s`);

  const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
  await recordGroveEvents(context);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  const coldCache = () => cdp.send('Network.clearBrowserCache');
  const url = server.url + '/';
  // The demo's module page, with the widget at its default height (640 px, a box that scrolls
  // inside) rather than the page's "none": the scrolling row measures the widget scrolling all
  // its posts itself, as a capped widget does.
  const pageHtml = (await (await fetch(url)).text()).replace(/\s*data-grove-height="none"/, '');
  await page.route(url, (route) => route.fulfill({ contentType: 'text/html', body: pageHtml }));

  // Is there a sync engine? (Without it the widget has no cache to fill.)
  await readyMs(page, url);
  const sync = await hasSyncEngine(page);
  if (!sync) result.notes.push('this build has no sync engine (groveSyncState): no cache, no pull');

  // --- Sync: first pull (empty cache -> all stored and shown), each round; this fills the cache.
  const firstPull = [], firstPullBytes = [], firstPullRequests = [];
  const incremental = [], incrementalAfterReady = [], incrementalBytes = [];
  const runs = { cold_empty: [], warm_empty: [], cold_full: [], warm_full: [] };
  const split = { cold_empty: [], warm_empty: [], cold_full: [], warm_full: [] };
  const measured = async (key, f) => { phases = split[key]; try { return await f(); } finally { phases = null; } };
  for (let round = 0; round < ROUNDS; round++) {
    log(`round ${round + 1}/${ROUNDS}`);
    // Empty cache: cold then warm HTTP cache.
    await clearIndexedDb(page, server);
    await coldCache();
    runs.cold_empty.push(await measured('cold_empty', () => readyMs(page, url)));
    await clearIndexedDb(page, server);
    runs.warm_empty.push(await measured('warm_empty', () => readyMs(page, url)));
    if (!sync) continue;
    // First pull: the page just loaded with an empty cache; wait for the pull to land.
    const synced = await eventTime(page, 'grove:sync', FRESH_SYNC);
    const stored = await cachedCount(page, server);
    const shown = await shownPosts(page);
    if (stored < POSTS || shown < POSTS) throw new Error(`first pull: ${stored} stored, ${shown} shown, not ${POSTS}`);
    const reqs = await feedRequests(page);
    firstPull.push(synced);
    firstPullBytes.push(reqs.reduce((a, r) => a + r.bytes, 0));
    firstPullRequests.push(reqs.length);
    // Full cache (10,000): cold then warm HTTP cache; the warm one also times the incremental pull.
    await coldCache();
    runs.cold_full.push(await measured('cold_full', () => readyMs(page, url)));
    const ready = await measured('warm_full', () => readyMs(page, url));
    runs.warm_full.push(ready);
    const done = await eventTime(page, 'grove:sync', FRESH_SYNC);
    const inc = await feedRequests(page);
    incremental.push(done);
    incrementalAfterReady.push(done - ready);
    incrementalBytes.push(inc.reduce((a, r) => a + r.bytes, 0));
    if (round === 0) {
      const n = await shownPosts(page);
      if (n < POSTS) throw new Error(`ready with a full cache showed ${n} posts, not ${POSTS}`);
    }
  }
  for (const [k, v] of Object.entries(runs)) {
    const parts = {};
    for (const ph of PHASES) {
      const xs = split[k].map((b) => b[ph]).filter((x) => x !== null);
      parts[ph] = xs.length ? median(xs) : null;
    }
    result.startup[k] = { median_ms: median(v), runs: v, phases: parts };
  }
  if (sync) {
    // Scrolling the widget's thread of 10,000 posts with the wheel, 40 px a frame for 2 s: the
    // page's frame intervals (requestAnimationFrame deltas), as for the DOM list.
    await readyMs(page, url);
    await eventTime(page, 'grove:sync', FRESH_SYNC);
    const widget = page.locator('[data-grove-module]');
    await widget.focus();
    await widget.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    const box = await widget.boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + Math.min(box.height / 2, 400));
    await page.waitForTimeout(500);
    const stats = () => widget.evaluate((el) => el.groveDebug.stats());
    const before = await stats();
    const f = await wheelFrames(page, async () => (await stats()).scrollY);
    const after = await stats();
    result.grove_scroll = {
      median: f.median, p95: f.p95, over_50ms: f.over_50ms, frames: f.frames,
      widget_frames: after.frames - before.frames, scrolled_px: f.scrolled_px, scroll_max: after.scrollMax,
    };
  }
  if (sync) {
    // Memory with POSTS posts shown (this page), then with 100 (a page of a module that has 100):
    // the JS heap after a garbage collection (CDP), the wasm memory and the text pages' GPU memory.
    const memory = async (p, session, shown) => {
      const jsHeap = await heapAfterGc(session);
      const st = await p.locator('[data-grove-module]').first().evaluate((el) => el.groveDebug.stats());
      return { posts: shown, js_heap: jsHeap, wasm: st.wasmBytes, gpu_text: st.text.gpuBytes };
    };
    result.memory = [await memory(page, cdp, await shownPosts(page))];
    await seedPosts(server, 'memory-100', 100, 'mem');
    const html = pageHtml.replaceAll(MODULE, 'memory-100');
    await page.route(server.url + '/memory-100.html', (route) => route.fulfill({ contentType: 'text/html', body: html }));
    await page.goto(server.url + '/memory-100.html');
    await eventTime(page, 'grove:sync', FRESH_SYNC);
    result.memory.unshift(await memory(page, cdp, await shownPosts(page)));
  }
  if (sync) {
    result.sync = {
      first_pull_ms: { median_ms: median(firstPull), runs: firstPull },
      first_pull_bytes: median(firstPullBytes),
      first_pull_requests: median(firstPullRequests),
      incremental_ms: { median_ms: median(incremental), runs: incremental },
      incremental_after_ready_ms: { median_ms: median(incrementalAfterReady), runs: incrementalAfterReady },
      incremental_bytes: median(incrementalBytes),
    };
  }
  await context.close();
} finally {
  await browser.close();
  await server.stop();
}
writeFileSync(OUT, JSON.stringify(result, null, 2));
for (const [k, v] of Object.entries(result.startup)) {
  log(`ready ${k.padEnd(11)} ${v.median_ms === null ? 'n/a' : v.median_ms.toFixed(0) + ' ms'} (runs ${v.runs.map((x) => x.toFixed(0)).join(', ')})`);
  if (v.phases) log('  ' + PHASES.map((ph) => `${ph} ${v.phases[ph] === null ? 'n/a' : v.phases[ph].toFixed(1)}`).join(', '));
}
for (const m of result.memory || [])
  log(`memory, ${m.posts} posts shown: JS heap ${(m.js_heap / 1e6).toFixed(1)} MB, wasm ${(m.wasm / 1e6).toFixed(1)} MB, GPU text ${(m.gpu_text / 1e6).toFixed(1)} MB`);
if (result.sync) log(`first pull ${result.sync.first_pull_ms.median_ms.toFixed(0)} ms, incremental ${result.sync.incremental_after_ready_ms.median_ms.toFixed(0)} ms after ready`);
