// Firefox ESR (Debian's firefox-esr) through puppeteer-core over WebDriver BiDi, for the tests
// that must also pass in a second engine. Headless Firefox has no WebGL here: the tests run
// under Xvfb (tests/CMakeLists.txt starts them with xvfb-run), where WebGL 2 runs on Mesa's
// llvmpipe. Pages are served by the test's grove-server from a site folder of their own.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';

export const FIREFOX = process.env.GROVE_FIREFOX || '/usr/bin/firefox-esr';

export async function launchFirefox(prefs = {}) {
  if (!process.env.DISPLAY) throw new Error('Firefox needs a display: run the test under xvfb-run (see tests/CMakeLists.txt)');
  return puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX, headless: false, extraPrefsFirefox: prefs });
}

// A folder for host pages; give it to startServer(['--site-dir', dir]) (useGrove's site option does).
export async function siteDir() {
  const dir = await mkdtemp(join(tmpdir(), 'grove-firefox-site-'));
  return { dir, write: (name, html) => writeFile(join(dir, name), html), remove: () => rm(dir, { recursive: true, force: true }) };
}

// Records grove:* events in window.__groveEvents (put it in the page's head: BiDi preload
// scripts are not needed then).
export const RECORD_EVENTS = `<script>window.__groveEvents = [];
for (const name of ['grove:ready', 'grove:post', 'grove:sync', 'grove:error'])
  document.addEventListener(name, (e) => window.__groveEvents.push({ name, detail: e.detail }));</script>`;

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Polls `fn` in the page until it returns something truthy.
export async function until(page, fn, arg, what, timeout = 30000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const v = await page.evaluate(fn, arg);
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeout / 1000} s`);
    await sleep(100);
  }
}

// The same helpers as ui_page.mjs offers for Chromium.
export const ffDebug = {
  stats: (page) => page.evaluate(() => document.querySelector('#w').groveDebug.stats()),
  controls: (page) => page.evaluate(() => document.querySelector('#w').groveDebug.controls()),
  lines: (page) => page.evaluate(() => document.querySelector('#w').groveDebug.textLines()),
  text: (page) => page.evaluate(() => document.querySelector('#w').groveDebug.screenText()),
};

export async function settle(page) {
  let last = -1;
  for (let i = 0; i < 50; i++) {
    const { frames } = await ffDebug.stats(page);
    if (frames === last) return;
    last = frames;
    await sleep(80);
  }
}

export async function waitForText(page, text, timeout = 20000) {
  const deadline = Date.now() + timeout;
  let screen = '';
  while (Date.now() < deadline) {
    screen = await ffDebug.text(page);
    if (screen.includes(text)) return screen;
    await sleep(100);
  }
  throw new Error(`"${text}" did not appear; the widget shows:\n${screen}`);
}
