// Offline-first in real Chromium against the real grove-server: posts made while the API is
// unreachable are kept in IndexedDB across reloads, shown as pending, reported by grove:sync, and
// reach the server exactly once when it answers again; the composer draft survives a reload; two
// tabs posting offline end with every post once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useGrove } from './lib/grove.mjs';
import { syncState, syncUntil } from './lib/posting.mjs';
import { recordGroveEvents, waitForEvent } from './lib/harness.mjs';

const MODULE = 'fire-safety-101';
const { server, browser } = await useGrove();

// The API as the demo learner sees it (from node, not through the page).
async function serverPosts() {
  const t = await fetch(server.url + '/api/v1/dev/token', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ sub: 'demo-learner', name: 'Sam Learner', role: 'learner' }),
  }).then((r) => r.json());
  const r = await fetch(`${server.url}/api/v1/modules/${MODULE}/posts?limit=1000`, {
    headers: { Authorization: 'Bearer ' + t.token },
  });
  assert.equal(r.status, 200);
  return (await r.json()).posts;
}

// Every API call fails as if the network were gone; the intranet's sign-in (the demo's dev
// token) still answers, as it would on a real intranet whose Grove server is down.
async function apiDown(context) {
  await context.route('**/api/v1/**', (route) =>
    route.request().url().includes('/api/v1/dev/token') ? route.continue() : route.abort('internetdisconnected'));
}
async function apiUp(context) {
  await context.unroute('**/api/v1/**');
}

const state = (page) => syncState(page, '[data-grove-module]');

async function open(context) {
  const page = await context.newPage();
  page.on('pageerror', (e) => { throw e; });
  await page.goto(server.url + '/');
  await waitForEvent(page, 'grove:ready');
  return page;
}

async function type(page, text, post = true) {
  await page.bringToFront();   // a person types in the tab in front (background tabs get no frames)
  await page.locator('[data-grove-module]').focus();
  await page.keyboard.type(text);
  // The widget has every character before Ctrl goes down (ImGui 1.86 drops characters still
  // queued when a frame sees Ctrl held), and the keys are held for a moment, as a person does
  // (1.86 polls key state once per frame).
  await until(page, (s) => s.draft.endsWith(text), 'the typed text in the composer', 10000);
  if (post) await page.keyboard.press('Control+Enter', { delay: 80 });
}

const until = (page, predicate, what, timeout) => syncUntil(page, '[data-grove-module]', predicate, what, timeout);

const syncEvents = (page) => page.evaluate(() => window.__groveEvents.filter((e) => e.name === 'grove:sync').map((e) => e.detail));

test('a post made while the API is unreachable survives a reload as pending and reaches the server once', async () => {
  const context = await browser.newContext({ viewport: { width: 900, height: 1000 } });
  await recordGroveEvents(context);
  const creates = [];
  context.on('response', (r) => {
    if (r.request().method() === 'POST' && r.url().includes(`/modules/${MODULE}/posts`)) creates.push(r.status());
  });
  let page = await open(context);

  // Online first: the post is acknowledged and cached.
  await type(page, 'Online: I will find the two nearest exits.');
  await until(page, (s) => s.posts.length === 1 && s.posts[0].state === 'synced', 'the online post to sync');

  await apiDown(context);
  await type(page, 'Offline: check the extinguisher label.');
  let s = await until(page, (x) => x.posts.some((p) => p.body.startsWith('Offline') && p.state === 'pending'), 'the pending post');
  assert.equal(s.pending, 1);
  await page.waitForFunction(() => window.__groveEvents.some((e) => e.name === 'grove:sync' && e.detail.pending === 1 && e.detail.online === false));
  const posted = await page.evaluate(() => window.__groveEvents.filter((e) => e.name === 'grove:post').map((e) => e.detail.post.body));
  assert.deepEqual(posted, ['Online: I will find the two nearest exits.', 'Offline: check the extinguisher label.']);

  // Reload with the API still down: the cache opens at once, the queued post is still pending.
  await page.reload();
  await waitForEvent(page, 'grove:ready');
  s = await state(page);
  assert.equal(s.loaded, true);
  const bodies = Object.fromEntries(s.posts.map((p) => [p.body, p.state]));
  assert.deepEqual(bodies, {
    'Online: I will find the two nearest exits.': 'synced',
    'Offline: check the extinguisher label.': 'pending',
  });
  await page.waitForFunction(() => window.__groveEvents.some((e) => e.name === 'grove:sync' && e.detail.pending === 1));
  assert.match((await syncEvents(page)).find((d) => d.pending === 1).last_sync, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  if (process.env.GROVE_SCREENSHOTS) await page.screenshot({ path: `${process.env.GROVE_SCREENSHOTS}/offline-pending.png` });
  assert.equal((await serverPosts()).length, 1);

  // The API answers again: the queued post is sent (by the engine's own retry) exactly once.
  await apiUp(context);
  s = await until(page, (x) => x.pending === 0 && x.posts.every((p) => p.state === 'synced') && x.online, 'the queued post to be sent');
  const onServer = (await serverPosts()).map((p) => p.body).sort();
  assert.deepEqual(onServer, ['Offline: check the extinguisher label.', 'Online: I will find the two nearest exits.']);
  assert.equal(creates.filter((st) => st === 201).length, 2);
  assert.equal(creates.filter((st) => st === 200).length, 0, 'no create was sent twice');
  const last = (await syncEvents(page)).at(-1);
  assert.equal(last.pending, 0);
  assert.equal(last.online, true);
  await context.close();
});

test('the composer draft survives a reload', async () => {
  const context = await browser.newContext({ viewport: { width: 900, height: 1000 } });
  await recordGroveEvents(context);
  const page = await open(context);
  await type(page, 'Half a thought about fire doors, ünïcode ✓', false);
  await until(page, (s) => s.draft === 'Half a thought about fire doors, ünïcode ✓', 'the draft');
  // Saved in IndexedDB, not only in memory: as this person's draft. (Polled from here:
  // page.waitForFunction takes the promise an async predicate returns for a truthy answer.)
  const saved = () => page.evaluate(async () => {
    const db = await new Promise((res, rej) => {
      const r = indexedDB.open('grove-cache:' + location.origin + '/api/v1');
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    const value = await new Promise((res) => {
      const get = db.transaction('meta').objectStore('meta').get(['fire-safety-101', 'draft:demo-learner']);
      get.onsuccess = () => res(get.result);
    });
    db.close();
    return typeof value === 'string' && value.includes('Half a thought') && JSON.parse(value).user === 'demo-learner';
  });
  for (const deadline = Date.now() + 30000; !(await saved());) {
    assert.ok(Date.now() < deadline, 'the draft never reached IndexedDB');
    await page.waitForTimeout(100);
  }
  await page.reload();
  await waitForEvent(page, 'grove:ready');
  const s = await state(page);
  assert.equal(s.draft, 'Half a thought about fire doors, ünïcode ✓');
  await context.close();
});

test('two tabs posting offline, then online: every post reaches the server once', async () => {
  const context = await browser.newContext({ viewport: { width: 900, height: 1000 } });
  await recordGroveEvents(context);
  const before = (await serverPosts()).length;
  const creates = [];
  context.on('response', (r) => {
    if (r.request().method() === 'POST' && r.url().includes(`/modules/${MODULE}/posts`)) creates.push(r.status());
  });
  const one = await open(context);
  const two = await open(context);
  await apiDown(context);
  await type(one, 'Tab one, first');
  await type(two, 'Tab two, first');
  await type(one, 'Tab one, second');
  await type(two, 'Tab two, second');
  // One outbox for the browser: each tab knows all four are queued.
  for (const page of [one, two]) await until(page, (s) => s.pending === 4, 'four queued writes in each tab');

  await apiUp(context);
  for (const page of [one, two]) {
    await until(page, (s) => s.pending === 0 && s.posts.length === before + 4 && s.posts.every((p) => p.state === 'synced'),
      'every post synced in both tabs', 90000);
  }
  const bodies = (await serverPosts()).map((p) => p.body).filter((b) => b.startsWith('Tab ')).sort();
  assert.deepEqual(bodies, ['Tab one, first', 'Tab one, second', 'Tab two, first', 'Tab two, second']);
  // One tab sent them (Web Locks), each once: no create was repeated.
  assert.deepEqual(creates.filter((st) => st !== 0), [201, 201, 201, 201]);
  await context.close();
});
