// Selecting, copying and finding a post's text in real Chromium against the real server. The
// canvas draws the text; the text layer over it (transparent lines of the same font and width)
// is what the mouse selects and what the browser's find finds. Positions come from where the
// canvas drew each line (groveDebug.textLines), and the highlight is checked in screenshots:
// a drag over a post's second and third words selects them, a double click selects a word,
// Ctrl+C puts the selection in the clipboard, window.find finds a word over the drawn word and
// its highlight shows there with the glyphs still under it; buttons and links in posts still
// work; after the widget scrolls every line of the layer still lies over its drawn line; and an
// idle widget, or a frame that changes no text, changes nothing in the layer.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useGrove } from './lib/grove.mjs';
import { decodePng } from './lib/harness.mjs';
import { openHost, debug, settle, clickControl, screenshotDir } from './lib/ui_page.mjs';
import { pageFor } from './lib/dev_people.mjs';

const MODULE = 'select';
const BODY = 'Zephyr quokka marmalade lanterns drift above the quiet harbour tonight.';
const LINKED = 'Read https://example.com/guide before Monday.';

const { server, browser, dev } = await useGrove();
before(async () => {
  await dev.seed('ana', MODULE, LINKED);
  await dev.seed('ana', MODULE, BODY);
  const who = ['dmitri', 'priya', 'lee'];
  for (let i = 0; i < 12; i++) {
    await dev.seed(who[i % 3], 'select-scroll', `Scroll ${i}: when the team met on Monday I asked each person what ` +
      'had changed since the last review, and listened for the moments where they hesitated.');
  }
});

// window.open is recorded, not followed (a link in a post opens a new tab).
const RECORD_OPEN = 'window.__opened = []; window.open = (u) => { window.__opened.push(u); return null; };';

async function open() {
  const r = await openHost(browser, server, pageFor('sam', { module: MODULE }), {}, { initScript: RECORD_OPEN });
  await r.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  await lineOf(r.page, BODY);
  await settle(r.page);
  return r;
}

// The line the canvas drew that starts `text`, and where each of its words starts and ends
// (page coordinates, CSS px), measured with the font it was drawn with.
async function lineOf(page, text) {
  for (let i = 0; i < 100; i++) {
    const found = await page.evaluate((t) => document.querySelector('#w').groveDebug.textLines().then((lines) => {
      const l = lines.find((x) => t.startsWith(x.text.trimEnd()) && x.text.length > 8);
      if (!l) return null;
      const g = document.createElement('canvas').getContext('2d');
      g.font = l.font;
      const dpr = devicePixelRatio, words = [];
      const re = /\S+/g;
      for (let m; (m = re.exec(l.text));) {
        words.push({ word: m[0], x0: l.x + g.measureText(l.text.slice(0, m.index)).width / dpr,
          x1: l.x + g.measureText(l.text.slice(0, m.index + m[0].length)).width / dpr });
      }
      const r = document.querySelector('#w canvas').getBoundingClientRect();
      return { ...l, x: l.x + r.left + scrollX, y: l.y + r.top + scrollY,
        words: words.map((w) => ({ ...w, x0: w.x0 + r.left + scrollX, x1: w.x1 + r.left + scrollX })) };
    }), text);
    if (found) return found;
    await page.waitForTimeout(100);
  }
  throw new Error(`the canvas never drew "${text}"`);
}

// Page coordinates -> viewport coordinates (for the mouse), after scrolling the line into view.
async function inView(page, line) {
  const { scrollY } = await page.evaluate(() => ({ scrollY: window.scrollY }));
  const vh = page.viewportSize().height;
  if (line.y - scrollY < 40 || line.y - scrollY > vh - 80) {
    await page.evaluate((y) => window.scrollTo(0, y), Math.round(line.y - vh / 2));
  }
  const sy = await page.evaluate(() => window.scrollY);
  return (x, y) => [x, y - sy];
}

const selection = (page) => page.evaluate(() => window.getSelection().toString());

test('select: a drag over a post\'s second and third words selects them, and Ctrl+C copies them', async () => {
  const { context, page } = await open();
  const line = await lineOf(page, BODY);
  const at = await inView(page, line);
  const [second, third] = [line.words[1], line.words[2]];
  assert.deepEqual([second.word, third.word], ['quokka', 'marmalade']);
  const mid = line.y + line.h / 2;
  await page.mouse.move(...at(second.x0 + 1.5, mid));
  await page.mouse.down();
  await page.mouse.move(...at((second.x1 + third.x0) / 2, mid), { steps: 4 });
  await page.mouse.move(...at(third.x1 - 1, mid), { steps: 4 });
  await page.mouse.up();
  assert.equal(await selection(page), 'quokka marmalade', 'the words dragged over are selected');

  // Ctrl+C (the widget has the focus: the click focused it) copies the selection.
  assert.equal(await page.evaluate(() => document.querySelector('#w').contains(document.activeElement)), true);
  await page.evaluate(() => navigator.clipboard.writeText('before'));
  await page.keyboard.press('Control+C');
  let copied = '';
  for (let i = 0; i < 20 && copied !== 'quokka marmalade'; i++) {
    copied = await page.evaluate(() => navigator.clipboard.readText());
    if (copied !== 'quokka marmalade') await page.waitForTimeout(50);
  }
  assert.equal(copied, 'quokka marmalade', 'the clipboard holds the selected words');

  // The highlight, over the glyphs the canvas drew: a screenshot to look at.
  mkdirSync(screenshotDir(), { recursive: true });
  const file = join(screenshotDir(), 'select-drag.png');
  const box = await page.locator('#w').boundingBox();
  writeFileSync(file, await page.screenshot({ clip: { x: box.x, y: Math.max(0, at(0, line.y)[1] - 60),
    width: Math.min(box.width, 700), height: 140 } }));
  console.log('# screenshot: ' + file);

  // A press on the canvas elsewhere ends the selection.
  await page.mouse.click(box.x + 4, box.y + 4);
  assert.equal(await selection(page), '', 'a click elsewhere clears the selection');
  await context.close();
});

test('select: a double click selects a word', async () => {
  const { context, page } = await open();
  const line = await lineOf(page, BODY);
  const at = await inView(page, line);
  const w = line.words.find((x) => x.word === 'lanterns');
  await page.mouse.dblclick(...at((w.x0 + w.x1) / 2, line.y + line.h / 2));
  assert.equal((await selection(page)).trim(), 'lanterns');
  await context.close();
});

// Mean colour (r, g, b) and the count of dark pixels in a box of a screenshot.
async function pixelsIn(page, rect) {
  const d = decodePng(await page.screenshot({ clip: rect })).rgba;
  const sum = [0, 0, 0];
  let dark = 0;
  for (let i = 0; i < d.length; i += 4) {
    for (let k = 0; k < 3; k++) sum[k] += d[i + k];
    if (d[i] + d[i + 1] + d[i + 2] < 3 * 110) dark++;
  }
  const n = d.length / 4;
  return { mean: sum.map((v) => v / n), dark };
}

test('select: the browser\'s find finds a word of a post, over the word the canvas drew, highlighted', async () => {
  const { context, page } = await open();
  const line = await lineOf(page, BODY);
  await inView(page, line);
  const w = line.words.find((x) => x.word === 'harbour');
  const drawn = { x: w.x0, y: line.y, width: w.x1 - w.x0, height: line.h };
  const before = await pixelsIn(page, await viewportRect(page, drawn));
  assert.equal(await page.evaluate(() => window.find('harbour')), true, 'window.find finds the word');
  assert.equal(await selection(page), 'harbour');
  const r = await page.evaluate(() => {
    const b = window.getSelection().getRangeAt(0).getBoundingClientRect();
    return { x: b.x + scrollX, y: b.y + scrollY, width: b.width, height: b.height };
  });
  for (const k of ['x', 'y', 'width', 'height']) {
    assert.ok(Math.abs(r[k] - drawn[k]) <= 3, `the match's ${k} ${r[k].toFixed(1)} is where the canvas drew the word ` +
      `(${drawn[k].toFixed(1)}): ${JSON.stringify({ match: r, drawn })}`);
  }
  // The highlight shows where the word is drawn, and the word's glyphs still show under it.
  const after = await pixelsIn(page, await viewportRect(page, drawn));
  const shift = after.mean.reduce((s, v, k) => s + Math.abs(v - before.mean[k]), 0);
  assert.ok(shift > 20, `the word's box changed colour with the highlight (by ${shift.toFixed(1)})`);
  assert.ok(before.dark > 20 && after.dark > before.dark * 0.6,
    `the glyphs show under the highlight: ${before.dark} dark pixels before, ${after.dark} with it`);
  await context.close();
});

async function viewportRect(page, r) {
  const sy = await page.evaluate(() => window.scrollY);
  return { x: r.x, y: r.y - sy, width: r.width, height: r.height };
}

test('select: Endorse and a link in a post still work under the text layer', async () => {
  const { context, page } = await open();
  await clickControl(page, 'Endorse', 0);
  const endorsed = await dev.until(MODULE, (ps) => ps.find((p) => p.body === BODY && p.endorsed_by_me), 'the endorsement');
  assert.equal(endorsed.endorsements, 1);
  const line = await lineOf(page, LINKED);
  const at = await inView(page, line);
  const link = line.words.find((x) => x.word.startsWith('https://'));
  await page.mouse.click(...at((link.x0 + link.x1) / 2, line.y + line.h / 2));
  await settle(page);
  assert.deepEqual(await page.evaluate(() => window.__opened), ['https://example.com/guide'], 'the link opened');
  await context.close();
});

test('select: after the widget scrolls, each line of the layer lies over the line the canvas drew', async () => {
  const { context, page } = await openHost(browser, server, pageFor('sam', { module: 'select-scroll', height: '500px' }));
  await settle(page);
  const box = await page.locator('#w canvas').boundingBox();
  await page.mouse.click(box.x + box.width - 10, box.y + 10);   // focused: the wheel scrolls the widget
  for (let i = 0; i < 6; i++) {
    await page.mouse.move(box.x + box.width / 2, box.y + 250);
    await page.mouse.wheel(0, 137);
    await page.waitForTimeout(30);
  }
  await settle(page);
  const { scrollY } = await debug.stats(page);
  assert.ok(scrollY > 300, `the widget scrolled (${scrollY})`);
  const [drawn, spans] = await page.evaluate(async () => {
    const el = document.querySelector('#w');
    const lines = await el.groveDebug.textLines();
    const c = el.querySelector('canvas').getBoundingClientRect();
    const spans = [...el.querySelectorAll('.grove-text-layer span')].map((s) => {
      const text = s.textContent.trimEnd();   // (a line that wraps on ends with a space, past its ink)
      const range = document.createRange();
      range.setStart(s.firstChild, 0);
      range.setEnd(s.firstChild, text.length);
      const r = range.getBoundingClientRect(), box = s.getBoundingClientRect();
      return { text, x: r.x - c.x, y: box.y - c.y, w: r.width, h: box.height };
    });
    return [lines.filter((l) => l.text.startsWith('Scroll ') || /hesitated\.$|review, |moments /.test(l.text)), spans];
  });
  const visible = drawn.filter((l) => l.y >= 0 && l.y + l.h <= box.height);
  assert.ok(visible.length >= 6, `lines of posts on screen: ${visible.length}`);
  for (const l of visible) {
    const s = spans.find((x) => x.text === l.text && Math.abs(x.y - l.y) < 4);
    assert.ok(s, `a layer line for "${l.text}" at y ${l.y.toFixed(1)}: ${JSON.stringify(spans.slice(0, 4))}`);
    for (const [a, b, k] of [[s.x, l.x, 'x'], [s.y, l.y, 'y'], [s.w, l.w, 'width'], [s.h, l.h, 'height']]) {
      assert.ok(Math.abs(a - b) <= 1.5, `"${l.text}": the layer's ${k} ${a.toFixed(1)} is the drawn ${b.toFixed(1)}`);
    }
  }
  await context.close();
});

test('select: an idle widget, and frames that change no text, change nothing in the text layer', async () => {
  const { context, page } = await open();
  await page.evaluate(() => {
    window.__layerChanges = 0;
    const layer = document.querySelector('#w .grove-text-layer');
    new MutationObserver((rs) => { window.__layerChanges += rs.length; })
      .observe(layer, { subtree: true, childList: true, attributes: true, characterData: true });
  });
  // Idle: no frame for 800 ms (data from the server can still come after the first frames).
  let before = await debug.stats(page);
  for (let i = 0; i < 25; i++) {
    await page.waitForTimeout(800);
    const now = await debug.stats(page);
    if (now.frames === before.frames) break;
    before = now;
  }
  assert.ok(before.textLayer.lines >= 2, `the layer holds the posts' lines: ${JSON.stringify(before.textLayer)}`);
  await page.evaluate(() => { window.__layerChanges = 0; });
  await page.waitForTimeout(1500);
  // The pointer moving over empty space, right of the column: frames drawn, no text changed.
  const box = await page.locator('#w canvas').boundingBox();
  for (let i = 0; i < 5; i++) {
    await page.mouse.move(box.x + box.width - 20, box.y + 200 + i * 10);
    await page.waitForTimeout(50);
  }
  await settle(page);
  const after = await debug.stats(page);
  assert.ok(after.frames > before.frames, 'the moves drew frames');
  assert.equal(after.textLayer.writes, before.textLayer.writes, 'no frame changed the layer');
  assert.equal(await page.evaluate(() => window.__layerChanges), 0, 'nothing changed in the layer\'s DOM');
  await context.close();
});
