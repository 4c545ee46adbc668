// From reflection to behaviour, in real Chromium against the real grove-server: a link in a post
// opens one new tab at its address (click, and Tab + Enter) with no opener and no referrer, and
// `javascript:` text stays text; a curator puts a learner's suggested resource on the module's
// shelf and a learner sees it, also after reloading with the API unreachable (from the cache); a
// learner's "I will…" plan gets its check-in card once the server's dev clock has moved a week on,
// the "Done" answer with a note reaches the server once, and another person sees it on the post.
// What is checked is what people get: Chromium's accessibility tree (the widget's HTML view),
// the tabs the browser opens, pixels, and the server's stored data. Screenshots go to
// GROVE_SCREENSHOT_DIR (behaviour-*.png).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { useGrove } from './lib/grove.mjs';
import { launchBrowser } from './lib/harness.mjs';
import { openHost, debug, settle, clickControl, focusedLabel, pixelsAt, screenshotDir } from './lib/ui_page.mjs';
import { pageFor, apiDown } from './lib/dev_people.mjs';
import { axTree } from './lib/a11y.mjs';

const { server, browser, dev } = await useGrove();
before(async () => {
  await mkdir(screenshotDir(), { recursive: true });
});

const DAY = 24 * 60 * 60 * 1000;
const shot = (page, name) => page.locator('#w').screenshot({ path: join(screenshotDir(), `behaviour-${name}.png`) });

// The accessibility tree's nodes that are not ignored.
const ax = async (page) => (await axTree(page)).filter((n) => !n.ignored);

// Polls the accessibility tree until `predicate(nodes)` is truthy; returns that.
async function untilAx(page, predicate, what, timeout = 15000) {
  const deadline = Date.now() + timeout;
  let nodes = [];
  while (Date.now() < deadline) {
    nodes = await ax(page);
    const found = predicate(nodes);
    if (found) return found;
    await page.waitForTimeout(150);
  }
  const summary = nodes.filter((n) => n.name && n.role !== 'InlineTextBox').map((n) => `${n.role}: ${n.name}`).join('\n');
  throw new Error(`the accessibility tree never had ${what}; it has:\n${summary}`);
}
const named = (role, name) => (nodes) => nodes.find((n) => n.role === role && (typeof name === 'string' ? n.name === name : name.test(n.name)));
const allText = (nodes) => nodes.filter((n) => n.role === 'StaticText').map((n) => n.name).join('\n');

// An outside site, answered here (no network): records the requests the new tabs make.
async function outsideSite(context) {
  const requests = [];
  await context.route('https://checklists.example/**', (route) => {
    requests.push({ url: route.request().url(), referer: route.request().headers().referer });
    return route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>Checklist</title><p>ok' });
  });
  return requests;
}

// Waits for one new tab; returns it, its opener and referrer as the new page sees them.
async function newTab(context, act) {
  const opened = context.waitForEvent('page', { timeout: 10000 });
  await act();
  const tab = await opened;
  await tab.waitForLoadState('domcontentloaded');
  const seen = await tab.evaluate(() => ({ opener: window.opener, referrer: document.referrer }));
  return { tab, url: tab.url(), ...seen };
}

test('a link in a post opens one new tab by click and by Tab + Enter; javascript: text stays text', async () => {
  const module = 'behaviour-links';
  const url = 'https://checklists.example/drill?step=2';
  await dev.seed('ana', module, `The drill checklist helped: ${url} (print it).`);
  await dev.seed('priya', module, 'Never paste javascript:alert(1) into a post.');
  const { context, page, errors } = await openHost(browser, server, pageFor('sam', { module }));
  const requests = await outsideSite(context);
  let dialogs = 0;
  page.on('dialog', (d) => { dialogs++; d.dismiss(); });

  // What a screen reader gets: one link, to the address, that opens apart from the page.
  const link = await untilAx(page, named('link', url), 'the link');
  assert.ok(link);
  const nodes = await ax(page);
  assert.deepEqual(nodes.filter((n) => n.role === 'link').map((n) => n.name), [url], 'one link: javascript: text is no link');
  assert.ok(allText(nodes).includes('Never paste javascript:alert(1) into a post.'), 'the javascript: text is read as text');
  const a = page.locator('#w .grove-view a');
  assert.equal(await a.count(), 1);
  assert.equal(await a.getAttribute('href'), url);
  assert.equal(await a.getAttribute('target'), '_blank');
  assert.match(await a.getAttribute('rel'), /(^| )noopener( |$)/);
  assert.match(await a.getAttribute('rel'), /(^| )noreferrer( |$)/);

  // Hover: underlined in the link colour, the address in a tooltip.
  const canvas = page.locator('#w canvas');
  const box = await canvas.boundingBox();
  const control = (await debug.controls(page)).controls.find((c) => c.label === url);
  assert.ok(control, 'the link is a control on the canvas');
  const underline = [];
  for (let dy = 0; dy <= 6; dy++) underline.push([control.x + control.w / 2, control.y + control.h - dy]);
  const before = await pixelsAt(page, canvas, underline);
  await page.mouse.move(box.x + control.x + control.w / 2, box.y + control.y + control.h / 2);
  await settle(page);
  const hovered = await pixelsAt(page, canvas, underline);
  assert.notDeepEqual(hovered, before, 'hovering draws something under the link (its underline)');
  const tip = await debug.text(page);
  assert.equal(tip.split(url).length - 1, 2, 'the address shows twice: in the post and in its tooltip');
  await shot(page, 'link-hover');

  // Click: one new tab at the address, no opener, no referrer.
  const clicked = await newTab(context, () => page.mouse.click(box.x + control.x + control.w / 2, box.y + control.y + control.h / 2));
  assert.equal(clicked.url, url);
  assert.equal(clicked.opener, null);
  assert.equal(clicked.referrer, '');
  assert.equal(requests.length, 1);
  assert.equal(requests[0].referer, undefined, 'no Referer header');
  await clicked.tab.close();
  assert.equal(page.url(), server.url + '/ui-test.html', 'the page itself stays');

  // Keyboard: Tab to the link (the page's focus is on it), Enter.
  await page.mouse.move(0, 0);
  await page.locator('#before').focus();
  let label = null;
  for (let i = 0; i < 30 && label !== url; i++) {
    await page.keyboard.press('Tab');
    label = await focusedLabel(page);
  }
  assert.equal(label, url, 'Tab reaches the link');
  assert.equal(await page.evaluate(() => document.activeElement.tagName + ' ' + document.activeElement.getAttribute('href')), `A ${url}`);
  const keyed = await newTab(context, () => page.keyboard.press('Enter'));
  assert.equal(keyed.url, url);
  assert.equal(keyed.opener, null);
  assert.equal(keyed.referrer, '');
  await keyed.tab.close();

  // The javascript: text: a click on it does nothing (no tab, no navigation, no dialog).
  const lines = await page.evaluate(() => document.querySelector('#w').groveDebug.textLines());
  const js = lines.find((l) => l.text.includes('javascript:alert(1)'));
  assert.ok(js, 'the javascript: text is drawn');
  const at = js.x + js.w * (js.text.indexOf('javascript:') + 5) / js.text.length;
  await page.mouse.click(box.x + at, box.y + js.y + js.h / 2);
  await settle(page);
  await page.waitForTimeout(1000);
  assert.equal(context.pages().length, 1, 'no other tab');
  assert.equal(requests.length, 2, 'only the two activations reached the outside site');
  assert.equal(page.url(), server.url + '/ui-test.html');
  assert.equal(dialogs, 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a www. address in a post is a link that opens https://www.… by click, without its full stop', async () => {
  const module = 'behaviour-www';
  await dev.seed('ana', module, 'Print the list at www.checklists.example/fire. It helped.');
  const { context, page, errors } = await openHost(browser, server, pageFor('sam', { module }));
  const requests = [];
  await context.route('https://www.checklists.example/**', (route) => {
    requests.push(route.request().url());
    return route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>Checklist</title><p>ok' });
  });
  // The HTML view: the text as written, the https address as its target.
  await untilAx(page, named('link', 'www.checklists.example/fire'), 'the www. link');
  const a = page.locator('#w .grove-view a');
  assert.equal(await a.count(), 1);
  assert.equal(await a.getAttribute('href'), 'https://www.checklists.example/fire');
  // The canvas: a click opens one new tab there, apart from this page.
  const canvas = page.locator('#w canvas');
  const box = await canvas.boundingBox();
  const control = (await debug.controls(page)).controls.find((c) => c.label === 'https://www.checklists.example/fire');
  assert.ok(control, 'the www. link is a control on the canvas');
  const clicked = await newTab(context, () => page.mouse.click(box.x + control.x + control.w / 2, box.y + control.y + control.h / 2));
  assert.equal(clicked.url, 'https://www.checklists.example/fire');
  assert.equal(clicked.opener, null);
  assert.equal(clicked.referrer, '');
  assert.deepEqual(requests, ['https://www.checklists.example/fire']);
  await clicked.tab.close();
  assert.deepEqual(errors, []);
  await context.close();
});

test('a curator puts a suggested resource on the shelf; a learner sees it, also offline after a reload', async () => {
  const module = 'behaviour-shelf';
  await dev.seed('ana', module, 'Fire drill checklist https://checklists.example/fire', { kind: 'resource' });
  const curator = await openHost(browser, server, pageFor('casey', { module }));
  await untilAx(curator.page, named('button', /Add to shelf/), 'the Add to shelf button');
  await clickControl(curator.page, 'Add to shelf');
  const stored = await (async () => {
    for (let i = 0; i < 100; i++) {
      const r = await dev.api('sam', 'GET', `/modules/${module}/resources`);
      if (r.body.resources.length) return r.body.resources;
      await new Promise((res) => setTimeout(res, 200));
    }
    return [];
  })();
  assert.equal(stored.length, 1, 'one resource on the server');
  assert.equal(stored[0].url, 'https://checklists.example/fire');
  assert.equal(stored[0].title, 'Fire drill checklist');
  await untilAx(curator.page, named('button', /On the shelf/), 'On the shelf');
  await shot(curator.page, 'shelf-curator');

  // The curator edits the title inline: the change reaches the server and is drawn.
  await clickControl(curator.page, 'Edit');
  await clickControl(curator.page, 'Title');
  await curator.page.waitForFunction(() => document.activeElement?.tagName === 'TEXTAREA', null, { timeout: 10000 });
  await curator.page.keyboard.press('End');
  await curator.page.keyboard.type(' (print it)');
  await shot(curator.page, 'shelf-edit-form');
  await clickControl(curator.page, 'Save');
  const edited = await (async () => {
    for (let i = 0; i < 100; i++) {
      const r = await dev.api('sam', 'GET', `/modules/${module}/resources`);
      if (r.body.resources[0]?.title !== 'Fire drill checklist') return r.body.resources;
      await new Promise((res) => setTimeout(res, 200));
    }
    return [];
  })();
  assert.equal(edited.length, 1);
  assert.equal(edited[0].title, 'Fire drill checklist (print it)', 'the edited title is stored');
  assert.equal(edited[0].url, 'https://checklists.example/fire', 'the address is unchanged');
  let drawn = false;
  for (let i = 0; i < 100 && !drawn; i++) {
    const lines = await curator.page.evaluate(() => document.querySelector('#w').groveDebug.textLines());
    drawn = lines.some((l) => l.text === 'Fire drill checklist (print it)');
    if (!drawn) await curator.page.waitForTimeout(200);
  }
  assert.ok(drawn, 'the edited title is drawn on the curator\'s canvas');
  await shot(curator.page, 'shelf-edited');
  await curator.context.close();

  const learner = await openHost(browser, server, pageFor('sam', { module }));
  const { page, context } = learner;
  const shelfIsShown = async (when) => {
    const group = await untilAx(page, named('group', 'Resources for this module'), `the shelf (${when})`);
    assert.ok(group);
    const nodes = await ax(page);
    assert.ok(named('link', 'Fire drill checklist (print it)')(nodes), `the resource's link, edited (${when})`);
    assert.ok(allText(nodes).includes('checklists.example'), `its domain (${when})`);
    assert.ok(allText(nodes).includes('Suggested by Ana Souza'), `its note (${when})`);
    assert.ok(!named('button', /Remove/)(nodes), `no curator actions for a learner (${when})`);
    // And drawn: the title in the link colour is on the canvas.
    const line = (await page.evaluate(() => document.querySelector('#w').groveDebug.textLines()))
      .find((l) => l.text === 'Fire drill checklist (print it)');
    assert.ok(line, `the title is drawn (${when})`);
  };
  await shelfIsShown('online');
  await shot(page, 'shelf-learner');

  await apiDown(context);
  await page.reload();
  await page.waitForFunction(() => document.querySelector('#w')?.groveDebug);
  await shelfIsShown('offline, from the cache');
  // The widget counts itself online until its first request after the reload fails, which may
  // come after the cached shelf is drawn (in one fresh-clone run it did): wait for that failure.
  const offline = await page.waitForFunction(() => document.querySelector('#w').groveSyncState().online === false,
    null, { timeout: 20000 }).then(() => true, () => false);
  assert.ok(offline, 'the API did not answer: the shelf came from the cache');
  await shot(page, 'shelf-offline');
  await context.close();
});

// Whether the page's IndexedDB holds a check-in put off ("Ask me later") in `module`.
function putOffRecorded(page, module) {
  return page.evaluate(async (m) => {
    const db = await new Promise((resolve, reject) => {
      const r = indexedDB.open('grove-cache:' + location.origin + '/api/v1');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const records = await new Promise((resolve) => {
      const get = db.transaction('meta').objectStore('meta').getAll(IDBKeyRange.bound([m, 'later:'], [m, 'later:\uffff']));
      get.onsuccess = () => resolve(get.result);
    });
    db.close();
    return records.some((v) => typeof v === 'string' && Object.keys(JSON.parse(v).days ?? {}).length > 0);
  }, module);
}

// Moves the server's clock and the pages' clocks `ms` ahead (the widget's "today" follows).
async function clockAhead(ms) {
  const r = await fetch(server.url + '/api/v1/dev/clock', {
    method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ offset_ms: ms }),
  });
  assert.equal(r.status, 200);
}
const browserClock = (ms) => `(() => { const real = Date.now.bind(Date); Date.now = () => real() + ${ms}; })()`;

test('a commitment: check-in card a week later, Done with a note reaches the server once, others see it', async () => {
  const module = 'behaviour-commitment';
  const plan = 'When I next run the fire drill, I will time the evacuation.';
  const note = 'Took four minutes; we fixed the stairwell sign.';
  const first = await openHost(browser, server, pageFor('sam', { module }));
  await clickControl(first.page, 'I will…');
  await untilAx(first.page, (ns) => ns.find((n) => n.role === 'button' && n.name === 'I will…' && n.props.pressed === 'true'),
    'the I will… chip pressed');
  await clickControl(first.page, 'Your reflection');
  await first.page.keyboard.type(plan);
  await first.page.keyboard.press('Control+Enter');
  const made = await dev.until(module, (ps) => ps.find((p) => p.body === plan), 'the commitment');
  assert.equal(made.kind, 'commitment');
  assert.ok(made.check_in_at, 'the server set its check-in');
  await untilAx(first.page, (ns) => allText(ns).includes('Check-in in 7 days'), 'the check-in line on the author\'s card');
  await shot(first.page, 'commitment-card');
  await first.context.close();

  // A week and an hour later.
  const ahead = 7 * DAY + 60 * 60 * 1000;
  await clockAhead(ahead);
  try {
    const outcomeWrites = [];
    const { context, page, errors } = await openHost(browser, server, pageFor('sam', { module }), {},
      { initScript: browserClock(ahead) });
    page.on('request', (r) => { if (r.method() === 'PUT' && /\/outcome$/.test(r.url())) outcomeWrites.push(r.url()); });
    const question = 'A week ago you planned: “When I next run the fire drill, I will time the evacuation.” How did it go?';
    const card = await untilAx(page, named('group', question), 'the check-in card');
    assert.ok(card);
    let nodes = await ax(page);
    for (const b of ['Done', 'Partly', 'Not yet', 'Ask me later']) assert.ok(named('button', b)(nodes), `a ${b} button`);
    assert.ok(named('textbox', 'A note (optional)')(nodes), 'the note field');
    // At the top: above the composer.
    const controls = (await debug.controls(page)).controls;
    const done = controls.find((c) => c.label === 'Done');
    const composer = controls.find((c) => c.label === 'Your reflection');
    assert.ok(done.y < composer.y, 'the card is above the composer');
    await shot(page, 'check-in-card');

    await clickControl(page, 'A note (optional)');
    await page.keyboard.type(note);
    await settle(page);
    await clickControl(page, 'Done');
    const answered = await dev.until(module, (ps) => ps.find((p) => p.id === made.id && p.outcome), 'the answer');
    assert.equal(answered.outcome, 'done');
    assert.equal(answered.outcome_note, note);
    assert.equal(answered.check_ins, 1);
    assert.equal(answered.check_in_at, null, 'not asked again after Done');
    // Exactly once: no second write, and the card is gone.
    await untilAx(page, (ns) => !named('group', question)(ns), 'the card gone');
    await page.waitForTimeout(1500);
    assert.equal(outcomeWrites.length, 1, `one PUT of the outcome: ${outcomeWrites.join(', ')}`);
    const again = (await dev.posts(module)).find((p) => p.id === made.id);
    assert.equal(again.check_ins, 1);
    assert.equal(again.rev, answered.rev);
    const due = await dev.api('sam', 'GET', '/me/check-ins');
    assert.deepEqual(due.body.posts, [], 'no check-in due any more');
    nodes = await untilAx(page, (ns) => allText(ns).includes(note) && ns, 'the note on Sam\'s own post');
    assert.deepEqual(errors, []);
    await context.close();

    // Another person sees the answer and the note on the post.
    const other = await openHost(browser, server, pageFor('ana', { module }), {}, { initScript: browserClock(ahead) });
    const seen = await untilAx(other.page, (ns) => allText(ns).includes(note) && ns, 'the note on the post, for Ana');
    const text = allText(seen);
    assert.match(text, /Done · /, text);
    assert.ok(!named('group', question)(seen), 'no check-in card for someone else');
    assert.ok(!text.includes('Check-in'), 'the check-in line is the author\'s');
    const lines = await other.page.evaluate(() => document.querySelector('#w').groveDebug.textLines());
    assert.ok(lines.some((l) => /^Done · /.test(l.text)), 'the answer is drawn on the canvas');
    assert.ok(lines.some((l) => l.text.includes('Took four minutes')), 'the note is drawn on the canvas');
    await shot(other.page, 'outcome-on-post');
    await other.context.close();
  } finally {
    await clockAhead(0);
  }
});

test('without WebGL 2: links, the shelf and the check-in card are real HTML, and the card works there', async () => {
  const module = 'behaviour-html';
  const url = 'https://checklists.example/evacuation';
  await dev.seed('ana', module, `Our evacuation map: ${url}`);
  const r = await dev.api('casey', 'POST', `/modules/${module}/resources`,
    { title: 'Evacuation map', url, note: 'Print it for the drill.' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const plan = 'When I next brief new starters, I will show them the exits.';
  const made = await dev.seed('sam', module, plan, { kind: 'commitment' });
  const ahead = 8 * DAY;
  await clockAhead(ahead);
  const plain = await launchBrowser(['--disable-webgl', '--disable-3d-apis']);
  try {
    const { context, page, errors } = await openHost(plain, server, pageFor('sam', { module }), {},
      { initScript: browserClock(ahead) });
    assert.equal(await page.locator('#w canvas').count(), 0, 'the HTML view, not a canvas');
    const view = page.locator('#w .grove-view');
    // The post's link and the shelf's link: anchors that open apart from the page.
    const links = view.locator('a');
    await view.getByRole('link', { name: 'Evacuation map' }).waitFor({ timeout: 15000 });
    await view.getByRole('link', { name: url }).waitFor();
    for (const a of await links.all()) {
      assert.equal(await a.getAttribute('href'), url);
      assert.equal(await a.getAttribute('target'), '_blank');
      assert.match(String(await a.getAttribute('rel')), /(^| )noopener noreferrer( |$)/, `rel of ${await a.innerText()}`);
    }
    const shelf = view.getByRole('group', { name: 'Resources for this module' });
    assert.ok((await shelf.boundingBox()).height > 20, 'the shelf is on screen');
    assert.match(await shelf.innerText(), /Print it for the drill\./);
    // The card: its question names it; a note and an answer, by the HTML controls.
    const card = view.getByRole('group', { name: /you planned: “When I next brief new starters/ });
    await card.waitFor({ timeout: 15000 });
    assert.ok((await card.boundingBox()).height > 40, 'the card is on screen');
    for (const b of ['Done', 'Partly', 'Not yet', 'Ask me later']) await card.getByRole('button', { name: b, exact: true }).waitFor();
    await page.locator('#w').screenshot({ path: join(screenshotDir(), 'behaviour-html-view.png') });
    await card.getByRole('textbox', { name: 'A note (optional)' }).click();
    await page.keyboard.type('Did it for two of three.');
    await card.getByRole('button', { name: 'Partly', exact: true }).click();
    const answered = await dev.until(module, (ps) => ps.find((p) => p.id === made.id && p.outcome), 'the answer');
    assert.equal(answered.outcome, 'partly');
    assert.equal(answered.outcome_note, 'Did it for two of three.');
    assert.equal(answered.check_ins, 1);
    assert.ok(answered.check_in_at, 'asked again a check-in interval later');
    await card.waitFor({ state: 'detached', timeout: 10000 });
    await view.getByText(/^Partly · /).waitFor();
    assert.deepEqual(errors, []);
    await context.close();
  } finally {
    await plain.close();
    await clockAhead(0);
  }
});

test('Ask me later hides the check-in card across reloads until the next day', async () => {
  const module = 'behaviour-later';
  const plan = 'When I next chair the safety meeting, I will start with the near misses.';
  await dev.seed('dmitri', module, plan, { kind: 'commitment' });
  // Noon (UTC, the day "Ask me later" counts by) eight days on: more than the week the check-in
  // waits, and the same day from the click to the reload, whenever the test runs.
  const ahead = (Math.floor(Date.now() / DAY) + 8) * DAY + DAY / 2 - Date.now();
  await clockAhead(ahead);
  try {
    const { context, page, errors } = await openHost(browser, server, pageFor('dmitri', { module }), {},
      { initScript: browserClock(ahead) });
    const card = named('group', /you planned: “When I next chair the safety meeting/);
    await untilAx(page, card, 'the check-in card');
    await clickControl(page, 'Ask me later');
    await untilAx(page, (ns) => !card(ns), 'the card hidden');
    // The record is written to IndexedDB asynchronously: reload once it is there.
    for (const deadline = Date.now() + 30000; !(await putOffRecorded(page, module));) {
      assert.ok(Date.now() < deadline, 'the put-off check-in never reached IndexedDB');
      await page.waitForTimeout(100);
    }
    await page.reload();
    await page.waitForFunction(() => document.querySelector('#w')?.groveSyncState?.()?.last_sync);
    await untilAx(page, (ns) => allText(ns).includes(plan) && ns, 'the post after the reload');
    await page.waitForTimeout(1000);
    assert.ok(!card(await ax(page)), 'still hidden after a reload, the same day');
    assert.equal((await dev.api('dmitri', 'GET', '/me/check-ins')).body.posts.length, 1, 'still due on the server');
    // The next day (the page's clock a day further on), it is asked again.
    await context.addInitScript(browserClock(DAY));
    await page.reload();
    await untilAx(page, card, 'the card again the next day');
    assert.deepEqual(errors, []);
    await context.close();
  } finally {
    await clockAhead(0);
  }
});
