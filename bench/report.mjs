#!/usr/bin/env node
// ./grove bench, last step: one markdown table (figure | value | target | result) from the JSON
// and text each part left in the results folder; printed and written to --out.
//   node bench/report.mjs --results build/bench/results --out build/bench/results.md
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';

const argv = process.argv.slice(2);
const arg = (name, def) => (argv.includes('--' + name) ? argv[argv.indexOf('--' + name) + 1] : def);
const dir = arg('results');
const out = arg('out');

const json = (name) => {
  const p = join(dir, name);
  if (!existsSync(p)) return null;
  const j = JSON.parse(readFileSync(p, 'utf8'));
  return j && j.failed ? { failed: true } : j;
};
const text = (name) => (existsSync(join(dir, name)) ? readFileSync(join(dir, name), 'utf8') : '');

const rows = [];
const row = (figure, value, target = '', result = '') => rows.push({ figure, value, target, result });
const verdict = (ok) => (ok === null || ok === undefined ? 'n/a' : ok ? 'pass' : '**FAIL**');
const kb = (n) => `${(n / 1000).toFixed(1)} KB`;
const ms = (n) => (n === null || n === undefined ? 'n/a' : `${Math.round(n)} ms`);
const missing = (figure, why) => row(figure, `not measured: ${why}`, '', 'n/a');
const int = (n) => Math.round(n).toLocaleString('en-US');

// 1. Payload
const payload = json('payload.json');
if (!payload || payload.failed) {
  missing('1. payload', payload ? 'payload.mjs failed (see payload.log)' : 'not run');
} else {
  for (const f of payload.grove) {
    row(`1. Grove ${f.name}`, `${kb(f.raw)} raw, ${kb(f.gzip)} gzip, ${kb(f.brotli)} brotli`);
  }
  const t = payload.total;
  // Judged on what the server sends (the build's .gz files, by zopfli); zlib level 9 is what the
  // peers are measured with, for the ratios below.
  const served = t.served_gzip ?? t.gzip;
  const how = t.served_gzip != null
    ? `**${kb(t.served_gzip)} gzip as served** (zopfli; zlib level 9: ${kb(t.gzip)}), ${kb(t.served_brotli ?? t.brotli)} brotli as served`
    : `**${kb(t.gzip)} gzip**, ${kb(t.brotli)} brotli`;
  const firstView = payload.deferred ? 'loader + glue + first view\'s wasm' : 'loader + glue + wasm';
  row(`1. Grove total (${firstView})`, `${kb(t.raw)} raw, ${how}`, '<= 200 KB gzip', verdict(served <= 200000));
  const d = payload.deferred, all = payload.total_with_deferred;
  if (d && all) {
    row('1. deferred wasm grove-core-deferred.wasm (fetched once the widget is ready; not in the total)',
      `${kb(d.raw)} raw, ${kb(d.served_gzip ?? d.gzip)} gzip as served, ${kb(d.served_brotli ?? d.brotli)} brotli`, 'context',
      `with it: ${kb(all.served_gzip ?? all.gzip)} gzip as served`);
  }
  const f = payload.fallback_font;
  if (f) {
    row('1. fallback font grove-font.ttf (fetched only where canvas text cannot be read back; not in the total)',
      `${kb(f.raw)} raw, ${kb(f.gzip)} gzip, ${kb(f.brotli)} brotli`, 'context');
  }
  for (const p of payload.peers) {
    if (p.missing) { missing(`1. peer ${p.name}`, 'npm package not installed'); continue; }
    const files = p.files.map((f) => f.file.replace(/^dist\//, '')).join(' + ');
    row(`1. peer ${p.name} (${files})`, `${kb(p.raw)} raw, ${kb(p.gzip)} gzip, ${kb(p.brotli)} brotli`,
      'context', `Grove ${(t.gzip / p.gzip).toFixed(2)}x its gzip (both zlib level 9)`);
  }
}

// 2. Startup and 5. sync
const ss = json('startup_sync.json');
if (!ss || ss.failed) {
  missing('2. startup / 5. sync', ss ? 'startup_sync.mjs failed (see startup_sync.log)' : 'not run');
} else {
  const s = ss.startup;
  const runs = (k) => (s[k] && s[k].runs.length ? ` (runs ${s[k].runs.map((x) => Math.round(x)).join(', ')})` : '');
  const n = int(ss.posts);
  row('2. navigation -> grove:ready, cold HTTP cache, 0 cached posts', ms(s.cold_empty.median_ms) + runs('cold_empty'));
  row('2. navigation -> grove:ready, warm HTTP cache, 0 cached posts', ms(s.warm_empty.median_ms) + runs('warm_empty'));
  if (s.cold_full.median_ms === null) {
    missing(`2. grove:ready with ${n} cached posts`, ss.notes.join('; '));
  } else {
    row(`2. navigation -> grove:ready, cold HTTP cache, ${n} cached posts`, ms(s.cold_full.median_ms) + runs('cold_full'));
    const extra = s.warm_full.median_ms - s.warm_empty.median_ms;
    row(`2. navigation -> grove:ready, warm HTTP cache, ${n} cached posts`, ms(s.warm_full.median_ms) + runs('warm_full'),
      '<= empty + 300 ms', `${verdict(extra <= 300)} (+${Math.round(extra)} ms)`);
  }
  // Where the time to grove:ready went (the startup marks): a regression shows its phase here.
  const NAMES = { loader_fetch: 'loader fetch', wasm_fetch: 'wasm fetch', glue_fetch: 'glue fetch',
    compile_after_download: 'compile after download', text_probe: 'text probe', cache_read: 'cache read (IndexedDB)',
    instantiate: 'instantiate', runtime_init: 'runtime init', webgl_context: 'WebGL context',
    app_setup: 'widget setup (text, sync, UI)', first_frame: 'to the first frame (cache decode, layout, draw)',
    deferred_after_ready: 'deferred wasm in place, from grove:ready (after it; a split build)' };
  const cases = ['cold_empty', 'warm_empty', 'cold_full', 'warm_full'].filter((k) => s[k] && s[k].phases);
  if (cases.length) {
    const label = { cold_empty: 'cold/0', warm_empty: 'warm/0', cold_full: `cold/${n}`, warm_full: `warm/${n}` };
    for (const [ph, name] of Object.entries(NAMES)) {
      const parts = cases.map((k) => `${label[k]} ${s[k].phases[ph] === null ? 'n/a' : ms(s[k].phases[ph])}`);
      row(`2. startup breakdown: ${name}`, parts.join(', '), 'context');
    }
  }
  if (ss.grove_scroll) {
    const g = ss.grove_scroll;
    row(`3. Grove in Chromium, ${n} posts: frame interval while scrolling (wheel)`,
      `median ${g.median.toFixed(1)} ms, p95 ${g.p95.toFixed(1)} ms, ${g.over_50ms}/${g.frames} over 50 ms; ` +
      `${g.widget_frames} widget frames, scrolled ${Math.round(g.scrolled_px)} px (WebGL on SwiftShader: the GPU's work on the CPU)`, 'context');
  }
  for (const m of ss.memory || []) {
    row(`2. memory, ${int(m.posts)} posts shown: JS heap (after GC) / wasm memory / GPU text pages`,
      `${(m.js_heap / 1e6).toFixed(1)} MB / ${(m.wasm / 1e6).toFixed(1)} MB / ${(m.gpu_text / 1e6).toFixed(1)} MB`, 'context');
  }
  if (!ss.sync) {
    missing(`5. first pull of ${n} posts`, ss.notes.join('; '));
  } else {
    const y = ss.sync;
    row(`5. first pull of ${n} posts, empty cache: navigation -> all stored in IndexedDB and shown`,
      `${ms(y.first_pull_ms.median_ms)} (${y.first_pull_requests} requests, ${kb(y.first_pull_bytes)} on the wire)`);
    row('5. incremental pull, nothing new: grove:ready -> pull done',
      `${ms(y.incremental_after_ready_ms.median_ms)} (${y.incremental_bytes} bytes on the wire)`);
  }
}


// 2. Peers' clients: Waline and Artalk against a stub of their list APIs, Grove against its server
const pc = json('peer_clients.json');
if (!pc || pc.failed) missing("2. peers' clients", pc ? 'peer_clients.mjs failed (see peer_clients.log)' : 'not run');
else {
  const mb = (n) => (n === null || n === undefined ? 'n/a' : `${(n / 1e6).toFixed(1)} MB`);
  for (const r of pc.rows) {
    const name = r.product === 'grove' ? 'Grove' : `${r.product}${r.version ? '@' + r.version : ''}`;
    if (r.failed) { missing(`2. ${name}, ${int(r.n)} comments, ${r.pagination}`, `failed: ${r.failed}`); continue; }
    const m = r.memory;
    row(`2. ${name}, ${int(r.n)} comments, ${r.pagination}: ${int(r.shown)} shown`,
      `first render ${ms(r.first_render_ms)}${r.all_shown_ms ? ` (all ${int(r.n)} shown ${ms(r.all_shown_ms)})` : ''}; ` +
      `scrolling frame median ${r.scroll.median.toFixed(1)} ms, p95 ${r.scroll.p95.toFixed(1)} ms; JS heap ${mb(m.js_heap)}` +
      (m.wasm ? ` + wasm ${mb(m.wasm)} + GPU text ${mb(m.gpu_text)}` : '') + `; renderer process ${mb(m.renderer_private)}, GPU process ${mb(m.gpu_private)}`,
      'context');
  }
}
// 3. Rendering
const frame = text('frame.txt');
// Columns: posts, view (on/off), rows, open, steady, steady p95, scroll, rebuild, drawn, view nodes, view li.
const frameRows = [...frame.matchAll(/^(\d+)\s+(on|off)\s+(\d+)\s+([\d.]+)\s+(\d+)\s+(\d+)\s+(\d+)\s+([\d.]+)\s+(\d+)\s+(\d+)\s+(\d+)\s*$/gm)]
  .map((m) => ({ posts: +m[1], view: m[2] === 'on', steady: +m[5], p95: +m[6], scroll: +m[7], rebuild: +m[8],
    nodes: +m[10], items: +m[11] }));
if (!frameRows.length) {
  missing('3. frame CPU time', frame.trim() || 'not run');
} else {
  for (const r of frameRows) {
    const base = frameRows.find((b) => b.posts === 100 && b.view === r.view) || frameRows[0];
    const ratio = Math.max(r.steady / base.steady, r.scroll / base.scroll);
    const what = r.view ? `${int(r.posts)} posts, HTML view on (${r.nodes} view nodes, ${r.items} list items)` : `${int(r.posts)} posts`;
    row(`3. frame CPU time, ${what} (headless ImGui, native)`,
      `steady ${r.steady} us, scrolling ${r.scroll} us, rebuild ${r.rebuild} ms`,
      r === base ? '' : '<= 1.5x the 100-post frame', r === base ? '' : `${verdict(ratio <= 1.5)} (${ratio.toFixed(2)}x)`);
  }
}
const idle = text('idle.txt');
const worst = idle.match(/worst idle rate ([\d.]+) frames\/s/);
if (worst) row('3. idle widget in Chromium: frames/s (worst of unfocused, focused, off screen)', `${worst[1]} frames/s`, '<= 1', verdict(+worst[1] <= 1));
else missing('3. idle frames/s', idle.trim().split('\n').pop() || 'not run');
const dom = json('dom_list.json');
if (!dom || dom.failed) missing('3. DOM list', dom ? 'dom_list.mjs failed' : 'not run');
else {
  for (const [n, d] of Object.entries(dom)) {
    row(`3. plain DOM list in Chromium, ${int(+n)} posts`,
      `first render ${ms(d.first_render_ms)}; scrolling frame median ${d.scroll_frame_ms.median.toFixed(1)} ms, p95 ${d.scroll_frame_ms.p95.toFixed(1)} ms`,
      'context');
  }
}

// 4. Server
const srv = json('server.json');
if (!srv || srv.failed) missing('4. server', srv ? 'server_bench.sh failed (see server.log)' : 'not run');
else {
  const w = (r) => `${int(r.rps)} req/s, p99 ${r.p99_ms.toFixed(1)} ms` + (r.non2xx || r.socket_errors ? `, ${r.non2xx} non-2xx, ${r.socket_errors} socket errors` : '');
  if (srv.nginx_static) row('4. nginx, static 10 KB file (ceiling of this machine)', w(srv.nginx_static), 'context');
  const ceiling = (r) => (srv.nginx_static ? ` (${Math.round((100 * r.rps) / srv.nginx_static.rps)}% of nginx's)` : '');
  row(`4. grove-server GET feed, 200 posts (${kb(srv.feed_bytes)})`, w(srv.get_feed) + ceiling(srv.get_feed), '>= 10,000 req/s', verdict(srv.get_feed.rps >= 10000 && !srv.get_feed.non2xx));
  if (srv.get_feed_gzip)
    row(`4. grove-server GET feed, 200 posts, gzip as browsers ask (${kb(srv.feed_gzip_bytes)})`, w(srv.get_feed_gzip) + ceiling(srv.get_feed_gzip), 'context');
  row('4. grove-server POST create, --sqlite-sync normal', w(srv.post_normal) + ceiling(srv.post_normal), '>= 2,000 req/s', verdict(srv.post_normal.rps >= 2000 && !srv.post_normal.non2xx));
  row('4. grove-server POST create, --sqlite-sync full (default)', w(srv.post_full) + ceiling(srv.post_full), '>= 2,000 req/s', verdict(srv.post_full.rps >= 2000 && !srv.post_full.non2xx));
  // Group commit: full durability should cost little against normal in the same run.
  const share = (100 * srv.post_full.rps) / srv.post_normal.rps;
  row('4. POST with full durability against normal (group commit)', `${share.toFixed(0)}% of normal's req/s, p99 ${srv.post_full.p99_ms.toFixed(1)} ms`,
    '>= 90%, p99 <= 25 ms', verdict(share >= 90 && srv.post_full.p99_ms <= 25));
  if (srv.nginx_static) {
    const feed = (100 * srv.get_feed.rps) / srv.nginx_static.rps;
    row('4. GET feed against nginx static 10 KB', `${feed.toFixed(0)}% of nginx's req/s`, '>= 50%', verdict(feed >= 50));
    if (srv.get_feed_gzip) {
      const gz = (100 * srv.get_feed_gzip.rps) / srv.nginx_static.rps;
      row('4. GET feed, gzip as browsers ask, against nginx static 10 KB', `${gz.toFixed(0)}% of nginx's req/s`, '>= 50%', verdict(gz >= 50 && !srv.get_feed_gzip.non2xx));
    }
  }
}

// 6. Transport: many connections, event streams, the load test
const tr = json('transport.json');
if (!tr || tr.failed) missing('6. transport', tr ? 'transport_bench.sh failed (see transport.log)' : 'not run');
else {
  const w = (r) => `${int(r.rps)} req/s, p99 ${r.p99_ms.toFixed(1)} ms, ${r.non2xx + r.socket_errors} errors` +
    (r.held !== undefined ? `, ${int(r.held)} connections held` : '');
  const a = tr.feed_after;
  for (const c of ['32', '400', '2000']) {
    const r = a['c' + c];
    const before = tr.feed_before ? `; before: ${w(tr.feed_before['c' + c])}` : '';
    // wrk is a closed loop: each connection waits for its answer, so the mean latency is the
    // connections divided by the requests/s (Little's law) whatever the server does.
    const bound = `; mean latency ${int(Number(c) * 1000 / r.rps)} ms = ${c} / req/s`;
    const nginx = tr.feed_nginx ? `; nginx, same bytes as a static file: ${w(tr.feed_nginx['c' + c])}` : '';
    if (c === '2000') {
      const ok = r.non2xx + r.socket_errors === 0 && r.p99_ms <= 50 && r.rps >= 0.9 * a.c32.rps;
      row(`6. GET feed (${kb(tr.feed_bytes)}), ${c} connections`, w(r) + bound + before + nginx,
        'no errors, p99 <= 50 ms, req/s within 10% of 32 connections', verdict(ok));
    } else {
      row(`6. GET feed (${kb(tr.feed_bytes)}), ${c} connections`, w(r) + bound + before + nginx, 'context');
    }
  }
  if (tr.feed_nginx) {
    const n = tr.feed_nginx;
    row('6. requests/s at 2,000 connections as a share of 32, same run',
      `grove-server ${(100 * a.c2000.rps / a.c32.rps).toFixed(0)}%, nginx (static, same bytes) ${(100 * n.c2000.rps / n.c32.rps).toFixed(0)}%`,
      'context: the machine\'s own drop');
  }
  const p = tr.feed_paced;
  if (!p || p.failed) missing('6. GET feed, 2,000 connections, open loop', 'grove_events_bench --paced failed (see transport.log)');
  else row(`6. GET feed, ${int(p.paced)} connections, open loop at ${int(p.rate)} req/s (each every ${(p.paced / p.rate).toFixed(0)} s)`,
    `p50 ${p.p50_ms.toFixed(1)} ms, p99 ${p.p99_ms.toFixed(1)} ms, max ${p.max_ms.toFixed(1)} ms, ${int(p.rps)} req/s reached, ${p.errors + p.non200} errors`,
    'context (p99 <= 50 ms wanted)', verdict(p.errors + p.non200 === 0 && p.p99_ms <= 50));
  const i = tr.idle_streams;
  if (!i || i.failed) missing('6. 10,000 idle event streams', 'grove_events_bench failed (see transport.log)');
  else row(`6. ${int(i.streams)} idle event streams (${int(i.still_open)} open at the end)`,
    `RSS ${i.rss_mb.toFixed(0)} MB (${i.rss_before_mb.toFixed(0)} MB before, ${i.per_connection_kb.toFixed(1)} KiB a stream), CPU ${i.cpu_percent.toFixed(2)}% over ${i.window_s} s`,
    '<= 200 MB, <= 2% CPU', verdict(i.rss_mb <= 200 && i.cpu_percent <= 2 && i.still_open === i.streams));
  const k = tr.idle_keepalive_after;
  const kb4 = (x) => (!x || x.failed) ? 'failed' :
    `${int(x.open)} of ${int(x.keepalive)} answered within 20 s, ${int(x.still_open)} still open after ${x.window_s} s, ` +
    `RSS ${x.rss_mb.toFixed(0)} MB (${x.per_connection_kb.toFixed(1)} KiB a connection), CPU ${x.cpu_percent.toFixed(2)}%`;
  if (k) row('6. 2,000 idle keep-alive connections (one request each)',
    kb4(k) + (tr.idle_keepalive_before ? `; before: ${kb4(tr.idle_keepalive_before)}` : ''),
    'every one answered and held', verdict(!k.failed && k.open === k.keepalive && k.still_open === k.keepalive));
  const f = tr.fanout;
  if (!f || f.failed) missing('6. fan-out to 2,000 streams', 'grove_events_bench failed (see transport.log)');
  else row(`6. one write fanned out to ${int(f.listeners)} streams (${f.writes} writes, ${int(f.deliveries)} deliveries, ${f.missed} missed)`,
    `p50 ${f.p50_ms.toFixed(1)} ms, p99 ${f.p99_ms.toFixed(1)} ms, max ${f.max_ms.toFixed(1)} ms`,
    'p99 <= 50 ms', verdict(f.p99_ms <= 50 && f.missed === 0));
  const l = tr.load;
  if (!l) missing('6. load test', 'grove_load not built');
  else if (l.failed) missing('6. load test', 'grove_load failed (see transport.log)');
  else row('6. load test, 200 clients (bench/load_test.sh)', `p50 ${l.p50_ms} ms, p99 ${l.p99_ms} ms, max ${l.max_ms} ms, ${l.errors} errors`,
    'p99 <= 50 ms', verdict(l.p99_ms <= 50 && l.errors === 0));
}

// 7. SQLite against PostgreSQL, and delivery across two instances on one database
const pg = json('postgres.json');
if (!pg || pg.failed) missing('7. PostgreSQL', pg ? 'pg_bench.sh failed (see postgres.log)' : 'not run');
else {
  const rate = (x) => `${x} POST/s`;
  row(`7. POST create across 100 modules, wrk -t2 -c32, ${pg.seconds} s: SQLite (full) / PostgreSQL`,
    `${rate(pg.sqlite_100)} / ${rate(pg.pg_100)}`, 'PostgreSQL >= 1,000/s', verdict(parseFloat(pg.pg_100) >= 1000));
  row('7. POST create into one module: SQLite (full) / PostgreSQL', `${rate(pg.sqlite_1)} / ${rate(pg.pg_1)}`, 'context');
  const c = pg.cross;
  if (!c) missing('7. cross-instance delivery', 'grove_events_bench not built');
  else row(`7. cross-instance delivery: write on B, event on A (${c.listeners} streams, ${c.writes} writes, ${c.missed} missed)`,
    `p50 ${c.p50_ms.toFixed(1)} ms, p99 ${c.p99_ms.toFixed(1)} ms`, 'p99 <= 100 ms', verdict(c.p99_ms <= 100 && c.missed === 0));
}

const head = `Grove benchmarks, ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}; ${cpus().length} cores ` +
  `(${cpus()[0] ? cpus()[0].model.trim() : 'unknown CPU'}), load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} at the end. ` +
  'The machine is shared and noisy: compare figures measured side by side in this run, not across runs.';
const md = [head, '', '| figure | value | target | result |', '|---|---|---|---|',
  ...rows.map((r) => `| ${r.figure} | ${r.value} | ${r.target} | ${r.result} |`)].join('\n') + '\n';
writeFileSync(out, md);
process.stdout.write(md);
