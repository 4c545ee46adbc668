// Records which wasm functions a learner's first view runs, for splitting the module
// (scripts/wasm_split_keep.sh and scripts/wasm_split_measure.sh run it; docs/BENCHMARKS.md
// "Split module"). Loads an instrumented grove-core (wasm-split --instrument) from a grove-server
// seeded with the demo data, as the demo learner: load, first pull, grove:ready, idle frames,
// scrolling the list; with --compose also typing in the composer and posting. Then asks the
// module for its profile (`__write_profile`, one entry per function: called or not, in order of
// first call) and writes it.
// With --all, every scenario below runs in a page of its own, each writing OUT.<scenario>:
//   demo         the demo page, scrolling, typing and posting (the same as --compose);
//   two-modules  two widgets on one page, with an accent colour and a height, posting in one;
//   phone        a narrow touch screen at dpr 2 in dark mode: a tap, scrolling;
//   html-view    the demo page in forced colours, where each discussion is its HTML view;
//   host         the browser suites' plain host page: twelve posts by someone else, scrolling,
//                posting (what tests/browser/split.test.mjs does without the deferred module).
//   node tests/browser/split_profile.mjs --widget-dir DIR --out FILE [--compose | --all]
import { writeFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const argv = process.argv.slice(2);
const opt = (name) => { const i = argv.indexOf('--' + name); return i < 0 ? undefined : argv[i + 1]; };
const widgetDir = opt('widget-dir'), out = opt('out');
const compose = argv.includes('--compose');
const all = argv.includes('--all');
if (!widgetDir || !out) {
  console.error('usage: split_profile.mjs --widget-dir DIR --out FILE [--compose | --all]');
  process.exit(2);
}
process.env.GROVE_WIDGET_DIST = resolve(widgetDir);   // read by the harness when it loads
const { startServer, launchBrowser, recordGroveEvents, waitForEvent } = await import('./lib/harness.mjs');
const { postAsPerson, syncUntil } = await import('./lib/posting.mjs');
const { devApi, pageFor } = await import('./lib/dev_people.mjs');

// Keeps the instance of the instrumented module (the only one that exports __write_profile).
function captureInstance() {
  const original = WebAssembly.instantiate;
  WebAssembly.instantiate = function () {
    return original.apply(this, arguments).then((r) => {
      const instance = r instanceof WebAssembly.Instance ? r : r.instance;
      if (instance.exports.__write_profile) window.__groveInstrumented = instance;
      return r;
    });
  };
}

const server = await startServer(['--writes-per-minute', '1000000']);
let browser;

// Writes the instrumented module's profile of `page` to `file`.
async function saveProfile(page, file, what) {
  const profile = await page.evaluate(() => {
    const e = window.__groveInstrumented.exports;
    const memory = Object.values(e).find((x) => x instanceof WebAssembly.Memory);
    const pages = 8;
    const at = memory.grow(pages) * 65536;   // past everything the module uses: it is done
    const size = e.__write_profile(at, pages * 65536);
    return Array.from(new Uint8Array(memory.buffer, at, size));
  });
  await writeFile(file, Buffer.from(profile));
  console.log(`split_profile: ${profile.length} bytes to ${file} (${what})`);
}

async function newPage(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, ...options });
  await recordGroveEvents(context);
  await context.addInitScript(captureInstance);
  const page = await context.newPage();
  page.on('console', (m) => { if (/placeholder|deferred/.test(m.text())) console.log('page: ' + m.text()); });
  return { context, page };
}

async function scroll(page, sel) {
  const canvas = page.locator(sel + ' canvas');
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  for (let i = 0; i < 8; i++) { await page.mouse.wheel(0, 240); await page.waitForTimeout(120); }
  for (let i = 0; i < 8; i++) { await page.mouse.wheel(0, -240); await page.waitForTimeout(120); }
  await page.mouse.move(box.x + 40, box.y + 40);
  await page.waitForTimeout(500);
}

// The reads the browser suites make on every page (element.groveDebug: screen text, which also
// records the text of every later frame, lines, controls, stats): their code stays in the first
// module too, so that a suite reading a page never loads the deferred module by itself.
async function debugReads(page, sel) {
  await page.evaluate(async (s) => {
    const d = document.querySelector(s).groveDebug;
    if (!d) return;
    await d.screenText();
    await d.textLines();
    d.controls();
    d.stats();
  }, sel);
}

const SCENARIOS = {
  async demo(withCompose) {
    const { context, page } = await newPage();
    await page.goto(server.url + '/');
    await waitForEvent(page, 'grove:ready');
    const sel = '#grove-fire-safety';
    await syncUntil(page, sel, (s) => s.last_sync !== null, 'the first pull');
    await page.waitForTimeout(1500);   // idle frames
    if (all) await debugReads(page, sel);
    await scroll(page, sel);
    if (withCompose) {
      await postAsPerson(page, sel, 'A profile run: checking the exits every morning.');
      await page.waitForTimeout(500);
    }
    if (all) await debugReads(page, sel);
    return { context, page };
  },
  async 'two-modules'() {
    const { context, page } = await newPage({ viewport: { width: 1000, height: 1800 } });
    await page.goto(server.url + '/two-modules.html');
    await waitForEvent(page, 'grove:ready', '(e) => e.target === "grove-privacy"');
    await waitForEvent(page, 'grove:ready', '(e) => e.target === "grove-feedback"');
    await page.locator('#grove-feedback canvas').scrollIntoViewIfNeeded();
    await syncUntil(page, '#grove-feedback', (s) => s.last_sync !== null, 'the first pull');
    await page.waitForTimeout(1000);
    await debugReads(page, '#grove-feedback');
    await scroll(page, '#grove-feedback');
    await postAsPerson(page, '#grove-privacy', 'A profile run: I will lock my screen every time.');
    await debugReads(page, '#grove-privacy');
    return { context, page };
  },
  async phone() {
    const { context, page } = await newPage({ viewport: { width: 390, height: 800 }, hasTouch: true, isMobile: true,
      deviceScaleFactor: 2, colorScheme: 'dark' });
    await page.goto(server.url + '/');
    await waitForEvent(page, 'grove:ready');
    const sel = '#grove-fire-safety';
    await syncUntil(page, sel, (s) => s.last_sync !== null, 'the first pull');
    await page.waitForTimeout(1000);
    await page.locator(sel + ' canvas').scrollIntoViewIfNeeded();   // off screen, a widget draws no frames
    const box = await page.locator(sel + ' canvas').boundingBox();
    await page.touchscreen.tap(box.x + box.width / 2, box.y + 60);
    await page.waitForTimeout(300);
    await debugReads(page, sel);
    await scroll(page, sel);
    await debugReads(page, sel);
    return { context, page };
  },
  async 'html-view'() {
    const { context, page } = await newPage({ forcedColors: 'active' });
    await page.goto(server.url + '/');
    await waitForEvent(page, 'grove:ready');
    const sel = '#grove-fire-safety';
    await syncUntil(page, sel, (s) => s.last_sync !== null, 'the first pull');
    await page.waitForTimeout(1000);
    await page.mouse.wheel(0, 600);
    await page.waitForTimeout(300);
    const text = 'A profile run in high contrast: I will keep the exit clear.';
    await page.locator(sel).getByRole('textbox', { name: 'Your reflection' }).click();
    await page.keyboard.type(text);
    await page.locator(sel).getByRole('button', { name: 'Post', exact: true }).click();
    await syncUntil(page, sel, (s) => s.pending === 0 && s.posts.some((p) => p.body === text && p.state === 'synced'), 'the post');
    return { context, page };
  },
  async host() {
    const dev = devApi(server);
    const module = 'split-profile-host';
    for (let i = 1; i <= 12; i++) await dev.seed('ana', module, `Reflection ${i}: the exits on floor ${i} are marked.`);
    const { context, page } = await newPage({ viewport: { width: 900, height: 800 } });
    await context.route(server.url + '/ui-test.html', (route) =>
      route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: pageFor('sam', { module }) }));
    await page.goto(server.url + '/ui-test.html');
    await waitForEvent(page, 'grove:ready');
    await syncUntil(page, '#w', (s) => s.last_sync !== null, 'the first pull');
    await debugReads(page, '#w');
    await scroll(page, '#w');
    await postAsPerson(page, '#w', 'A profile run on the host page: I will walk the route on Monday.');
    await page.waitForTimeout(1000);
    await debugReads(page, '#w');
    return { context, page };
  },
};

try {
  const seeded = spawnSync(process.execPath, [join(ROOT, 'scripts/seed_demo.mjs'), '--url', server.url, '--wait', '30'],
    { stdio: 'inherit' });
  if (seeded.status !== 0) throw new Error('seeding the demo data failed');
  browser = await launchBrowser();
  if (all) {
    for (const [name, run] of Object.entries(SCENARIOS)) {
      const { context, page } = await run(true);
      await saveProfile(page, `${out}.${name}`, name);
      await context.close();
    }
  } else {
    const { context, page } = await SCENARIOS.demo(compose);
    await saveProfile(page, out, compose ? 'with composing and posting' : 'the first view');
    await context.close();
  }
} finally {
  if (browser) await browser.close();
  await server.stop();
}
