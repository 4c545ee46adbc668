// A plain host page for the widget's UI tests, served at the test server's origin (so the
// loader and the API are same-origin): a host input before the widget, a button after it, and
// room to scroll. Helpers read what the widget shows through element.groveDebug.
import { decodePng, recordGroveEvents, waitForEvent } from './harness.mjs';

export function hostPage({ module = 'ui-test', prompt = 'What will you do differently?', theme = '', accent = '',
  height = '', extraHead = '' } = {}) {
  const attrs = [`data-grove-module="${module}"`, `data-grove-prompt="${prompt}"`];
  if (theme) attrs.push(`data-grove-theme="${theme}"`);
  if (accent) attrs.push(`data-grove-accent="${accent}"`);
  if (height) attrs.push(`data-grove-height="${height}"`);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>UI test host</title>
<style>body{font:16px system-ui,sans-serif;margin:24px;max-width:760px}#spacer{height:3000px}</style>${extraHead}</head>
<body><h1>Host page</h1>
<label>Host input <input id="before" value="host text"></label>
<div id="w" ${attrs.join(' ')}></div>
<button id="after">After the widget</button>
<div id="spacer"></div>
<script src="/widget/grove.js" defer></script></body></html>`;
}

// Opens `html` at <server>/ui-test.html and waits for grove:ready. `initScript` runs in the page
// before anything else (to change what the browser does, as a browser mode would).
export async function openHost(browser, server, html, contextOptions = {}, { initScript } = {}) {
  const context = await browser.newContext({ viewport: { width: 900, height: 800 }, ...contextOptions });
  await recordGroveEvents(context);
  if (initScript) await context.addInitScript(initScript);
  await context.route(server.url + '/ui-test.html', (route) =>
    route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.url + '/ui-test.html');
  await waitForEvent(page, 'grove:ready');
  await firstSyncOver(page);
  return { context, page, errors };
}

// grove:ready can come before the first sync attempt has ended (the cache is read while the wasm
// loads); its outcome can still change the layout (a sign-in notice above the composer), so tests
// that click at a control's position wait for it: synced, or a notice, or a grove:error.
async function firstSyncOver(page, timeout = 15000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const over = await page.evaluate(() => {
      const el = document.querySelector('[data-grove-module]');
      const s = el && el.groveSyncState ? el.groveSyncState() : null;
      return !s || s.last_sync !== null || s.notice !== '' || (window.__groveEvents || []).some((e) => e.name === 'grove:error');
    });
    if (over) return;
    if (Date.now() > deadline) throw new Error('the widget\'s first sync did not end within ' + timeout / 1000 + ' s');
    await page.waitForTimeout(50);
  }
}

export const debug = {
  controls: (page, sel = '#w') => page.evaluate((s) => document.querySelector(s).groveDebug.controls(), sel),
  text: (page, sel = '#w') => page.evaluate((s) => document.querySelector(s).groveDebug.screenText(), sel),
  stats: (page, sel = '#w') => page.evaluate((s) => document.querySelector(s).groveDebug.stats(), sel),
};

// The labels of the widget's controls on screen (labels, not screen text: "Endorse" is also a
// part of "Endorsed · 1").
export async function controlLabels(page, sel = '#w') {
  return (await debug.controls(page, sel)).controls.map((c) => c.label);
}

// Waits until the widget has a control labelled exactly `label` and, with `gone`, none labelled so.
export async function waitForControl(page, label, { gone, timeout = 10000, sel = '#w' } = {}) {
  const deadline = Date.now() + timeout;
  let labels = [];
  while (Date.now() < deadline) {
    labels = await controlLabels(page, sel);
    if (labels.includes(label) && !(gone && labels.includes(gone))) return;
    await page.waitForTimeout(80);
  }
  throw new Error(`no control "${label}"${gone ? ` without "${gone}"` : ''}; the controls are: ${labels.join(', ')}`);
}

// The focused control's label, after the widget has drawn the frames the last input asked for.
export async function focusedLabel(page, sel = '#w') {
  await settle(page, sel);
  const { controls } = await debug.controls(page, sel);
  const c = controls.find((x) => x.focused);
  return c ? c.label : null;
}

// Pastes `text` into the focused element as a person does: the text on the real clipboard, then
// Ctrl+V (the browser's own paste into the focused field).
export async function paste(page, text) {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(page.url()).origin });
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
  await page.keyboard.press('Control+V');
}

// Waits until the widget has stopped drawing (it draws a few frames after each input).
export async function settle(page, sel = '#w') {
  let last = -1;
  for (let i = 0; i < 50; i++) {
    const { frames } = await debug.stats(page, sel);
    if (frames === last) return;
    last = frames;
    await page.waitForTimeout(60);
  }
}

// Waits until the screen text contains `text`; returns the screen text.
export async function waitForText(page, text, sel = '#w', timeout = 10000) {
  const deadline = Date.now() + timeout;
  let screen = '';
  while (Date.now() < deadline) {
    screen = await debug.text(page, sel);
    if (screen.includes(text)) return screen;
    await page.waitForTimeout(80);
  }
  throw new Error(`"${text}" did not appear; the widget shows:\n${screen}`);
}

// Clicks the centre of a control found by its label (nth match), scrolling the page to it first
// when it is outside the viewport.
export async function clickControl(page, label, nth = 0, sel = '#w') {
  await settle(page, sel);
  const { controls } = await debug.controls(page, sel);
  const matches = controls.filter((c) => c.label === label);
  const c = matches[nth];
  if (!c) throw new Error(`no control "${label}" (#${nth}); there are: ${controls.map((x) => x.label).join(', ')}`);
  let box = await page.locator(sel + ' canvas').boundingBox();
  // Below (or above) the page's fold: the page scrolls it into view first, as a person would.
  const { height } = page.viewportSize();
  const y = box.y + c.y + c.h / 2;
  if (y < c.h || y > height - c.h) {
    await page.evaluate((dy) => window.scrollBy(0, dy), Math.round(y - height / 2));
    box = await page.locator(sel + ' canvas').boundingBox();
  }
  await page.mouse.click(box.x + c.x + c.w / 2, box.y + c.y + c.h / 2);
  await settle(page, sel);
}

// Colours (0xRRGGBB) at CSS-pixel points of an element's screenshot.
export async function pixelsAt(page, locator, points) {
  const { width, rgba: d } = decodePng(await locator.screenshot());
  const s = await page.evaluate(() => devicePixelRatio);
  return points.map(([x, y]) => {
    const i = 4 * (Math.round(y * s) * width + Math.round(x * s));
    return (d[i] << 16) | (d[i + 1] << 8) | d[i + 2];
  });
}

export function screenshotDir() {
  return process.env.GROVE_SCREENSHOT_DIR || '/tmp/grove-screenshots';
}
