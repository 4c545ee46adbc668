// Records which wasm functions a learner's first view runs, for splitting the module
// (scripts/wasm_split_measure.sh runs it; docs/BENCHMARKS.md "Split module").
// Loads an instrumented grove-core (wasm-split --instrument) from a grove-server seeded with the
// demo data, as the demo learner: load, first pull, grove:ready, idle frames, scrolling the list;
// with --compose also typing in the composer and posting. Then asks the module for its profile
// (`__write_profile`, one entry per function: called or not, in order of first call) and writes it.
//   node tests/browser/split_profile.mjs --widget-dir DIR --out FILE [--compose]
import { writeFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const argv = process.argv.slice(2);
const opt = (name) => { const i = argv.indexOf('--' + name); return i < 0 ? undefined : argv[i + 1]; };
const widgetDir = opt('widget-dir'), out = opt('out');
const compose = argv.includes('--compose');
if (!widgetDir || !out) {
  console.error('usage: split_profile.mjs --widget-dir DIR --out FILE [--compose]');
  process.exit(2);
}
process.env.GROVE_WIDGET_DIST = resolve(widgetDir);   // read by the harness when it loads
const { startServer, launchBrowser, recordGroveEvents, waitForEvent } = await import('./lib/harness.mjs');
const { postAsPerson, syncUntil } = await import('./lib/posting.mjs');

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
try {
  const seeded = spawnSync(process.execPath, [join(ROOT, 'scripts/seed_demo.mjs'), '--url', server.url, '--wait', '30'],
    { stdio: 'inherit' });
  if (seeded.status !== 0) throw new Error('seeding the demo data failed');
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  await recordGroveEvents(context);
  await context.addInitScript(captureInstance);
  const page = await context.newPage();
  page.on('console', (m) => { if (/placeholder|deferred/.test(m.text())) console.log('page: ' + m.text()); });
  await page.goto(server.url + '/');
  await waitForEvent(page, 'grove:ready');
  const sel = '#grove-fire-safety';
  await syncUntil(page, sel, (s) => s.last_sync !== null, 'the first pull');
  await page.waitForTimeout(1500);   // idle frames
  const canvas = page.locator(sel + ' canvas');
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  for (let i = 0; i < 8; i++) { await page.mouse.wheel(0, 240); await page.waitForTimeout(120); }
  for (let i = 0; i < 8; i++) { await page.mouse.wheel(0, -240); await page.waitForTimeout(120); }
  await page.mouse.move(box.x + 40, box.y + 40);
  await page.waitForTimeout(500);
  if (compose) {
    await postAsPerson(page, sel, 'A profile run: checking the exits every morning.');
    await page.waitForTimeout(500);
  }
  const profile = await page.evaluate(() => {
    const e = window.__groveInstrumented.exports;
    const memory = Object.values(e).find((x) => x instanceof WebAssembly.Memory);
    const pages = 8;
    const at = memory.grow(pages) * 65536;   // past everything the module uses: it is done
    const size = e.__write_profile(at, pages * 65536);
    return Array.from(new Uint8Array(memory.buffer, at, size));
  });
  await writeFile(out, Buffer.from(profile));
  console.log(`split_profile: ${profile.length} bytes to ${out}${compose ? ' (with composing and posting)' : ''}`);
  await context.close();
} finally {
  if (browser) await browser.close();
  await server.stop();
}
