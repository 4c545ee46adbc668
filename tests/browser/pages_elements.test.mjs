// The page elements that need no wasm, in real Chromium against the real grove-server with the
// demo's four weeks of posts (scripts/seed_demo.mjs, through the API) plus a few of this test's:
// the catalogue's counts (one request, no wasm) and a count that follows a post on a module
// page; the newsletter's digest (a leader learning of another module, never a hidden post) and
// its copy for newsletters; the insights page for curators (charts drawn, tables, sorting,
// picker, CSV) and its message for learners; axe-core on all three; and the three elements on
// another origin under the strict Content-Security-Policy of docs/EMBEDDING.md.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { useGrove } from './lib/grove.mjs';
import { recordGroveEvents, waitForEvent, pixelStats } from './lib/harness.mjs';
import { saveScreenshot } from './lib/intranet_server.mjs';
import { postAsPerson } from './lib/posting.mjs';
import { axe, axTree } from './lib/a11y.mjs';
import { seed, MODULES } from '../../scripts/seed_demo.mjs';

const OTHER = { module: 'pages-test-leaders', title: 'Leaders\u2019 forum' };
const LEADER_BODY = 'Pages test: in the leaders\u2019 forum I learned that asking first beats telling.';
const HIDDEN_LEADER = 'Pages test: HIDDEN leader learning that no digest may show.';
const HIDDEN_TOP = 'Pages test: HIDDEN but much endorsed post.';

const { server, browser, intranet, dev } = await useGrove({
  intranet: {
    // The intranet's sign-in endpoint (docs/EMBEDDING.md, "Tokens"): here a curator's token
    // from grove-server --dev, as a real intranet would mint one for its signed-in person.
    '/sso/grove-token': async (req, res) => {
      const r = await fetch(server.url + '/api/v1/dev/token', {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ sub: 'intranet-curator', name: 'Ida Intranet', role: 'curator' }),
      });
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-store' });
      res.end(r.ok ? (await r.json()).token : '');
    },
  },
  serverArgs: ({ intranet }) => ['--allow-origin', intranet.url],
});
before(async () => {
  const seeded = await seed({ url: server.url });
  assert.ok(seeded.posts > 40, 'the demo is seeded');
  // A leader learning in a module no page here embeds, and hidden posts that must never show.
  const post = async (who, module, id, body, extra = {}) => {
    const r = await api(who, 'POST', `/modules/${module}/posts`, { id, kind: 'insight', body, ...extra });
    assert.ok(r.status === 201 || r.status === 200, JSON.stringify(r.body));
    return r.body;
  };
  await post('lee', OTHER.module, 'pages-leader', LEADER_BODY, { kind: 'leader_learning', module_title: OTHER.title });
  const hiddenLeader = await post('lee', 'pages-test-hidden', 'pages-hidden-leader', HIDDEN_LEADER, { kind: 'leader_learning' });
  const hiddenTop = await post('ana', 'pages-test-hidden', 'pages-hidden-top', HIDDEN_TOP);
  for (const who of ['lee', 'casey', 'sam', 'dmitri', 'priya']) assert.equal((await api(who, 'PUT', `/posts/${hiddenTop.id}/endorsement`)).status, 200);
  for (const p of [hiddenLeader, hiddenTop]) assert.equal((await api('casey', 'PATCH', `/posts/${p.id}`, { hidden: true })).status, 200);
});

// The API as a person of lib/dev_people.mjs. A kept-alive connection that the server closed just
// as it was reused fails without an answer: every call here is idempotent, so it is sent again.
async function api(...args) {
  try {
    return await dev.api(...args);
  } catch (e) {
    await new Promise((r) => setTimeout(r, 200));
    return dev.api(...args);
  }
}

async function newPage({ person = 'learner', permissions = [], init = null, viewport = { width: 1200, height: 1000 } } = {}) {
  const context = await browser.newContext({ viewport, permissions });
  await recordGroveEvents(context);
  // The demo's "Act as" switcher keeps its choice in localStorage (host-page/dev-session.js).
  await context.addInitScript((who) => { try { localStorage.setItem('grove-demo-person', who); } catch (e) { /* file: */ } }, person);
  if (init) await context.addInitScript(init);
  const page = await context.newPage();
  const errors = [], requests = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => requests.push(new URL(r.url())));
  return { context, page, errors, requests };
}

async function until(what, fn, timeout = 20000) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    last = await fn();
    if (last) return last;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const counts = async (modules) => (await api('sam', 'GET', '/counts?modules=' + modules.join(','))).body.counts;
const countsFilled = (page) => page.evaluate(() => [...document.querySelectorAll('[data-grove-count]')]
  .every((e) => e.hasAttribute('data-grove-count-value')));

test('catalogue: every count from one request, no wasm, in the page\'s languages', async () => {
  const { context, page, errors, requests } = await newPage();
  await page.goto(server.url + '/catalogue.html');
  await until('the counts', () => countsFilled(page));
  const server_ = await counts(Object.keys(MODULES));
  const english = (n) => `${n} ${n === 1 ? 'reflection' : 'reflections'}`;
  const expected = {
    'brandschutz-grundlagen': (c) => [`${c.posts} ${c.posts === 1 ? 'Reflexion' : 'Reflexionen'}`,
      c.contributors === 1 ? '1 Person hat mitgemacht' : `${c.contributors} Personen haben mitgemacht`],
    'securite-routiere': (c) => [`${c.posts} ${c.posts < 2 ? 'réflexion' : 'réflexions'}`,
      `${c.contributors} ${c.contributors < 2 ? 'personne a participé' : 'personnes ont participé'}`],
  };
  for (const module of Object.keys(MODULES)) {
    const c = server_[module];
    assert.ok(c.posts > 0, `${module} has seeded posts`);
    const want = expected[module] ? expected[module](c)
      : [english(c.posts), `${c.contributors} ${c.contributors === 1 ? 'colleague' : 'colleagues'} took part`];
    const shown = (await page.locator(`#${module} .course-talk`).innerText()).split(' · ');
    assert.deepEqual(shown, want, module);
  }
  // Screen readers get the count as the card's text.
  const tree = await axTree(page);
  const c = server_['fire-safety-101'];
  assert.ok(tree.some((n) => n.role === 'StaticText' && n.name === english(c.posts)), 'the count is text in the accessibility tree');

  const api = requests.filter((u) => u.pathname.startsWith('/api/v1/') && u.pathname !== '/api/v1/dev/token');
  assert.deepEqual(api.map((u) => u.pathname), ['/api/v1/counts'], 'one API request for 18 count elements');
  assert.deepEqual(api[0].searchParams.get('modules').split(',').sort(), Object.keys(MODULES).sort(), 'each module once');
  const widget = requests.filter((u) => u.pathname.startsWith('/widget/')).map((u) => u.pathname.replace(/\.[0-9a-f]{12}\./, '.'));
  assert.deepEqual(widget.sort(), ['/widget/grove-pages.js', '/widget/grove.js'], 'no wasm, glue, font or charts');
  assert.deepEqual(await axe(page, '.courses'), [], 'axe: the catalogue cards');
  await saveScreenshot(page, 'pages-catalogue');
  assert.deepEqual(errors, []);
  await context.close();
});

test('counts: more than 100 elements cost one request per 100 keys; a bad key is reported', async () => {
  const spans = Array.from({ length: 150 }, (_, i) => `<span data-grove-count="bulk-${i}"></span>`).join('\n');
  intranet.routes['/bulk.html'] = `<!doctype html><html lang="pl"><head><meta charset="utf-8"><title>Katalog</title></head><body>
<script>window.GroveConfig = { api: ${JSON.stringify(server.url + '/api/v1')}, getToken: () => fetch('/sso/grove-token').then((r) => r.text()) };</script>
${spans}<span id="bad" data-grove-count="no spaces allowed">kept</span>
<script src="${server.url}/widget/grove.js" defer></script></body></html>`;
  const { context, page, requests } = await newPage();
  await page.goto(intranet.url + '/bulk.html');
  await until('150 counts', () => page.evaluate(() => document.querySelectorAll('[data-grove-count-value]').length === 150));
  const calls = requests.filter((u) => u.pathname === '/api/v1/counts').map((u) => u.searchParams.get('modules').split(',').length);
  assert.deepEqual(calls.sort((a, b) => b - a), [100, 50]);
  assert.equal(await page.locator('[data-grove-count="bulk-7"]').innerText(), '0 refleksji', 'Polish page: Polish plural');
  assert.equal(await page.locator('#bad').innerText(), 'kept', 'a bad key leaves the element as it was');
  await waitForEvent(page, 'grove:error', "(e) => e.target === 'bad' && e.detail.code === 'invalid_attribute'");
  await context.close();
});

test('a count on a module page follows a post made in its widget, and then the server', async () => {
  const { context, page, errors, requests } = await newPage();
  const before_ = (await counts(['fire-safety-101']))['fire-safety-101'].posts;
  await page.goto(server.url + '/');
  const count = page.locator('.crumbs [data-grove-count]');
  await until('the first count', async () => (await count.innerText()) === `${before_} reflections`);
  await waitForEvent(page, 'grove:ready', "(e) => e.target === 'grove-fire-safety'");
  const fetchesBefore = requests.filter((u) => u.pathname === '/api/v1/counts').length;
  await postAsPerson(page, '#grove-fire-safety', 'My post counts.');
  let shown = '';
  await until('the count after the post', async () => (shown = await count.innerText()) === `${before_ + 1} reflections`)
    .catch((e) => assert.fail(`${e.message}: "${shown}", expected ${before_ + 1}; counts requests: ` +
      requests.filter((u) => u.pathname === '/api/v1/counts').length));
  // Not only the page's own arithmetic: the server's number was read again after the send.
  await until('a refreshed count', () => requests.filter((u) => u.pathname === '/api/v1/counts').length > fetchesBefore);
  assert.equal((await counts(['fire-safety-101']))['fire-safety-101'].posts, before_ + 1);
  assert.equal(await count.innerText(), `${before_ + 1} reflections`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('newsletter: the digest shows leaders\' learnings of every module, never a hidden post, and copies as HTML and text', async () => {
  const { context, page, errors } = await newPage({ permissions: ['clipboard-read', 'clipboard-write'] });
  await page.goto(server.url + '/newsletter.html');
  const digest = page.locator('[data-grove-digest] section.grove-digest');
  await digest.waitFor();
  const digestApi = (await api('sam', 'GET', '/digest?days=7')).body;
  const text = await digest.innerText();
  assert.ok(!/HIDDEN|BUY CHEAP/.test(text), 'no hidden post');

  const leaders = page.getByRole('region', { name: 'What our leaders learned' });
  const shownLeaders = await leaders.locator('blockquote').allInnerTexts();
  assert.deepEqual(shownLeaders, digestApi.leader_learnings.map((p) => p.body), 'the leader learnings, newest first');
  assert.ok(shownLeaders.includes(LEADER_BODY));
  const mine = leaders.locator('li', { hasText: LEADER_BODY });
  assert.match(await mine.innerText(), /Lee Leader, in Leaders’ forum/, 'its module by title');
  assert.equal(await mine.getByRole('link', { name: 'Leaders’ forum' }).getAttribute('href'), `${server.url}/catalogue.html#${OTHER.module}`);

  const top = page.getByRole('region', { name: 'Most endorsed' });
  assert.deepEqual(await top.locator('blockquote').allInnerTexts(), digestApi.top_posts.map((p) => p.body));
  assert.ok(digestApi.top_posts.length >= 3, 'the seed makes a real ranking');
  const figures = await page.getByRole('region', { name: 'Commitments' }).locator('strong').allInnerTexts();
  assert.deepEqual(figures.map(Number), [digestApi.commitments.made, digestApi.commitments.done, digestApi.commitments.partly]);
  const modules = await page.getByRole('region', { name: 'Most active modules' }).locator('li').allInnerTexts();
  assert.equal(modules[0], `${digestApi.modules[0].module_title}: ${digestApi.modules[0].posts} posts by ${digestApi.modules[0].contributors} people`);

  assert.deepEqual(await axe(page, '[data-grove-digest]'), [], 'axe: the digest');
  await saveScreenshot(page, 'pages-newsletter');

  await page.getByRole('button', { name: 'Copy for newsletter' }).click();
  await until('the copy', async () => /Copied/.test(await page.locator('.grove-copy-status').innerText()));
  const copied = await page.evaluate(async () => {
    const [item] = await navigator.clipboard.read();
    const out = {};
    for (const type of item.types) out[type] = await (await item.getType(type)).text();
    return out;
  });
  assert.deepEqual(Object.keys(copied).sort(), ['text/html', 'text/plain']);
  assert.match(copied['text/html'], /^<h2>This week in learning<\/h2>/);
  assert.ok(copied['text/html'].includes('<blockquote>' + LEADER_BODY.replace(/’/g, '’') + '</blockquote>'));
  assert.ok(!/class=|style=|<script|HIDDEN/.test(copied['text/html']), 'clean HTML, nothing hidden');
  assert.match(copied['text/plain'], /^THIS WEEK IN LEARNING\n/);
  assert.ok(copied['text/plain'].includes(`- "${LEADER_BODY}"\n  Lee Leader, in Leaders’ forum`));
  assert.deepEqual(errors, []);
  await context.close();
});

test('copy for newsletter without ClipboardItem (older browsers) still puts HTML and text on the clipboard', async () => {
  const { context, page } = await newPage({ permissions: ['clipboard-read', 'clipboard-write'], init: () => { delete window.ClipboardItem; } });
  await page.goto(server.url + '/newsletter.html');
  await page.getByRole('button', { name: 'Copy for newsletter' }).click();
  await until('the copy', async () => /Copied/.test(await page.locator('.grove-copy-status').innerText()));
  const copied = await page.evaluate(async () => {
    const [item] = await navigator.clipboard.read();
    return { types: [...item.types].sort(), html: await (await item.getType('text/html')).text() };
  });
  assert.deepEqual(copied.types, ['text/html', 'text/plain']);
  assert.ok(copied.html.includes(LEADER_BODY));
  await context.close();
});

test('insights: a learner is told who may see them', async () => {
  const { context, page, errors } = await newPage({ person: 'learner' });
  await page.goto(server.url + '/insights.html');
  const alert = page.locator('[data-grove-insights] [role="alert"]');
  await alert.waitFor();
  assert.match(await alert.innerText(), /Insights are not available to you.*curators, leaders and admins\. You are signed in as Sam Learner \(learner\)/s);
  assert.deepEqual(await axe(page, '[data-grove-insights]'), []);
  assert.deepEqual(errors, []);
  await context.close();
});

// The CSV the server sends, as rows keyed by date and module.
function parseCsv(text) {
  const lines = text.trim().split(/\r\n/);
  const rows = lines.slice(1).map((l) => l.match(/("([^"]|"")*"|[^,]*)(,|$)/g).map((f) => f.replace(/,$/, '').replace(/^"|"$/g, '').replace(/""/g, '"')));
  return { header: lines[0].split(','), rows };
}

test('insights for a curator: charts drawn, data tables, module picker, sortable modules, CSV', async () => {
  const { context, page, errors } = await newPage({ person: 'curator', viewport: { width: 1280, height: 1100 } });
  await page.goto(server.url + '/insights.html');
  const root = page.locator('[data-grove-insights] section.grove-insights');
  await root.waitFor();
  const stats = (await api('casey', 'GET', '/stats?days=30')).body;
  if (!stats.all) stats.all = stats;   // a server that gives every module's total at the top level

  // Both charts have drawn: many colours and pixels other than the background.
  const activity = root.locator('figure.grove-activity canvas');
  const commitments = root.locator('figure.grove-commitments canvas');
  for (const canvas of [activity, commitments]) {
    let last = null;
    const s = await until('a drawn chart', async () => {
      last = await pixelStats(page, canvas);
      return last.colours > 20 && last.nonBackground > 0.02 ? last : null;
    }).catch((e) => assert.fail(`${e.message}: ${JSON.stringify(last)}`));
    assert.ok(s.width > 300 && s.height > 100, JSON.stringify(s));
  }
  // The solid posts line and the dotted endorsements line are drawn, not only their legend: their
  // colours cover far more than a legend's point (about 64 CSS pixels). The dashed contributors
  // line mostly runs under the posts line with the seeded data, so its pixels are not counted.
  const lines = await colourPixels(activity, { posts: '#0a66c2', endorsements: '#1a7f37' });
  for (const [name, n] of Object.entries(lines.counts)) assert.ok(n > 6 * lines.swatch, `the ${name} line is drawn: ${JSON.stringify(lines)}`);
  assert.equal(await activity.getAttribute('role'), 'img');
  assert.match(await activity.getAttribute('aria-label'), /^Line chart of posts, contributors and endorsements per day.*all modules: \d+ posts/);

  // The table behind the line chart holds the API's numbers, day by day.
  const dayRows = async () => root.locator('figure.grove-activity tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [...tr.cells].slice(1).map((td) => Number(td.textContent.replace(/,/g, '')))));
  assert.deepEqual(await dayRows(), stats.all.per_day.map((d) => [d.posts, d.contributors, d.endorsements]));
  const totals = await root.locator('.grove-figures strong').allInnerTexts();
  assert.deepEqual(totals.slice(0, 4).map(Number), [stats.all.posts, stats.all.replies, stats.all.contributors, stats.all.endorsements]);

  // The picker shows one module: its numbers in the table, a redrawn chart.
  const beforePick = await activity.screenshot();
  await root.getByLabel('Module', { exact: true }).selectOption('customer-calls');
  const cc = stats.modules.find((m) => m.module === 'customer-calls');
  let caption = '';
  await until('the module\'s table', async () => (caption = await root.locator('figure.grove-activity caption').textContent()).endsWith('Handling difficult customer calls'))
    .catch((e) => assert.fail(e.message + ': ' + caption));
  assert.deepEqual(await dayRows(), cc.per_day.map((d) => [d.posts, d.contributors, d.endorsements]));
  assert.ok(!(await activity.screenshot()).equals(beforePick), 'the chart was redrawn');

  // The modules table sorts by every column, with the mouse or the keyboard.
  const table = root.locator('table.grove-modules');
  const column = async (i) => table.locator('tbody tr').evaluateAll((trs, k) => trs.map((tr) => tr.cells[k].textContent), i);
  const byPosts = [...stats.modules].sort((a, b) => b.posts - a.posts || a.module.localeCompare(b.module));
  assert.deepEqual(await column(0), byPosts.map((m) => m.module_title || m.module), 'most posts first at the start');
  await table.getByRole('button', { name: /Contributors/ }).click();
  assert.equal(await table.locator('th[data-key="contributors"]').getAttribute('aria-sort'), 'descending');
  const contributors = (await column(3)).map(Number);
  assert.deepEqual(contributors, [...contributors].sort((a, b) => b - a));
  assert.deepEqual(contributors.slice().sort((a, b) => a - b), stats.modules.map((m) => m.contributors).sort((a, b) => a - b));
  await page.keyboard.press('Enter');   // the header button kept the focus: again, ascending
  assert.equal(await table.locator('th[data-key="contributors"]').getAttribute('aria-sort'), 'ascending');
  assert.deepEqual((await column(3)).map(Number), [...contributors].reverse().sort((a, b) => a - b));
  assert.equal(await table.locator('th[aria-sort]').count(), 1, 'only the sorted column says so');
  assert.match(await root.locator('.grove-insights-status').innerText(), /sorted by contributors, lowest first/);
  await table.getByRole('button', { name: /Module/ }).click();
  const titles = await column(0);
  assert.deepEqual(titles, [...titles].sort((a, b) => a.localeCompare(b, 'en')));

  // The CSV: fetched with the token, saved as a file; its rows are the stats'.
  const [download] = await Promise.all([page.waitForEvent('download'), root.getByRole('button', { name: 'Download CSV' }).click()]);
  assert.match(download.suggestedFilename(), /^grove-stats-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = parseCsv(await readFile(await download.path(), 'utf8'));
  assert.deepEqual(csv.header.slice(0, 4), ['date', 'module', 'module_title', 'posts']);
  const col = (name) => csv.header.indexOf(name);
  const expected = stats.modules.flatMap((m) => m.per_day.map((d) => [d.date, m.module, String(d.posts), String(d.contributors), String(d.endorsements)]));
  assert.deepEqual(csv.rows.map((r) => [r[col('date')], r[col('module')], r[col('posts')], r[col('contributors')], r[col('endorsements')]]), expected);

  await root.getByLabel('Module', { exact: true }).selectOption('');
  for (const d of await root.locator('details').all()) await d.locator('summary').click();   // tables open too
  assert.deepEqual(await axe(page, '[data-grove-insights]'), [], 'axe: the insights');
  await saveScreenshot(page, 'pages-insights');
  assert.deepEqual(errors, []);
  await context.close();
});

// How many pixels of a canvas are (nearly) each of the given colours, and how many device pixels
// one legend point takes at most (8 by 8 CSS pixels), to tell a drawn line from its legend.
async function colourPixels(canvas, colours) {
  return canvas.evaluate((c, colours) => {
    const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
    const out = {};
    for (const [name, hex] of Object.entries(colours)) {
      const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
      let n = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] > 200 && Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 60) n++;
      }
      out[name] = n;
    }
    return { counts: out, swatch: Math.round(64 * devicePixelRatio * devicePixelRatio) };
  }, colours);
}

test('on another origin under the documented Content-Security-Policy: all three work, no violation', async () => {
  const grove = server.url;
  const policy = ["default-src 'self'", `script-src 'self' 'nonce-r4nd0m' ${grove} 'wasm-unsafe-eval'`,
    `connect-src 'self' ${grove}`, "style-src 'self'", "img-src 'self' data:"].join('; ');
  intranet.routes['/csp-pages.html'] = {
    status: 200,
    headers: { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': policy },
    body: `<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Lernen</title></head><body>
<script nonce="r4nd0m">window.GroveConfig = { api: ${JSON.stringify(grove + '/api/v1')}, getToken: () => fetch('/sso/grove-token').then((r) => r.text()) };</script>
<p>Brandschutz: <span id="count" data-grove-count="brandschutz-grundlagen"></span></p>
<div id="digest" data-grove-digest data-grove-days="14"></div>
<div id="insights" data-grove-insights data-grove-days="14" data-grove-heading="3"></div>
<script src="${grove}/widget/grove.js" defer></script></body></html>`,
  };
  const { context, page, errors, requests } = await newPage();
  const violations = [];
  page.on('console', (m) => { if (/Content.Security.Policy/i.test(m.text())) violations.push(m.text()); });
  await page.goto(intranet.url + '/csp-pages.html');
  await page.locator('#insights figure.grove-activity canvas').waitFor();
  await page.locator('#digest section.grove-digest').waitFor();
  const c = (await counts(['brandschutz-grundlagen']))['brandschutz-grundlagen'];
  await until('the German count', async () => (await page.locator('#count').innerText()) === `${c.posts} Reflexionen`);
  const s = await until('a drawn chart', async () => { const p = await pixelStats(page, page.locator('#insights figure.grove-activity canvas')); return p.colours > 20 ? p : null; });
  assert.ok(s.nonBackground > 0.01, JSON.stringify(s));
  // The stylesheet applies (constructed, so style-src 'self' is enough) ...
  assert.equal(await page.locator('#insights .grove-figures').evaluate((e) => getComputedStyle(e).display), 'flex');
  // ... the English elements say so on a German page, and the editor's heading level is used.
  assert.equal(await page.locator('#digest section.grove-digest').getAttribute('lang'), 'en');
  assert.equal(await page.locator('#insights h3').first().innerText(), 'Learning insights');
  assert.deepEqual(violations, []);
  assert.deepEqual(errors, []);
  assert.ok(!requests.some((u) => /grove-core|grove-font/.test(u.pathname)), 'no widget files');
  await context.close();
});
