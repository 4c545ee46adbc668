// Startup from a large cache in real Chromium against the real grove-server: the loader reads the
// widget's IndexedDB records while the wasm downloads (grove.js, "Cache"), and the widget opens
// from that read with every cached post, even when the API is unreachable. The packed copy of
// 4,000 posts (~1.4 MB) is stored in two 1 MiB pieces; a copy written in the 60 KB pieces of the
// previous version is still read.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { useGrove } from './lib/grove.mjs';
import { recordGroveEvents, waitForEvent } from './lib/harness.mjs';
import { seedPosts, devToken } from '../../bench/lib/seed.mjs';

const MODULE = 'fire-safety-101';
const POSTS = 4000;
const NEWER = 3;   // posts made after the packed copy was written
const { server, browser } = await useGrove({ serverArgs: ['--writes-per-minute', '1000000'] });
let context, page;

const state = () => page.locator('[data-grove-module]').evaluate((el) => el.groveSyncState());

// The packed copy's pieces as stored: [{key, bytes}] (keys are [module, "packed\u0001<n>"]).
function packedPieces() {
  return page.evaluate(([name, module]) => new Promise((resolve, reject) => {
    const open = indexedDB.open(name);
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const tx = db.transaction('meta');
      const range = IDBKeyRange.bound([module, 'packed\u0001'], [module, 'packed\u0002'], false, true);
      const keys = tx.objectStore('meta').getAllKeys(range), values = tx.objectStore('meta').getAll(range);
      tx.oncomplete = () => {
        db.close();
        resolve(keys.result.map((k, i) => ({ key: k[1], bytes: values.result[i].byteLength })));
      };
    };
  }), ['grove-cache:' + server.url + '/api/v1', MODULE]);
}

async function apiDown() {
  await context.route('**/api/v1/**', (route) =>
    route.request().url().includes('/api/v1/dev/token') ? route.continue() : route.abort('internetdisconnected'));
}

before(async () => {
  await seedPosts(server, MODULE, POSTS);
  context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
  await recordGroveEvents(context);
  page = await context.newPage();
  page.on('pageerror', (e) => { throw e; });
  await page.goto(server.url + '/');
  await waitForEvent(page, 'grove:ready');
  // The first pull stores every post, then the packed copy that the next startup reads.
  const deadline = Date.now() + 90000;
  while ((await state()).posts.length < POSTS || (await packedPieces()).length < 2) {
    assert.ok(Date.now() < deadline, 'the cache did not fill within 90 s');
    await page.waitForTimeout(250);
  }
});

test('the packed copy of 4,000 posts is stored in pieces of at most 1 MiB', async () => {
  const pieces = await packedPieces();
  assert.equal(pieces.length, 2, JSON.stringify(pieces));
  assert.equal(pieces[0].bytes, 1 << 20);
  assert.ok(pieces[1].bytes > 0 && pieces[1].bytes <= 1 << 20);
});

test('the first pull\'s pages came gzip: a fraction of their bytes on the wire', async () => {
  // Chromium asks for gzip with every fetch; grove-server compresses answers of 1 KB and more.
  const pages = await page.evaluate(() => performance.getEntriesByType('resource')
    .filter((e) => e.name.includes('/api/v1/modules/') && e.name.includes('/posts'))
    .map((e) => ({ url: e.name, wire: e.encodedBodySize, json: e.decodedBodySize })));
  const big = pages.filter((p) => p.json >= 100000);
  assert.ok(big.length >= 3, 'the pull of 4,000 posts took several large pages: ' + JSON.stringify(pages));
  const wire = big.reduce((n, p) => n + p.wire, 0), json = big.reduce((n, p) => n + p.json, 0);
  assert.ok(big.every((p) => p.wire > 0 && p.wire * 3 < p.json), JSON.stringify(big));
  console.log(`# first pull: ${big.length} pages, ${json} bytes of JSON, ${wire} on the wire`);
});

test('a reload with the API unreachable opens from the loader\'s read, with every cached post', async () => {
  await apiDown();
  await page.reload();
  await waitForEvent(page, 'grove:ready');
  const s = await state();
  assert.equal(s.posts.length, POSTS, 'every cached post is there when grove:ready fires');
  assert.equal(s.cache_reads.prefetched, 1);
  assert.equal(s.cache_reads.direct, 0);
  await context.unroute('**/api/v1/**');
});

// The sync record as stored (JSON text), from a page of the same origin.
function syncRecord() {
  return page.evaluate(([name, module]) => new Promise((resolve, reject) => {
    const open = indexedDB.open(name);
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const get = db.transaction('meta').objectStore('meta').get([module, 'sync']);
      get.onsuccess = () => { db.close(); resolve(JSON.parse(get.result)); };
    };
  }), ['grove-cache:' + server.url + '/api/v1', MODULE]);
}

test('posts changed since the packed copy are read by the loader too', async () => {
  const token = await devToken(server, 'cache-tester', 'Cache Tester');
  for (let i = 0; i < NEWER; i++) {
    const r = await fetch(`${server.url}/api/v1/modules/${MODULE}/posts`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ' + token },
      body: JSON.stringify({ id: `newer-${i}`, kind: 'insight', body: `Written after the packed copy, number ${i}.` }),
    });
    assert.equal(r.status, 201);
  }
  await page.reload();   // pulls the three at once
  await waitForEvent(page, 'grove:ready');
  const deadline = Date.now() + 30000;
  while ((await state()).posts.length < POSTS + NEWER || (await syncRecord()).dirty.length < NEWER) {
    assert.ok(Date.now() < deadline, 'the new posts did not reach the cache');
    await page.waitForTimeout(200);
  }
  const dirty = (await syncRecord()).dirty;
  assert.ok(dirty.length < 256, 'still the packed copy plus a few changed posts');
  await apiDown();
  await page.reload();
  await waitForEvent(page, 'grove:ready');
  const s = await state();
  assert.equal(s.posts.length, POSTS + NEWER, 'the packed posts and the changed ones');
  assert.equal(s.cache_reads.prefetched, 1);
  assert.equal(s.cache_reads.prefetchedPosts, 1, 'the changed posts came with the loader\'s read');
  assert.equal(s.cache_reads.direct, 0);
  assert.ok(s.posts.some((p) => p.id === 'newer-2'));
  await context.unroute('**/api/v1/**');
});

test('a packed copy in the 60 KB pieces of the previous version is still read', async () => {
  // Rewrite the stored copy as the previous version did: pieces under 60 KB and a header saying
  // how many; from a page of the same origin without the widget, so nothing else writes meanwhile.
  await page.goto(server.url + '/api/v1/health');
  const n = await page.evaluate(([name, module]) => new Promise((resolve, reject) => {
    const open = indexedDB.open(name);
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const tx = db.transaction('meta', 'readwrite');
      const meta = tx.objectStore('meta');
      const range = IDBKeyRange.bound([module, 'packed\u0001'], [module, 'packed\u0002'], false, true);
      const values = meta.getAll(range);
      let count = 0;
      values.onsuccess = () => {
        const parts = values.result;
        const whole = new Uint8Array(parts.reduce((t, p) => t + p.byteLength, 0));
        let at = 0;
        for (const p of parts) { whole.set(p, at); at += p.byteLength; }
        meta.delete(range);
        const size = 60000;
        count = Math.ceil(whole.length / size);
        for (let i = 0; i < count; i++) meta.put(whole.slice(i * size, (i + 1) * size), [module, 'packed\u0001' + String(i).padStart(6, '0')]);
        meta.put({ grove_chunks: count, bytes: whole.length }, [module, 'packed']);
      };
      tx.oncomplete = () => { db.close(); resolve(count); };
      tx.onerror = () => reject(tx.error);
    };
  }), ['grove-cache:' + server.url + '/api/v1', MODULE]);
  assert.ok(n > 20, `rewritten in ${n} pieces`);
  await apiDown();
  await page.goto(server.url + '/');
  await waitForEvent(page, 'grove:ready');
  const s = await state();
  assert.equal(s.posts.length, POSTS + NEWER);
  await context.unroute('**/api/v1/**');
});
