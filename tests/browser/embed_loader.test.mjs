// The loader grove.js in real Chromium: several widgets sharing one wasm download and compile,
// Grove.mount / Grove.unmount (GL contexts really freed), readable failures inside the element,
// and a page that is never held up by the widget.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useGrove } from './lib/grove.mjs';
import { recordGroveEvents, waitForEvent, pixelStats } from './lib/harness.mjs';
import { saveScreenshot } from './lib/intranet_server.mjs';

const { server, browser } = await useGrove();

async function openPage(path, { viewport = { width: 1000, height: 1000 }, routes = [] } = {}) {
  const context = await browser.newContext({ viewport });
  await recordGroveEvents(context);
  for (const [pattern, handler] of routes) await context.route(pattern, handler);
  const page = await context.newPage();
  const requests = [];
  const responses = [];
  const errors = [];
  const console_ = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('response', (r) => responses.push(r));
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => console_.push(`${m.type()}: ${m.text()}`));
  if (path) await page.goto(server.url + path);
  return { context, page, requests, responses, errors, console: console_ };
}

// A test page at the server's own origin, built from `body` (so /widget/grove.js is same-origin).
function htmlRoute(body) {
  return (route) => route.fulfill({
    status: 200,
    contentType: 'text/html; charset=utf-8',
    body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>test</title></head>
      <body style="margin:20px;font-family:sans-serif;width:760px">${body}
      <script src="/widget/grove.js" defer></script></body></html>`,
  });
}

const readyFor = (id) => `(e) => e.target === ${JSON.stringify(id)}`;

test('two widgets on one page: each its own module, one download and one compile of the wasm', async () => {
  const { context, page, requests, responses, errors } = await openPage('/two-modules.html', { viewport: { width: 1000, height: 1800 } });
  await waitForEvent(page, 'grove:ready', readyFor('grove-privacy'));
  await waitForEvent(page, 'grove:ready', readyFor('grove-feedback'));
  const ready = await page.evaluate(() => window.__groveEvents.filter((e) => e.name === 'grove:ready').map((e) => [e.target, e.detail.module]));
  assert.deepEqual(ready.sort(), [['grove-feedback', 'feedback-basics'], ['grove-privacy', 'data-protection-101']]);

  const count = (re) => requests.filter((u) => re.test(new URL(u).pathname)).length;
  assert.equal(count(/\/widget\/grove-core(\.[0-9a-f]{12})?\.wasm$/), 1, 'the wasm is downloaded once');
  assert.ok(count(/\/widget\/grove-core-deferred(\.[0-9a-f]{12})?\.wasm$/) <= 1, 'its deferred part (a split build) at most once');
  assert.equal(count(/\/widget\/grove-core[.\w]*\.js$/), 1, 'the glue is loaded once');
  assert.equal(count(/\/widget\/grove-font[.\w]*\.ttf$/), 0, 'no font is downloaded: text is drawn with the reader\'s fonts');
  assert.equal(count(/\/widget\/grove\.js$/), 1);
  assert.match(requests.find((u) => /\.wasm$/.test(u)), /grove-core\.[0-9a-f]{12}\.wasm$/, 'the content-hashed wasm is used');

  const headers = await responses.find((r) => /\.wasm$/.test(r.url())).allHeaders();
  assert.equal(headers['content-type'], 'application/wasm', 'served so that it compiles while downloading');
  assert.equal(headers['content-encoding'], 'br', 'Chromium gets the brotli variant');

  for (const id of ['grove-privacy', 'grove-feedback']) {
    const canvas = page.locator(`#${id} canvas`);
    assert.equal(await canvas.count(), 1, `${id} has one canvas`);
    const stats = await pixelStats(page, canvas);
    assert.ok(stats.colours > 8 && stats.nonBackground > 0.01, `${id} draws (${stats.colours} colours)`);
  }
  // The second widget's max height came from data-grove-height.
  assert.equal(await page.locator('#grove-feedback canvas').evaluate((c) => getComputedStyle(c).maxHeight), '480px');
  await saveScreenshot(page, 'embed-two-widgets');
  assert.deepEqual(errors, []);
  await context.close();
});

test('Grove.mount for an element added later; Grove.unmount removes it and frees its GL context', async () => {
  const { context, page, errors } = await openPage('/');
  await waitForEvent(page, 'grove:ready', readyFor('grove-fire-safety'));

  const mounted = await page.evaluate(async () => {
    const el = document.createElement('div');
    el.id = 'late';
    el.setAttribute('data-grove-module', 'added-later');
    el.innerHTML = '<p class="fallback">Turn on JavaScript to join the discussion.</p>';
    document.querySelector('main').appendChild(el);
    const ok = await window.Grove.mount(el);
    return { ok, again: await window.Grove.mount(el), canvases: el.querySelectorAll('canvas').length,
      fallbackShown: !!el.querySelector('.fallback'), tabindex: el.getAttribute('tabindex') };
  });
  assert.deepEqual(mounted, { ok: true, again: true, canvases: 1, fallbackShown: false, tabindex: '0' });
  await waitForEvent(page, 'grove:ready', readyFor('late'));
  assert.equal(await page.evaluate(() => window.__groveEvents.find((e) => e.target === 'late' && e.name === 'grove:ready').detail.module), 'added-later');

  const after = await page.evaluate(() => {
    const el = document.getElementById('late');
    const canvas = el.querySelector('canvas');
    const removed = window.Grove.unmount(el);
    return {
      removed, secondUnmount: window.Grove.unmount(el),
      canvasInPage: canvas.isConnected, contextLost: canvas.getContext('webgl2').isContextLost(),
      leftovers: el.querySelectorAll('canvas, textarea, .grove-root').length,
      fallbackBack: !!el.querySelector('.fallback'), tabindex: el.getAttribute('tabindex'),
    };
  });
  assert.deepEqual(after, { removed: true, secondUnmount: false, canvasInPage: false, contextLost: true, leftovers: 0,
    fallbackBack: true, tabindex: null });

  // Unmounted: mounting the same element again works.
  await page.evaluate(() => window.Grove.mount(document.getElementById('late')));
  await page.waitForFunction(() => window.__groveEvents.filter((e) => e.target === 'late' && e.name === 'grove:ready').length === 2);
  const typeError = await page.evaluate(() => { try { window.Grove.mount('#late'); return null; } catch (e) { return e.message; } });
  assert.match(typeError, /needs a DOM element/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('mount and unmount 30 times: the page widget keeps its context and a new widget still draws', async () => {
  const { context, page, errors } = await openPage('/');
  await waitForEvent(page, 'grove:ready', readyFor('grove-fire-safety'));
  await page.evaluate(() => {
    window.__lost = 0;
    document.querySelector('#grove-fire-safety canvas').addEventListener('webglcontextlost', () => { window.__lost++; });
  });
  const cycles = await page.evaluate(async () => {
    const main = document.querySelector('main');
    let drawn = 0;
    for (let i = 0; i < 30; i++) {
      const el = document.createElement('div');
      el.id = 'cycle-' + i;
      el.setAttribute('data-grove-module', 'cycle-' + i);
      main.appendChild(el);
      const ready = new Promise((r) => el.addEventListener('grove:ready', r, { once: true }));
      if (await window.Grove.mount(el)) { await ready; drawn++; }
      window.Grove.unmount(el);
      el.remove();
    }
    return drawn;
  });
  assert.equal(cycles, 30, 'every cycle mounted and drew its first frame');
  await page.evaluate(() => {
    const el = document.createElement('div');
    el.id = 'after-cycles';
    el.setAttribute('data-grove-module', 'after-cycles');
    document.querySelector('main').appendChild(el);
    window.Grove.mount(el);
  });
  await waitForEvent(page, 'grove:ready', readyFor('after-cycles'));
  assert.equal(await page.evaluate(() => window.__lost), 0, 'the page widget never lost its WebGL context');
  for (const id of ['grove-fire-safety', 'after-cycles']) {
    const canvas = page.locator(`#${id} canvas`);
    await canvas.scrollIntoViewIfNeeded();
    const stats = await pixelStats(page, canvas);
    assert.ok(stats.colours > 8 && stats.nonBackground > 0.01, `${id} still draws (${stats.colours} colours)`);
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test('invalid attributes: a message for the editor inside each element, grove:error, other widgets unaffected', async () => {
  const cases = [
    ['bad-key', 'data-grove-module="fire safety 101"', 'data-grove-module', /only letters.*which has spaces/],
    ['empty-key', 'data-grove-module=""', 'data-grove-module', /is empty/],
    ['bad-theme', 'data-grove-module="m1" data-grove-theme="purple"', 'data-grove-theme', /light, dark or auto \(got "purple"\)/],
    ['bad-accent', 'data-grove-module="m1" data-grove-accent="blue"', 'data-grove-accent', /hex colour like #0a66c2 \(got "blue"\)/],
    ['bad-height', 'data-grove-module="m1" data-grove-height="640"', 'data-grove-height', /needs a unit: write "640px"/],
    ['bad-height-word', 'data-grove-module="m1" data-grove-height="tall"', 'data-grove-height', /CSS length like 640px/],
    ['long-prompt', `data-grove-module="m1" data-grove-prompt="${'Why? '.repeat(80)}"`, 'data-grove-prompt', /keep the question under 300/],
    ['long-title', `data-grove-module="m1" data-grove-title="${'Fire '.repeat(30)}"`, 'data-grove-title', /data-grove-title is 149 characters long; keep the module title to 120/],
  ];
  const body = cases.map(([id, attrs]) => `<div id="${id}" ${attrs} style="margin-bottom:10px"></div>`).join('\n') +
    '<div id="fine" data-grove-module="fine-module" data-grove-heigth="300px" data-grove-theme="Dark"></div>';
  const { context, page, errors, console: logs } = await openPage(null, { routes: [['**/test/invalid.html', htmlRoute(body)]] });
  await page.goto(server.url + '/test/invalid.html');
  await waitForEvent(page, 'grove:ready', readyFor('fine'));
  for (const [id, , field, pattern] of cases) {
    const box = page.locator(`#${id} [role="alert"]`);
    assert.equal(await box.count(), 1, `${id} shows one message`);
    const text = await box.innerText();
    assert.match(text, /The discussion cannot be shown/, id);
    assert.match(text, pattern, id);
    assert.equal(await page.locator(`#${id} canvas`).count(), 0, `${id} has no canvas`);
    const event = await page.evaluate((t) => window.__groveEvents.find((e) => e.name === 'grove:error' && e.target === t), id);
    assert.equal(event.detail.code, 'invalid_attribute', id);
    assert.equal(event.detail.field, field, id);
    assert.equal(event.detail.message, text.replace(/^The discussion cannot be shown\s*/, ''), id);
  }
  assert.ok(logs.some((l) => /warning: Grove: unknown attribute data-grove-heigth.*did you mean data-grove-height\?/.test(l)),
    'a misspelt attribute is pointed out in the console');
  assert.ok(logs.some((l) => /^error: Grove: data-grove-title is 149 characters long.*On <div id="long-title"/.test(l)),
    'a bad module title is an error in the console: ' + logs.join(' | '));
  await saveScreenshot(page, 'embed-invalid-attributes');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the wasm cannot be downloaded: a polite message in the element, the page keeps working', async () => {
  const { context, page, errors } = await openPage(null, {
    routes: [['**/*.wasm', (route) => route.fulfill({ status: 503, body: 'maintenance' })]],
  });
  await page.goto(server.url + '/');
  await waitForEvent(page, 'grove:error', readyFor('grove-fire-safety'));
  const event = await page.evaluate(() => window.__groveEvents.find((e) => e.name === 'grove:error'));
  assert.equal(event.detail.code, 'load_failed');
  const text = await page.locator('#grove-fire-safety [role="alert"]').innerText();
  assert.match(text, /could not be loaded: .*grove-core.*wasm answered HTTP 503/);
  assert.equal(await page.locator('#grove-fire-safety canvas').count(), 0, 'no empty canvas left behind');
  await page.fill('#intranet-search', 'still typing');
  assert.equal(await page.inputValue('#intranet-search'), 'still typing');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a loader cached from an older release (hashed files gone) falls back to the plain names', async () => {
  const { context, page, requests } = await openPage(null, {
    routes: [[/grove-(core|font)\.[0-9a-f]{12}\./, (route) => route.fulfill({ status: 404, body: 'gone' })]],
  });
  await page.goto(server.url + '/');
  await waitForEvent(page, 'grove:ready', readyFor('grove-fire-safety'));
  assert.ok(requests.some((u) => u.endsWith('/widget/grove-core.wasm')), 'the plain wasm was used');
  await context.close();
});

test('the page is never held up: it renders and takes input while the wasm is still on its way', async () => {
  let release;
  const held = new Promise((r) => { release = r; });
  const { context, page } = await openPage(null, {
    routes: [['**/*.wasm', async (route) => { await held; await route.continue(); }]],
  });
  await page.goto(server.url + '/', { waitUntil: 'domcontentloaded' });
  await page.fill('#intranet-search', 'fire exits');
  assert.equal(await page.inputValue('#intranet-search'), 'fire exits');
  assert.match(await page.locator('#grove-fire-safety .grove-loading').innerText(), /Loading the discussion/);
  assert.equal(await page.evaluate(() => window.__groveEvents.length), 0);
  release();
  await waitForEvent(page, 'grove:ready', readyFor('grove-fire-safety'));
  assert.equal(await page.locator('#grove-fire-safety .grove-loading').count(), 0, 'the placeholder goes once drawn');
  await context.close();
});

test('a widget whose GL context the browser takes back offers to come back, and does', async () => {
  const { context, page, errors } = await openPage('/');
  await waitForEvent(page, 'grove:ready', readyFor('grove-fire-safety'));
  await page.evaluate(() => document.querySelector('#grove-fire-safety canvas').getContext('webgl2')
    .getExtension('WEBGL_lose_context').loseContext());
  const paused = page.locator('#grove-fire-safety button.grove-paused');
  await paused.waitFor();
  assert.match(await paused.innerText(), /paused to free graphics memory\. Click to show it again/);
  assert.equal(await page.locator('#grove-fire-safety canvas').count(), 0);
  await paused.click();
  await page.waitForFunction(() => window.__groveEvents.filter((e) => e.name === 'grove:ready').length === 2);
  const stats = await pixelStats(page, page.locator('#grove-fire-safety canvas'));
  assert.ok(stats.colours > 8, 'drawing again');
  assert.deepEqual(errors, []);
  await context.close();
});

test('changing an attribute remounts with the new value; removing the element unmounts it', async () => {
  const { context, page, errors } = await openPage('/');
  await waitForEvent(page, 'grove:ready', readyFor('grove-fire-safety'));
  const oldCanvas = await page.evaluateHandle(() => document.querySelector('#grove-fire-safety canvas'));
  await page.evaluate(() => document.getElementById('grove-fire-safety').setAttribute('data-grove-module', 'fire-safety-102'));
  await page.waitForFunction(() => window.__groveEvents.some((e) => e.name === 'grove:ready' && e.detail.module === 'fire-safety-102'));
  assert.equal(await oldCanvas.evaluate((c) => c.isConnected || !c.getContext('webgl2').isContextLost()), false, 'old canvas freed');
  assert.equal(await page.locator('#grove-fire-safety canvas').count(), 1);

  const freed = await page.evaluate(async () => {
    const el = document.getElementById('grove-fire-safety');
    const canvas = el.querySelector('canvas');
    el.remove();
    await new Promise((r) => setTimeout(r, 50));   // mutation observers run
    return { lost: canvas.getContext('webgl2').isContextLost(), remounted: await window.Grove.mount(el).catch(String) };
  });
  assert.equal(freed.lost, true, 'a widget removed from the page gives its GL context back');
  assert.equal(freed.remounted, false, 'mounting a detached element fails politely');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a page opened from a file (file://) says in the console why the discussion stays offline', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'grove-file-page-'));
  try {
    await writeFile(join(dir, 'page.html'), `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>file</title></head><body>
<script>window.GroveConfig = { api: ${JSON.stringify(server.url + '/api/v1')}, getToken: () => 'x' };</script>
<div id="w" data-grove-module="from-a-file"></div>
<script src="${server.url}/widget/grove.js" defer></script></body></html>`);
    const { context, page, console: logs } = await openPage(null);
    await page.goto('file://' + join(dir, 'page.html'));
    await waitForEvent(page, 'grove:ready', readyFor('w'));
    const warnings = logs.filter((l) => /opened from a file \(file:\/\/\)/.test(l));
    assert.equal(warnings.length, 1, logs.join('\n'));
    assert.match(warnings[0], /^warning: .*stays offline\. Open it from a web server whose origin grove-server allows \(--allow-origin\)/);
    await context.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
