// Touch and text in real Chromium against the real server. Touch (touch emulation, CDP
// Input.dispatchTouchEvent): tapping the composer, typing, tapping a kind chip and Post posts with
// that kind; targets are 44 CSS px where the pointer is coarse; a drag scrolls. Keys reach only
// the focused, visible field: with the flag form open, typing and Ctrl+Enter post nothing, and its
// details go with the flag. Text (the fields are real textareas): IME composition and paste in
// Chinese, Arabic, Hindi and emoji reach the server byte for byte; Backspace after 👍🏽 removes it whole.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useGrove } from './lib/grove.mjs';
import { openHost, debug, settle, paste, controlLabels } from './lib/ui_page.mjs';
import { pageFor } from './lib/dev_people.mjs';

const { server, browser, dev } = await useGrove();

const syncState = (page) => page.locator('#w').evaluate((el) => el.groveSyncState());

async function controlBox(page, label) {
  await settle(page);
  const { controls } = await debug.controls(page);
  const c = controls.find((x) => x.label === label);
  assert.ok(c, `no control "${label}": ${controls.map((x) => x.label).join(', ')}`);
  const box = await page.locator('#w canvas').boundingBox();
  return { x: box.x + c.x + c.w / 2, y: box.y + c.y + c.h / 2, c };
}

// A finger down and up at one point, as the browser sends a tap.
async function tap(page, cdp, label) {
  const { x, y } = await controlBox(page, label);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await settle(page);
}

test('touch: tap the composer, type, tap a kind chip and Post: the post reaches the server with that kind', async () => {
  const module = 'touch-post';
  await dev.seed('ana', module, 'Someone was here first.');
  const { context, page } = await openHost(browser, server, pageFor('sam', { module }),
    { hasTouch: true, viewport: { width: 400, height: 800 } });
  const cdp = await context.newCDPSession(page);
  assert.equal(await page.evaluate(() => matchMedia('(pointer: coarse)').matches), true, 'a coarse pointer');
  // Targets a finger can hit: 44 CSS px tall.
  for (const label of ['Insight', 'Question', 'Post', 'Endorse', 'Reply']) {
    const { c } = await controlBox(page, label);
    assert.ok(c.h >= 44, `${label} is ${c.h} px tall`);
  }
  await tap(page, cdp, 'Your reflection');
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-label')), 'Your reflection',
    'the tap put the focus (and a phone\'s keyboard) in the composer');
  await page.keyboard.type('Tapped, typed and posted.');
  await tap(page, cdp, 'Question');
  assert.equal((await debug.controls(page)).controls.find((c) => c.label === 'Question').checked, true);
  await tap(page, cdp, 'Post');
  const post = await dev.until(module, (ps) => ps.find((p) => p.body === 'Tapped, typed and posted.'), 'the post');
  assert.equal(post.kind, 'question');
  await context.close();
});

test('touch: a drag over the widget scrolls, and presses nothing', async () => {
  const module = 'touch-drag';
  for (let i = 0; i < 12; i++) await dev.seed('ana', module, `Post ${i}: enough text to make the thread longer than the screen.`);
  const { context, page } = await openHost(browser, server, pageFor('sam', { module, height: '600px' }),
    { hasTouch: true, viewport: { width: 400, height: 700 } });
  const cdp = await context.newCDPSession(page);
  await page.locator('#w').scrollIntoViewIfNeeded();
  // Focused already (a tap on the prompt), so the finger's first touch is not spent on focus:
  // taken for a tap, the drag would press the Endorse button it starts on.
  const box = await page.locator('#w canvas').boundingBox();
  await page.touchscreen.tap(box.x + 40, box.y + 12);
  await settle(page);
  const before = { page: await page.evaluate(() => window.scrollY), widget: (await debug.stats(page)).scrollY };
  const { x, y } = await controlBox(page, 'Endorse');
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] });
  for (let i = 1; i <= 10; i++) {
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y: y - i * 25 }] });
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await settle(page);
  await page.waitForTimeout(300);
  const after = { page: await page.evaluate(() => window.scrollY), widget: (await debug.stats(page)).scrollY };
  assert.ok(after.page > before.page + 50 || after.widget > before.widget + 50,
    `something scrolled: ${JSON.stringify(before)} -> ${JSON.stringify(after)}`);
  // Nothing was pressed: no button shows as endorsed, nothing waits to be sent, and the server
  // has no endorsement.
  const labels = await controlLabels(page);
  assert.ok(!labels.some((l) => l.startsWith('Endorsed')), `nothing shows as endorsed: ${labels.join(', ')}`);
  assert.equal((await syncState(page)).pending, 0, 'no write is queued');
  assert.ok(!(await dev.posts(module)).some((p) => p.endorsed_by_me), 'the drag endorsed nothing');
  await context.close();
});

test('keys reach only the focused field: with the flag form open, typing and Ctrl+Enter post nothing', async () => {
  const module = 'flag-keys';
  await dev.seed('ana', module, 'A post to flag.');
  const { context, page } = await openHost(browser, server, pageFor('sam', { module }));
  const sent = [];
  page.on('request', (r) => { if (r.method() === 'POST') sent.push({ url: r.url(), body: r.postData() }); });
  await page.locator('#w').focus();
  await page.keyboard.type('My draft stays mine.');
  await page.locator('#w .grove-view').getByRole('button', { name: 'More actions for Ana Souza\'s post' }).dispatchEvent('click');
  await page.locator('#w .grove-view').getByRole('button', { name: 'Flag for a curator…' }).dispatchEvent('click');
  await page.waitForFunction(() => document.activeElement.textContent === 'Off-topic');
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-pressed')), 'false');
  await page.keyboard.type('this must never be published');
  await page.keyboard.press('Control+Enter');
  await settle(page);
  await page.waitForTimeout(1500);
  assert.deepEqual(sent.filter((r) => /\/posts$/.test(r.url)), [], 'nothing was posted');
  assert.equal((await syncState(page)).draft, 'My draft stays mine.');
  assert.equal((await dev.posts(module)).length, 1);
  // The form's own details field takes text, and sends it beside the reason.
  await page.keyboard.press('Space');   // the focused chip: Off-topic
  const details = page.locator('#w .grove-view').getByRole('textbox', { name: 'Details for the curators (optional)' });
  await details.focus();
  await page.keyboard.type('Nothing to do with fire safety.');
  await page.locator('#w .grove-view').getByRole('button', { name: 'Send to curators' }).dispatchEvent('click');
  const deadline = Date.now() + 20000;
  while (!sent.some((r) => /\/flags$/.test(r.url)) && Date.now() < deadline) await page.waitForTimeout(100);
  const flag = sent.find((r) => /\/flags$/.test(r.url));
  assert.ok(flag, 'the flag was sent');
  assert.deepEqual(JSON.parse(flag.body), { reason: 'Off-topic', details: 'Nothing to do with fire safety.' });
  assert.equal((await syncState(page)).draft, 'My draft stays mine.');
  await context.close();
});

test('IME composition and paste in Chinese, Arabic, Hindi and emoji reach the server byte for byte', async () => {
  const module = 'text-scripts';
  const { context, page } = await openHost(browser, server, pageFor('sam', { module }));
  const cdp = await context.newCDPSession(page);
  await page.locator('#w').focus();
  // Chinese through an IME: composing (pinyin), then the committed characters.
  await cdp.send('Input.imeSetComposition', { text: 'xuexi', selectionStart: 5, selectionEnd: 5 });
  await cdp.send('Input.imeSetComposition', { text: '学习', selectionStart: 2, selectionEnd: 2 });
  await cdp.send('Input.insertText', { text: '学习分享会很有帮助' });
  await paste(page, ' — شكرا لكم، هذا مفيد');              // Arabic, pasted
  await cdp.send('Input.imeSetComposition', { text: 'नम', selectionStart: 2, selectionEnd: 2 });
  await cdp.send('Input.insertText', { text: ' नमस्ते दुनिया' });    // Hindi, through an IME
  await paste(page, ' 👩‍🏫 👍🏽 🇯🇵');                         // emoji sequences, pasted
  const expected = '学习分享会很有帮助 — شكرا لكم، هذا مفيد नमस्ते दुनिया 👩‍🏫 👍🏽 🇯🇵';
  const deadline = Date.now() + 10000;
  while ((await syncState(page)).draft !== expected && Date.now() < deadline) await page.waitForTimeout(100);
  assert.equal((await syncState(page)).draft, expected);
  await page.keyboard.press('Control+Enter');
  const post = await dev.until(module, (ps) => ps.find((p) => p.author.id === 'u-sam'), 'the post');
  assert.equal(Buffer.from(post.body).toString('hex'), Buffer.from(expected).toString('hex'));
  await context.close();
});

test('Backspace after 👍🏽 removes the whole emoji', async () => {
  const { context, page } = await openHost(browser, server, pageFor('sam', { module: 'text-backspace' }));
  await page.locator('#w').focus();
  await page.keyboard.insertText('ok 👍🏽');
  await page.keyboard.press('Backspace');
  const field = page.locator('#w .grove-view').getByRole('textbox', { name: 'Your reflection' });
  assert.equal(await field.inputValue(), 'ok ');
  const deadline = Date.now() + 5000;
  while ((await syncState(page)).draft !== 'ok ' && Date.now() < deadline) await page.waitForTimeout(100);
  assert.equal((await syncState(page)).draft, 'ok ');
  await context.close();
});
