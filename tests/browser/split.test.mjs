// The split wasm in real Chromium (scripts/split_wasm.py, host-page/grove.js "Deferred module"):
// the first module holds what a learner's first view, typing and posting run; the deferred one
// (grove-core-deferred.<hash>.wasm) everything else, fetched once the first module has arrived.
//   - With the deferred module unreachable, a learner still reads, scrolls, types and posts:
//     nothing calls into the deferred module (if this fails, widget/split_keep.txt is out of
//     date: scripts/wasm_split_keep.sh writes it again). Opening the flag form, which is
//     deferred, then ends in a message in the element instead of a frozen widget.
//   - Normally the deferred module is fetched once and instantiated before anyone needs it: the
//     flag form opens without Emscripten's placeholder ever running.
//   - Needed before its download is over (held here), it is fetched there and then, synchronously,
//     and the widget goes on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { useGrove } from './lib/grove.mjs';
import { recordGroveEvents, waitForEvent, WIDGET_DIST } from './lib/harness.mjs';
import { waitForText, clickControl, waitForControl } from './lib/ui_page.mjs';
import { pageFor } from './lib/dev_people.mjs';
import { postAsPerson } from './lib/posting.mjs';

const split = existsSync(join(WIDGET_DIST, 'grove-core-deferred.wasm'));
const skip = split ? false : 'this build does not split the wasm (GROVE_WASM_SPLIT=OFF)';
const { server, browser, dev } = await useGrove();
const DEFERRED = /\/widget\/grove-core-deferred(\.[0-9a-f]{12})?\.wasm$/;

async function open(module, person, { deferredReachable, route = null }) {
  const context = await browser.newContext({ viewport: { width: 900, height: 800 } });
  await recordGroveEvents(context);
  if (!deferredReachable) await context.route(DEFERRED, (r) => r.abort('failed'));
  if (route) await context.route(DEFERRED, route);
  await context.route(server.url + '/ui-test.html', (route) =>
    route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: pageFor(person, { module }) }));
  const page = await context.newPage();
  const log = { console: [], errors: [], requests: [] };
  page.on('console', (m) => log.console.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => log.errors.push(e.message));
  page.on('request', (r) => log.requests.push(new URL(r.url()).pathname));
  await page.goto(server.url + '/ui-test.html');
  await waitForEvent(page, 'grove:ready');
  return { context, page, log };
}

const placeholderCalls = (log) => log.console.filter((l) => /placeholder function called/.test(l));
const marked = (page, name) => page.evaluate((n) => performance.getEntriesByName('grove:' + n).length > 0, name);

async function openFlagForm(page) {
  await clickControl(page, 'More actions');
  await clickControl(page, 'Flag for a curator…');
}

test('without the deferred module a learner reads, scrolls, types and posts; its first use says so', { skip }, async () => {
  const module = 'split-unreachable';
  for (let i = 1; i <= 12; i++) await dev.seed('ana', module, `Reflection ${i}: the exits on floor ${i} are marked.`);
  const { context, page, log } = await open(module, 'sam', { deferredReachable: false });
  await waitForText(page, 'Reflection 12');
  const canvas = page.locator('#w canvas');
  const box = await canvas.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  for (let i = 0; i < 6; i++) { await page.mouse.wheel(0, 240); await page.waitForTimeout(60); }
  for (let i = 0; i < 6; i++) { await page.mouse.wheel(0, -240); await page.waitForTimeout(60); }
  await postAsPerson(page, '#w', 'Split test: I will walk the route on Monday.');
  await waitForText(page, 'Split test: I will walk the route on Monday.');

  assert.ok(log.requests.some((p) => DEFERRED.test(p)), 'the loader asked for the deferred module');
  assert.equal(await marked(page, 'deferred-ready'), false, 'it could not be loaded');
  assert.deepEqual(placeholderCalls(log), [], 'the first view, typing and posting ran no deferred function ' +
    '(else widget/split_keep.txt is out of date: run scripts/wasm_split_keep.sh)');
  assert.deepEqual(log.errors, []);
  assert.equal(await page.locator('#w [role="alert"]').count(), 0, 'no message yet');

  // The flag form is in the deferred module: the synchronous fallback fails too (still unreachable).
  await openFlagForm(page).catch(() => { /* the widget is gone once the message shows */ });
  const alert = page.locator('#w [role="alert"]');
  await alert.waitFor({ timeout: 10000 });
  assert.match(await alert.innerText(), /could not be downloaded\. Check the connection and reload the page; anything you wrote is kept/);
  assert.equal(await page.locator('#w canvas').count(), 0, 'the stopped widget is not left on screen');
  const event = await page.evaluate(() => window.__groveEvents.filter((e) => e.name === 'grove:error').map((e) => e.detail.code));
  assert.deepEqual(event, ['crashed']);
  assert.ok(log.console.some((l) => /^error: Grove stopped: the deferred module could not be loaded/.test(l)),
    'the console says why: ' + log.console.join(' | '));
  await page.fill('#before', 'the page still works');
  assert.equal(await page.inputValue('#before'), 'the page still works');
  await context.close();
});

test('the deferred module is fetched once and in place before it is needed: no placeholder runs', { skip }, async () => {
  const module = 'split-reachable';
  await dev.seed('ana', module, 'Buy cheap watches at this address');
  const { context, page, log } = await open(module, 'sam', { deferredReachable: true });
  await waitForText(page, 'Buy cheap watches at this address');
  const deadline = Date.now() + 10000;
  while (!(await marked(page, 'deferred-ready')) && Date.now() < deadline) await page.waitForTimeout(50);
  assert.ok(await marked(page, 'deferred-ready'), 'the deferred module was instantiated after ready');

  await openFlagForm(page);
  await clickControl(page, 'Spam');
  await waitForControl(page, 'Send to curators');
  await clickControl(page, 'Send to curators');
  await waitForText(page, 'Flagged for a curator.');

  assert.equal(log.requests.filter((p) => DEFERRED.test(p)).length, 1, 'downloaded once');
  assert.match(log.requests.find((p) => DEFERRED.test(p)), /grove-core-deferred\.[0-9a-f]{12}\.wasm$/, 'by its content-hashed name');
  assert.deepEqual(placeholderCalls(log), [], 'no placeholder ran: the deferred functions were in the table already');
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('needed before its download is over, the deferred module is fetched on the spot and the widget goes on', { skip }, async () => {
  const module = 'split-late';
  await dev.seed('ana', module, 'Buy cheap watches at this address');
  let release;
  const held = new Promise((r) => { release = r; });
  let seen = 0;
  // The loader's own download is held; the synchronous request a placeholder makes is answered.
  const route = async (r) => { if (seen++ === 0) await held; await r.continue(); };
  const { context, page, log } = await open(module, 'sam', { deferredReachable: true, route });
  await waitForText(page, 'Buy cheap watches at this address');
  assert.equal(await marked(page, 'deferred-ready'), false, 'still on its way');

  await openFlagForm(page);
  await clickControl(page, 'Spam');
  await clickControl(page, 'Send to curators');
  await waitForText(page, 'Flagged for a curator.');
  assert.equal(placeholderCalls(log).length, 1, 'one placeholder loaded it: ' + placeholderCalls(log).join(' | '));
  assert.ok(await marked(page, 'deferred-ready'), 'in place');
  assert.equal(log.requests.filter((p) => DEFERRED.test(p)).length, 2, 'the held download and the synchronous one');
  release();
  await page.waitForTimeout(300);   // the held download arrives: nothing more happens
  await clickControl(page, 'Undo');
  await waitForText(page, 'Buy cheap watches at this address');
  assert.equal(placeholderCalls(log).length, 1);
  assert.equal(await page.locator('#w [role="alert"]').count(), 0);
  assert.deepEqual(log.errors, []);
  await context.close();
});
