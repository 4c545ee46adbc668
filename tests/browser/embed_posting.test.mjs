// Embedded widgets that post, end to end in real Chromium against the real grove-server: two
// widgets on one page each posting to its own module (engine fetched once), the token asked again
// after the server answers 401 (once for two widgets), and the snippet builder's output pasted
// into a blank page on another origin (grove-server --allow-origin) posting for a person the
// intranet signed in. Posting is driven as a person does it: focus the widget, type, Ctrl+Enter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { useGrove } from './lib/grove.mjs';
import { waitForEvent, pixelStats } from './lib/harness.mjs';
import { blankPage, saveScreenshot } from './lib/intranet_server.mjs';
import { syncState, postAsPerson } from './lib/posting.mjs';

const SECRET = 'embed-posting-test-secret-0123456789-' + process.pid;   // >= 32 bytes

// An HS256 token signed like the intranet of docs/EMBEDDING.md does it.
function mint({ sub, name, role = 'learner', exp = Math.floor(Date.now() / 1000) + 3600 }, secret = SECRET) {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const unsigned = b64({ alg: 'HS256', typ: 'JWT' }) + '.' + b64({ sub, name, role, exp });
  return unsigned + '.' + createHmac('sha256', secret).update(unsigned).digest('base64url');
}

// The intranet first: grove-server must be told its origin (--allow-origin).
const { server, intranet, startServer, newPage: openPage } = await useGrove({
  intranet: {
    // The intranet's sign-in endpoint the builder's snippet calls: the person it knows, signed
    // with the secret it shares with grove-server.
    '/sso/grove-token': (req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-store' });
      res.end(mint({ sub: 'ida-17', name: 'Ida Intranet' }));
    },
  },
  secret: SECRET,
  serverArgs: ({ intranet }) => ['--allow-origin', intranet.url],
});
// The demo pages sign in with dev tokens, which only a --dev server (a secret of its own) mints.
const demo = await startServer();

// What the server holds for a module, read from node with a token of its own.
async function serverPosts(module, on = server) {
  const auditor = { sub: 'auditor', name: 'Test Auditor', role: 'curator' };
  const token = on === server ? mint(auditor) : (await (await fetch(`${on.url}/api/v1/dev/token`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(auditor),
  })).json()).token;
  const r = await fetch(`${on.url}/api/v1/modules/${module}/posts?limit=1000`, {
    headers: { Authorization: 'Bearer ' + token },
  });
  assert.equal(r.status, 200, `GET posts of ${module}`);
  return (await r.json()).posts.map((p) => ({ body: p.body, author: p.author.id, module: p.module ?? module }));
}

const state = syncState;
const post = postAsPerson;

async function newPage(viewport = { width: 1000, height: 1800 }) {
  const opened = await openPage({ viewport });
  const requests = [];
  opened.page.on('request', (r) => requests.push(r));
  return { ...opened, requests };
}

test('two widgets on the demo page: the engine fetched once, each posts to its own module, nothing crosses', async () => {
  const { context, page, errors, requests } = await newPage();
  await page.goto(demo.url + '/two-modules.html');
  await waitForEvent(page, 'grove:ready', "(e) => e.target === 'grove-privacy'");
  await waitForEvent(page, 'grove:ready', "(e) => e.target === 'grove-feedback'");

  const privacy = 'I will lock my screen every time I stand up.';
  const feedback = 'The best feedback I got named one thing I did and its effect.';
  await post(page, '#grove-privacy', privacy);
  await post(page, '#grove-feedback', feedback);

  assert.deepEqual(await serverPosts('data-protection-101', demo), [{ body: privacy, author: 'demo-learner', module: 'data-protection-101' }]);
  assert.deepEqual(await serverPosts('feedback-basics', demo), [{ body: feedback, author: 'demo-learner', module: 'feedback-basics' }]);
  // Each widget shows only its own module's post.
  const shown = async (sel) => (await state(page, sel)).posts.map((p) => p.body);
  assert.deepEqual(await shown('#grove-privacy'), [privacy]);
  assert.deepEqual(await shown('#grove-feedback'), [feedback]);
  // Each create went to its own module's URL.
  const creates = requests.filter((r) => r.method() === 'POST' && /\/api\/v1\/modules\/[^/]+\/posts$/.test(r.url()))
    .map((r) => new URL(r.url()).pathname);
  assert.deepEqual(creates, ['/api/v1/modules/data-protection-101/posts', '/api/v1/modules/feedback-basics/posts']);

  const count = (re) => requests.filter((r) => re.test(new URL(r.url()).pathname)).length;
  assert.equal(count(/\/widget\/grove-core[.\w]*\.wasm$/), 1, 'the wasm is downloaded once');
  assert.equal(count(/\/widget\/grove-core[.\w]*\.js$/), 1, 'the glue is loaded once');
  assert.equal(count(/\/widget\/grove-font[.\w]*\.ttf$/), 0, 'no font is downloaded: text is drawn with the reader\'s fonts');
  assert.equal(count(/\/widget\/grove-(pages|insights)[.\w]*\.js$/), 0, 'a page with widgets only never loads the page elements\' code');
  const posted = await page.evaluate(() => window.__groveEvents.filter((e) => e.name === 'grove:post')
    .map((e) => [e.target, e.detail.post.body]));
  assert.deepEqual(posted, [['grove-privacy', privacy], ['grove-feedback', feedback]]);
  await saveScreenshot(page, 'embed-two-widgets-posted');
  assert.deepEqual(errors, []);
  await context.close();
});

// A page at the intranet's origin whose GroveConfig.getToken answers `stale` until it is called
// with forceRefresh, then a good token; every call is recorded in window.__tokenCalls.
function refreshPage(stale, modules) {
  const good = mint({ sub: 'rae-42', name: 'Rae Refresh' });
  return blankPage(`<script>
  window.__tokenCalls = [];
  window.GroveConfig = {
    api: ${JSON.stringify(server.url + '/api/v1')},
    getToken: (forceRefresh) => {
      window.__tokenCalls.push(forceRefresh);
      return new Promise((r) => setTimeout(() => r(forceRefresh ? ${JSON.stringify(good)} : ${JSON.stringify(stale)}), 50));
    }
  };
</script>
${modules.map((m) => `<div id="${m}" data-grove-module="${m}" data-grove-height="360px"></div>`).join('\n')}
<script src="${server.url}/widget/grove.js" defer></script>`);
}

for (const [kind, stale] of [
  ['an expired', () => mint({ sub: 'rae-42', name: 'Rae Refresh', exp: Math.floor(Date.now() / 1000) - 60 })],
  ['a wrongly signed', () => mint({ sub: 'rae-42', name: 'Rae Refresh' }, 'not-the-servers-secret')],
]) {
  test(`token refresh: ${kind} token is refused, two widgets make one forced getToken call, the posts arrive`, async () => {
    const modules = [`refresh-${kind.replace(/\W/g, '')}-a`, `refresh-${kind.replace(/\W/g, '')}-b`];
    const path = `/refresh-${kind.replace(/\W/g, '')}.html`;
    const staleToken = stale();
    intranet.routes[path] = refreshPage(staleToken, modules);
    // The stale token really is refused by the server.
    const me = await fetch(server.url + '/api/v1/me', { headers: { Authorization: 'Bearer ' + staleToken } });
    assert.equal(me.status, 401);

    const { context, page, errors, requests } = await newPage({ width: 900, height: 1100 });
    const unauthorized = [];
    page.on('response', (r) => { if (r.status() === 401) unauthorized.push(new URL(r.url()).pathname); });
    await page.goto(intranet.url + path);
    for (const m of modules) await waitForEvent(page, 'grove:ready', `(e) => e.target === ${JSON.stringify(m)}`);
    await post(page, '#' + modules[0], `First widget, after ${kind} token.`);
    await post(page, '#' + modules[1], `Second widget, after ${kind} token.`);

    assert.deepEqual(await page.evaluate(() => window.__tokenCalls), [false, true],
      'one first call, then one forced refresh shared by both widgets');
    for (const [i, m] of modules.entries()) {
      assert.deepEqual(await serverPosts(m), [{ body: `${i ? 'Second' : 'First'} widget, after ${kind} token.`, author: 'rae-42', module: m }]);
    }
    // Whatever the engine sent with the stale token (all of it, or nothing when it saw the expiry
    // first), it was sent again with the fresh one; nothing after the refresh was refused.
    const withStale = requests.filter((r) => r.headers().authorization === 'Bearer ' + staleToken).length;
    assert.equal(unauthorized.length, withStale, `401s: ${unauthorized.join(', ')}`);
    if (kind === 'a wrongly signed') assert.ok(unauthorized.length >= 2, 'both widgets met a 401');
    // The refresh is silent: no sign-in banner, no grove:error.
    for (const m of modules) assert.equal((await state(page, '#' + m)).notice, '', `${m} shows no sign-in notice`);
    assert.deepEqual(await page.evaluate(() => window.__groveEvents.filter((e) => e.name === 'grove:error').map((e) => e.detail)), []);
    assert.deepEqual(errors, []);
    await context.close();
  });
}

// The builder's own output, taken from its textarea on the Grove server.
async function builderSnippet(values) {
  const { context, page } = await newPage({ width: 1300, height: 1300 });
  await page.goto(server.url + '/snippet-builder.html');
  for (const [id, value] of Object.entries(values)) await page.fill('#' + id, value);
  const snippet = await page.inputValue('#snippet');
  await context.close();
  return snippet;
}

test("the builder's snippet pasted into a blank page on another origin mounts a widget that posts", async () => {
  const snippet = await builderSnippet({ 'f-module': 'pasted-and-posting', 'f-prompt': 'What will you try first?' });
  assert.match(snippet, /fetch\("\/sso\/grove-token"\)/, 'the snippet signs in through the intranet');
  intranet.routes['/pasted-posting.html'] = blankPage(snippet);
  const { context, page, errors, requests } = await newPage({ width: 900, height: 900 });
  await page.goto(intranet.url + '/pasted-posting.html');
  await waitForEvent(page, 'grove:ready', "(e) => e.detail.module === 'pasted-and-posting'");
  const s = await post(page, '[data-grove-module]', 'Pasted on the intranet, posted to Grove.');
  assert.equal(s.me && s.me.id, 'ida-17', 'signed in as the person the intranet named');
  assert.deepEqual(await serverPosts('pasted-and-posting'),
    [{ body: 'Pasted on the intranet, posted to Grove.', author: 'ida-17', module: 'pasted-and-posting' }]);
  // Cross-origin for real: the API calls went from the intranet's page to the Grove server.
  const create = requests.find((r) => r.method() === 'POST' && r.url().endsWith('/modules/pasted-and-posting/posts'));
  assert.ok(create && create.url().startsWith(server.url), 'the create went to the Grove server');
  assert.equal((await create.allHeaders()).origin, intranet.url);
  const answer = await create.response();
  assert.equal(answer.status(), 201);
  assert.equal((await answer.allHeaders())['access-control-allow-origin'], intranet.url);
  // Everything came from the Grove server; nothing is expected on the intranet's origin.
  assert.ok(requests.some((r) => r.url().startsWith(server.url) && /\.wasm$/.test(r.url())), 'the wasm came from the Grove server');
  assert.ok(!requests.some((r) => r.url().startsWith(intranet.url + '/widget/')), 'no widget file asked of the intranet');
  const stats = await pixelStats(page, page.locator('[data-grove-module] canvas'));
  assert.ok(stats.colours > 8 && stats.nonBackground > 0.01, 'the pasted widget draws');
  await saveScreenshot(page, 'embed-pasted-posted');
  assert.deepEqual(errors, []);
  await context.close();
});
