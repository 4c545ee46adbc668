// Text in every script, in real Chromium, checked by pixels: each post's line as the widget drew
// it is compared with the same string drawn by Canvas 2D in the same page (and is unlike its
// reverse), emoji keep their colours, right-to-left lines sit at the right edge, long posts
// break where their language allows and their cards are as tall as their lines, no glyph is a
// box (a character no font has is counted), and where canvas text cannot be read back the
// discussion is its HTML view, every script drawn by the browser, and no font is fetched.
// Firefox: firefox_text.test.mjs.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { useGrove } from './lib/grove.mjs';
import { openHost, debug, settle, waitForText, screenshotDir } from './lib/ui_page.mjs';
import { pageFor } from './lib/dev_people.mjs';
import { SCRIPTS, LONG, RTL, reverse, assertScripts, assertWrapping, paragraphGaps, assertAligned } from './lib/text_checks.mjs';

const { server, browser, dev } = await useGrove();
before(async () => {
  mkdirSync(screenshotDir(), { recursive: true });
  for (const text of Object.values(SCRIPTS)) await dev.seed('ana', 'scripts', text);
  for (const key of ['arabic', 'hebrew', 'thai']) await dev.seed('dmitri', 'scripts', reverse(SCRIPTS[key]));
  for (const text of Object.values(LONG)) await dev.seed('priya', 'wrapping', text);
  await dev.seed('priya', 'wrapping', 'No font has this one: \u0378.');
});

const forChromium = (page) => ({
  evaluate: (fn, arg) => page.evaluate(fn, arg),
  shot: async (clip) => (await page.screenshot({ clip })).toString('base64'),
});

async function open(module, { dpr = 1, width = 760, height = 2400 } = {}) {
  const { context, page, errors } = await openHost(browser, server, pageFor('sam', { module, height: `${height - 100}px` }),
    { viewport: { width, height }, deviceScaleFactor: dpr });
  return { context, page, errors };
}

async function drawnLines(page, texts) {
  for (const t of texts) await waitForText(page, t.slice(0, 6));
  await settle(page);
  return page.evaluate(() => document.querySelector('#w').groveDebug.textLines());
}

for (const dpr of [1, 2]) {
  test(`posts in ${Object.keys(SCRIPTS).length} scripts draw as the browser draws their text (devicePixelRatio ${dpr})`, async () => {
    const { context, page, errors } = await open('scripts', { dpr });
    const lines = await drawnLines(page, Object.values(SCRIPTS));
    const box = await page.locator('#w canvas').boundingBox();
    const { controls } = await debug.controls(page);
    await assertScripts({ ...forChromium(page), canvasBox: box, controls, lines, stats: (await debug.stats(page)).text, dpr });
    const w = await page.locator('#w').boundingBox();
    await page.screenshot({ path: join(screenshotDir(), `text-scripts-dpr${dpr}.png`), clip: { x: w.x, y: w.y, width: w.width, height: Math.min(w.height, 1800) } });
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test('long posts break where their language allows, and their cards are as tall as their lines', async () => {
  const { context, page, errors } = await open('wrapping', { width: 480, height: 2000 });
  const lines = await drawnLines(page, [LONG.chinese, LONG.thai, 'No font has this one']);
  const box = await page.locator('#w canvas').boundingBox();
  const { controls } = await debug.controls(page);
  await assertWrapping({ ...forChromium(page), canvasBox: box, controls, lines, stats: (await debug.stats(page)).text });
  await page.screenshot({ path: join(screenshotDir(), 'text-wrapping.png') });
  assert.deepEqual(errors, []);
  await context.close();
});

// What anti-fingerprinting modes do (Brave's farbling, Firefox's resistFingerprinting): canvas
// reads come back with noise in them. Firefox's own mode: firefox_text.test.mjs.
function noisyCanvasReads() {
  for (const C of [window.CanvasRenderingContext2D, window.OffscreenCanvasRenderingContext2D]) {
    if (!C) continue;
    const read = C.prototype.getImageData;
    C.prototype.getImageData = function (...args) {
      const d = read.apply(this, args);
      for (let i = 0; i < d.data.length; i += 97) d.data[i] ^= 1 + Math.floor(Math.random() * 3);
      return d;
    };
  }
}

test('where canvas text cannot be read back, the discussion is its HTML view, in every script', async () => {
  const { context, page, errors } = await openHost(browser, server, pageFor('sam', { module: 'scripts', height: '2300px' }),
    { viewport: { width: 760, height: 2400 } }, { initScript: noisyCanvasReads });
  const view = page.locator('#w .grove-view');
  for (const text of Object.values(SCRIPTS)) {
    const post = view.getByText(text, { exact: true });
    await post.waitFor();
    const box = await post.boundingBox();
    assert.ok(box && box.width > 20 && box.height > 10, `"${text}" is on screen (${JSON.stringify(box)})`);
  }
  const gaps = await page.evaluate(paragraphGaps, Object.values(SCRIPTS));
  Object.keys(SCRIPTS).forEach((key, i) => assertAligned(key, gaps[i], RTL.includes(key)));
  assert.equal(await page.locator('#w canvas').count(), 0, 'no canvas: its text could not be checked');
  assert.ok((await view.getByRole('textbox', { name: 'Your reflection' }).boundingBox()).height > 30, 'the composer is there');
  const fetched = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
  assert.deepEqual(fetched.filter((n) => /\.(ttf|woff2?)(\?|$)|grove-font/.test(n)), [], 'no font is fetched');
  assert.equal(fetched.filter((n) => /grove-core[.\w]*\.wasm$/.test(n)).length, 1, 'the engine runs the view');
  await page.screenshot({ path: join(screenshotDir(), 'text-unreadable-canvas.png') });
  assert.deepEqual(errors, []);
  await context.close();
});
