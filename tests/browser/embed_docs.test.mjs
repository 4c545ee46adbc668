// docs/EMBEDDING.md is tested as written: its token examples (Node.js and Python) are extracted
// from the page and must mint tokens the real server accepts, signed with a --jwt-secret-file.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startServer } from './lib/harness.mjs';

const DOC = resolve(import.meta.dirname, '../../docs/EMBEDDING.md');
const SECRET = 'doc-test-secret-' + 'x'.repeat(40);

// The fenced code block right after `<!-- example: NAME -->`.
export function docExample(name) {
  const text = readFileSync(DOC, 'utf8');
  const m = text.match(new RegExp(`<!-- example: ${name} -->\\s*\\n\`\`\`\\w*\\n([\\s\\S]*?)\\n\`\`\``));
  assert.ok(m, `docs/EMBEDDING.md has the ${name} example`);
  return m[1];
}

let server, dir;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'grove-docs-'));
  await writeFile(join(dir, 'jwt-secret'), SECRET + '\n');   // the doc says surrounding whitespace is ignored
  server = await startServer(['--jwt-secret-file', join(dir, 'jwt-secret')]);
});
after(async () => {
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

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
