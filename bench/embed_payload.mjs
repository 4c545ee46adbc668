#!/usr/bin/env node
// What embedding Grove costs a page: bytes of each widget file (raw, gzip, brotli) as built, and
// in real Chromium the bytes on the wire and the time to grove:ready for a first visit (cold
// cache) and a second one (warm cache), with one and with two widgets on the page.
// Not part of ./grove test (it measures, it does not judge). Run after ./grove build:
//   node bench/embed_payload.mjs            (env GROVE_SERVER_BINARY / GROVE_WIDGET_DIST as in tests)
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, launchBrowser, recordGroveEvents, WIDGET_DIST } from '../tests/browser/lib/harness.mjs';

const kib = (n) => (n / 1024).toFixed(1).padStart(8) + ' KiB';

// 1. Files as built.
console.log(`Widget files in ${WIDGET_DIST}`);
console.log('  file'.padEnd(24) + 'raw'.padStart(13) + 'gzip'.padStart(13) + 'brotli'.padStart(13));
const plain = ['grove.js', 'grove-core.js', 'grove-core.wasm'];
const files = readdirSync(WIDGET_DIST);
const size = (f) => (files.includes(f) ? readFileSync(join(WIDGET_DIST, f)).length : NaN);
const sizes = (name) => ({ raw: size(name), gz: size(name + '.gz'), br: size(name + '.br') });
const line = (label, row, note = '') => console.log('  ' + label.padEnd(22) + kib(row.raw) + kib(row.gz) + kib(row.br) + note);
const total = { raw: 0, gz: 0, br: 0 };
for (const name of plain) {
  const row = sizes(name);
  for (const k of Object.keys(total)) total[k] += row[k];
  line(name, row);
}
line('total', total);
// Listed when present, not part of the total: the deferred wasm of a split build (fetched once
// the widget is ready), and the fallback font of builds before 2026-12-06.
if (files.includes('grove-core-deferred.wasm')) line('(deferred wasm', sizes('grove-core-deferred.wasm'), '  fetched once the widget is ready)');
if (files.includes('grove-font.ttf')) line('(fallback font', sizes('grove-font.ttf'), '  only where canvas text cannot be read back)');

// 2. In Chromium.
const server = await startServer();
const browser = await launchBrowser();
try {
  for (const [path, widgets] of [['/', 1], ['/two-modules.html', 2]]) {
    const context = await browser.newContext({ viewport: { width: 1000, height: 1800 } });
    await recordGroveEvents(context);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    let wire = 0;
    const urls = new Map();
    cdp.on('Network.responseReceived', (e) => urls.set(e.requestId, e.response.url));
    cdp.on('Network.loadingFinished', (e) => {
      if (/\/widget\//.test(urls.get(e.requestId) || '')) wire += e.encodedDataLength;
    });
    for (const visit of ['first visit (cold cache)', 'second visit (warm cache)']) {
      wire = 0;
      const start = Date.now();
      await page.goto(server.url + path);
      await page.waitForFunction((n) => (window.__groveEvents || []).filter((e) => e.name === 'grove:ready').length >= n, widgets);
      const ms = Date.now() - start;
      const ready = await page.evaluate(() => Math.max(...window.__groveEvents.filter((e) => e.name === 'grove:ready').map((e) => e.t)));
      console.log(`${String(widgets)} widget(s), ${visit}: /widget/ bytes on the wire ${kib(wire)}, ` +
        `grove:ready ${ready.toFixed(0)} ms after navigation start (${ms} ms wall)`);
    }
    await context.close();
  }
} finally {
  await browser.close();
  await server.stop();
}
