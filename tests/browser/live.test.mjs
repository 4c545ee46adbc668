// Live updates in real Chromium against the real grove-server (api.md "live updates", embed.md
// "Live"): a post by one person shows on another person's open page within 3 s with no reload,
// brought by the page's event stream (one events request, no feed poll before the change); one
// stream per page however many widgets it has, restarted when a widget of another module mounts;
// none while offline and a new one when back online; polling takes over when the events request
// fails (502); and a stream that ends because its token expired is taken up again with a fresh
// token, after which posts still arrive.
// Tokens are minted here with the server's secret, so that a test can make them short-lived.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { useGrove } from './lib/grove.mjs';
import { recordGroveEvents, waitForEvent } from './lib/harness.mjs';
import { postAsPerson } from './lib/posting.mjs';

const SECRET = 'live-test-secret-0123456789-abcdefghij-' + process.pid;   // >= 32 bytes
const PEOPLE = {
  ana: { sub: 'u-ana', name: 'Ana Souza', role: 'learner' },
  ben: { sub: 'u-ben', name: 'Ben Okafor', role: 'learner' },
};

function mint(person, ttlSeconds = 3600) {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const unsigned = b64({ alg: 'HS256', typ: 'JWT' }) + '.' +
    b64({ ...PEOPLE[person], exp: Math.floor(Date.now() / 1000) + ttlSeconds });
  return unsigned + '.' + createHmac('sha256', SECRET).update(unsigned).digest('base64url');
}

const { server, browser } = await useGrove({ secret: SECRET });

// A post written from node, as another person's browser would send it.
let seq = 0;
async function postFromNode(person, module, body) {
  const r = await fetch(`${server.url}/api/v1/modules/${module}/posts`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ' + mint(person) },
    body: JSON.stringify({ id: `live-${process.pid}-${seq++}`, kind: 'insight', body }),
  });
  assert.equal(r.status, 201, await r.text());
}

const isEvents = (r) => r.url().includes('/api/v1/events');
const isFeed = (r, module) => r.method() === 'GET' && r.url().includes(`/modules/${module}/posts`);

// A page signed in as `person` (its getToken asks /test-token, answered here with a token that
// lives `ttl` seconds) with one widget per module. Every request is recorded with its time.
async function openPage(person, modules, { ttl = 3600, beforeLoad } = {}) {
  const context = await browser.newContext({ viewport: { width: 900, height: 1400 } });
  await recordGroveEvents(context);
  const widgets = modules.map((m, i) => `<div id="w${i}" data-grove-module="${m}" data-grove-height="600px"></div>`).join('\n');
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Live</title>
<script>window.GroveConfig = { getToken: () => fetch('/test-token').then((r) => r.text()) };</script></head>
<body><h1>Module page</h1>${widgets}<div id="later"></div><script src="/widget/grove.js" defer></script></body></html>`;
  await context.route(server.url + '/live.html', (route) =>
    route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
  await context.route(server.url + '/test-token', (route) =>
    route.fulfill({ status: 200, contentType: 'text/plain', body: mint(person, ttl) }));
  if (beforeLoad) await beforeLoad(context);
  const page = await context.newPage();
  const requests = [], errors = [], failed = new Set();
  page.on('request', (r) => requests.push({ r, t: Date.now() }));
  page.on('requestfailed', (r) => failed.add(r));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.url + '/live.html');
  for (let i = 0; i < modules.length; i++) await waitForEvent(page, 'grove:ready', `(e) => e.target === 'w${i}'`);
  return { context, page, requests, errors, failed };
}

const liveState = (page) => page.evaluate(() => window.Grove.live());

async function until(what, check, timeout = 15000, every = 50) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, every));
  }
}

// Until the page has made no feed request for `quietMs` (the pulls of start-up are over).
async function quiet(requests, module, quietMs = 1200) {
  await until('the feed requests to stop', () => {
    const last = requests.filter((x) => isFeed(x.r, module)).pop();
    return !last || Date.now() - last.t > quietMs;
  }, 20000, 100);
}

// Resolves with the time the post's text is in the widget's accessible HTML view (an article
// that screen readers read: what a person gets, not a variable).
async function shown(page, sel, text, timeout) {
  await page.locator(sel).getByRole('article').filter({ hasText: text }).first().waitFor({ state: 'attached', timeout });
  return Date.now();
}

test('one person posts, the other page shows it within 3 s through the stream, with no reload and no feed poll', async () => {
  const module = 'live-two-people';
  const ana = await openPage('ana', [module]);
  const ben = await openPage('ben', [module]);
  for (const p of [ana, ben]) await until('the stream to be live', async () => (await liveState(p.page)).state === 'live');
  await quiet(ben.requests, module);
  const mark = ben.requests.length;
  const text = 'Ana shares this while Ben is reading.';
  const acknowledged = ana.page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes(`/modules/${module}/posts`));
  const typing = Date.now();
  await postAsPerson(ana.page, '#w0', text);
  const t0 = (await acknowledged, Date.now());
  const tShown = await shown(ben.page, '#w0', text, 3000 - Math.max(0, Date.now() - t0));
  console.log(`delivered to the other page ${tShown - t0} ms after the server acknowledged it`);
  assert.ok(tShown - t0 <= 3000);

  const after = ben.requests.slice(mark);
  assert.equal(ben.requests.filter((x) => isEvents(x.r)).length, 1, 'one events request for the whole visit');
  assert.equal(after.filter((x) => isEvents(x.r)).length, 0);
  const feed = after.filter((x) => isFeed(x.r, module));
  assert.ok(feed.length >= 1, 'the change was pulled from the feed');
  assert.ok(feed.every((x) => x.t >= typing), 'no feed poll before the change: only the pull the stream asked for');
  assert.ok(ben.page.url().endsWith('/live.html'));
  assert.equal((await liveState(ben.page)).state, 'live');
  assert.deepEqual([...ana.errors, ...ben.errors], []);
  await ana.context.close();
  await ben.context.close();
});

test('one stream per page for two widgets, restarted for a widget of a new module, closed while offline', async () => {
  const m1 = 'live-page-one', m2 = 'live-page-two', m3 = 'live-page-three';
  const ben = await openPage('ben', [m1, m2]);
  await until('the stream to be live', async () => (await liveState(ben.page)).state === 'live');
  await quiet(ben.requests, m2);
  let streams = ben.requests.filter((x) => isEvents(x.r));
  assert.equal(streams.length, 1, 'one events request for two widgets');
  assert.deepEqual(new URL(streams[0].r.url()).searchParams.get('modules').split(',').sort(), [m1, m2]);
  assert.match(streams[0].r.headers()['authorization'] || '', /^Bearer ey/);

  // Both widgets hear of their own module's changes on that one stream.
  await postFromNode('ana', m2, 'For the second widget, live.');
  const t0 = Date.now();
  await shown(ben.page, '#w1', 'For the second widget, live.', 3000);
  console.log(`second widget: shown ${Date.now() - t0} ms after the write`);
  assert.equal(await ben.page.locator('#w0').getByRole('article').count(), 0, 'nothing crossed into the first widget');

  // A widget of a third module mounts: the page follows all three on a new stream, the old one closed.
  await ben.page.evaluate((m) => {
    const el = document.getElementById('later');
    el.setAttribute('data-grove-module', m);
    window.Grove.mount(el);
  }, m3);
  await until('a stream for three modules', async () => {
    const s = await liveState(ben.page);
    return s.state === 'live' && s.modules.length === 3;
  });
  await until('the first stream to be closed', () => ben.failed.has(streams[0].r), 5000);
  streams = ben.requests.filter((x) => isEvents(x.r));
  assert.equal(streams.length, 2);
  assert.deepEqual(new URL(streams[1].r.url()).searchParams.get('modules').split(',').sort(), [m1, m3, m2].sort());
  await postFromNode('ana', m3, 'For the widget mounted later.');
  await shown(ben.page, '#later', 'For the widget mounted later.', 3000);
  assert.equal(ben.requests.filter((x) => isEvents(x.r)).length, 2, 'still two events requests in all');

  // Offline: no stream; back online: a new one, and posts arrive on it.
  await ben.context.setOffline(true);
  await until('the stream to stop offline', async () => (await liveState(ben.page)).state === 'off' && ben.failed.has(streams[1].r));
  await ben.context.setOffline(false);
  await until('a stream again online', async () => (await liveState(ben.page)).state === 'live');
  assert.equal(ben.requests.filter((x) => isEvents(x.r)).length, 3);
  await quiet(ben.requests, m1, 800);
  await postFromNode('ana', m1, 'After the connection came back.');
  await shown(ben.page, '#w0', 'After the connection came back.', 3000);
  assert.deepEqual(ben.errors, []);
  await ben.context.close();
});

test('stream failures and token expiry', { concurrency: 2 }, async (t) => {
  await Promise.all([
    t.test('events answered 502: the page polls instead and still shows the other person\'s post', async () => {
      const module = 'live-fallback';
      const ben = await openPage('ben', [module], {
        beforeLoad: (context) => context.route('**/api/v1/events**', (route) =>
          route.fulfill({ status: 502, contentType: 'text/html', body: '<h1>502 Bad Gateway</h1>' })),
      });
      await until('a failed stream', async () => (await liveState(ben.page)).state === 'polling');
      // After the first sync, which would bring the post without any polling.
      await until('the first sync', () => ben.requests.some((x) => isFeed(x.r, module)));
      await quiet(ben.requests, module, 1000);
      const t0 = Date.now();
      await postFromNode('ana', module, 'Seen through polling.');
      // The poll runs every 20 s while no stream is held (60 s while one is).
      const tShown = await shown(ben.page, '#w0', 'Seen through polling.', 25000);
      console.log(`fallback: shown ${tShown - t0} ms after the write, by polling`);
      assert.ok(ben.requests.some((x) => isFeed(x.r, module) && x.t >= t0), 'a feed poll after the write brought it');
      const streams = ben.requests.filter((x) => isEvents(x.r));
      assert.ok(streams.length >= 1 && streams.length <= 8, `the stream is retried with backoff (${streams.length} tries)`);
      assert.equal((await liveState(ben.page)).state !== 'live', true);
      assert.deepEqual(ben.errors, []);
      await ben.context.close();
    }),
    t.test('a token that expires ends the stream; a new one is opened with a fresh token and posts still arrive', async () => {
      const module = 'live-reconnect';
      const ben = await openPage('ben', [module], { ttl: 15 });
      await until('the stream to be live', async () => (await liveState(ben.page)).state === 'live');
      const first = ben.requests.find((x) => isEvents(x.r));
      // The server ends the stream when the token expires (here within 15 s); the page opens the next.
      await until('a second stream', async () => {
        const streams = ben.requests.filter((x) => isEvents(x.r));
        return streams.length >= 2 && (await liveState(ben.page)).state === 'live';
      }, 25000, 100);
      const second = ben.requests.filter((x) => isEvents(x.r))[1];
      assert.notEqual(second.r.headers()['authorization'], first.r.headers()['authorization'], 'a fresh token');
      // The next stream followed the end of the first token's life (the server ends the stream
      // then), without a failure in between.
      const exp = (r) => JSON.parse(Buffer.from(r.headers()['authorization'].split('.')[1], 'base64url')).exp * 1000;
      assert.ok(second.t >= exp(first.r) - 1000, `the second stream came when the first token expired (${exp(first.r) - second.t} ms early)`);
      assert.ok(exp(second.r) > exp(first.r));
      assert.equal((await liveState(ben.page)).failures, 0);
      await quiet(ben.requests, module, 800);
      const t0 = Date.now();
      await postFromNode('ana', module, 'After the token was renewed.');
      const tShown = await shown(ben.page, '#w0', 'After the token was renewed.', 3000);
      console.log(`reconnect: shown ${tShown - t0} ms after the write, on the second stream`);
      assert.deepEqual(ben.errors, []);
      await ben.context.close();
    }),
  ]);
});
