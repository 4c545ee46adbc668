#!/usr/bin/env node
// Peers' clients doing the same work as Grove, in the same Chromium: Waline's and Artalk's
// browser clients (their npm packages' own dist bundles) against a small stub of their list APIs
// on loopback, and Grove against the real grove-server, each with the same 100 and 1,000 comments
// (bodies of 120-360 chars, 20 authors, a reply every fifth, as bench/lib/seed.mjs seeds).
// Per product x N, ROUNDS rounds, each in a fresh browser context (cold HTTP cache, empty
// IndexedDB), medians; the last round also scrolls (a median over its frames):
//   first render  navigation start -> the first comment of the list is in the DOM, taken in the
//                 requestAnimationFrame after it appeared (peers: .wl-card-item / .atk-comment);
//                 Grove: the first frame whose drawn text holds a seeded body (groveDebug
//                 screenText), after grove:ready and the first pull's first page.
//   scrolling     mouse wheel 40 px per 16 ms for 2 s (1 s down, 1 s up) over the list:
//                 requestAnimationFrame deltas, median / p95 / count over 50 ms. The peers' lists
//                 are DOM, so the page scrolls; Grove's canvas scrolls inside, with focus.
//   memory        after a garbage collection: JS heap used (CDP Runtime.getHeapUsage), DOM nodes
//                 (Performance.getMetrics); Grove also its wasm memory and the text pages' GPU
//                 bytes (groveDebug.stats()); all: the private memory of the page's renderer
//                 process, of the GPU process and of every process of a browser holding only it.
// The peers paginate: each is measured with its default page size and again with a page size
// that renders all N (their config allows it), and the output says which.
//   node bench/peer_clients.mjs --peers build/bench/peers --out results/peer_clients.json [--rounds 3]
//        [--scroll-rounds 1 (the last rounds also scroll)] [--sizes 100,1000] [--only grove,waline,artalk]
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const argv = process.argv.slice(2);
const arg = (name, def) => (argv.includes('--' + name) ? argv[argv.indexOf('--' + name) + 1] : def);
const OUT = arg('out');
const PEERS = arg('peers');
const ROUNDS = Number(arg('rounds', 3));
const SCROLL_ROUNDS = Math.min(ROUNDS, Number(arg('scroll-rounds', 1)));   // the last rounds also scroll
const SIZES = (arg('sizes', '100,1000')).split(',').map(Number);
const ONLY = arg('only', 'grove,waline,artalk').split(',');
if (!OUT) { console.error('usage: peer_clients.mjs --peers DIR --out FILE [--rounds 3]'); process.exit(2); }
const log = (s) => console.log(`  ${s}`);
const started = Date.now();

// Grove's pages: a copy of the host page with one page per N (the server serves its --site-dir).
const ROOT = resolve(import.meta.dirname, '..');
const siteSrc = process.env.GROVE_SITE_DIR || join(ROOT, 'host-page');
const site = mkdtempSync(join(tmpdir(), 'grove-peer-site-'));
cpSync(siteSrc, site, { recursive: true });
// At the widget's default height (a 640 px box that scrolls inside), not the demo page's "none":
// Grove's scrolling row measures the widget scrolling its posts itself.
const indexHtml = readFileSync(join(site, 'index.html'), 'utf8').replace(/\s*data-grove-height="none"/, '');
for (const n of SIZES) writeFileSync(join(site, `peers-${n}.html`), indexHtml.replaceAll('fire-safety-101', `peers-${n}`));
process.env.GROVE_SITE_DIR = site;
const { startServer, launchBrowser, recordGroveEvents } = await import('../tests/browser/lib/harness.mjs');
const { seedPosts } = await import('./lib/seed.mjs');
const { median, wheelFrames, heapAfterGc } = await import('./lib/measure.mjs');

// ---- The comments: what seed.mjs seeds, as each peer's server would answer them.
const WORDS = 'extinguisher exit alarm drill label class smoke door stairs assembly point warden check weekly'.split(' ');
function comments(n) {
  const out = [];
  const roots = [];
  const t0 = Date.parse('2026-11-02T09:00:00Z');
  for (let i = 0; i < n; i++) {
    let body = `Reflection ${i}:`;
    while (body.length < 120 + (i % 7) * 40) body += ' ' + WORDS[(i * 7 + body.length) % WORDS.length];
    const parent = i % 5 === 4 && roots.length ? roots[i % roots.length] : null;
    out.push({ id: i + 1, body, author: i % 20, parent, time: t0 + i * 60000 });
    if (parent === null) roots.push(i + 1);
  }
  return out;
}
const cache = new Map();
const commentsOf = (n) => { if (!cache.has(n)) cache.set(n, comments(n)); return cache.get(n); };
const nOfPath = (p) => Number(String(p || '').replace(/\D+/g, '')) || 0;
const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

// Waline: GET /api/comment?path=&pageSize=&page=&lang=&sortBy= -> {errno, data: {count, page,
// pageSize, totalPages, data: [root with children]}} (@waline/api getComment); newest roots first.
function walineList(origin, q) {
  const all = commentsOf(nOfPath(q.get('path')));
  const size = Math.max(1, Number(q.get('pageSize')) || 10), page = Math.max(1, Number(q.get('page')) || 1);
  const byId = new Map(all.map((c) => [c.id, c]));
  const avatar = (c) => `${origin}/avatar/${c.author}.svg`;
  const base = (c) => ({
    objectId: c.id, time: c.time, comment: `<p>${esc(c.body)}</p>\n`, orig: c.body, like: 0,
    nick: `Bench Person ${c.author}`, link: '', avatar: avatar(c), browser: 'Chrome 120', os: 'Linux',
    addr: '', status: 'approved',
  });
  const roots = all.filter((c) => c.parent === null).reverse();
  const slice = roots.slice((page - 1) * size, page * size).map((r) => ({
    ...base(r), sticky: false,
    children: all.filter((c) => c.parent === r.id).map((c) => {
      const p = byId.get(c.parent);
      return { ...base(c), pid: c.parent, rid: c.parent, at: `Bench Person ${p.author}`,
        reply_user: { nick: `Bench Person ${p.author}`, link: '', avatar: avatar(p) } };
    }),
  }));
  return { errno: 0, errmsg: '', data: { count: all.length, page, pageSize: size, totalPages: Math.ceil(roots.length / size), data: slice } };
}

// Artalk: GET /api/v2/conf -> {frontend_conf, version}; GET /api/v2/comments?limit=&offset=
// &page_key=&site_name=&flat_mode= -> {comments, count, roots_count, page} (main.d.ts
// HandlerResponseCommentList); nested mode: a page of roots and every reply under them.
const artalkDate = (t) => new Date(t).toISOString().replace('T', ' ').slice(0, 19);
function artalkList(origin, q) {
  const key = q.get('page_key');
  const all = commentsOf(nOfPath(key));
  const limit = Number(q.get('limit')) || 20, offset = Number(q.get('offset')) || 0;
  const flat = q.get('flat_mode') === 'true';
  const cooked = (c) => ({
    id: c.id, content: c.body, content_marked: `<p>${esc(c.body)}</p>\n`, date: artalkDate(c.time),
    email_encrypted: String(c.author).padStart(32, '0'), nick: `Bench Person ${c.author}`, link: '',
    page_key: key, page_url: key, rid: c.parent || 0, site_name: 'Bench', ua: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0',
    user_id: c.author + 1, visible: true, vote_up: 0, vote_down: 0, is_allow_reply: true, is_collapsed: false,
    is_pending: false, is_pinned: false, is_verified: false, badge_name: '', badge_color: '', ip_region: '',
  });
  const roots = all.filter((c) => c.parent === null).reverse();
  let list;
  if (flat) list = [...all].reverse().slice(offset, offset + limit);
  else {
    const page = roots.slice(offset, offset + limit);
    const ids = new Set(page.map((c) => c.id));
    list = [...page, ...all.filter((c) => c.parent !== null && ids.has(c.parent))];
  }
  return {
    comments: list.map(cooked), count: all.length, roots_count: roots.length,
    page: { id: 1, key, url: key, title: 'Fire safety 101', pv: 0, vote_up: 0, vote_down: 0, admin_only: false, site_name: 'Bench', date: artalkDate(Date.now()) },
  };
}

const ARTICLE = `<header style="padding:12px 24px;background:#1d3557;color:#fff">Acme Intranet</header>
<main style="max-width:760px;margin:0 auto;padding:0 24px;font:16px/1.5 system-ui,sans-serif">
<article><h1>Fire safety 101</h1><p>Most workplace fires start small. In the first thirty seconds a portable
extinguisher is enough; after three minutes it rarely is. This module walked through the PASS technique
(Pull, Aim, Squeeze, Sweep), how to read the label on an extinguisher, and when to stop fighting a fire and
leave.</p><div style="height:240px;background:#ddd;display:grid;place-items:center">Module video</div></article>
<section><h2>Discussion</h2><div id="comments"></div></section></main>`;
const peerPage = (css, js, init) => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Fire safety 101</title>
<link rel="icon" href="data:,"><link rel="stylesheet" href="${css}"></head><body>${ARTICLE}
<script src="${js}"></script><script>${init}</script></body></html>`;

const PEER_DEFS = {
  waline: {
    pkg: '@waline/client', js: 'dist/waline.umd.js', css: 'dist/waline.css', selector: '.wl-card-item',
    defaultPage: 10,
    // emoji/search off: their defaults fetch presets from a CDN (blocked here, as off-line).
    init: (n, size) => `Waline.init({el:'#comments',serverURL:location.origin,path:'/post-${n}',lang:'en',
      emoji:false,search:false,reaction:false,pageview:false,comment:false${size ? `,pageSize:${size}` : ''}});`,
  },
  artalk: {
    pkg: 'artalk', js: 'dist/Artalk.js', css: 'dist/Artalk.css', selector: '.atk-comment',
    defaultPage: 20,
    init: (n, size) => `Artalk.init({el:'#comments',server:location.origin,site:'Bench',pageKey:'/post-${n}',
      pageTitle:'Fire safety 101',locale:'en',emoticons:false,gravatar:{mirror:location.origin+'/avatar/',params:''}
      ${size ? `,pagination:{pageSize:${size},readMore:true,autoLoad:true}` : ''}});`,
  },
};

function startStub(peersDir) {
  const unknown = [];
  const calls = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const origin = `http://${req.headers.host}`;
    const send = (code, type, body) => { res.writeHead(code, { 'Content-Type': type, 'Cache-Control': 'no-store' }); res.end(body); };
    const json = (o) => send(200, 'application/json; charset=utf-8', JSON.stringify(o));
    const p = url.pathname;
    calls.push(`${req.method} ${p}`);
    let m;
    if ((m = p.match(/^\/(waline|artalk)\.html$/))) {
      const d = PEER_DEFS[m[1]];
      const n = Number(url.searchParams.get('n')), size = Number(url.searchParams.get('size')) || 0;
      return send(200, 'text/html; charset=utf-8', peerPage(`/pkg/${d.pkg}/${d.css}`, `/pkg/${d.pkg}/${d.js}`, d.init(n, size)));
    }
    if ((m = p.match(/^\/pkg\/(.+)$/))) {
      const f = join(peersDir, 'node_modules', m[1]);
      if (!f.startsWith(join(peersDir, 'node_modules')) || !existsSync(f)) return send(404, 'text/plain', 'no');
      return send(200, f.endsWith('.css') ? 'text/css' : 'text/javascript', readFileSync(f));
    }
    if (p.startsWith('/avatar/')) {
      const k = nOfPath(p) % 20;
      return send(200, 'image/svg+xml', `<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><rect width="40" height="40" fill="hsl(${k * 18},50%,60%)"/></svg>`);
    }
    if (p === '/api/comment' && req.method === 'GET' && url.searchParams.has('path')) return json(walineList(origin, url.searchParams));
    if (p === '/api/v2/conf') return json({ frontend_conf: {}, version: { app: 'artalk', version: '2.9.1', commit_hash: '' } });
    if (p === '/api/v2/comments' && req.method === 'GET') return json(artalkList(origin, url.searchParams));
    // Anything else (counters, notifications, stats) gets a minimal valid answer and is logged.
    unknown.push(`${req.method} ${req.url}`);
    if (p.startsWith('/api/v2/')) return json({});
    if (p.startsWith('/api/')) return json({ errno: 0, errmsg: '', data: [] });
    return send(404, 'text/plain', 'not found');
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r({
    url: `http://127.0.0.1:${server.address().port}`, unknown, calls,
    stop: () => new Promise((s) => { server.closeAllConnections(); server.close(s); }),
  })));
}

// ---- Process memory of the browser's processes (children of this node).
// Private memory (clean + dirty, kB in smaps_rollup): what the process alone holds, unlike its
// proportional share of libraries that other Chromiums on the machine map too.
function privateBytes(pid) {
  try {
    const t = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const kb = (k) => Number((t.match(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm')) || [0, 0])[1]);
    return (kb('Private_Clean') + kb('Private_Dirty')) * 1024;
  } catch { return 0; }
}
function chromiumProcesses() {
  const parent = new Map(), cmd = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      cmd.set(Number(d), readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' '));
    } catch { /* gone */ }
  }
  const mine = (pid) => { for (let p = pid, k = 0; p > 1 && k < 20; p = parent.get(p), k++) if (p === process.pid) return true; return false; };
  return [...cmd.entries()].filter(([pid, c]) => /chrom/i.test(c) && pid !== process.pid && mine(pid))
    .map(([pid, c]) => ({ pid, type: (c.match(/--type=(\S+)/) || [null, 'browser'])[1], bytes: privateBytes(pid) }));
}

// ---- One measurement round in its own context.
const FIRST_RENDER_PEER = (selector) => {
  window.__firstRender = null;
  const check = () => {
    if (window.__firstRender !== null || !document.querySelector(selector)) return false;
    window.__firstRender = -1;
    requestAnimationFrame(() => { window.__firstRender = performance.now(); });
    return true;
  };
  const obs = new MutationObserver(() => { if (check()) obs.disconnect(); });
  obs.observe(document, { childList: true, subtree: true });
};
const FIRST_RENDER_GROVE = () => {
  window.__firstRender = null;
  const poll = () => {
    const el = document.querySelector('[data-grove-module]');
    if (el && el.groveDebug) {
      el.groveDebug.screenText().then((t) => {
        if (t.includes('Reflection ')) window.__firstRender = performance.now();
        else requestAnimationFrame(poll);
      });
      return;
    }
    requestAnimationFrame(poll);
  };
  requestAnimationFrame(poll);
};

async function scrollFrames(page, focusSel) {
  if (focusSel) {
    const w = page.locator(focusSel);
    await w.focus();
    await w.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    const box = await w.boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + Math.min(box.height / 2, 400));
  } else {
    await page.evaluate(() => document.querySelector('#comments').scrollIntoView({ block: 'start' }));
    await page.mouse.move(500, 450);
  }
  await page.waitForTimeout(300);
  // How far the list went: the page's scroll position, or the widget's own (Grove scrolls inside).
  const pos = () => (focusSel ? page.locator(focusSel).evaluate((el) => el.groveDebug.stats().scrollY) : page.evaluate(() => window.scrollY));
  return wheelFrames(page, pos);
}

async function memory(page, cdp, groveSel) {
  const jsHeap = await heapAfterGc(cdp);
  await page.waitForTimeout(100);
  await cdp.send('Performance.enable');
  const metrics = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  const out = { js_heap: jsHeap, js_heap_total: metrics.JSHeapTotalSize, dom_nodes: metrics.Nodes };
  if (groveSel) {
    const st = await page.locator(groveSel).evaluate((el) => el.groveDebug.stats());
    out.wasm = st.wasmBytes; out.gpu_text = st.text && st.text.gpuBytes;
  }
  const procs = chromiumProcesses();
  const renderers = procs.filter((p) => p.type === 'renderer').sort((a, b) => b.bytes - a.bytes);
  out.renderer_private = renderers.length ? renderers[0].bytes : null;
  out.gpu_private = procs.filter((p) => p.type === 'gpu-process').reduce((a, p) => a + p.bytes, 0);
  out.chromium_private = procs.reduce((a, p) => a + p.bytes, 0);
  return out;
}

async function round(browser, kind, url, opts) {
  const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
  const blocked = [];
  await context.route((u) => !/^https?:\/\/(127\.0\.0\.1|localhost)[:/]/.test(u.href) && !u.href.startsWith('data:'), (route) => {
    blocked.push(route.request().url()); route.abort();
  });
  if (kind === 'grove') { await recordGroveEvents(context); await context.addInitScript(FIRST_RENDER_GROVE); }
  else await context.addInitScript(FIRST_RENDER_PEER, opts.selector);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const cdp = await context.newCDPSession(page);
  try {
    await page.goto(url);
    const first = await page.waitForFunction(() => (window.__firstRender > 0 ? window.__firstRender : false), null, { timeout: 60000, polling: 20 }).then((h) => h.jsonValue());
    const r = { first_render_ms: first };
    if (kind === 'grove') {
      r.ready_ms = await page.evaluate(() => (window.__groveEvents.find((e) => e.name === 'grove:ready') || {}).t ?? null);
      // Every post pulled and shown (the first pull with an empty cache).
      const FRESH = (e) => e.name === 'grove:sync' && e.detail && e.detail.last_sync && Date.parse(e.detail.last_sync) >= Math.floor(performance.timeOrigin);
      r.all_shown_ms = await page.waitForFunction((src) => { const e = window.__groveEvents.find((0, eval)(src)); return e ? e.t : false; }, FRESH.toString(), { timeout: 60000, polling: 50 }).then((h) => h.jsonValue());
      r.shown = await page.locator('[data-grove-module]').evaluate((el) => el.groveSyncState().posts.length);
    } else {
      // Settled: the list's count unchanged for 300 ms.
      let last = -1, same = 0;
      for (let i = 0; i < 300 && same < 3; i++) {
        const c = await page.locator(opts.selector).count();
        same = c === last ? same + 1 : 0; last = c;
        await page.waitForTimeout(100);
      }
      r.shown = last;
    }
    r.memory = await memory(page, cdp, kind === 'grove' ? '[data-grove-module]' : null);
    if (opts.scroll) {
      r.scroll = await scrollFrames(page, kind === 'grove' ? '[data-grove-module]' : null);
      if (kind !== 'grove') r.shown_after_scroll = await page.locator(opts.selector).count();
    }
    r.errors = errors; r.blocked = blocked;
    return r;
  } finally {
    await context.close();
  }
}

function summarise(runs) {
  const pick = (f) => median(runs.map(f));
  const mem = {};
  for (const k of Object.keys(runs[0].memory)) mem[k] = pick((r) => r.memory[k]);
  const scrolled = runs.filter((r) => r.scroll);
  const sc = {};
  for (const k of Object.keys(scrolled[0].scroll)) sc[k] = median(scrolled.map((r) => r.scroll[k]));
  const s = { first_render_ms: pick((r) => r.first_render_ms), first_render_runs: runs.map((r) => r.first_render_ms), shown: pick((r) => r.shown), memory: mem, scroll: sc };
  for (const k of ['ready_ms', 'all_shown_ms']) if (k in runs[0]) s[k] = pick((r) => r[k]);
  if ('shown_after_scroll' in scrolled[0]) s.shown_after_scroll = median(scrolled.map((r) => r.shown_after_scroll));
  const errs = [...new Set(runs.flatMap((r) => r.errors))], blocked = [...new Set(runs.flatMap((r) => r.blocked))];
  if (errs.length) s.page_errors = errs;
  if (blocked.length) s.blocked_requests = blocked;
  return s;
}

const result = { rounds: ROUNDS, scroll_rounds: SCROLL_ROUNDS, sizes: SIZES, rows: [], notes: [] };
let grove = null, stub = null;
try {
  const cases = [];
  if (ONLY.includes('grove')) {
    grove = await startServer(['--writes-per-minute', '1000000', '--sqlite-sync', 'normal']);
    for (const n of SIZES) {
      await seedPosts(grove, `peers-${n}`, n, `p${n}`);
      cases.push({ product: 'grove', n, pagination: 'all (one thread, pulled in pages)', url: `${grove.url}/peers-${n}.html` });
    }
    log(`grove-server seeded with ${SIZES.join(' and ')} posts`);
  }
  const peersOk = PEERS && existsSync(join(PEERS, 'node_modules'));
  if (!peersOk) result.notes.push('no --peers folder with node_modules: the peers were not measured');
  else {
    stub = await startStub(resolve(PEERS));
    for (const name of ['waline', 'artalk']) {
      if (!ONLY.includes(name)) continue;
      const d = PEER_DEFS[name];
      if (!existsSync(join(PEERS, 'node_modules', d.pkg, d.js))) { result.notes.push(`${d.pkg} not installed`); continue; }
      const version = JSON.parse(readFileSync(join(PEERS, 'node_modules', d.pkg, 'package.json'), 'utf8')).version;
      for (const n of SIZES) {
        cases.push({ product: name, version, n, pagination: `default (${d.defaultPage} threads a page)`, url: `${stub.url}/${name}.html?n=${n}`, selector: d.selector });
        cases.push({ product: name, version, n, pagination: `all (page size ${n})`, url: `${stub.url}/${name}.html?n=${n}&size=${n}`, selector: d.selector });
      }
    }
  }
  for (const c of cases) {
    // A browser of its own per case: its processes' memory is this page's alone.
    const browser = await launchBrowser();
    const runs = [];
    try {
      for (let i = 0; i < ROUNDS; i++) runs.push(await round(browser, c.product, c.url, { ...c, scroll: i >= ROUNDS - SCROLL_ROUNDS }));
    } catch (e) {
      // One case failing (a peer's client that changed, a timeout) leaves the others' rows.
      result.rows.push({ product: c.product, version: c.version, n: c.n, pagination: c.pagination, failed: String(e.message || e).split('\n')[0] });
      log(`${c.product} N=${c.n} ${c.pagination}: FAILED ${result.rows.at(-1).failed}`);
      continue;
    } finally { await browser.close(); }
    const s = { product: c.product, version: c.version, n: c.n, pagination: c.pagination, ...summarise(runs) };
    result.rows.push(s);
    const m = s.memory;
    log(`${c.product.padEnd(6)} N=${String(c.n).padEnd(4)} ${c.pagination.padEnd(34)} first render ${Math.round(s.first_render_ms)} ms${s.ready_ms ? ` (grove:ready ${Math.round(s.ready_ms)} ms)` : ''}` +
      ` (runs ${s.first_render_runs.map(Math.round).join(', ')}), ${s.shown} shown` +
      `${s.all_shown_ms ? `, all shown ${Math.round(s.all_shown_ms)} ms` : ''}${s.shown_after_scroll !== undefined ? `, ${s.shown_after_scroll} after scroll` : ''};` +
      ` scroll median ${s.scroll.median.toFixed(1)} / p95 ${s.scroll.p95.toFixed(1)} ms, ${s.scroll.over_50ms} over 50 ms;` +
      ` JS heap ${(m.js_heap / 1e6).toFixed(1)} MB${m.wasm ? `, wasm ${(m.wasm / 1e6).toFixed(1)} MB, GPU text ${((m.gpu_text || 0) / 1e6).toFixed(1)} MB` : ''},` +
      ` ${m.dom_nodes} DOM nodes, private: renderer ${(m.renderer_private / 1e6).toFixed(0)} MB, GPU process ${(m.gpu_private / 1e6).toFixed(0)} MB, all Chromium ${(m.chromium_private / 1e6).toFixed(0)} MB`);
    if (s.page_errors) log(`  page errors: ${s.page_errors.join(' | ')}`);
    if (s.blocked_requests) log(`  blocked (not loopback): ${s.blocked_requests.join(' ')}`);
  }
  if (stub) {
    result.stub_unknown_requests = [...new Set(stub.unknown)];
    result.stub_requests = [...new Set(stub.calls.filter((x) => x.includes('/api/')))];
    if (result.stub_unknown_requests.length) log(`stub: requests answered minimally: ${result.stub_unknown_requests.join(' ')}`);
    log(`stub: API requests seen: ${result.stub_requests.join(' ')}`);
  }
} finally {
  if (stub) await stub.stop();
  if (grove) await grove.stop();
  rmSync(site, { recursive: true, force: true });
}
result.seconds = (Date.now() - started) / 1000;
writeFileSync(OUT, JSON.stringify(result, null, 2));
log(`done in ${result.seconds.toFixed(0)} s`);
