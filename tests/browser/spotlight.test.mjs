// The leader spotlight in real Chromium against the real grove-server: one compact line under the
// composer ("N leader learnings this week", a disclosure button), shown once per page however many
// widgets it has (the first one; when it goes, the next takes over); its late arrival never moves
// the composer someone is typing in; and other modules are named by their data-grove-title, which
// the widget sends with its writes. Screenshots at 375 and 1000 px, the line closed and open.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { useGrove } from './lib/grove.mjs';
import { recordGroveEvents, waitForEvent } from './lib/harness.mjs';
import { debug, settle, waitForText, clickControl, waitForControl, screenshotDir } from './lib/ui_page.mjs';
import { PEOPLE } from './lib/dev_people.mjs';
import { syncUntil } from './lib/posting.mjs';

const SHOTS = join(screenshotDir(), 'spotlight');
const LINE = /^\d+ leader learnings? this week$/;

const { server, browser, dev } = await useGrove();
before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  await dev.seed('lee', 'spot-ops', 'Spotlight test: I now open every review by asking what changed.',
    { kind: 'leader_learning' });
  await dev.seed('lee', 'spot-ops', 'Spotlight test: a second learning, so that the line counts two.',
    { kind: 'leader_learning' });
});

// A host page signed in as `person`, with one widget per entry of `widgets` ({id, module, title}).
function hostPage(person, widgets) {
  const p = JSON.stringify(PEOPLE[person]);
  const divs = widgets.map((w) => `<section><h2>${w.module}</h2><div id="${w.id}" data-grove-module="${w.module}"
    data-grove-prompt="What will you try in ${w.module}?" data-grove-height="520px"
    ${w.title ? `data-grove-title="${w.title}"` : ''}></div></section>`).join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Spotlight test</title>
<style>body{font:16px system-ui,sans-serif;margin:16px;max-width:900px}</style>
<script>window.GroveConfig = { getToken: () => fetch('/api/v1/dev/token', { method: 'POST',
  headers: { 'Content-Type': 'application/json' }, body: ${JSON.stringify(p)} })
  .then((r) => r.json()).then((j) => j.token) };</script></head>
<body><h1>Spotlight test</h1>
${divs}
<script src="/widget/grove.js" defer></script></body></html>`;
}

// Opens the page; `beforeLoad(context)` may route requests first. Waits for every widget's grove:ready.
async function open(person, widgets, { width = 1000, height = 1400, beforeLoad } = {}) {
  const context = await browser.newContext({ viewport: { width, height } });
  await recordGroveEvents(context);
  await context.route(server.url + '/spotlight-test.html', (route) =>
    route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: hostPage(person, widgets) }));
  if (beforeLoad) await beforeLoad(context);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.url + '/spotlight-test.html');
  for (const w of widgets) await waitForEvent(page, 'grove:ready', `(e) => e.target === ${JSON.stringify(w.id)}`);
  return { context, page, errors };
}

// The spotlight lines of the whole page as its accessible HTML views give them: buttons with
// aria-expanded whose name is the line.
async function viewLines(page) {
  return page.evaluate((src) => {
    const re = new RegExp(src);
    return [...document.querySelectorAll('[data-grove-module]')].flatMap((el) =>
      [...el.querySelectorAll('.grove-view button[aria-expanded]')]
        .filter((b) => re.test(b.textContent.trim()))
        .map((b) => ({ widget: el.id, text: b.textContent.trim(), expanded: b.getAttribute('aria-expanded') })));
  }, LINE.source);
}

// The lines each widget drew on its canvas (its screen text, line by line).
async function drawnLines(page, id) {
  const lines = await page.evaluate((s) => document.querySelector(s).groveDebug.textLines(), '#' + id);
  return lines.filter((l) => LINE.test(l.text.trim()));
}

async function until(page, fn, what, timeout = 20000) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    last = await fn();
    if (last) return last;
    await page.waitForTimeout(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

test('two widgets on a page show exactly one spotlight line, in the first; the second takes over when it goes', async () => {
  const widgets = [{ id: 'a', module: 'spot-two-a' }, { id: 'b', module: 'spot-two-b' }];
  const { context, page, errors } = await open('sam', widgets);
  await until(page, async () => (await viewLines(page)).length > 0, 'a spotlight line');
  await settle(page, '#a');
  await settle(page, '#b');
  await page.waitForTimeout(500);   // both widgets had their spotlight answer by now
  const lines = await viewLines(page);
  assert.equal(lines.length, 1, `one line on the page: ${JSON.stringify(lines)}`);
  assert.deepEqual(lines[0], { widget: 'a', text: '2 leader learnings this week', expanded: 'false' });
  // What is drawn says the same: the line is on the first widget's canvas only.
  assert.equal((await drawnLines(page, 'a')).length, 1, 'the first widget draws the line');
  assert.equal((await drawnLines(page, 'b')).length, 0, 'the second widget draws none');
  // The accessibility tree: one button of that name on the page.
  const named = await page.getByRole('button', { name: LINE }).count();
  assert.equal(named, 1, 'one spotlight button in the accessibility tree');

  // The first widget leaves the page: the second one shows the line.
  await page.evaluate(() => Grove.unmount(document.querySelector('#a')));
  await until(page, async () => (await viewLines(page)).some((l) => l.widget === 'b'), 'the line in the second widget');
  await until(page, async () => (await drawnLines(page, 'b')).length === 1, 'the line drawn by the second widget');
  assert.equal((await viewLines(page)).length, 1);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the composer stays where it is when the spotlight arrives while someone types', async () => {
  let release;
  const held = new Promise((r) => { release = r; });
  let asked = 0;
  const { context, page } = await open('sam', [{ id: 'w', module: 'spot-still' }], {
    beforeLoad: (ctx) => ctx.route('**/api/v1/spotlight**', async (route) => {
      asked++;
      await held;
      await route.continue();
    }),
  });
  await page.locator('#w').focus();
  await page.keyboard.type('Typing while the spotlight is on its way');
  await syncUntil(page, '#w', (s) => s.draft.endsWith('on its way'), 'the draft typed');
  await settle(page);
  const where = async () => page.evaluate(() => {
    const el = document.querySelector('#w');
    const t = [...el.querySelectorAll('.grove-view textarea')].find((x) => x.value.includes('Typing while'));
    const canvas = el.querySelector('canvas').getBoundingClientRect();
    const r = t.getBoundingClientRect();
    return { top: Math.round(r.top - canvas.top), left: Math.round(r.left - canvas.left), height: Math.round(r.height) };
  });
  const fieldOf = async () => (await debug.controls(page)).controls.find((c) => c.kind === 'text' && c.editing);
  const before = await where();
  const fieldBefore = await fieldOf();
  assert.ok(asked > 0, 'the spotlight was asked for and is held');
  assert.equal((await viewLines(page)).length, 0, 'no line before the answer');

  release();
  await until(page, async () => (await viewLines(page)).length === 1, 'the spotlight line after the answer');
  await page.keyboard.type(' and still typing');
  await syncUntil(page, '#w', (s) => s.draft.endsWith('still typing'), 'the draft typed on');
  await settle(page);
  const after = await where();
  const fieldAfter = await fieldOf();
  assert.deepEqual(after, before, 'the composer\'s text field did not move');
  assert.equal(fieldAfter.y, fieldBefore.y, 'the composer field\'s box on the canvas did not move');
  await context.close();
});

test('a leader learning posted under data-grove-title "Fire safety 101" says "in Fire safety 101" elsewhere', async () => {
  const body = 'Spotlight test: we walk the escape routes with every new starter.';
  const lee = await open('lee', [{ id: 'fire', module: 'spot-fire-101', title: 'Fire safety 101' }]);
  await clickControl(lee.page, 'Leader learning', 0, '#fire');
  await lee.page.locator('#fire').focus();
  await lee.page.keyboard.type(body);
  await syncUntil(lee.page, '#fire', (s) => s.draft.endsWith(body), 'the learning typed');
  await lee.page.keyboard.press('Control+Enter', { delay: 80 });
  await syncUntil(lee.page, '#fire', (s) => s.pending === 0 && s.posts.some((p) => p.body === body && p.state === 'synced'),
    'the learning to reach the server');
  // What reached the server: the module's title.
  const spot = await dev.api('sam', 'GET', '/spotlight?days=7');
  const stored = spot.body.posts.find((p) => p.body === body);
  assert.ok(stored, JSON.stringify(spot.body).slice(0, 400));
  assert.equal(stored.module_title, 'Fire safety 101');
  await lee.context.close();

  // A learner in another module opens the line and reads where it was written.
  const { context, page } = await open('sam', [{ id: 'b', module: 'spot-other-b' }]);
  await waitForControl(page, '3 leader learnings this week', { sel: '#b', timeout: 20000 });
  await clickControl(page, '3 leader learnings this week', 0, '#b');
  await waitForText(page, body.slice(0, 40), '#b');
  const screen = await debug.text(page, '#b');
  assert.ok(screen.includes('in Fire safety 101'), `drawn: ${screen}`);
  assert.ok(!screen.includes('in spot-fire-101'), 'not the key');
  // The HTML view mirrors it: the button says it is open, and the list names the module.
  const view = await page.evaluate(() => {
    const el = document.querySelector('#b');
    const b = [...el.querySelectorAll('.grove-view button[aria-expanded]')].find((x) => /leader learnings/.test(x.textContent));
    const list = el.querySelector('.grove-view ul[aria-label="Leader learnings"]');
    return { expanded: b && b.getAttribute('aria-expanded'), list: list ? list.textContent : null };
  });
  assert.equal(view.expanded, 'true');
  assert.ok(view.list && view.list.includes('in Fire safety 101'), String(view.list));
  await context.close();
});

test('screenshots: the line under the composer, closed and open, at 375 and 1000 px', async () => {
  for (const width of [375, 1000]) {
    const { context, page } = await open('sam', [{ id: 'w', module: 'spot-shot', title: 'Screenshots' }],
      { width, height: 900 });
    await until(page, async () => (await viewLines(page)).length === 1, 'the line');
    await settle(page);
    await page.locator('#w').screenshot({ path: join(SHOTS, `spotlight-${width}-closed.png`) });
    const label = (await viewLines(page))[0].text;
    await clickControl(page, label);
    await page.locator('#w').screenshot({ path: join(SHOTS, `spotlight-${width}-open.png`) });
    await context.close();
  }
});
