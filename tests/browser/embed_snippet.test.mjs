// The editor's path: the snippet builder's form, its live preview, and its snippet pasted into a
// blank page on another origin under a strict Content-Security-Policy (posting from a pasted
// snippet: embed_posting.test.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useGrove } from './lib/grove.mjs';
import { waitForEvent, pixelStats } from './lib/harness.mjs';
import { blankPage, saveScreenshot } from './lib/intranet_server.mjs';

const { server, intranet, newPage: openPage } = await useGrove({
  intranet: {
    // The intranet's own sign-in endpoint the snippet calls (docs/EMBEDDING.md, "Tokens"); in this
    // test it asks grove-server --dev for a token, as a real intranet would mint one itself.
    '/sso/grove-token': async (req, res) => {
      const r = await fetch(server.url + '/api/v1/dev/token', {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ sub: 'intranet-user', name: 'Ida Intranet', role: 'learner' }),
      });
      const token = r.ok ? (await r.json()).token : '';
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-store' });
      res.end(token);
    },
  },
});

const newPage = (options = {}) => openPage({ viewport: { width: 1300, height: 1300 }, ...options });

async function fillBuilder(page, values) {
  for (const [id, value] of Object.entries(values)) {
    if (id === 'f-theme') await page.selectOption('#' + id, value);
    else await page.fill('#' + id, value);
  }
}

test('the builder turns the form into a snippet and a live preview', async () => {
  const { context, page, errors } = await newPage();
  await page.goto(server.url + '/snippet-builder.html');
  await waitForEvent(page, 'grove:ready', "(e) => e.target === 'preview' && e.detail.module === 'fire-safety-101'");
  assert.match(await page.inputValue('#snippet'), /<div data-grove-module="fire-safety-101"><\/div>/);

  await fillBuilder(page, {
    'f-module': 'leadership:week-12',
    'f-prompt': 'What will you try "first" <this> week & why?',
    'f-theme': 'dark',
    'f-accent': '#aa3300',
    'f-height': '30rem',
  });
  await waitForEvent(page, 'grove:ready', "(e) => e.target === 'preview' && e.detail.module === 'leadership:week-12'");
  const snippet = await page.inputValue('#snippet');
  assert.equal(snippet, [
    '<script>',
    '  window.GroveConfig = {',
    `    api: "${server.url}/api/v1",`,
    '    getToken: () => fetch("/sso/grove-token").then(r => r.text())',
    '  };',
    '</script>',
    '<div data-grove-module="leadership:week-12"',
    '     data-grove-prompt="What will you try &quot;first&quot; &lt;this&gt; week &amp; why?"',
    '     data-grove-theme="dark"',
    '     data-grove-accent="#aa3300"',
    '     data-grove-height="30rem"></div>',
    `<script src="${server.url}/widget/grove.js" defer></script>`,
    '',
  ].join('\n'));
  const preview = page.locator('#preview');
  assert.equal(await preview.getAttribute('data-grove-prompt'), 'What will you try "first" <this> week & why?');
  assert.equal(await preview.locator('canvas').evaluate((c) => getComputedStyle(c).maxHeight), '480px', '30rem');
  assert.equal(await page.locator('#preview canvas').count(), 1, 'one widget in the preview, however many edits');
  const stats = await pixelStats(page, preview.locator('canvas'));
  assert.ok(stats.colours > 8, 'the preview draws');

  // The sign-in block is needed once per page; editors adding a second discussion leave it out.
  await page.click('summary');
  await page.uncheck('#f-config');
  assert.doesNotMatch(await page.inputValue('#snippet'), /GroveConfig/);
  await page.check('#f-config');
  await saveScreenshot(page, 'embed-builder');

  // Copy puts exactly the snippet on the clipboard.
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  await page.click('#copy');
  await page.waitForFunction(() => /Copied/.test(document.getElementById('copy-status').textContent));
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), await page.inputValue('#snippet'));
  assert.deepEqual(errors, []);
  await context.close();
});

test('the builder explains invalid values next to the field and in the preview', async () => {
  const { context, page, errors } = await newPage();
  await page.goto(server.url + '/snippet-builder.html');
  await waitForEvent(page, 'grove:ready', "(e) => e.target === 'preview'");
  await fillBuilder(page, { 'f-module': 'fire safety', 'f-height': '500', 'f-accent': 'red' });
  assert.match(await page.locator('#f-module-problem').innerText(), /only letters.*which has spaces/);
  assert.match(await page.locator('#f-height-problem').innerText(), /needs a unit: write "500px"/);
  assert.match(await page.locator('#f-accent-problem').innerText(), /hex colour like #0a66c2/);
  assert.equal(await page.getAttribute('#f-module', 'aria-invalid'), 'true');
  await waitForEvent(page, 'grove:error', "(e) => e.target === 'preview' && e.detail.code === 'invalid_attribute'");
  assert.match(await page.locator('#preview [role="alert"]').innerText(), /data-grove-module must be/);
  await page.click('#copy');
  assert.match(await page.locator('#copy-status').innerText(), /Fix the fields marked in red first/);
  await saveScreenshot(page, 'embed-builder-invalid');

  await fillBuilder(page, { 'f-module': 'fire-safety', 'f-height': '500px', 'f-accent': '' });
  await waitForEvent(page, 'grove:ready', "(e) => e.target === 'preview' && e.detail.module === 'fire-safety'");
  assert.equal(await page.locator('#f-module-problem').innerText(), '');
  assert.equal(await page.getAttribute('#f-module', 'aria-invalid'), null);
  assert.deepEqual(errors, []);
  await context.close();
});

// The builder's own output, taken from its textarea.
async function builderSnippet(values) {
  const { context, page } = await newPage();
  await page.goto(server.url + '/snippet-builder.html');
  await fillBuilder(page, values);
  const snippet = await page.inputValue('#snippet');
  await context.close();
  return snippet;
}

// The policy docs/EMBEDDING.md gives intranet admins, with the Grove server's origin filled in.
function documentedPolicy(grove, { wasm = true, connect = true } = {}) {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-r4nd0m' ${grove}${wasm ? " 'wasm-unsafe-eval'" : ''}`,
    `connect-src 'self'${connect ? ' ' + grove : ''}`,
    "style-src 'self'",
    "img-src 'self' data:",
  ].join('; ');
}

function cspPage(snippet, policy) {
  return {
    status: 200,
    headers: { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': policy },
    body: blankPage(snippet.replace('<script>', '<script nonce="r4nd0m">')),
  };
}

test('Content-Security-Policy: the documented policy works; without wasm-unsafe-eval or connect-src the message says what to add', async () => {
  const snippet = await builderSnippet({ 'f-module': 'csp-module' });
  const grove = server.url;
  intranet.routes['/csp-ok.html'] = cspPage(snippet, documentedPolicy(grove));
  intranet.routes['/csp-no-wasm.html'] = cspPage(snippet, documentedPolicy(grove, { wasm: false }));
  intranet.routes['/csp-no-connect.html'] = cspPage(snippet, documentedPolicy(grove, { connect: false }));

  {
    const { context, page, errors } = await newPage({ viewport: { width: 900, height: 900 } });
    const violations = [];
    page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) violations.push(m.text()); });
    await page.goto(intranet.url + '/csp-ok.html');
    await waitForEvent(page, 'grove:ready', "(e) => e.detail.module === 'csp-module'");
    const stats = await pixelStats(page, page.locator('[data-grove-module] canvas'));
    assert.ok(stats.colours > 8, 'draws under the documented policy');
    assert.deepEqual(violations, [], 'no CSP violation at all');
    assert.deepEqual(errors, []);
    await context.close();
  }
  for (const [path, pattern] of [
    ['/csp-no-wasm.html', /Content-Security-Policy blocks it \(script-src\).*add 'wasm-unsafe-eval' to script-src/],
    ['/csp-no-connect.html', new RegExp(`Content-Security-Policy blocks it \\(connect-src\\).*allow ${grove.replace(/[.]/g, '\\.')} in connect-src`)],
  ]) {
    const { context, page } = await newPage({ viewport: { width: 900, height: 600 } });
    await page.goto(intranet.url + path);
    await waitForEvent(page, 'grove:error', "(e) => e.detail.code === 'blocked_by_csp'");
    assert.match(await page.locator('[data-grove-module] [role="alert"]').innerText(), pattern, path);
    await saveScreenshot(page, 'embed-csp' + path.replace(/\W+/g, '-'));
    await context.close();
  }
});
