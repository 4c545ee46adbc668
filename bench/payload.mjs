#!/usr/bin/env node
// Row group 1 of ./grove bench: what a browser downloads to show the widget, raw / gzip / brotli
// (the loader, the glue and the wasm; text uses the reader's fonts, so no font is counted),
// next to the browser bundles of peer comment widgets (npm packages installed by bench/run_all.sh
// into the bench folder). Every file is compressed here with the same settings (gzip level 9,
// brotli quality 11) so the comparison is fair; Grove's own precompressed files (.gz/.br next
// to each asset, what grove-server sends; the .gz by zopfli) are measured too: the download
// target is judged on those.
//   node bench/payload.mjs --dist build/wasm/dist/widget --peers build/bench/peers --out results/payload.json
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';

const argv = process.argv.slice(2);
const arg = (name, def) => (argv.includes('--' + name) ? argv[argv.indexOf('--' + name) + 1] : def);
const dist = arg('dist');
const peersDir = arg('peers');
const out = arg('out');
if (!dist || !out) {
  console.error('usage: payload.mjs --dist DIR [--peers DIR] --out FILE');
  process.exit(2);
}

function sizes(bytes, file) {
  const mode = file.endsWith('.ttf') ? zlib.BROTLI_MODE_FONT
    : /\.(js|css)$/.test(file) ? zlib.BROTLI_MODE_TEXT : zlib.BROTLI_MODE_GENERIC;
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, {
      params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_MODE]: mode, [zlib.BROTLI_PARAM_SIZE_HINT]: bytes.length },
    }).length,
  };
}

function sum(rows) {
  const t = { raw: 0, gzip: 0, brotli: 0 };
  for (const r of rows) for (const k of Object.keys(t)) t[k] += r[k];
  return t;
}

// Grove: the loader plus the files it fetches (by their content-hashed names, as served). Builds
// before 2026-12-06 also had a font fetched only where canvas text cannot be read back: when a
// dist folder has one, it is listed on its own and not counted in the total.
const loaderText = readFileSync(join(dist, 'grove.js'), 'utf8');
const grove = [];
const served = { loader: 'grove.js' };
for (const [key, plain] of [['core', 'grove-core.js'], ['wasm', 'grove-core.wasm'], ['deferred', 'grove-core-deferred.wasm'],
  ['font', 'grove-font.ttf']]) {
  const m = loaderText.match(new RegExp(`"${key}":"([^"]+)"`));
  served[key] = m && existsSync(join(dist, m[1])) ? m[1] : plain;
}
const labels = {
  loader: 'loader grove.js', core: 'glue grove-core.js', wasm: 'wasm grove-core.wasm',
  deferred: 'deferred wasm grove-core-deferred.wasm', font: 'fallback font grove-font.ttf',
};
// When the build splits the wasm, the deferred module (what the first view does not run) is
// fetched once the widget is up: listed on its own, outside the first view's total.
let fallbackFont = null, deferred = null;
for (const [key, file] of Object.entries(served)) {
  if (!existsSync(join(dist, file))) continue;
  const bytes = readFileSync(join(dist, file));
  const row = { name: labels[key], file, ...sizes(bytes, file) };
  // What the server really sends (precompressed at build time); null when not kept.
  for (const [k, ext] of [['served_gzip', '.gz'], ['served_brotli', '.br']]) {
    row[k] = existsSync(join(dist, file + ext)) ? readFileSync(join(dist, file + ext)).length : null;
  }
  if (key === 'font') fallbackFont = row;
  else if (key === 'deferred') deferred = row;
  else grove.push(row);
}

// Peers: the browser bundle a page includes (script + stylesheet), as published on npm.
const PEERS = [
  { name: '@waline/client', files: ['dist/waline.umd.js', 'dist/waline.css'] },
  { name: 'artalk', files: ['dist/Artalk.js', 'dist/Artalk.css'] },
  { name: 'twikoo', files: ['dist/twikoo.all.min.js'] },   // its CSS is inside the bundle
];
const peers = [];
for (const peer of PEERS) {
  const base = peersDir && join(peersDir, 'node_modules', peer.name);
  if (!base || !existsSync(join(base, 'package.json'))) {
    peers.push({ name: peer.name, missing: true });
    continue;
  }
  const version = JSON.parse(readFileSync(join(base, 'package.json'), 'utf8')).version;
  const rows = peer.files.map((f) => ({ file: f, ...sizes(readFileSync(join(base, f)), f) }));
  peers.push({ name: `${peer.name}@${version}`, files: rows, ...sum(rows) });
}

const total = sum(grove);
// What grove-server sends a browser that asks for gzip or brotli: the precompressed files (gzip by
// zopfli when the build had it: smaller than zlib's level 9, which the peers are measured with).
for (const k of ['served_gzip', 'served_brotli']) {
  total[k] = grove.every((r) => r[k] !== null) ? grove.reduce((n, r) => n + r[k], 0) : null;
}
// Everything, the deferred module included: what a page has fetched a few moments after ready.
const all = deferred ? sum([...grove, deferred]) : null;
if (all) for (const k of ['served_gzip', 'served_brotli']) all[k] = total[k] !== null && deferred[k] !== null ? total[k] + deferred[k] : null;
const result = { grove, total, deferred, total_with_deferred: all, fallback_font: fallbackFont, peers };
writeFileSync(out, JSON.stringify(result, null, 2));

const kib = (n) => (n / 1024).toFixed(1).padStart(9);
console.log('payload (KiB)'.padEnd(34) + 'raw'.padStart(9) + 'gzip'.padStart(9) + 'brotli'.padStart(9));
for (const r of grove) console.log('  ' + r.name.padEnd(32) + kib(r.raw) + kib(r.gzip) + kib(r.brotli));
console.log('  ' + 'Grove total'.padEnd(32) + kib(result.total.raw) + kib(result.total.gzip) + kib(result.total.brotli));
if (total.served_gzip !== null) {
  console.log('  ' + 'Grove total, as served'.padEnd(32) + ''.padStart(9) + kib(total.served_gzip) +
    (total.served_brotli !== null ? kib(total.served_brotli) : ''));
}
if (deferred) {
  console.log('  ' + '(deferred wasm, after ready'.padEnd(32) + kib(deferred.raw) + kib(deferred.gzip) + kib(deferred.brotli) + ')');
  console.log('  ' + 'Grove, deferred included'.padEnd(32) + kib(all.raw) + kib(all.gzip) + kib(all.brotli));
}
if (fallbackFont) {
  console.log('  ' + '(fallback font, not downloaded'.padEnd(32) + kib(fallbackFont.raw) + kib(fallbackFont.gzip) + kib(fallbackFont.brotli) +
    '  only where canvas text cannot be read back)');
}
for (const p of peers) {
  if (p.missing) console.log('  ' + p.name.padEnd(32) + '  (not installed)');
  else console.log('  ' + p.name.padEnd(32) + kib(p.raw) + kib(p.gzip) + kib(p.brotli));
}
