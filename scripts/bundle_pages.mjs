#!/usr/bin/env node
// Bundles the page elements' code (host-page/pages/) for serving next to the widget, a build
// step of widget/CMakeLists.txt before packaging:
//   grove-pages.js     counts and digest (entry host-page/pages/grove-pages.mjs)
//   grove-insights.js  insights with Chart.js (entry host-page/pages/insights.mjs), only the
//                      chart parts it registers (tree-shaken)
// Both are IIFE scripts for the browsers Grove supports, minified, with the libraries' licence
// comments kept at the end. scripts/package_widget.mjs then gives them content-hashed names.
// Uses esbuild and chart.js from scripts/node_modules (versions pinned in scripts/package.json,
// installed by scripts/setup.sh).
// Usage: node bundle_pages.mjs --out DIR
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const argv = process.argv.slice(2);
const out = argv[0] === '--out' && argv[1] ? argv[1] : null;
if (!out) {
  console.error('usage: bundle_pages.mjs --out DIR');
  process.exit(1);
}
const require = createRequire(join(ROOT, 'scripts', 'package.json'));
let esbuild;
try {
  esbuild = require('esbuild');
} catch (e) {
  console.error('bundle_pages: esbuild is not installed in scripts/node_modules: run scripts/setup.sh (or npm ci in scripts/)');
  process.exit(1);
}

const BUNDLES = [
  { entry: 'host-page/pages/grove-pages.mjs', file: 'grove-pages.js' },
  { entry: 'host-page/pages/insights.mjs', file: 'grove-insights.js' },
];

for (const b of BUNDLES) {
  const result = await esbuild.build({
    entryPoints: [join(ROOT, b.entry)],
    bundle: true,
    format: 'iife',
    target: ['chrome97', 'firefox102', 'safari15'],   // the browsers docs/EMBEDDING.md names
    minify: true,
    legalComments: 'eof',
    nodePaths: [join(ROOT, 'scripts', 'node_modules')],
    define: { 'process.env.NODE_ENV': '"production"' },
    write: false,
    logLevel: 'warning',
  });
  const bytes = Buffer.from(result.outputFiles[0].contents);
  const path = join(out, b.file);
  // Unchanged output keeps its mtime, hence the server's ETag.
  if (!existsSync(path) || !readFileSync(path).equals(bytes)) writeFileSync(path, bytes);
  console.log(`bundle_pages: ${b.file} ${(bytes.length / 1024).toFixed(1)} KiB`);
}
