// Benchmark of the widget's cache, in real Chromium against the real grove-server.
// Not part of ./grove test: it prints numbers.
//   ready    navigation start -> grove:ready (the first frame showing the cache), with an empty
//            cache and with 10,000 cached posts. Runs alternate between two origins of the same
//            server (127.0.0.1 keeps 10,000 posts cached; localhost's cache is deleted before each
//            run), so both see the same machine load and each run starts in a fresh renderer (as
//            for someone arriving from another site); the cost of the cache is the median of the
//            paired differences.
//   persist  two measures of saving one new post, with an empty module and with 10,000 cached:
//            - "persist": the outbox append -> the complete event of the IndexedDB transaction that
//              saves that post's outbox record (performance.now in the storage port; the append and
//              the write request are in the same task, microseconds apart). Includes whatever holds
//              the main thread before the complete event can be delivered (the rest of the frame).
//            - "end to end": create() called for Ctrl+Enter -> the engine told the write is saved
//              (Date.now, 1 ms steps): adds the checks, showing the post and the frame around it.
//   reload   for comparison, ready with the cache when the same page is reloaded (the renderer and
//            its compiled wasm may be kept; the paired runs each start a fresh renderer).
// Targets: ready with 10,000 cached <= 300 ms more than with an empty cache; persist < 20 ms.
// Chromium draws with SwiftShader here (WebGL on the CPU): frames cost far more than on a GPU.
// Run after ./grove build:  node bench/sync_cache.mjs [--posts 10000] [--pairs 12]
import { startServer, launchBrowser, recordGroveEvents } from '../tests/browser/lib/harness.mjs';
import { seedPosts } from './lib/seed.mjs';

const args = process.argv.slice(2);
const opt = (name, def) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : def);
const POSTS = opt('--posts', 10000);
const PAIRS = opt('--pairs', 12);
const MODULE = 'fire-safety-101';
const SERVER_ARGS = ['--writes-per-minute', '1000000', '--sqlite-sync', 'normal'];

const quantile = (xs, q) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(q * s.length))]; };
const median = (xs) => quantile(xs, 0.5);
const fmt = (xs, digits = 0) =>
  `median ${median(xs).toFixed(digits)} ms, p25 ${quantile(xs, 0.25).toFixed(digits)}, p75 ${quantile(xs, 0.75).toFixed(digits)} (${xs.length} runs)`;

const state = (page) => page.locator('[data-grove-module]').evaluate((el) => el.groveSyncState());
// Without the posts: with 10,000 of them the full state is megabytes of JSON made on the page's
// main thread, which polling it would put in the way of the very write being measured.
const status = (page) => page.locator('[data-grove-module]').evaluate((el) => el.groveSyncState({ posts: false }));

async function cachedCount(page) {
  return page.evaluate(async (api) => new Promise(async (resolve) => {
    // Opening a database that does not exist would create it: look first.
    if (!(await indexedDB.databases()).some((d) => d.name === 'grove-cache:' + api)) { resolve(0); return; }
    const open = indexedDB.open('grove-cache:' + api);
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains('posts')) { db.close(); resolve(0); return; }
      const c = db.transaction('posts').objectStore('posts').count();
      c.onsuccess = () => { db.close(); resolve(c.result); };
    };
    open.onerror = () => resolve(-1);
  }), new URL('/api/v1', page.url()).href);
}

async function readyMs(page, url) {
  await page.goto(url);
  await page.waitForFunction(() => (window.__groveEvents || []).some((e) => e.name === 'grove:ready'), null, { timeout: 60000 });
  return page.evaluate(() => window.__groveEvents.find((e) => e.name === 'grove:ready').t);
}

async function clearCache(page, origin) {
  await page.goto(origin + '/api/v1/health');   // same origin, no widget holding the database
  await page.evaluate((name) => new Promise((resolve, reject) => {
    const r = indexedDB.deleteDatabase(name);
    r.onsuccess = resolve;
    r.onerror = () => reject(r.error);
    r.onblocked = () => setTimeout(resolve, 2000);
  }), 'grove-cache:' + origin + '/api/v1');
}

async function populate(page, origin, n) {
  await page.goto(origin + '/');
  const start = Date.now();
  while ((await cachedCount(page)) < n) {
    if (Date.now() - start > 180000) throw new Error('the cache did not fill');
    await page.waitForTimeout(250);
  }
  await page.waitForTimeout(2000);   // the packed copy and the first poll settle
}

async function persist(page, times) {
  const engine = [], storage = [];   // end to end; the create's own IndexedDB write
  await page.bringToFront();
  for (let i = 0; i < times; i++) {
    const before = (await status(page)).creates_persisted;
    await page.locator('[data-grove-module]').focus();
    const text = `Benchmark post ${i} ${Date.now()}`;
    await page.keyboard.type(text);
    while (!(await status(page)).draft.endsWith(text)) await page.waitForTimeout(20);
    await page.keyboard.press('Control+Enter', { delay: 50 });
    for (;;) {
      const s = await status(page);
      if (s.creates_persisted > before) {
        engine.push(s.last_create_persist_ms);
        storage.push(s.last_create_write_ms);
        break;
      }
      await page.waitForTimeout(10);
    }
    await page.waitForTimeout(300);
  }
  return { engine, storage };
}

const server = await startServer(SERVER_ARGS);
const empty = await startServer(SERVER_ARGS);
const browser = await launchBrowser();
try {
  console.log(`seeding ${POSTS} posts...`);
  const t0 = Date.now();
  await seedPosts(server, MODULE, POSTS);
  console.log(`seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const cached = server.url;                                   // keeps the cache
  const uncached = server.url.replace('127.0.0.1', 'localhost');   // same server, its own (emptied) cache

  const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
  await recordGroveEvents(context);
  const page = await context.newPage();
  if (process.env.PROF) page.on('console', (m) => { if (m.text().startsWith('PROF') || m.text().startsWith('Grove')) console.log(page.url().slice(7, 16), m.text().slice(0, 200)); });
  await populate(page, cached, POSTS);
  await readyMs(page, uncached + '/');   // warm the HTTP cache of both origins
  const withCache = [], withoutCache = [], diff = [], takeIn = [], waited = [];
  for (let i = 0; i < PAIRS; i++) {
    const a = await readyMs(page, cached + '/');
    const s = await state(page);
    if (s.posts.length < POSTS) throw new Error(`ready showed ${s.posts.length} posts, not ${POSTS}`);
    takeIn.push(s.cache_reads.ms);
    waited.push(s.cache_reads.waited);
    await page.waitForTimeout(1500);   // its first sync (a small pull) is done
    await clearCache(page, uncached);
    // The cache was deleted from a page of the uncached site; going from there to its widget page
    // would keep that renderer (same site), warm, while every cached run starts a fresh one (it
    // follows the other site). A page of the other site in between gives this run a fresh
    // renderer too (checked with CDP SystemInfo.getProcessInfo): ~170 ms of process start and
    // script warm-up that is not the cache's cost.
    await page.goto(cached + '/api/v1/health');
    const b = await readyMs(page, uncached + '/');
    // Let the fresh page finish fetching and storing all posts: background IndexedDB work would
    // otherwise slow the next run down.
    while ((await state(page)).posts.length < POSTS) await page.waitForTimeout(200);
    await page.waitForTimeout(1500);
    if (process.env.PROF) console.log("pair", a.toFixed(0), b.toFixed(0), JSON.stringify(s.cache_reads));
    withCache.push(a);
    withoutCache.push(b);
    diff.push(a - b);
  }

  // For comparison: reloads of the cached page. The runs above alternate two sites, so each
  // starts a fresh renderer (the wasm compiled again, in V8's baseline tier at first), as for a
  // person arriving from another site; a reload may keep the renderer and its compiled module.
  const reloadReady = [], reloadTakeIn = [];
  await readyMs(page, cached + '/');
  for (let i = 0; i < Math.min(PAIRS, 5); i++) {
    await page.waitForTimeout(1500);
    reloadReady.push(await readyMs(page, cached + '/'));
    reloadTakeIn.push((await state(page)).cache_reads.ms);
  }

  // Persisting one post: with 10,000 cached (settled), and in an empty module.
  await page.goto(cached + '/');
  await page.waitForFunction(() => window.__groveEvents.some((e) => e.name === 'grove:ready'));
  await page.waitForTimeout(2000);
  const pFull = await persist(page, 9);
  await page.goto(empty.url + '/');
  await page.waitForFunction(() => window.__groveEvents.some((e) => e.name === 'grove:ready'));
  await page.waitForTimeout(2000);
  const pEmpty = await persist(page, 9);

  console.log('');
  console.log(`grove:ready, empty cache:         ${fmt(withoutCache)}`);
  console.log(`grove:ready, ${POSTS} cached:       ${fmt(withCache)}`);
  console.log(`  cost of the cache (paired):     ${fmt(diff)}   target <= 300 ms`);
  console.log(`  of which taking the read in (join, decode, store): ${fmt(takeIn)}`);
  console.log(`  waiting for IndexedDB after the engine started:    ${fmt(waited)}`);
  console.log(`grove:ready, ${POSTS} cached, reloading the same page: ${fmt(reloadReady)}; taking the read in: ${fmt(reloadTakeIn)}`);
  console.log(`persist one post (outbox append -> IndexedDB complete), empty module: ${fmt(pEmpty.storage, 1)}`);
  console.log(`persist one post (outbox append -> IndexedDB complete), ${POSTS} cached: ${fmt(pFull.storage, 1)}   target < 20 ms`);
  console.log(`  end to end (create() -> engine told it is saved), empty module: ${fmt(pEmpty.engine)}`);
  console.log(`  end to end (create() -> engine told it is saved), ${POSTS} cached: ${fmt(pFull.engine)}`);
  await context.close();
} finally {
  await browser.close();
  await server.stop();
  await empty.stop();
}
