// The widget UI against the real grove-server in real Chromium: posting by keyboard, endorsing by
// click, replying, a curator pinning (the post moves to the top), and non-ASCII text typed the
// way an IME commits it and pasted, reaching the server byte for byte; touch drags scroll a
// focused widget without pressing what is under the finger. (Screenshots: screenshots.mjs.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useGrove } from './lib/grove.mjs';
import { openHost, debug, settle, waitForText, clickControl, focusedLabel, paste, controlLabels, waitForControl } from './lib/ui_page.mjs';
import { pageFor as signedIn } from './lib/dev_people.mjs';

const MODULE = 'ui-server-test';
const pageFor = (person, options = {}) => signedIn(person, { module: MODULE, ...options });
const { server, browser, dev } = await useGrove();

const seed = (person, body, extra = {}, module = MODULE) => dev.seed(person, module, body, extra);
const serverPosts = (module = MODULE, person = 'sam') => dev.posts(module, person);
const serverUntil = (predicate, what, module = MODULE, person = 'sam') => dev.until(module, predicate, what, person);

test('post by keyboard: focus, type, Ctrl+Enter; the post reaches the server and shows as sent', async () => {
  const { context, page, errors } = await openHost(browser, server, pageFor('sam'));
  await page.locator('#w').focus();
  await page.keyboard.type('Posted from the keyboard alone.');
  await waitForText(page, 'Posted from the keyboard alone.');
  await page.keyboard.press('Control+Enter');
  const post = await serverUntil((ps) => ps.find((p) => p.body === 'Posted from the keyboard alone.'), 'the post');
  assert.equal(post.author.id, 'u-sam');
  assert.equal(post.kind, 'insight');
  const screen = await waitForText(page, 'You have shared here.');
  assert.match(screen, /0 \/ 500/, 'the composer is empty again');
  // Once acknowledged, the clock goes.
  for (let i = 0; i < 50 && (await debug.text(page)).includes('Sending…'); i++) await page.waitForTimeout(200);
  assert.ok(!(await debug.text(page)).includes('Sending…'));
  assert.deepEqual(errors, []);
  await context.close();
});

test('endorse by click: the count and the toggle reach the server', async () => {
  const module = 'ui-endorse-test';
  const seeded = await seed('ana', 'Endorse me by clicking', {}, module);
  const { context, page } = await openHost(browser, server, pageFor('sam', { module }));
  await waitForText(page, 'Endorse me by clicking');
  await clickControl(page, 'Endorse');
  await waitForText(page, 'Endorsed · 1');
  await serverUntil((ps) => ps.find((p) => p.id === seeded.id && p.endorsements === 1 && p.endorsed_by_me),
    'the endorsement', module);
  // And back.
  await clickControl(page, 'Endorsed · 1');
  await waitForControl(page, 'Endorse', { gone: 'Endorsed · 1' });
  await serverUntil((ps) => ps.find((p) => p.id === seeded.id && p.endorsements === 0 && !p.endorsed_by_me),
    'the endorsement taken back', module);
  await context.close();
});

test('reply: opens under the post, posts with Ctrl+Enter, one level deep', async () => {
  const module = 'ui-reply-test';
  const seeded = await seed('ana', 'Reply to me, please', {}, module);
  const { context, page } = await openHost(browser, server, pageFor('sam', { module }));
  await waitForText(page, 'Reply to me, please');
  const { controls } = await debug.controls(page);
  const replyButtons = controls.filter((c) => c.label === 'Reply');
  await clickControl(page, 'Reply', 0);
  assert.equal(await focusedLabel(page), 'Your reply');
  await page.keyboard.type('A reply, typed');
  await page.keyboard.press('Control+Enter');
  const reply = await serverUntil((ps) => ps.find((p) => p.body === 'A reply, typed'), 'the reply', module);
  assert.equal(reply.parent_id, seeded.id);
  await waitForText(page, 'A reply, typed');
  const after = (await debug.controls(page)).controls.filter((c) => c.label === 'Reply');
  assert.equal(after.length, replyButtons.length, 'replies have no Reply button of their own');
  await context.close();
});

test('a curator pins a post and it moves to the top', async () => {
  const module = 'ui-pin-test';
  const old = await seed('ana', 'Oldest post, soon pinned', {}, module);
  await seed('dmitri', 'Middle post', {}, module);
  await seed('ana', 'Newest post', {}, module);
  const { context, page } = await openHost(browser, server, pageFor('casey', { module }));
  let screen = await waitForText(page, 'Oldest post, soon pinned');
  assert.ok(screen.indexOf('Newest post') < screen.indexOf('Oldest post, soon pinned'));
  const pins = (await debug.controls(page)).controls.filter((c) => c.label === 'Pin');
  assert.equal(pins.length, 3, 'a Pin button on each card for curators');
  await clickControl(page, 'Pin', 2);   // the last card: the oldest post
  await serverUntil((ps) => ps.find((p) => p.id === old.id && p.pinned), 'the pin', module, 'casey');
  screen = await waitForText(page, 'Unpin');
  assert.ok(screen.indexOf('Oldest post, soon pinned') < screen.indexOf('Newest post'), screen);
  assert.ok(screen.includes('Pinned'));
  // Drawn first, too: the pinned card's controls sit above every other card's.
  const { controls } = await debug.controls(page);
  const unpin = controls.find((c) => c.label === 'Unpin');
  const others = controls.filter((c) => c.label === 'Pin');
  assert.equal(others.length, 2);
  assert.ok(others.every((c) => c.y > unpin.y), JSON.stringify({ unpin, others }));
  // A learner sees it first as well.
  const learner = await openHost(browser, server, pageFor('sam', { module }));
  const ls = await waitForText(learner.page, 'Oldest post, soon pinned');
  assert.ok(ls.indexOf('Oldest post, soon pinned') < ls.indexOf('Newest post'));
  assert.ok(!(await debug.controls(learner.page)).controls.some((c) => c.label === 'Pin' || c.label === 'Unpin'));
  await learner.context.close();
  await context.close();
});

test('non-ASCII text typed as an IME commits it, and pasted, reaches the server intact', async () => {
  const { context, page } = await openHost(browser, server, pageFor('sam'));
  await page.locator('#w').focus();
  const typed = 'Ελληνικά, Кириллица, 日本語のテキスト, naïve café 🙂';
  const pasted = ' — Grüße aus Köln, ĳ, ǅ, 한국어 ✓';
  await page.keyboard.insertText(typed);   // what an IME (or a dictation tool) commits
  await paste(page, pasted);
  await waitForText(page, pasted);
  await page.keyboard.press('Control+Enter');
  const post = await serverUntil((ps) => ps.find((p) => p.body === typed + pasted), 'the exact text');
  assert.equal(Buffer.from(post.body).toString('hex'), Buffer.from(typed + pasted).toString('hex'));
  await context.close();
});

// Waits until the page's scroll position has not changed for half a second.
async function pageAtRest(page) {
  let last = -1, still = 0;
  for (let i = 0; i < 100 && still < 5; i++) {
    const y = await page.evaluate(() => window.scrollY);
    still = y === last ? still + 1 : 0;
    last = y;
    await page.waitForTimeout(100);
  }
}

test('touch: a focused widget scrolls under a finger, then the page; a drag is not a tap', async () => {
  const module = 'ui-touch-test';
  for (let i = 0; i < 25; i++) await seed('ana', `Touch post number ${i}, long enough to take a line or two of the card.`, {}, module);
  const { context, page } = await openHost(browser, server, pageFor('sam', { module, height: '480px' }), { hasTouch: true });
  await waitForText(page, 'Touch post number');
  const box = await page.locator('#w canvas').boundingBox();
  const cdp = await context.newCDPSession(page);
  const drag = async (x, from, to) => {
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y: from }] });
    for (let i = 1; i <= 10; i++) {
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y: from + ((to - from) * i) / 10 }] });
    }
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await settle(page);
  };
  // Not focused: the finger pans the page.
  const x = box.x + box.width / 2;
  await drag(x, box.y + 380, box.y + 180);
  const pageScrolled = await page.evaluate(() => window.scrollY);
  assert.ok(pageScrolled > 100, `the page panned (${pageScrolled})`);
  // Focused (a tap on the prompt): the widget scrolls itself; cards under the finger are not clicked.
  // The pan flings on for a moment: back to the top once the page has come to rest.
  await pageAtRest(page);
  await page.evaluate(() => window.scrollTo(0, 0));
  await pageAtRest(page);
  assert.equal(await page.evaluate(() => window.scrollY), 0);
  const b = await page.locator('#w canvas').boundingBox();
  await page.touchscreen.tap(b.x + 40, b.y + 12);
  await settle(page);
  const before = (await debug.stats(page)).scrollY;
  // The finger comes down on an Endorse button low in the widget and drags up 250 px. The widget
  // scrolls with the finger, so the same button is under it when it lifts: taken for a tap, the
  // drag would endorse that post.
  const { controls } = await debug.controls(page);
  // Cards are about 160 px apart, so a band of 260 px to the canvas's bottom edge always holds one
  // (on touch the buttons are 44 px tall targets).
  const button = controls.filter((c) => c.label === 'Endorse' && c.y + c.h / 2 > 260 && c.y + c.h / 2 < b.height - 8)[0];
  assert.ok(button, `an Endorse button to start on; the controls: ${controls.map((c) => `${c.label}@${c.y}`).join(', ')}`);
  const from = b.y + button.y + button.h / 2;
  await drag(b.x + button.x + button.w / 2, from, from - 250);
  const after = (await debug.stats(page)).scrollY;
  assert.ok(after > before + 200, `the widget scrolled (${before} -> ${after})`);
  assert.equal(await page.evaluate(() => window.scrollY), 0, 'the page stayed');
  const labels = await controlLabels(page);
  assert.ok(!labels.some((l) => l.startsWith('Endorsed')), `nothing shows as endorsed: ${labels.join(', ')}`);
  const posts = await serverPosts(module);
  assert.ok(posts.every((p) => p.endorsements === 0), 'no control was pressed by the drag');
  // The same button under a finger that does not move is pressed: a tap is a tap.
  const moved = (await debug.controls(page)).controls.filter((c) => c.label === 'Endorse')
    .sort((p, q) => Math.abs(p.y - (button.y - 250)) - Math.abs(q.y - (button.y - 250)))[0];
  const at = { x: b.x + moved.x + moved.w / 2, y: b.y + moved.y + moved.h / 2 };
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [at] });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await serverUntil((ps) => ps.filter((p) => p.endorsements === 1).length === 1, 'the tapped endorsement', module);
  await context.close();
});
