// How the widget draws in real Chromium: no frames while idle or off screen, the page scrolls
// over it while it is not focused, sharp at devicePixelRatio 1, 2 and 3 (also when it changes),
// and the theme and accent attributes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, launchBrowser } from './lib/harness.mjs';
import { hostPage, openHost, debug, settle, pixelsAt, screenshotDir } from './lib/ui_page.mjs';

let server, browser;
before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  mkdirSync(screenshotDir(), { recursive: true });
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const frames = async (page) => (await debug.stats(page)).frames;

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
  // Input draws a few frames, then stops again.
  await page.mouse.move(200, 300);
  await page.mouse.move(220, 320);
  await settle(page);
  assert.ok((await frames(page)) > b, 'the pointer moving draws frames');
  await context.close();
});

test('off screen the widget draws nothing, and catches up when seen again', async () => {
  const { context, page } = await openHost(browser, server, hostPage({ theme: 'auto' }));
  await settle(page);
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await page.waitForTimeout(300);
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
    // Text edges are hard at device resolution: most pixels of the text are either the
    // background or close to the text colour, few are blurred in between.
    await page.locator('#w').screenshot({ path: join(screenshotDir(), `browser-dpr-${dpr}.png`) });
    await context.close();
  });
}

test('a devicePixelRatio change (window moved to another screen) re-renders at the new ratio', async () => {
  const { context, page } = await openHost(browser, server, hostPage());
  const cdp = await context.newCDPSession(page);
  // (Headless Chromium's emulation fires no resolution media query change; the resize does.)
  await cdp.send('Emulation.setDeviceMetricsOverride', { width: 901, height: 800, deviceScaleFactor: 2, mobile: false });
  await page.waitForFunction(() => {
    const c = document.querySelector('#w canvas');
    return devicePixelRatio === 2 && c.width === Math.round(c.clientWidth * 2);
  });
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
