// How the widget draws in real Chromium: no frames while idle or off screen, the page scrolls
// over it while it is not focused, sharp at devicePixelRatio 1, 2 and 3 (also when it changes),
// and the theme and accent attributes.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { useGrove } from './lib/grove.mjs';
import { decodePng, cropImage } from './lib/harness.mjs';
import { hostPage, openHost, debug, settle, pixelsAt, screenshotDir } from './lib/ui_page.mjs';

const { server, browser } = await useGrove();
before(async () => {
  mkdirSync(screenshotDir(), { recursive: true });
});

const frames = async (page) => (await debug.stats(page)).frames;

// How much fine detail the text field's pixels hold at device resolution, however the text was
// drawn: the energy of neighbouring-pixel differences of its inside, against that of the same
// pixels brought down to CSS resolution (N x N device pixels averaged) and back up bilinearly
// (what a browser shows when it magnifies a CSS-sized drawing). Text drawn sharp at N = 2 or 3
// device pixels per CSS pixel measured about 4; the same text rasterized at CSS resolution and
// magnified (glyphs from a 1x atlas) about 2.2 to 2.5. Also returns the field's contrast.
const kSharp = 3;
// `png` is a screenshot of the canvas at `n` device pixels per CSS pixel.
async function textDetail(page, n, png) {
  const { controls } = await debug.controls(page);
  const f = controls.find((c) => c.label === 'Your reflection');
  assert.ok(f, 'the composer\'s text field');
  // The inside of the field (its border drawn sharp at any ratio stays out), whole CSS pixels.
  const x0 = Math.ceil(f.x + 6), y0 = Math.ceil(f.y + 6);
  const w = Math.floor(f.w - 12), h = Math.floor(Math.min(f.h - 12, 60));
  const d = cropImage(decodePng(png), x0 * n, y0 * n, w * n, h * n).rgba;
  const W = w * n, H = h * n;
  const lum = new Float64Array(W * H);
  for (let i = 0; i < W * H; i++) lum[i] = 0.299 * d[4 * i] + 0.587 * d[4 * i + 1] + 0.114 * d[4 * i + 2];
  const low = new Float64Array(w * h);   // averaged to CSS pixels
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) low[Math.floor(y / n) * w + Math.floor(x / n)] += lum[y * W + x] / (n * n);
  const back = new Float64Array(W * H);   // and up again, bilinear through CSS pixel centres
  for (let y = 0; y < H; y++) {
    const sy = Math.min(Math.max((y + 0.5) / n - 0.5, 0), h - 1), y1 = Math.floor(sy), y2 = Math.min(y1 + 1, h - 1), fy = sy - y1;
    for (let x = 0; x < W; x++) {
      const sx = Math.min(Math.max((x + 0.5) / n - 0.5, 0), w - 1), x1 = Math.floor(sx), x2 = Math.min(x1 + 1, w - 1), fx = sx - x1;
      back[y * W + x] = (low[y1 * w + x1] * (1 - fx) + low[y1 * w + x2] * fx) * (1 - fy) +
                        (low[y2 * w + x1] * (1 - fx) + low[y2 * w + x2] * fx) * fy;
    }
  }
  const energy = (a) => {
    let e = 0;
    for (let y = 0; y + 1 < H; y++) for (let x = 0; x + 1 < W; x++) {
      const v = a[y * W + x];
      e += (a[y * W + x + 1] - v) ** 2 + (a[(y + 1) * W + x] - v) ** 2;
    }
    return e;
  };
  let lo = 255, hi = 0;
  for (const v of lum) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  return { ratio: energy(lum) / energy(back), contrast: hi - lo, width: W, height: H };
}

test('an idle widget draws no frames, focused or not (at most one a second)', async () => {
  const { context, page } = await openHost(browser, server, hostPage());
  await settle(page);
  let a = await frames(page);
  await page.waitForTimeout(3000);
  let b = await frames(page);
  assert.ok(b - a <= 3, `unfocused: ${b - a} frames in 3 s`);
  await page.locator('#w').focus();
  await page.keyboard.type('typing, then idle');
  await settle(page);
  a = await frames(page);
  await page.waitForTimeout(3000);
  b = await frames(page);
  assert.ok(b - a <= 3, `focused with the caret shown: ${b - a} frames in 3 s`);
  // Input draws a few frames, then stops again. The pointer moves over the canvas, below the
  // edited field (whose textarea, over the canvas, takes the pointer's events there).
  const box = await page.locator('#w').boundingBox();
  const { controls } = await debug.controls(page);
  const field = controls.find((c) => c.label === 'Your reflection');
  const below = box.y + field.y + field.h + 12;
  await page.mouse.move(box.x + 200, below);
  await page.mouse.move(box.x + 220, below + 10);
  await settle(page);
  assert.ok((await frames(page)) > b, 'the pointer moving draws frames');
  await context.close();
});

test('off screen the widget draws nothing, and catches up when seen again', async () => {
  const { context, page } = await openHost(browser, server, hostPage({ theme: 'auto' }));
  await settle(page);
  // Scrolled away: wait until an IntersectionObserver of the test's own has seen the canvas leave
  // (the widget's observer, made earlier, is told in the same task, before it), then until the
  // frames the widget drew meanwhile are over.
  await page.evaluate(() => new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the canvas never left the viewport')), 30000);
    const io = new IntersectionObserver((entries) => {
      if (entries[entries.length - 1].isIntersecting) return;
      io.disconnect();
      clearTimeout(timer);
      resolve();
    });
    io.observe(document.querySelector('#w canvas'));
    window.scrollTo(0, document.body.scrollHeight);
  }));
  await settle(page);
  const a = await frames(page);
  await page.emulateMedia({ colorScheme: 'dark' });   // wants a redraw...
  await page.setViewportSize({ width: 880, height: 800 });
  await page.waitForTimeout(1000);
  assert.equal(await frames(page), a, '...but nobody sees it');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForFunction((n) => document.querySelector('#w').groveDebug.stats().frames > n, a);
  await settle(page);
  const [bg] = await pixelsAt(page, page.locator('#w canvas'), [[4, 4]]);
  assert.equal(bg, 0x1b1d21, 'redrawn dark once visible');
  await context.close();
});

test('the page scrolls over the widget while it is not focused', async () => {
  const { context, page } = await openHost(browser, server, hostPage());
  const box = await page.locator('#w canvas').boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, 400);
  await page.waitForFunction(() => window.scrollY > 0);
  assert.ok(await page.evaluate(() => window.scrollY) >= 300);
  // Focused, a widget with nothing to scroll still lets the page scroll.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.locator('#w').focus();
  await page.keyboard.press('Escape');
  const box2 = await page.locator('#w canvas').boundingBox();
  await page.mouse.move(box2.x + 100, box2.y + 40);
  await page.mouse.wheel(0, 300);
  await page.waitForFunction(() => window.scrollY > 0);
  await context.close();
});

for (const dpr of [1, 2, 3]) {
  test(`sharp at devicePixelRatio ${dpr}: the drawing buffer is in device pixels`, async () => {
    const { context, page } = await openHost(browser, server, hostPage(), { deviceScaleFactor: dpr });
    await page.locator('#w').focus();
    await page.keyboard.type('Crisp text at every ratio: Ελληνικά, Кириллица');
    await page.keyboard.press('Escape');
    await settle(page);
    const c = await page.locator('#w canvas').evaluate((el) => ({ w: el.width, h: el.height, cw: el.clientWidth, ch: el.clientHeight }));
    assert.equal(c.w, Math.round(c.cw * dpr));
    assert.equal(c.h, Math.round(c.ch * dpr));
    // The text is drawn at device resolution: finer detail than CSS pixels can hold.
    const detail = await textDetail(page, dpr, await page.locator('#w canvas').screenshot());
    assert.ok(detail.contrast > 100, `text in the field (contrast ${detail.contrast})`);
    if (dpr > 1) assert.ok(detail.ratio > kSharp, `detail at device resolution: ${JSON.stringify(detail)}`);
    await page.locator('#w').screenshot({ path: join(screenshotDir(), `browser-dpr-${dpr}.png`) });
    await context.close();
  });
}

test('a devicePixelRatio change (window moved to another screen) re-renders at the new ratio', async () => {
  const { context, page } = await openHost(browser, server, hostPage());
  await page.locator('#w').focus();
  await page.keyboard.type('Moved to a sharper screen');
  await page.keyboard.press('Escape');
  await settle(page);
  const before = await frames(page);
  const cdp = await context.newCDPSession(page);
  // (Headless Chromium's emulation fires no resolution media query change; the resize does.)
  await cdp.send('Emulation.setDeviceMetricsOverride', { width: 901, height: 800, deviceScaleFactor: 2, mobile: false });
  await page.waitForFunction(() => {
    const c = document.querySelector('#w canvas');
    return devicePixelRatio === 2 && c.width === Math.round(c.clientWidth * 2);
  });
  await settle(page);
  assert.ok((await frames(page)) > before, 'frames were drawn after the change');
  // What they show is drawn at the new ratio (a resized canvas that was not drawn again is empty).
  // Captured through the same CDP session: Playwright's own screenshot would put its emulated
  // ratio (1) back first.
  const box = await page.locator('#w canvas').boundingBox();
  const shot = await cdp.send('Page.captureScreenshot', {
    format: 'png', clip: { x: box.x, y: box.y, width: box.width, height: box.height, scale: 1 },
  });
  const png = Buffer.from(shot.data, 'base64');
  const detail = await textDetail(page, 2, png);
  assert.ok(detail.contrast > 100, `text in the field (contrast ${detail.contrast})`);
  assert.ok(detail.ratio > kSharp, `detail at device resolution: ${JSON.stringify(detail)}`);
  await context.close();
});

test('themes: light, dark, auto following the system, and the accent colour', async () => {
  const cases = [
    { theme: 'light', scheme: 'dark', bg: 0xffffff },
    { theme: 'dark', scheme: 'light', bg: 0x1b1d21 },
    { theme: 'auto', scheme: 'dark', bg: 0x1b1d21 },
    { theme: 'auto', scheme: 'light', bg: 0xffffff },
  ];
  for (const c of cases) {
    const { context, page } = await openHost(browser, server, hostPage({ theme: c.theme, accent: '#8a2be2' }),
      { colorScheme: c.scheme });
    await settle(page);
    const { controls } = await debug.controls(page);
    const chip = controls.find((x) => x.label === 'Insight');   // the selected kind: filled with the accent
    const [bg, fill] = await pixelsAt(page, page.locator('#w canvas'), [[4, 4], [chip.x + chip.w - 6, chip.y + chip.h / 2]]);
    assert.equal(bg, c.bg, `${c.theme} on a ${c.scheme} system`);
    assert.equal(fill, 0x8a2be2, 'the accent colour as given');
    await page.locator('#w').screenshot({ path: join(screenshotDir(), `browser-theme-${c.theme}-${c.scheme}.png`) });
    await context.close();
  }
});
