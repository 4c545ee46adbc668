#!/usr/bin/env node
// Packages the built widget for serving (a build step of widget/CMakeLists.txt, after grove-core):
//   1. copies grove-core.js and grove-core.wasm (and grove-core-deferred.wasm when the build
//      splits the wasm), and the page elements' bundles
//      grove-pages.js and grove-insights.js (scripts/bundle_pages.mjs), to content-hashed names
//      (grove-core.<sha256:12>.wasm, ...) that may be cached for a year, and removes older ones;
//   2. writes the loader grove.js with those names filled in (it stays at /widget/grove.js):
//      the widget's in HASHED_ASSETS, the page elements' in HASHED_PAGE_ASSETS;
//   The loader and the wasm's glue are minified with esbuild on the way (whitespace, comments,
//   local names; never property names, so the glue's Module["..."] keys and the loader's public
//   Grove.* API stay as they are): 16.2 -> 9.2 KB gzip and 26.8 -> 22.2 KB gzip when measured.
//   3. precompresses every file as .gz and .br (brotli quality 11), kept only when smaller, so
//      the server never compresses on the fly. The .gz files are made by zopfli (Debian's
//      `zopfli`, which ./grove setup installs): gzip that any client inflates, about 5 % smaller
//      than zlib's level 9 (wasm 249,251 -> 235,112 bytes), at ~1.5 s for the wasm; without
//      zopfli, zlib level 9;
//   4. prints raw / gzip / brotli sizes.
// Files are rewritten only when their content changes, so ETags (size + mtime) stay stable.
// Usage: node package_widget.mjs --dist DIR --loader host-page/grove.js [--stamp FILE]
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants as zlib, gunzipSync, gzipSync } from 'node:zlib';
import { transformSync } from 'esbuild';

function args() {
  const out = {};
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || argv[i + 1] === undefined) fail(`bad argument list: ${argv.join(' ')}`);
    out[argv[i].slice(2)] = argv[i + 1];
  }
  if (!out.dist || !out.loader) fail('usage: package_widget.mjs --dist DIR --loader grove.js [--stamp FILE]');
  return out;
}

function fail(message) {
  console.error(`package_widget: ${message}`);
  process.exit(1);
}

// Writes only when different: unchanged files keep their mtime, hence their ETag.
function writeIfChanged(path, bytes) {
  if (existsSync(path) && readFileSync(path).equals(bytes)) return;
  writeFileSync(path, bytes);
}

const ASSETS = { core: 'grove-core.js', wasm: 'grove-core.wasm', deferred: 'grove-core-deferred.wasm' };
// Present only when the build splits the wasm (GROVE_WASM_SPLIT): the functions the first view
// does not run, which the loader fetches once the widget is up.
const OPTIONAL = new Set(['deferred']);
const PAGE_ASSETS = { pages: 'grove-pages.js', insights: 'grove-insights.js' };
const HASHED = /^(grove-core|grove-core-deferred|grove-pages|grove-insights)\.[0-9a-f]{12}\.(js|wasm)(\.gz|\.br)?$/;
const COMPRESSED = /\.(gz|br)$/;

const { dist, loader, stamp } = args();

// Minified JavaScript: the same program, fewer bytes (browsers' targets: ES2017 is what the glue
// and the loader already use; esbuild only keeps or lowers syntax, it never adds any).
function minify(source, file) {
  try {
    return transformSync(source, { minify: true, target: 'es2017', charset: 'utf8', legalComments: 'none', loader: 'js' }).code;
  } catch (e) {
    fail(`cannot minify ${file}: ${e.message}`);
  }
}

// Releases before 2026-12 also shipped a fallback font (grove-font.*.ttf): its copies go too.
const RETIRED = /^grove-font\.([0-9a-f]{12}\.)?ttf(\.gz|\.br)?$/;

// 1. Content-hashed copies (the glue minified first: its hash is that of the bytes served).
const MINIFIED = new Set(['core']);
function hashedCopies(assets, missing) {
  const out = {};
  for (const [key, file] of Object.entries(assets)) {
    const path = join(dist, file);
    if (!existsSync(path) && OPTIONAL.has(key)) continue;
    if (!existsSync(path)) fail(`${path} is missing (${missing})`);
    let bytes = readFileSync(path);
    if (MINIFIED.has(key)) bytes = Buffer.from(minify(bytes.toString('utf8'), file));
    const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 12);
    const dot = file.indexOf('.');
    out[key] = `${file.slice(0, dot)}.${hash}${file.slice(dot)}`;
    writeIfChanged(join(dist, out[key]), bytes);
  }
  return out;
}
const names = hashedCopies(ASSETS, 'build grove-core first');
const pageNames = hashedCopies(PAGE_ASSETS, 'run scripts/bundle_pages.mjs first');
const current = new Set([...Object.values(names), ...Object.values(pageNames)]);
for (const file of readdirSync(dist)) {
  const m = file.match(HASHED);
  if ((m && !current.has(file.replace(COMPRESSED, ''))) || RETIRED.test(file)) rmSync(join(dist, file));
}

// 2. The loader, told the hashed names. The markers are comments, which minifying drops: each
// becomes a string placeholder first, replaced by the names once the loader is minified.
let source = readFileSync(loader, 'utf8');
const filled = [['/*@GROVE_ASSETS@*/null', names], ['/*@GROVE_PAGE_ASSETS@*/null', pageNames]];
filled.forEach(([marker], i) => {
  if (source.split(marker).length !== 2) fail(`${loader} must contain ${marker} exactly once`);
  source = source.replace(marker, `"@GROVE_FILL_${i}@"`);
});
source = minify(source, loader);
filled.forEach(([, value], i) => {
  const placeholder = `"@GROVE_FILL_${i}@"`;
  if (source.split(placeholder).length !== 2) fail(`minifying ${loader} lost ${placeholder}`);
  source = source.replace(placeholder, JSON.stringify(value));
});
writeIfChanged(join(dist, 'grove.js'), Buffer.from(source));

// 3. Precompressed variants.
function brotliMode(file) {
  if (file.endsWith('.ttf')) return zlib.BROTLI_MODE_FONT;
  if (/\.(js|css|html|json|svg|txt)$/.test(file)) return zlib.BROTLI_MODE_TEXT;
  return zlib.BROTLI_MODE_GENERIC;
}
const zopfli = spawnSync('zopfli', ['-h'], { stdio: 'ignore' }).error ? null : 'zopfli';
if (!zopfli) console.log('package_widget: zopfli not found (./grove setup installs it): .gz files are zlib level 9');
// The gzip form of dist/file, whose content is `bytes`: zopfli's when it is installed (checked to
// inflate back to `bytes`), else zlib's level 9.
function gzipOf(file, bytes) {
  if (zopfli) {
    const run = spawnSync(zopfli, ['-c', join(dist, file)], { maxBuffer: 64 * 1024 * 1024 });
    if (run.status === 0 && gunzipSync(run.stdout).equals(bytes)) return run.stdout;
    console.log(`package_widget: zopfli failed on ${file}; zlib level 9 instead`);
  }
  return gzipSync(bytes, { level: 9 });
}
const sizes = [];
// The hashed and the plain-named copy of a file hold the same bytes: compress them once.
const packedByContent = new Map();
for (const file of readdirSync(dist).sort()) {
  if (file.startsWith('.') || COMPRESSED.test(file)) continue;
  const bytes = readFileSync(join(dist, file));
  const key = brotliMode(file) + ':' + createHash('sha256').update(bytes).digest('hex');
  if (!packedByContent.has(key)) {
    packedByContent.set(key, {
      gz: gzipOf(file, bytes),
      br: brotliCompressSync(bytes, {
        params: {
          [zlib.BROTLI_PARAM_QUALITY]: 11,
          [zlib.BROTLI_PARAM_MODE]: brotliMode(file),
          [zlib.BROTLI_PARAM_SIZE_HINT]: bytes.length,
        },
      }),
    });
  }
  const variants = packedByContent.get(key);
  const row = { file, raw: bytes.length };
  for (const [ext, packed] of Object.entries(variants)) {
    const path = join(dist, `${file}.${ext}`);
    if (packed.length < bytes.length) {
      writeIfChanged(path, packed);
      row[ext] = packed.length;
    } else {
      rmSync(path, { force: true });
      row[ext] = null;
    }
  }
  sizes.push(row);
}
// Variants whose original is gone.
for (const file of readdirSync(dist)) {
  if (COMPRESSED.test(file) && !existsSync(join(dist, file.replace(COMPRESSED, '')))) rmSync(join(dist, file));
}

// 4. The numbers.
const kb = (n) => (n === null ? '-' : (n / 1024).toFixed(1) + ' KiB');
console.log('package_widget: ' + dist);
console.log('  ' + 'file'.padEnd(34) + 'raw'.padStart(12) + 'gzip'.padStart(12) + 'brotli'.padStart(12));
const served = new Set(['grove.js', ...current]);
for (const r of sizes) {
  if (!served.has(r.file)) continue;   // the plain names: fallbacks, not what the loader fetches
  console.log('  ' + r.file.padEnd(34) + kb(r.raw).padStart(12) + kb(r.gz).padStart(12) + kb(r.br).padStart(12));
}
if (stamp) writeFileSync(stamp, JSON.stringify({ assets: names, page_assets: pageNames, sizes }, null, 2) + '\n');
