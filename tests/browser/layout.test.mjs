// Text size and layout in real Chromium, measured from pixels: the body text follows the page's
// font-size (capital height against the page's own text), lines stop at a readable length on a
// wide page, a phone's text column keeps most of its width, and a coarse pointer gets 44 px
// targets. Screenshots at 375, 600, 1000 and 1920 px, light and dark.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useGrove } from './lib/grove.mjs';
import { decodePng, cropImage } from './lib/harness.mjs';
import { openHost, debug, settle } from './lib/ui_page.mjs';
import { pageFor } from './lib/dev_people.mjs';

const SHOTS = process.env.GROVE_LAYOUT_SHOTS || '/tmp/layout-shots';
const PROBE_CAPS = 'HHHHHHHHHHHH';          // capitals only: their ink is the cap height
const PROBE_RUN = 'l'.repeat(500);           // one unbreakable run: its lines fill the column
const PROSE = 'When the team met on Monday I asked each person what had changed since the last ' +
  'review, and I listened for the moments where they hesitated before answering the question.';

const { server, browser, dev } = await useGrove();
before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  for (const body of [PROSE, PROBE_RUN, PROBE_CAPS]) await dev.seed('ana', 'layout', body);
});

// A page whose body text is `fontPx` and as wide as the viewport.
function page(fontPx = 16, options = {}) {
  const style = `<style>body{font-size:${fontPx}px;max-width:none;margin:0}` +
    '#ref{font:inherit;font-family:system-ui,sans-serif;color:#000;background:#fff;display:inline-block;padding:8px}</style>';
  return pageFor('sam', { module: 'layout', ...options }).replace('</head>', style + '</head>')
    .replace('<h1>Host page</h1>', `<h1>Host page</h1><div id="ref">${PROBE_CAPS}</div>`);
}

async function open(width, fontPx = 16, contextOptions = {}, options = {}) {
  const { context, page: p } = await openHost(browser, server, page(fontPx, options),
    { viewport: { width, height: 1000 }, ...contextOptions });
  await waitForLine(p, (t) => t === PROBE_CAPS);
  await settle(p);
  return { context, page: p };
}

async function lines(p) {
  return p.evaluate(() => document.querySelector('#w').groveDebug.textLines());
}

async function waitForLine(p, match) {
  for (let i = 0; i < 100; i++) {
    const found = (await lines(p)).filter((l) => match(l.text));
    if (found.length) return found;
    await p.waitForTimeout(100);
  }
  throw new Error('the text never showed');
}

// The ink (pixels much darker than the background) of an element's screenshot inside a box
// (CSS px): its extent in CSS px.
async function inkBox(p, locator, b) {
  const img = decodePng(await locator.screenshot());
  const s = await p.evaluate(() => devicePixelRatio);
  const x0 = Math.max(0, Math.floor(b.x * s)), y0 = Math.max(0, Math.floor(b.y * s));
  const w = Math.min(img.width - x0, Math.ceil(b.w * s)), h = Math.min(img.height - y0, Math.ceil(b.h * s));
  const d = cropImage(img, x0, y0, w, h).rgba;
  let top = Infinity, bottom = -Infinity, left = Infinity, right = -Infinity;
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const i = 4 * (y * w + x);
    if (0.299 * d[i] + 0.587 * d[i + 1] + 0.114 * d[i + 2] > 110) continue;
    top = Math.min(top, y); bottom = Math.max(bottom, y); left = Math.min(left, x); right = Math.max(right, x);
  }
  if (top === Infinity) return null;
  return { x: (x0 + left) / s, y: (y0 + top) / s, w: (right - left + 1) / s, h: (bottom - top + 1) / s };
}

// Capital height of the widget's body text and of the page's own text, in CSS px.
async function capHeights(p) {
  const [line] = await waitForLine(p, (t) => t === PROBE_CAPS);
  const widget = await inkBox(p, p.locator('#w canvas'), { x: line.x, y: line.y, w: line.w + 2, h: line.h });
  const refBox = await p.locator('#ref').boundingBox();
  const ref = await inkBox(p, p.locator('#ref'), { x: 0, y: 0, w: refBox.width, h: refBox.height });
  assert.ok(widget && ref, 'both texts have ink');
  return { widget: widget.h, page: ref.h };
}

// The text column: the ink of the unbreakable run's widest line (CSS px), and how many
// characters of prose fit in it (prose's average character width in the widget's body font).
async function column(p) {
  const run = await waitForLine(p, (t) => t.startsWith('llll'));
  let widest = 0;
  for (const l of run) {
    const ink = await inkBox(p, p.locator('#w canvas'), { x: 0, y: l.y, w: 4000, h: l.h });
    if (ink) widest = Math.max(widest, ink.w);
  }
  const font = run[0].font;
  const perChar = await p.evaluate(([f, text]) => {
    const g = document.createElement('canvas').getContext('2d');
    g.font = f;
    return g.measureText(text).width / devicePixelRatio / text.length;
  }, [font, PROSE]);
  return { px: widest, chars: widest / perChar };
}

test('layout: the body text follows the page\'s font-size (16 px and 22 px, capital height in pixels)', async () => {
  const heights = {};
  for (const px of [16, 22]) {
    const { context, page: p } = await open(1000, px);
    heights[px] = await capHeights(p);
    await context.close();
  }
  console.log('capital heights (widget / page):', JSON.stringify(heights));
  for (const px of [16, 22]) {
    assert.ok(Math.abs(heights[px].widget - heights[px].page) <= 1.01,
      `at ${px} px the widget's capitals are ${heights[px].widget} px, the page's ${heights[px].page} px`);
  }
  const ratio = heights[22].widget / heights[16].widget;
  assert.ok(ratio > 1.25 && ratio < 1.5, `22 px text is ${ratio.toFixed(2)} times 16 px text`);
});

test('layout: the page changing its font-size later reaches the widget', async () => {
  const { context, page: p } = await open(1000, 16);
  const before = (await capHeights(p)).widget;
  await p.evaluate(() => { document.body.style.fontSize = '22px'; });
  await p.waitForTimeout(300);
  await settle(p);
  const after = await capHeights(p);
  assert.ok(Math.abs(after.widget - after.page) <= 1.01 && after.widget > before * 1.25,
    `capitals ${before} px before, ${after.widget} px after (the page's: ${after.page} px)`);
  await context.close();
});

test('layout: lines stop at a readable length on a wide page; a phone keeps its text column', async () => {
  const wide = await open(1920);
  const c1920 = await column(wide.page);
  await wide.context.close();
  const narrow = await open(375);
  const c375 = await column(narrow.page);
  await narrow.context.close();
  console.log(`text column: 1920 px page ${c1920.px.toFixed(0)} px (${c1920.chars.toFixed(0)} characters), ` +
    `375 px page ${c375.px.toFixed(0)} px`);
  assert.ok(c1920.chars <= 75 && c1920.chars >= 55, `at 1920 px a line holds ${c1920.chars.toFixed(0)} characters`);
  assert.ok(c375.px >= 320, `at 375 px the text column is ${c375.px.toFixed(0)} px`);
});

test('layout: with a coarse pointer Endorse, Reply and the chips are at least 44 px tall, also at 22 px text', async () => {
  const { context, page: p } = await open(375, 22, { hasTouch: true });
  assert.equal(await p.evaluate(() => matchMedia('(pointer: coarse)').matches), true, 'a coarse pointer');
  const { controls } = await debug.controls(p);
  for (const label of ['Endorse', 'Reply', 'Insight', 'Question', 'Post']) {
    const c = controls.find((x) => x.label === label);
    assert.ok(c, `a ${label} control`);
    assert.ok(c.h >= 44 && c.w >= 44, `${label} is ${c.w}x${c.h} px`);
  }
  await context.close();
});

test('layout: screenshots at 375, 600, 1000 and 1920 px, light and dark', async () => {
  for (const theme of ['light', 'dark']) {
    for (const width of [375, 600, 1000, 1920]) {
      const { context, page: p } = await open(width, 16, {}, { theme });
      const file = join(SHOTS, `layout-${width}-${theme}.png`);
      writeFileSync(file, await p.screenshot({ fullPage: false }));
      await context.close();
    }
  }
});
