// Text in every script in Firefox ESR (a second engine: its own shaper, font fallback and
// segmenter), checked by pixels as in Chromium (lib/text_checks.mjs), and Firefox's real
// anti-fingerprinting mode (privacy.resistFingerprinting), where canvas reads are spoiled and the
// discussion shows as its HTML view, every script drawn by Firefox, and a reflection posted there
// reaches the server. Runs under Xvfb; see lib/firefox.mjs.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { existsSync, mkdirSync } from 'node:fs';
import { WIDGET_DIST } from './lib/harness.mjs';
import { useGrove } from './lib/grove.mjs';
import { screenshotDir } from './lib/ui_page.mjs';
import { pageFor } from './lib/dev_people.mjs';
import { launchFirefox, RECORD_EVENTS, until, ffDebug, settle, waitForText } from './lib/firefox.mjs';
import { SCRIPTS, LONG, RTL, reverse, assertScripts, assertWrapping, paragraphGaps, assertAligned } from './lib/text_checks.mjs';

const { server, site, dev, browser: firefox } = await useGrove({ site: true, browser: 'firefox' });
before(async () => {
  for (const text of Object.values(SCRIPTS)) await dev.seed('ana', 'scripts', text);
  for (const key of ['arabic', 'hebrew', 'thai']) await dev.seed('dmitri', 'scripts', reverse(SCRIPTS[key]));
  for (const text of Object.values(LONG)) await dev.seed('priya', 'wrapping', text);
  await dev.seed('priya', 'wrapping', 'No font has this one: \u0378.');
  const withEvents = (html) => html.replace('</head>', RECORD_EVENTS + '</head>');
  await site.write('scripts.html', withEvents(pageFor('sam', { module: 'scripts', height: '2300px' })));
  await site.write('wrapping.html', withEvents(pageFor('sam', { module: 'wrapping', height: '1900px' })));
  mkdirSync(screenshotDir(), { recursive: true });
});

async function open(browser, name, width, height) {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setViewport({ width, height });
  await page.goto(`${server.url}/${name}`);
  await until(page, () => (window.__groveEvents || []).some((e) => e.name === 'grove:ready'), null, 'grove:ready');
  return { page, errors };
}

async function view(page, texts) {
  for (const t of texts) await waitForText(page, t.slice(0, 6));
  await settle(page);
  const canvasBox = await page.$eval('#w canvas', (c) => { const r = c.getBoundingClientRect(); return { x: r.x, y: r.y }; });
  return {
    evaluate: (fn, arg) => page.evaluate(fn, arg),
    shot: (clip) => page.screenshot({ clip, encoding: 'base64' }),
    canvasBox,
    controls: (await ffDebug.controls(page)).controls,
    lines: await ffDebug.lines(page),
    stats: (await ffDebug.stats(page)).text,
  };
}

test('Firefox: posts in twelve scripts draw as Firefox draws their text', async () => {
  const { page, errors } = await open(firefox, 'scripts.html', 760, 2400);
  await assertScripts({ ...await view(page, Object.values(SCRIPTS)), dpr: 1 });
  await page.screenshot({ path: join(screenshotDir(), 'firefox-text-scripts.png'), clip: { x: 0, y: 0, width: 760, height: 1800 } });
  if (existsSync(join(WIDGET_DIST, 'grove-core-deferred.wasm'))) {
    // A split build: Firefox fetches, compiles and instantiates the deferred wasm as well.
    await until(page, () => performance.getEntriesByName('grove:deferred-ready').length > 0, null, 'the deferred wasm in place');
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('Firefox: long posts break where their language allows', async () => {
  const { page, errors } = await open(firefox, 'wrapping.html', 480, 2000);
  await assertWrapping(await view(page, [LONG.chinese, LONG.thai, 'No font has this one']));
  assert.deepEqual(errors, []);
  await page.close();
});

test('Firefox with resistFingerprinting: the discussion is its HTML view, in every script', async () => {
  const guarded = await launchFirefox({ 'privacy.resistFingerprinting': true });
  try {
    const { page, errors } = await open(guarded, 'scripts.html', 760, 2400);
    // Each post's text in an element of the view, on screen (Firefox lays out and draws it).
    const boxes = await until(page, paragraphGaps, Object.values(SCRIPTS), 'every script in the HTML view');
    Object.keys(SCRIPTS).forEach((key, i) => {
      assert.ok(boxes[i].w > 20 && boxes[i].h > 10, `${key} is on screen: ${JSON.stringify(boxes[i])}`);
      assertAligned(key, boxes[i], RTL.includes(key));
    });
    assert.equal(await page.$('#w canvas'), null, 'no canvas: canvas reads are spoiled');
    const fetched = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
    assert.deepEqual(fetched.filter((n) => /\.(ttf|woff2?)(\?|$)|grove-font/.test(n)), [], 'no font is fetched');

    // Taking part there: an Arabic reflection typed into the view's field and sent with its Post
    // button reaches the server, and shows in the view, aligned right.
    const mine = 'تدربنا على الإخلاء مرتين هذا الأسبوع';
    await page.evaluate(() => document.querySelector('#w .grove-view textarea').focus());
    await page.keyboard.type(mine);
    const post = await page.evaluateHandle(() => [...document.querySelectorAll('#w .grove-view button')].find((b) => b.textContent.trim() === 'Post'));
    await post.click();
    const sent = await dev.until('scripts', (ps) => ps.find((p) => p.body === mine), 'the reflection posted from the HTML view');
    assert.equal(sent.author.id, 'u-sam');
    const [gap] = await until(page, paragraphGaps, [mine], 'the new reflection in the view');
    assertAligned('the new reflection', gap, true);
    assert.equal(await page.evaluate(() => document.querySelector('#w .grove-view textarea').value), '', 'the field is empty again');
    await page.screenshot({ path: join(screenshotDir(), 'firefox-resist-fingerprinting.png'), clip: { x: 0, y: 0, width: 760, height: 1200 } });
    assert.deepEqual(errors, []);
  } finally {
    await guarded.close();
  }
});
