// The widget without WebGL 2 (Chromium launched with --disable-webgl --disable-3d-apis) and in
// forced-colours mode: the same discussion as plain HTML in the mount element, run by the same
// wasm module (store, sync, outbox). Seeded posts are visible as text; a post typed into the HTML
// field, with a kind, and sent with its Post button reaches the server; reply, endorse, edit and
// delete work; offline then online sends a post exactly once; axe-core finds no WCAG violation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useGrove } from './lib/grove.mjs';
import { launchBrowser } from './lib/harness.mjs';
import { openHost } from './lib/ui_page.mjs';
import { pageFor, apiDown } from './lib/dev_people.mjs';
import { axe } from './lib/a11y.mjs';
import { saveScreenshot } from './lib/intranet_server.mjs';

const { server, browser, dev } = await useGrove({ browserArgs: ['--disable-webgl', '--disable-3d-apis'] });

const widget = (page) => page.locator('#w .grove-view');
const button = (page, name) => widget(page).getByRole('button', { name, exact: true });
const syncState = (page) => page.locator('#w').evaluate((el) => el.groveSyncState());

async function until(page, predicate, what, timeout = 30000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const s = await syncState(page);
    if (predicate(s)) return s;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}: ${JSON.stringify(s).slice(0, 600)}`);
    await page.waitForTimeout(150);
  }
}

test('without WebGL 2: seeded posts visible as text; post with a kind, reply, endorse, edit, delete', async () => {
  const module = 'html-basics';
  await dev.seed('ana', module, 'Checklists before the drill helped.');
  await dev.seed('priya', module, 'मुझे यह अभ्यास उपयोगी लगा');
  const { context, page, errors } = await openHost(browser, server, pageFor('sam', { module }));
  assert.equal(await page.evaluate(() => !!document.createElement('canvas').getContext('webgl2')), false, 'WebGL 2 is really off');
  assert.equal(await page.locator('#w canvas').count(), 0);
  assert.equal(await page.locator('#w [data-grove-error]').count(), 0, 'no "cannot be shown" message');
  for (const t of ['Checklists before the drill helped.', 'मुझे यह अभ्यास उपयोगी लगा']) {
    const p = widget(page).getByText(t, { exact: true });
    await p.waitFor();
    assert.ok((await p.boundingBox()).height > 10, `"${t}" is on screen`);
  }

  // Post, as a question, typed into the HTML field and sent with its Post button.
  const field = widget(page).getByRole('textbox', { name: 'Your reflection' });
  await field.click();
  await page.keyboard.type('Asked without WebGL?');
  await button(page, 'Question').click();
  // The view shows the new state on the widget's next frame: wait for it (fails on a timeout).
  await widget(page).getByRole('button', { name: 'Question', exact: true, pressed: true }).waitFor({ timeout: 10000 });
  await button(page, 'Post').click();
  const mine = await dev.until(module, (ps) => ps.find((p) => p.body === 'Asked without WebGL?'), 'the post');
  assert.equal(mine.kind, 'question');
  assert.equal(await field.inputValue(), '', 'the composer is empty again');

  // Reply to Ana, endorse Ana's post.
  const ana = (await dev.posts(module)).find((p) => p.author.id === 'u-ana');
  await button(page, 'Reply to Ana Souza').click();
  const reply = widget(page).getByRole('textbox', { name: 'Your reply' });
  await reply.waitFor();
  await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Your reply', null, { timeout: 10000 });
  await page.keyboard.type('Thanks, Ana.');
  await button(page, 'Post reply').click();
  await dev.until(module, (ps) => ps.find((p) => p.body === 'Thanks, Ana.' && p.parent_id === ana.id), 'the reply');
  await button(page, 'Endorse Ana Souza\'s post').click();
  await dev.until(module, (ps) => ps.find((p) => p.id === ana.id && p.endorsed_by_me), 'the endorsement');

  // Edit, then delete, Sam's own post (More actions, a menu of buttons).
  await until(page, (s) => s.pending === 0, 'everything sent');
  await button(page, 'More actions for Sam Learner\'s post').first().click();
  await button(page, 'Edit').click();
  const edit = widget(page).getByRole('textbox', { name: 'Edit your post' });
  await edit.fill('Asked without WebGL, edited.');
  await button(page, 'Save').click();
  await dev.until(module, (ps) => ps.find((p) => p.id === mine.id && p.body === 'Asked without WebGL, edited.'), 'the edit');
  await button(page, 'More actions for Sam Learner\'s post').first().click();
  await button(page, 'Delete…').click();
  await button(page, 'Delete your post').click();
  await dev.until(module, (ps) => !ps.some((p) => p.id === mine.id), 'the deletion');
  await saveScreenshot(page, 'html-view-light');
  assert.deepEqual(errors, []);
  await context.close();
});

test('without WebGL 2: a post made offline is kept and sent exactly once when back online', async () => {
  const module = 'html-offline';
  const { context, page } = await openHost(browser, server, pageFor('sam', { module }));
  const posts = [];
  page.on('request', (r) => { if (r.method() === 'POST' && /\/modules\/[^/]+\/posts$/.test(r.url())) posts.push(r.url()); });
  await apiDown(context);
  await widget(page).getByRole('textbox', { name: 'Your reflection' }).fill('Written while offline.');
  await button(page, 'Post').click();
  await until(page, (s) => s.pending === 1 && !s.online, 'the post waiting, offline');
  await widget(page).getByText(/You're offline/).first().waitFor();
  await context.unroute('**/api/v1/**');
  await until(page, (s) => s.pending === 0 && s.online, 'the post sent', 60000);
  const found = await dev.until(module, (ps) => ps.filter((p) => p.body === 'Written while offline.'), 'the post');
  assert.equal(found.length, 1);
  await page.waitForTimeout(1000);
  assert.equal((await dev.posts(module)).filter((p) => p.body === 'Written while offline.').length, 1);
  await context.close();
});

test('without WebGL 2 and in forced colours, axe-core finds no WCAG 2.0 A/AA or 2.1 AA violation', async () => {
  const module = 'html-axe';
  const seeded = await dev.seed('ana', module, 'Read https://intranet.example/drill before Friday.');
  await dev.seed('dmitri', module, 'A reply.', { parent_id: seeded.id });
  for (const [theme, accent] of [['light', ''], ['dark', '#f5c400']]) {
    const { context, page } = await openHost(browser, server, pageFor('sam', { module, theme, accent }));
    await widget(page).getByText('A reply.').waitFor();
    await widget(page).getByRole('textbox', { name: 'Your reflection' }).fill('x'.repeat(510));   // over the limit: the warning colours
    const v = await axe(page, '#w');
    assert.deepEqual(v, [], `${theme}: ${JSON.stringify(v, null, 1)}`);
    if (theme === 'dark') await saveScreenshot(page, 'html-view-dark');
    await context.close();
  }
  // Forced colours (Windows high contrast): the HTML view even where WebGL 2 works.
  const gl = await launchBrowser();
  try {
    const context = await gl.newContext({ forcedColors: 'active', viewport: { width: 900, height: 800 } });
    const page = await context.newPage();
    await context.route(server.url + '/ui-test.html', (route) =>
      route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: pageFor('sam', { module }) }));
    await page.goto(server.url + '/ui-test.html');
    await widget(page).getByText('A reply.').waitFor();
    assert.equal(await page.locator('#w canvas').count(), 0);
    assert.deepEqual(await axe(page, '#w'), []);
    await context.close();
  } finally {
    await gl.close();
  }
});
