// What a screen reader gets from the widget on its canvas, in real Chromium against the real
// server: Chromium's accessibility tree of a seeded discussion (every post's text, the named
// buttons with their states, the list, the labelled field), the focused accessibility node after
// each Tab being the control the widget says is focused, a click sent to an HTML button acting
// exactly once, a screen reader's move to a post far down scrolling the canvas to it, the live
// region, and axe-core (WCAG 2.0 A/AA, 2.1 AA) in the light, dark, curator and offline views.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useGrove } from './lib/grove.mjs';
import { openHost, debug, settle } from './lib/ui_page.mjs';
import { pageFor, apiDown } from './lib/dev_people.mjs';
import { axTree, focusedAx, axe } from './lib/a11y.mjs';

const { server, browser, dev } = await useGrove();

// A seeded discussion: a post with a link, endorsed twice, a reply to it, an Arabic post, and one
// of Sam's own (Sam is the reader).
async function seedDiscussion(module) {
  const ana = await dev.seed('ana', module, 'Checklists before the drill helped. See https://intranet.example/drill');
  await dev.api('priya', 'PUT', `/posts/${ana.id}/endorsement`);
  await dev.api('dmitri', 'PUT', `/posts/${ana.id}/endorsement`);
  await dev.seed('dmitri', module, 'Agreed, we did the same.', { parent_id: ana.id });
  await dev.seed('priya', module, 'مرحبا بالجميع، هذا مفيد جدا', { kind: 'question' });
  await dev.seed('sam', module, 'My own reflection on the drill.');
  return { ana };
}

const view = (page) => page.locator('#w .grove-view');

test('the accessibility tree holds every post, the list, named buttons with states and the labelled field', async () => {
  const module = 'a11y-tree';
  await seedDiscussion(module);
  const { context, page, errors } = await openHost(browser, server, pageFor('sam', { module }));
  await page.waitForFunction(() => document.querySelectorAll('#w article').length === 4);
  const nodes = (await axTree(page)).filter((n) => !n.ignored);
  const text = nodes.filter((n) => n.role === 'StaticText').map((n) => n.name).join('\n');
  for (const body of ['Checklists before the drill helped. See', 'Agreed, we did the same.', 'مرحبا بالجميع، هذا مفيد جدا',
    'My own reflection on the drill.']) assert.ok(text.includes(body), `${body} in the tree:\n${text}`);
  const one = (role, name) => {
    const found = nodes.filter((n) => n.role === role && n.name === name);
    assert.equal(found.length, 1, `one ${role} "${name}"; the tree has ${nodes.filter((n) => n.role === role).map((n) => n.name).join(' | ')}`);
    return found[0];
  };
  one('region', 'Discussion: What will you do differently?');
  one('heading', 'What will you do differently?');
  one('heading', '4 reflections');
  const field = one('textbox', 'Your reflection');
  assert.equal(field.description, '0 / 500');
  assert.equal(one('button', 'Insight').props.pressed, 'true');
  assert.equal(one('button', 'Question').props.pressed, 'false');
  const post = one('button', 'Post');
  assert.equal(post.props.disabled, true);
  assert.equal(post.description, 'Write something first.');
  assert.equal(one('button', 'Endorse Ana Souza\'s post').props.pressed, 'false');
  assert.equal(one('button', 'Reply to Ana Souza').props.expanded, false);
  assert.equal(one('button', 'More actions for Ana Souza\'s post').props.expanded, false);
  one('button', 'Endorse Priya Raman\'s post');
  assert.equal(nodes.filter((n) => n.role === 'button' && n.name === 'Endorse Sam Learner\'s post').length, 0, 'not one\'s own');
  one('link', 'https://intranet.example/drill');
  one('list', 'Reflections');
  one('list', 'Replies');
  assert.equal(nodes.filter((n) => n.role === 'listitem').length, 4);
  const items = await view(page).locator('li').evaluateAll((lis) =>
    lis.map((li) => li.getAttribute('aria-setsize') + '/' + li.getAttribute('aria-posinset')));
  assert.deepEqual(items.sort(), ['1/1', '3/1', '3/2', '3/3']);
  one('article', 'Ana Souza');
  assert.ok(text.includes('2 endorsements'), 'the endorsement count is read');
  assert.ok(nodes.some((n) => n.role === 'time'), 'times');
  assert.match(await view(page).locator('article time').first().getAttribute('datetime'), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.equal(await view(page).locator('.grove-body').first().getAttribute('dir'), 'auto');
  assert.deepEqual(errors, []);
  await context.close();
});

test('after each Tab the focused accessibility node is the control the widget says is focused', async () => {
  const module = 'a11y-tab';
  await seedDiscussion(module);
  const { context, page } = await openHost(browser, server, pageFor('sam', { module }));
  await page.waitForFunction(() => document.querySelectorAll('#w article').length === 4);
  await page.locator('#w').focus();
  await settle(page);
  const seen = [];
  for (let i = 0; i < 16; i++) {
    if (i > 0) await page.keyboard.press('Tab');
    await settle(page);
    const inside = await page.evaluate(() => document.querySelector('#w').contains(document.activeElement));
    if (!inside) break;
    const { focused } = await debug.stats(page);
    const ax = await focusedAx(page);
    assert.ok(ax, 'a focused accessibility node');
    assert.equal(ax.control, String(focused), `Tab ${i}: the reader is on "${ax.name}", the widget on control ${focused}`);
    const canvasLabel = (await debug.controls(page)).controls.find((c) => c.focused).label;
    seen.push(`${ax.role} "${ax.name}" (${canvasLabel})`);
  }
  assert.ok(seen.length >= 10, seen.join('\n'));
  assert.match(seen.join('\n'), /textbox "Your reflection"/);
  assert.match(seen.join('\n'), /button "Endorse Ana Souza's post" \(Endorse · 2\)/);
  await context.close();
});

test('a click sent to an HTML button endorses exactly once', async () => {
  const module = 'a11y-click';
  const { ana } = await seedDiscussion(module);
  const { context, page } = await openHost(browser, server, pageFor('sam', { module }));
  const button = view(page).getByRole('button', { name: 'Endorse Ana Souza\'s post' });
  await button.waitFor({ state: 'attached' });
  await button.dispatchEvent('click');   // as a screen reader's "activate" does
  await page.waitForFunction(() => document.querySelector('#w button[aria-label="Endorse Ana Souza\'s post"]')
    .getAttribute('aria-pressed') === 'true');
  const endorsed = await dev.until(module, (ps) => ps.find((p) => p.id === ana.id && p.endorsed_by_me && p.endorsements === 3),
    'Sam\'s endorsement');
  assert.equal(endorsed.endorsements, 3);
  await settle(page);
  await page.waitForTimeout(500);   // a second activation would have taken it back by now
  const after = (await dev.posts(module)).find((p) => p.id === ana.id);
  assert.equal(after.endorsements, 3);
  assert.equal(after.endorsed_by_me, true);
  assert.ok((await debug.text(page)).includes('Endorsed · 3'));
  await context.close();
});

test('a screen reader moving to a post far down scrolls the canvas to it and moves the widget\'s focus', async () => {
  const module = 'a11y-far';
  for (let i = 0; i < 24; i++) await dev.seed(i % 2 ? 'ana' : 'priya', module, `Reflection number ${i} with a few words more.`);
  const { context, page } = await openHost(browser, server, pageFor('sam', { module, height: '420px' }));
  await page.waitForFunction(() => document.querySelectorAll('#w article').length >= 20);
  await settle(page);
  const before = await debug.controls(page);
  // The last post in the view, not drawn on the canvas now.
  const target = view(page).locator('li[data-row] .grove-actions button[aria-label^="Endorse"]').last();
  const control = Number(await target.getAttribute('data-c'));
  assert.ok(!before.controls.some((c) => c.visible && c.label.startsWith('Endorse') && c.y > 400), 'it is not on the canvas');
  await target.focus();
  await settle(page);
  const { controls } = await debug.controls(page);
  const focused = controls.find((c) => c.focused);
  assert.ok(focused && focused.visible, `focused and on screen: ${JSON.stringify(focused)}`);
  assert.equal((await debug.stats(page)).focused, control);
  assert.ok((await debug.stats(page)).scrollY > 0, 'the canvas scrolled');
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('data-c')), String(control));
  await context.close();
});

test('the live region says new posts from others and the connection, once each', async () => {
  const module = 'a11y-live';
  await dev.seed('ana', module, 'Already here.');
  const { context, page } = await openHost(browser, server, pageFor('sam', { module }));
  await page.evaluate(() => {
    window.__said = [];
    new MutationObserver(() => {
      const t = document.querySelector('#w .grove-live').textContent;
      if (t) window.__said.push(t.trim());
    }).observe(document.querySelector('#w .grove-live'), { childList: true, characterData: true, subtree: true });
  });
  await dev.seed('priya', module, 'A new thought from Priya.');
  await page.evaluate(() => window.dispatchEvent(new Event('focus')));   // back to the tab: the widget pulls
  await page.waitForFunction(() => window.__said.includes('New post from Priya Raman.'), null, { timeout: 20000 });
  // Offline: what was written waits; back online, it is sent.
  await apiDown(context);
  await page.locator('#w').focus();
  await page.keyboard.type('Written offline.');
  await page.keyboard.press('Control+Enter');
  // Said at once ("You're offline. 1 change waiting to be sent.") when the failed send is what
  // shows the widget it is offline, or in two steps when a pull or the event stream found out first
  // (on a loaded machine, typing can take that long).
  await page.waitForFunction(() => window.__said.some((t) => /^You're offline\./.test(t)) &&
    window.__said.some((t) => /\b1 change waiting to be sent\./.test(t)), null, { timeout: 30000 });
  await context.unroute('**/api/v1/**');
  await page.waitForFunction(() => window.__said.some((t) => /All changes are sent\./.test(t)), null, { timeout: 60000 });
  const said = await page.evaluate(() => window.__said);
  assert.equal(said.filter((t) => t.includes('New post from Priya Raman.')).length, 1, said.join(' | '));
  assert.equal(said.filter((t) => t.startsWith('You\'re offline')).length, 1, said.join(' | '));
  assert.ok(!said.some((t) => /text field|, button/.test(t)), 'never the focused control: ' + said.join(' | '));
  await dev.until(module, (ps) => ps.filter((p) => p.body === 'Written offline.').length === 1, 'the offline post, once');
  await context.close();
});

test('axe-core finds no WCAG 2.0 A/AA or 2.1 AA violation in the light, dark, curator and offline views', async () => {
  const module = 'a11y-axe';
  const { ana } = await seedDiscussion(module);
  await dev.api('priya', 'POST', `/posts/${ana.id}/flags`, { reason: 'Spam' });
  const check = async (page, what) => {
    await settle(page);
    const v = await axe(page, '#w');
    assert.deepEqual(v, [], `${what}: ${JSON.stringify(v, null, 1)}`);
  };
  for (const theme of ['light', 'dark']) {
    const { context, page } = await openHost(browser, server, pageFor('sam', { module, theme }));
    await page.waitForFunction(() => document.querySelectorAll('#w article').length === 4);
    await check(page, theme);
    if (theme === 'light') {   // offline, with a post waiting
      await apiDown(context);
      await page.locator('#w').focus();
      await page.keyboard.type('Waiting to be sent.');
      await page.keyboard.press('Control+Enter');
      await page.waitForFunction(() => /offline/.test(document.querySelector('#w .grove-view').textContent), null, { timeout: 30000 });
      await check(page, 'offline');
    }
    await context.close();
  }
  const { context, page } = await openHost(browser, server, pageFor('casey', { module }));
  await page.waitForFunction(() => document.querySelectorAll('#w article').length === 4);
  await check(page, 'curator');
  await view(page).getByRole('button', { name: /^Flags/ }).dispatchEvent('click');
  await page.waitForFunction(() => !!document.querySelector('#w ul[aria-label="Flagged posts"]'));
  await check(page, 'curator flags');
  await context.close();
});
