// docs/EMBEDDING.md is tested as written: its token examples (Node.js and Python) are extracted
// from the page and must mint tokens the real server accepts, signed with a --jwt-secret-file;
// its "Try it on your own machine" files (intranet.mjs, page.html) run as given, only the ports
// changed, and a person on that page posts in real Chromium.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { useGrove } from './lib/grove.mjs';
import { startServer, launchBrowser, waitForEvent, recordGroveEvents } from './lib/harness.mjs';
import { postAsPerson } from './lib/posting.mjs';

const DOC = resolve(import.meta.dirname, '../../docs/EMBEDDING.md');
const SECRET = 'doc-test-secret-' + 'x'.repeat(40);

// The fenced code block right after `<!-- example: NAME -->`.
export function docExample(name) {
  const text = readFileSync(DOC, 'utf8');
  const m = text.match(new RegExp(`<!-- example: ${name} -->\\s*\\n\`\`\`\\w*\\n([\\s\\S]*?)\\n\`\`\``));
  assert.ok(m, `docs/EMBEDDING.md has the ${name} example`);
  return m[1];
}

// The secret file ends in a newline (the doc says surrounding whitespace is ignored). As the
// production example in the doc: only tokens minted for Grove (aud) are accepted.
const { server, secretFile } = await useGrove({ secret: SECRET, serverArgs: ['--jwt-audience', 'grove'], browser: false });
const dir = dirname(secretFile);

async function me(token) {
  const res = await fetch(server.url + '/api/v1/me', { headers: { Authorization: 'Bearer ' + token } });
  return { status: res.status, body: await res.json() };
}

test('the Node.js token example mints tokens the server accepts', async () => {
  const file = join(dir, 'grove-token.mjs');
  await writeFile(file, docExample('node-token'));
  const { groveToken } = await import(pathToFileURL(file).href);
  const ok = await me(groveToken({ id: 'e-1042', name: 'Zoë Ångström', role: 'curator' }, SECRET));
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.deepEqual({ id: ok.body.id, name: ok.body.name, role: ok.body.role }, { id: 'e-1042', name: 'Zoë Ångström', role: 'curator' });

  const wrongSecret = await me(groveToken({ id: 'e-1042', name: 'Zoë', role: 'curator' }, 'another-secret'));
  assert.equal(wrongSecret.status, 401);
  const expired = await me(groveToken({ id: 'e-1042', name: 'Zoë', role: 'curator' }, SECRET, -60));
  assert.equal(expired.status, 401);
});

test('the Python token example mints tokens the server accepts', async () => {
  const script = docExample('python-token') +
    '\nimport sys\nprint(grove_token("p-7", "Priya Patel", "leader", sys.argv[1]))\n';
  const token = execFileSync('python3', ['-c', script, SECRET], { encoding: 'utf8' }).trim();
  const ok = await me(token);
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(ok.body.name, 'Priya Patel');
  assert.equal(ok.body.role, 'leader');
});

// A loopback port nobody listens on right now.
function freePort() {
  return new Promise((resolvePort) => {
    const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolvePort(port)); });
  });
}

test('"Try it on your own machine", followed as written: the page on another origin posts as the intranet\'s person', async () => {
  const tryDir = await mkdtemp(join(tmpdir(), 'grove-try-'));
  let grove, intranet, browser;
  try {
    // The doc's server command, with this test's ports instead of 8080 and 8000.
    const doc = readFileSync(DOC, 'utf8');
    assert.match(doc, /--jwt-secret-file jwt-secret --allow-origin http:\/\/127\.0\.0\.1:8000/, 'the doc starts the server like this test');
    const intranetPort = await freePort();
    const origin = `http://127.0.0.1:${intranetPort}`;
    await writeFile(join(tryDir, 'jwt-secret'), execFileSync('openssl', ['rand', '-base64', '48']));
    grove = await startServer(['--jwt-secret-file', join(tryDir, 'jwt-secret'), '--allow-origin', origin]);

    const intranetJs = docExample('try-intranet');
    const pageHtml = docExample('try-page');
    assert.match(intranetJs, /\.listen\(8000, '127\.0\.0\.1'\)/);
    assert.equal(pageHtml.split('http://127.0.0.1:8080').length - 1, 2, 'the page names the Grove server twice');
    await writeFile(join(tryDir, 'grove-token.mjs'), docExample('node-token'));
    await writeFile(join(tryDir, 'intranet.mjs'), intranetJs.replace('.listen(8000,', `.listen(${intranetPort},`));
    await writeFile(join(tryDir, 'page.html'), pageHtml.replaceAll('http://127.0.0.1:8080', grove.url));
    intranet = spawn(process.execPath, ['intranet.mjs'], { cwd: tryDir, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    intranet.stderr.on('data', (d) => { stderr += d; });
    for (let i = 0; ; i++) {
      const up = await fetch(origin + '/').then((r) => r.ok, () => false);
      if (up) break;
      assert.ok(i < 100 && intranet.exitCode === null, 'intranet.mjs did not start: ' + stderr);
      await new Promise((r) => setTimeout(r, 100));
    }

    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 900, height: 900 } });
    await recordGroveEvents(context);
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(origin + '/');
    await waitForEvent(page, 'grove:ready', "(e) => e.detail.module === 'fire-safety-101'");
    const s = await postAsPerson(page, '[data-grove-module]', 'Followed the doc, and here I am.');
    assert.deepEqual(s.me, { id: 'e-1001', name: 'Nora Newcomer', role: 'learner' });

    // The doc's curl check, as fetch: the post is on the server, signed by the intranet's person.
    const token = await fetch(origin + '/sso/grove-token').then((r) => r.text());
    const posts = await fetch(grove.url + '/api/v1/modules/fire-safety-101/posts', { headers: { Authorization: 'Bearer ' + token } })
      .then((r) => r.json());
    assert.deepEqual(posts.posts.map((p) => [p.body, p.author.name]), [['Followed the doc, and here I am.', 'Nora Newcomer']]);
    assert.deepEqual(errors, []);
    await context.close();
  } finally {
    await browser?.close();
    if (intranet && intranet.exitCode === null) {
      const gone = new Promise((r) => intranet.once('exit', r));
      process.kill(intranet.pid, 'SIGTERM');
      await gone;
    }
    await grove?.stop();
    await rm(tryDir, { recursive: true, force: true });
  }
});
