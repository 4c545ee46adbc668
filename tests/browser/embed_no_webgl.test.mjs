// Chromium launched with WebGL turned off: every widget says so in words, nothing heavy is
// downloaded for nothing, and the page itself is untouched.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, recordGroveEvents, waitForEvent } from './lib/harness.mjs';
import { saveScreenshot } from './lib/intranet_server.mjs';

let server, browser;
before(async () => {
  server = await startServer();
  browser = await launchBrowser(['--disable-webgl', '--disable-3d-apis']);
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('without WebGL 2 each widget shows a readable message and grove:error no_webgl2', async () => {
  const context = await browser.newContext({ viewport: { width: 1000, height: 1400 } });
  await recordGroveEvents(context);
  const page = await context.newPage();
  const requests = [];
  const errors = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.url + '/two-modules.html');
  assert.equal(await page.evaluate(() => !!document.createElement('canvas').getContext('webgl2')), false, 'WebGL 2 is really off');

  for (const id of ['grove-privacy', 'grove-feedback']) {
    await waitForEvent(page, 'grove:error', `(e) => e.target === '${id}'`);
    const event = await page.evaluate((t) => window.__groveEvents.find((e) => e.name === 'grove:error' && e.target === t), id);
    assert.equal(event.detail.code, 'no_webgl2');
    const box = page.locator(`#${id} [role="alert"]`);
    const text = await box.innerText();
    assert.match(text, /The discussion cannot be shown/);
    assert.match(text, /WebGL 2 is turned off or not supported/);
    assert.match(text, /up-to-date Chrome, Edge, Firefox or Safari/);
    assert.ok((await box.boundingBox()).height > 30, 'the message is visible, not a collapsed box');
    assert.equal(await page.locator(`#${id} canvas`).count(), 0);
  }
  assert.equal(requests.filter((u) => /\.wasm$/.test(u)).length, 0, 'no wasm downloaded when it cannot run');
  await page.fill('#intranet-search', 'still works');
  assert.equal(await page.inputValue('#intranet-search'), 'still works');
  await saveScreenshot(page, 'embed-no-webgl');
  assert.deepEqual(errors, []);
  await context.close();
});
