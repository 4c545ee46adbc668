// Chromium launched with WebGL turned off: every widget on a page with two modules shows its
// discussion as HTML (no canvas, no error), the wasm module runs it, and the page is untouched.
// What the HTML view lets people do: a11y_html.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useGrove } from './lib/grove.mjs';
import { recordGroveEvents, waitForEvent } from './lib/harness.mjs';
import { saveScreenshot } from './lib/intranet_server.mjs';

const { server, browser } = await useGrove({ browserArgs: ['--disable-webgl', '--disable-3d-apis'] });

test('without WebGL 2 each widget shows its discussion as HTML, with no grove:error', async () => {
  const context = await browser.newContext({ viewport: { width: 1000, height: 1400 } });
  await recordGroveEvents(context);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.url + '/two-modules.html');
  assert.equal(await page.evaluate(() => !!document.createElement('canvas').getContext('webgl2')), false, 'WebGL 2 is really off');

  for (const id of ['grove-privacy', 'grove-feedback']) {
    await waitForEvent(page, 'grove:ready', `(e) => e.target === '${id}'`);
    const view = page.locator(`#${id} .grove-view`);
    const field = view.getByRole('textbox', { name: 'Your reflection' });
    await field.waitFor();
    assert.ok((await field.boundingBox()).height > 30, 'the composer is a visible field');
    assert.ok((await view.getByRole('button', { name: 'Post', exact: true }).boundingBox()).height > 20);
    assert.equal(await page.locator(`#${id} canvas`).count(), 0);
    assert.equal(await page.locator(`#${id} [data-grove-error]`).count(), 0);
    assert.equal(await page.getAttribute(`#${id}`, 'role'), 'region');
  }
  const events = await page.evaluate(() => window.__groveEvents.filter((e) => e.name === 'grove:error'));
  assert.deepEqual(events, []);
  await page.fill('#intranet-search', 'still works');
  assert.equal(await page.inputValue('#intranet-search'), 'still works');
  await saveScreenshot(page, 'embed-no-webgl');
  assert.deepEqual(errors, []);
  await context.close();
});
