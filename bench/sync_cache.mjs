// Benchmark of the widget's cache (issue 4), in real Chromium against the real grove-server.
// Not part of ./grove test: it prints numbers.
//   ready    navigation start -> grove:ready (the first frame showing the cache), with an empty
//            cache and with 10,000 cached posts, interleaved in one run (the machine is shared)
//   persist  create() -> the new post's outbox record committed in IndexedDB, with 0 and with
//            10,000 cached posts
// Targets: ready with 10,000 cached <= 300 ms more than with an empty cache; persist < 20 ms.
// Run after ./grove build:  node bench/sync_cache.mjs [--posts 10000] [--rounds 3]
import { startServer, launchBrowser, recordGroveEvents } from '../tests/browser/lib/harness.mjs';

const args = process.argv.slice(2);
const opt = (name, def) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : def);
const POSTS = opt('--posts', 10000);
const ROUNDS = opt('--rounds', 3);
const MODULE = 'fire-safety-101';
const SERVER_ARGS = ['--writes-per-minute', '1000000', '--sqlite-sync', 'normal'];

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const fmt = (xs) => `median ${median(xs).toFixed(0)} ms (runs: ${xs.map((x) => x.toFixed(0)).join(', ')})`;

async function token(server, sub, name) {
  const r = await fetch(server.url + '/api/v1/dev/token', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ sub, name, role: 'learner' }),
  });
  return (await r.json()).token;
}

// n posts from 20 people, replies to every fifth, bodies of realistic length.
async function seed(server, n) {
  const tokens = [];
  for (let i = 0; i < 20; i++) tokens.push(await token(server, `bench-${i}`, `Bench Person ${i}`));
  const words = 'extinguisher exit alarm drill label class smoke door stairs assembly point warden check weekly'.split(' ');
  let next = 0, parents = [];
  async function worker() {
    for (;;) {
      const i = next++;
      if (i >= n) return;
      let body = `Reflection ${i}:`;
      while (body.length < 120 + (i % 7) * 40) body += ' ' + words[(i * 7 + body.length) % words.length];
      const parent = i % 5 === 4 && parents.length ? parents[i % parents.length] : null;
      const r = await fetch(`${server.url}/api/v1/modules/${MODULE}/posts`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ' + tokens[i % 20] },
        body: JSON.stringify({ id: `bench-${i}`, kind: 'insight', body, parent_id: parent }),
      });
      if (r.status !== 201) throw new Error(`seeding post ${i}: HTTP ${r.status} ${await r.text()}`);
      if (!parent) parents.push(`bench-${i}`);
    }
  }
  await Promise.all(Array.from({ length: 8 }, worker));
}

const state = (page) => page.locator('[data-grove-module]').evaluate((el) => el.groveSyncState());

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

async function clearCache(page, server) {
  await page.goto(server.url + '/api/v1/health');   // same origin, no widget holding the database
  await page.evaluate((name) => new Promise((resolve, reject) => {
    const r = indexedDB.deleteDatabase(name);
    r.onsuccess = resolve;
    r.onerror = () => reject(r.error);
    r.onblocked = () => setTimeout(resolve, 2000);
  }), 'grove-cache:' + server.url + '/api/v1');
}

async function populate(page, server, n) {
  await page.goto(server.url + '/');
  const start = Date.now();
  while ((await cachedCount(page)) < n) {
    if (Date.now() - start > 180000) throw new Error('the cache did not fill');
    await page.waitForTimeout(250);
  }
}

async function persistMs(page, times) {
  const out = [];
  await page.bringToFront();
  for (let i = 0; i < times; i++) {
    const before = (await state(page)).creates_persisted;
    await page.locator('[data-grove-module]').focus();
    const text = `Benchmark post ${i} ${Date.now()}`;
    await page.keyboard.type(text);
    while (!(await state(page)).draft.endsWith(text)) await page.waitForTimeout(20);
    await page.keyboard.press('Control+Enter', { delay: 50 });
    for (;;) {
      const s = await state(page);
      if (s.creates_persisted > before) { out.push(s.last_create_persist_ms); break; }
      await page.waitForTimeout(25);
    }
  }
  return out;
}

const full = await startServer(SERVER_ARGS);
const empty = await startServer(SERVER_ARGS);
const browser = await launchBrowser();
try {
  console.log(`seeding ${POSTS} posts...`);
  const t0 = Date.now();
  await seed(full, POSTS);
  console.log(`seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
  await recordGroveEvents(context);
  const page = await context.newPage();
  const withCache = [], withoutCache = [];
  for (let round = 0; round < ROUNDS; round++) {
    await clearCache(page, full);
    await populate(page, full, POSTS);
    for (let i = 0; i < 3; i++) {
      withCache.push(await readyMs(page, full.url + '/'));
      const s = await state(page);
      if (s.posts.length < POSTS) throw new Error(`ready showed ${s.posts.length} posts, not ${POSTS}`);
    }
    for (let i = 0; i < 3; i++) {
      await clearCache(page, full);
      withoutCache.push(await readyMs(page, full.url + '/'));
    }
  }

  // Persisting one post: 10,000 cached (the full cache, settled) and an empty module.
  await clearCache(page, full);
  await populate(page, full, POSTS);
  await page.goto(full.url + '/');
  await page.waitForFunction(() => window.__groveEvents.some((e) => e.name === 'grove:ready'));
  await page.waitForTimeout(1500);
  const persistFull = await persistMs(page, 7);
  await page.goto(empty.url + '/');
  await page.waitForFunction(() => window.__groveEvents.some((e) => e.name === 'grove:ready'));
  await page.waitForTimeout(1500);
  const persistEmpty = await persistMs(page, 7);

  const extra = median(withCache) - median(withoutCache);
  console.log('');
  console.log(`grove:ready, empty cache:        ${fmt(withoutCache)}`);
  console.log(`grove:ready, ${POSTS} cached:      ${fmt(withCache)}`);
  console.log(`  cost of the cache at startup:  ${extra.toFixed(0)} ms (target <= 300 ms)`);
  console.log(`persist one post, 0 cached:      ${fmt(persistEmpty)}`);
  console.log(`persist one post, ${POSTS} cached: ${fmt(persistFull)} (target < 20 ms)`);
  await context.close();
} finally {
  await browser.close();
  await full.stop();
  await empty.stop();
}
