#!/usr/bin/env node
// Row group 3 of ./grove bench, the DOM side: the same posts the other benchmarks seed (same
// authors, bodies of 120-360 characters, a reply every fifth) drawn as a plain DOM list in the
// same headless Chromium, the way DOM-based comment widgets draw them (one element tree per
// post: author, time, body, endorse and reply buttons). For 100, 1,000 and 10,000 posts:
//   first render  navigation start -> the list is built and painted (two animation frames later)
//   scroll        frame intervals while the list scrolls 40 px every frame (requestAnimationFrame
//                 deltas: 16.7 ms is smooth at 60 Hz), median, p95 and frames over 50 ms
// Writes JSON to --out.  node bench/dom_list.mjs --out results/dom_list.json [--rounds 3]
import { createServer } from 'node:http';
import { writeFileSync } from 'node:fs';
import { launchBrowser } from '../tests/browser/lib/harness.mjs';

const argv = process.argv.slice(2);
const arg = (name, def) => (argv.includes('--' + name) ? argv[argv.indexOf('--' + name) + 1] : def);
const OUT = arg('out');
const ROUNDS = Number(arg('rounds', 3));
const SIZES = [100, 1000, 10000];
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor((s.length - 1) * p))]; };

function posts(n) {
  const words = 'extinguisher exit alarm drill label class smoke door stairs assembly point warden check weekly'.split(' ');
  const out = [];
  for (let i = 0; i < n; i++) {
    let body = `Reflection ${i}:`;
    while (body.length < 120 + (i % 7) * 40) body += ' ' + words[(i * 7 + body.length) % words.length];
    out.push({ id: `bench-${i}`, author: `Bench Person ${i % 20}`, body, endorsements: i % 9, reply: i % 5 === 4,
      at: new Date(Date.UTC(2026, 0, 1) + i * 60000).toISOString() });
  }
  return out;
}

// The page renders from embedded JSON on DOMContentLoaded, as a widget renders from its cache.
function html(n) {
  return `<!doctype html><meta charset="utf-8"><title>DOM list ${n}</title>
<style>
  body { font: 15px/1.45 system-ui, sans-serif; margin: 0; }
  #list { height: 640px; width: 640px; overflow-y: auto; border: 1px solid #ccc; }
  .post { padding: 10px 14px; border-bottom: 1px solid #eee; }
  .post.reply { margin-left: 28px; }
  .meta { color: #555; font-size: 13px; display: flex; gap: 8px; }
  .author { font-weight: 600; color: #111; }
  .actions button { font: inherit; font-size: 13px; margin-right: 6px; }
</style>
<div id="list"></div>
<script id="data" type="application/json">${JSON.stringify(posts(n))}</script>
<script>
document.addEventListener('DOMContentLoaded', () => {
  const data = JSON.parse(document.getElementById('data').textContent);
  const list = document.getElementById('list');
  const frag = document.createDocumentFragment();
  for (const p of data) {
    const el = document.createElement('article');
    el.className = p.reply ? 'post reply' : 'post';
    const meta = document.createElement('div'); meta.className = 'meta';
    const a = document.createElement('span'); a.className = 'author'; a.textContent = p.author;
    const t = document.createElement('time'); t.dateTime = p.at; t.textContent = new Date(p.at).toLocaleString();
    meta.append(a, t);
    const body = document.createElement('p'); body.textContent = p.body;
    const actions = document.createElement('div'); actions.className = 'actions';
    const e = document.createElement('button'); e.textContent = 'Endorse (' + p.endorsements + ')';
    const r = document.createElement('button'); r.textContent = 'Reply';
    actions.append(e, r);
    el.append(meta, body, actions);
    frag.append(el);
  }
  list.append(frag);
  requestAnimationFrame(() => requestAnimationFrame(() => { window.__rendered = performance.now(); }));
});
window.__scroll = (frames) => new Promise((resolve) => {
  const list = document.getElementById('list');
  const deltas = [];
  let last = null, i = 0;
  function step(now) {
    if (last !== null) deltas.push(now - last);
    last = now;
    if (i++ >= frames) { resolve(deltas); return; }
    list.scrollTop += 40;
    requestAnimationFrame(step);
  }
  requestAnimationFrame(step);
});
</script>`;
}

const pages = new Map(SIZES.map((n) => [`/list-${n}.html`, html(n)]));
const http = createServer((req, res) => {
  const body = pages.get(req.url);
  res.writeHead(body ? 200 : 404, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(body || 'not found');
});
await new Promise((r) => http.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${http.address().port}`;
const browser = await launchBrowser();
const result = {};
try {
  const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
  const page = await context.newPage();
  const first = Object.fromEntries(SIZES.map((n) => [n, []]));
  const deltas = Object.fromEntries(SIZES.map((n) => [n, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const n of SIZES) {   // interleaved: every size once per round
      await page.goto(`${base}/list-${n}.html`);
      first[n].push(await (await page.waitForFunction(() => window.__rendered || false, null, { polling: 10 })).jsonValue());
      const count = await page.locator('article').count();
      if (count !== n) throw new Error(`DOM list: ${count} posts drawn, not ${n}`);
      deltas[n].push(...(await page.evaluate((f) => window.__scroll(f), 120)));
    }
  }
  for (const n of SIZES) {
    result[n] = {
      first_render_ms: median(first[n]), first_render_runs: first[n],
      scroll_frame_ms: { median: median(deltas[n]), p95: pct(deltas[n], 0.95), over_50ms: deltas[n].filter((d) => d > 50).length, frames: deltas[n].length },
    };
    const r = result[n];
    console.log(`  DOM list ${String(n).padStart(5)} posts: first render ${r.first_render_ms.toFixed(0)} ms, ` +
      `scroll frame median ${r.scroll_frame_ms.median.toFixed(1)} ms, p95 ${r.scroll_frame_ms.p95.toFixed(1)} ms`);
  }
  await context.close();
} finally {
  await browser.close();
  http.close();
}
writeFileSync(OUT, JSON.stringify(result, null, 2));
