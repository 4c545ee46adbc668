// How grove-server serves the widget and the demo pages, over real HTTP (no browser needed):
// MIME types, precompressed brotli/gzip chosen by Accept-Encoding, ETag/304, cache lifetimes,
// CORS on widget files, and nothing outside the served folders.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { useGrove } from './lib/grove.mjs';
import { startServer, WIDGET_DIST } from './lib/harness.mjs';

const { server } = await useGrove({ browser: false });

// Raw HTTP: no automatic decompression, paths sent exactly as given.
function get(path, headers = {}, method = 'GET', base = server.url) {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

function decode(res) {
  const enc = res.headers['content-encoding'];
  if (enc === 'br') return brotliDecompressSync(res.body);
  if (enc === 'gzip') return gunzipSync(res.body);
  assert.equal(enc, undefined, `unexpected Content-Encoding ${enc}`);
  return res.body;
}

// The loader names the content-hashed files the build produced.
function hashedAssets() {
  const loader = readFileSync(join(WIDGET_DIST, 'grove.js'), 'utf8');
  const m = loader.match(/(\{"core":[^}]*\})/);
  assert.ok(m, 'the built grove.js has the hashed asset names filled in');
  return JSON.parse(m[1]);
}

test('widget files have the MIME types browsers require', async () => {
  const assets = hashedAssets();
  const cases = [
    ['/widget/grove.js', /^text\/javascript/],
    [`/widget/${assets.core}`, /^text\/javascript/],
    [`/widget/${assets.wasm}`, /^application\/wasm$/],
    ['/widget/grove-core.wasm', /^application\/wasm$/],
    ['/', /^text\/html; charset=utf-8$/],
    ['/intranet.css', /^text\/css/],
    ['/snippet-builder.js', /^text\/javascript/],
  ];
  for (const [path, type] of cases) {
    const res = await get(path);
    assert.equal(res.status, 200, path);
    assert.match(res.headers['content-type'], type, path);
    assert.equal(res.headers['x-content-type-options'], 'nosniff', path);
  }
});

test('precompressed variants follow Accept-Encoding and decode to the original bytes', async () => {
  const wasm = readFileSync(join(WIDGET_DIST, 'grove-core.wasm'));
  const cases = [
    ['gzip, deflate, br', 'br'],
    ['gzip', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
    ['gzip;q=0.9, br;q=0.5', 'gzip'],
    ['*', 'br'],
    ['identity', undefined],
    ['', undefined],
    ['deflate', undefined],
  ];
  for (const [accept, expected] of cases) {
    const res = await get('/widget/grove-core.wasm', accept ? { 'Accept-Encoding': accept } : {});
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-encoding'], expected, `Accept-Encoding: "${accept}"`);
    assert.equal(res.headers.vary, 'Accept-Encoding');
    assert.equal(Number(res.headers['content-length']), res.body.length);
    assert.ok(decode(res).equals(wasm), `"${accept}" decodes to grove-core.wasm`);
    if (expected === 'br') assert.ok(res.body.length < wasm.length * 0.5, `brotli shrinks the wasm (${res.body.length} of ${wasm.length})`);
  }
});

test('every widget file has smaller .br and .gz siblings', () => {
  const files = readdirSync(WIDGET_DIST);
  for (const f of files.filter((n) => /\.(js|wasm|ttf)$/.test(n))) {
    assert.ok(files.includes(f + '.br'), `${f}.br`);
    assert.ok(files.includes(f + '.gz'), `${f}.gz`);
  }
  for (const name of Object.values(hashedAssets())) assert.ok(files.includes(name), `${name} exists`);
});

test('ETags per encoding, and 304 when the browser already has the file', async () => {
  const br = await get('/widget/grove.js', { 'Accept-Encoding': 'br' });
  const plain = await get('/widget/grove.js');
  assert.match(br.headers.etag, /^"[^"]+"$/);
  assert.notEqual(br.headers.etag, plain.headers.etag, 'each representation has its own ETag');

  const again = await get('/widget/grove.js', { 'Accept-Encoding': 'br', 'If-None-Match': br.headers.etag });
  assert.equal(again.status, 304);
  assert.equal(again.body.length, 0);
  assert.equal(again.headers.etag, br.headers.etag);
  assert.equal(again.headers['cache-control'], 'public, max-age=300');

  const list = await get('/widget/grove.js', { 'Accept-Encoding': 'br', 'If-None-Match': `"nope", W/${br.headers.etag}` });
  assert.equal(list.status, 304, 'a list of ETags, weak or strong, matches');
  const stale = await get('/widget/grove.js', { 'Accept-Encoding': 'br', 'If-None-Match': '"something-else"' });
  assert.equal(stale.status, 200);
  const page = await get('/');
  assert.equal((await get('/', { 'If-None-Match': page.headers.etag })).status, 304, 'pages revalidate too');
});

test('cache lifetimes: hashed files a year, grove.js five minutes, the rest revalidated', async () => {
  const assets = hashedAssets();
  for (const name of Object.values(assets)) {
    const res = await get(`/widget/${name}`, { 'Accept-Encoding': 'br' });
    assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable', name);
  }
  assert.equal((await get('/widget/grove.js')).headers['cache-control'], 'public, max-age=300');
  assert.equal((await get('/widget/grove-core.wasm')).headers['cache-control'], 'public, no-cache');
  assert.equal((await get('/')).headers['cache-control'], 'no-cache');
  assert.equal((await get('/two-modules.html')).headers['cache-control'], 'no-cache');
});

test('widget files may be loaded by pages on other origins; pages and the API are not opened up', async () => {
  const wasm = await get('/widget/grove-core.wasm', { Origin: 'http://intranet.example' });
  assert.equal(wasm.headers['access-control-allow-origin'], '*');
  assert.equal(wasm.headers['cross-origin-resource-policy'], 'cross-origin');
  const page = await get('/', { Origin: 'http://intranet.example' });
  assert.equal(page.headers['access-control-allow-origin'], undefined);
  const health = await get('/api/v1/health', { Origin: 'http://intranet.example' });
  assert.equal(health.headers['access-control-allow-origin'], undefined, 'no --allow-origin given');
});

test('HEAD answers the same headers without a body; Range requests get 206', async () => {
  const head = await get('/widget/grove-core.wasm', { 'Accept-Encoding': 'br' }, 'HEAD');
  const full = await get('/widget/grove-core.wasm', { 'Accept-Encoding': 'br' });
  assert.equal(head.status, 200);
  assert.equal(head.body.length, 0);
  assert.equal(head.headers['content-type'], 'application/wasm');
  assert.equal(head.headers['content-encoding'], 'br');
  assert.equal(head.headers.etag, full.headers.etag);
  assert.equal(head.headers['content-length'], full.headers['content-length']);

  const part = await get('/widget/grove.js', { Range: 'bytes=0-9' });
  assert.equal(part.status, 206);
  assert.equal(part.body.toString(), readFileSync(join(WIDGET_DIST, 'grove.js')).subarray(0, 10).toString());
});

test('nothing outside the served folders, no hidden files, no directory listings', async () => {
  // Served folders that really hold what must not be served, with a secret right beside them;
  // every refusal below is about a file that exists.
  const root = mkdtempSync(join(tmpdir(), 'grove-static-'));
  const secret = 'SECRET-' + Math.random().toString(36).slice(2);
  const write = (path, text) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  write('secret.txt', secret);
  write('widget/grove.js', '// served');
  write('widget/.hidden', secret);
  write('widget/.git/config', secret);
  write('widget/sub/.env', secret);
  write('widget/sub/ok.txt', 'served');
  write('site/index.html', '<!doctype html><title>served</title>');
  write('site/.htpasswd', secret);
  write('site/.git/config', secret);
  write('site/notes/readme.txt', 'served');
  const own = await startServer(['--widget-dir', join(root, 'widget'), '--site-dir', join(root, 'site')]);
  try {
    const raw = (path) => get(path, {}, 'GET', own.url);
    // What is there to serve is served: the refusals below are not for want of a folder.
    for (const path of ['/widget/grove.js', '/widget/sub/ok.txt', '/', '/index.html', '/notes/readme.txt']) {
      assert.equal((await raw(path)).status, 200, path);
    }
    for (const path of [
      '/widget/../secret.txt', '/widget/%2e%2e/secret.txt', '/widget/%2E%2E/secret.txt', '/../secret.txt',
      '/%2e%2e/secret.txt', '/widget/..%2fsecret.txt', '/widget/sub/../../secret.txt', '/widget/sub/%2e%2e/%2e%2e/secret.txt',
      '/widget/.hidden', '/widget/%2ehidden', '/widget/.git/config', '/widget/%2egit/config', '/widget/sub/.env',
      '/.htpasswd', '/.git/config', '/notes/../.htpasswd', '/widget//grove.js', '/widget/grove.js%00.txt',
      '/widget/sub/', '/notes/', '/no-such-page.html',
    ]) {
      const res = await raw(path);
      assert.equal(res.status, 404, path);
      assert.ok(!res.body.toString().includes(secret), `${path} gave the secret away`);
      assert.doesNotMatch(res.body.toString(), /ok\.txt|readme\.txt/, `${path} listed a folder`);
    }
  } finally {
    await own.stop();
    rmSync(root, { recursive: true, force: true });
  }
});

test('static routes never shadow the API: unknown API paths answer JSON 404', async () => {
  const res = await get('/api/v1/no-such-route');
  assert.equal(res.status, 404);
  assert.match(res.headers['content-type'], /^application\/json/);
  assert.equal(JSON.parse(res.body).error.code, 'not_found');
  assert.equal((await get('/api/v1/health')).status, 200);
});
