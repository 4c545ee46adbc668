// The demo page in real Chromium: the widget mounts, says grove:ready, and really draws.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useGrove } from './lib/grove.mjs';
import { waitForEvent, pixelStats } from './lib/harness.mjs';

const { server, newPage } = await useGrove();

for (const dpr of [1, 2]) {
  test(`demo page: grove:ready and a drawn canvas at devicePixelRatio ${dpr}`, async () => {
    const { context, page, errors } = await newPage({ deviceScaleFactor: dpr, viewport: { width: 1000, height: 900 } });
    await page.goto(server.url + '/');
    await waitForEvent(page, 'grove:ready');
    const ready = await page.evaluate(() => window.__groveEvents.find((e) => e.name === 'grove:ready'));
    assert.equal(ready.detail.module, 'fire-safety-101');

    const canvas = page.locator('[data-grove-module] canvas');
    const box = await canvas.evaluate((c) => ({ w: c.width, h: c.height, cw: c.clientWidth, ch: c.clientHeight }));
    assert.ok(box.cw > 300, `canvas fills its container (${box.cw} css px)`);
    assert.equal(box.w, Math.round(box.cw * dpr), 'drawing buffer is in device pixels (sharp text)');
    assert.equal(box.h, Math.round(box.ch * dpr));

    const stats = await pixelStats(page, canvas);
    assert.ok(stats.colours > 8, `the canvas shows more than a flat fill (${stats.colours} colours)`);
    assert.ok(stats.nonBackground > 0.01, `text and controls cover part of it (${(stats.nonBackground * 100).toFixed(1)}%)`);
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test('the widget follows its container when the page resizes', async () => {
  const { context, page } = await newPage({ viewport: { width: 1000, height: 900 } });
  await page.goto(server.url + '/');
  await waitForEvent(page, 'grove:ready');
  const canvas = page.locator('[data-grove-module] canvas');
  const before = await canvas.evaluate((c) => c.clientWidth);
  await page.setViewportSize({ width: 600, height: 900 });
  await page.waitForFunction((w) => {
    const c = document.querySelector('[data-grove-module] canvas');
    return c.clientWidth < w && c.width === Math.round(c.clientWidth * devicePixelRatio);
  }, before);
  await context.close();
});
