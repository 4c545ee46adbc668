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
    const post = await view.getByRole('button', { name: 'Post', exact: true }).boundingBox();
    assert.ok(post.height > 20);
    // As on the canvas: the counter at the line's start, Post at its end, both on one line.
    const counter = await view.getByText('0 / 500', { exact: true }).boundingBox();
    const box = await field.boundingBox();
    assert.ok(counter.x - box.x < 4, `the counter starts the line (${counter.x} vs the field's ${box.x})`);
    assert.ok(Math.abs(post.x + post.width - (box.x + box.width)) < 4,
      `Post ends where the field ends (${post.x + post.width} vs ${box.x + box.width})`);
    assert.ok(Math.abs(post.y + post.height / 2 - (counter.y + counter.height / 2)) < 4, 'the counter and Post share a line');
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
