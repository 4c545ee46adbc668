// The widget's text and keyboard input in real Chromium: focus, typing (keys and IME-style
// insertText) into the composer's own textarea, Esc, Tab through controls and out to the page,
// paste and copy with the real clipboard, and the host page's own input keeping its keys.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useGrove } from './lib/grove.mjs';
import { hostPage, openHost, debug, focusedLabel, settle, waitForText } from './lib/ui_page.mjs';

const { server, browser } = await useGrove();

test('focus() on the widget, then typing, types into the composer (keys and IME text)', async () => {
  const { context, page, errors } = await openHost(browser, server, hostPage());
  await page.locator('#w').focus();
  await page.keyboard.type('Grüße, Привет, Γειά');
  await page.keyboard.insertText(' 日本語');   // what an IME commits
  await page.keyboard.press('Enter');           // a new line, not a post
  await page.keyboard.type('second line');
  const screen = await waitForText(page, 'second line');
  assert.ok(screen.includes('Grüße, Привет, Γειά 日本語'), screen);
  const stats = await debug.stats(page);
  assert.equal(stats.wantText, true);
  // The page's focus is in the composer's own textarea, which holds the text (the canvas itself is
  // hidden from screen readers; the focus tells them where they are, the live region stays quiet).
  const active = await page.evaluate(() => ({ tag: document.activeElement.tagName,
    label: document.activeElement.getAttribute('aria-label'), value: document.activeElement.value }));
  assert.deepEqual(active, { tag: 'TEXTAREA', label: 'Your reflection', value: 'Grüße, Привет, Γειά 日本語\nsecond line' });
  assert.equal(await page.locator('#w .grove-live').textContent(), '');
  assert.equal(await page.locator('#w canvas').getAttribute('aria-hidden'), 'true');
  assert.match(screen, /35 \/ 500/);   // 34 characters and a newline
  assert.deepEqual(errors, []);
  await context.close();
});

test('Esc leaves the text field and keeps the text; Tab walks the controls and leaves the widget', async () => {
  const { context, page } = await openHost(browser, server, hostPage());
  await page.locator('#w').focus();
  await page.keyboard.type('Kept after Esc');
  await page.keyboard.press('Escape');
  await settle(page);
  assert.equal((await debug.stats(page)).wantText, false);
  assert.ok((await debug.text(page)).includes('Kept after Esc'));
  const { ring } = await debug.controls(page);
  assert.equal(ring, true, 'a visible focus ring while using the keyboard');
  assert.equal(await focusedLabel(page), 'Your reflection');

  // Forward through every control, then out to the page's next element.
  const seen = [];
  for (let i = 0; i < 20; i++) {
    await page.keyboard.press('Tab');
    const inside = await page.evaluate(() => document.querySelector('#w').contains(document.activeElement));
    if (!inside) break;
    seen.push(await focusedLabel(page));
  }
  assert.equal(await page.evaluate(() => document.activeElement.id), 'after', `went through ${seen.join(' > ')}`);
  assert.ok(!seen.includes(null), 'every Tab stop inside is a control');

  // Shift+Tab from the page comes back in on the last control, then up to the first and out.
  await page.keyboard.press('Shift+Tab');
  assert.equal(await focusedLabel(page), seen.length ? seen[seen.length - 1] : 'Your reflection');
  for (let i = 0; i < 20; i++) {
    await page.keyboard.press('Shift+Tab');
    const inside = await page.evaluate(() => document.querySelector('#w').contains(document.activeElement));
    if (!inside) break;
  }
  assert.equal(await page.evaluate(() => document.activeElement.id), 'before');
  await context.close();
});

test('keys typed in the host page\'s own input are not taken: Backspace and Tab still work there', async () => {
  const { context, page } = await openHost(browser, server, hostPage());
  // The widget was used first: a draft in its composer, which the keys below must not reach.
  await page.locator('#w').focus();
  await page.keyboard.type('Draft kept');
  await waitForText(page, 'Draft kept');
  const input = page.locator('#before');
  await input.click();
  await page.keyboard.press('End');
  await page.keyboard.press('Backspace');
  await page.keyboard.press('Backspace');
  await page.keyboard.type(' zebra!');
  assert.equal(await input.inputValue(), 'host te zebra!');
  await settle(page);
  const screen = await debug.text(page);
  assert.ok(!screen.includes('zebra'), `the widget saw none of it:\n${screen}`);
  assert.ok(screen.includes('Draft kept'), 'its draft is untouched by the Backspaces');
  assert.match(screen, /10 \/ 500/);
  assert.equal((await debug.stats(page)).wantText, false);
  // Tab moves on from the input, as on any page: into the widget (the next element).
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.querySelector('#w').contains(document.activeElement)), true);
  await context.close();
});

test('paste, copy and cut with the real clipboard (Ctrl+V, Ctrl+C, Ctrl+X), any Unicode intact', async () => {
  const { context, page } = await openHost(browser, server, hostPage());
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  const pasted = 'Pasted: naïve café — Ελληνικά, Русский, 中文, emoji 🙂';
  await page.evaluate((t) => navigator.clipboard.writeText(t), pasted);
  await page.locator('#w').focus();
  await page.keyboard.press('Control+V');
  await waitForText(page, pasted);
  await page.evaluate(() => navigator.clipboard.writeText(''));
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Control+C');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), pasted);
  await page.keyboard.press('Control+X');   // cut empties the composer
  await settle(page);
  assert.match(await debug.text(page), /0 \/ 500/);
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), pasted);
  await context.close();
});

test('an IME composition shows in the field while composing and arrives once, when it ends', async () => {
  const { context, page } = await openHost(browser, server, hostPage());
  await page.locator('#w').focus();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Input.imeSetComposition', { text: 'にほ', selectionStart: 2, selectionEnd: 2 });
  await cdp.send('Input.imeSetComposition', { text: 'にほんご', selectionStart: 4, selectionEnd: 4 });
  await settle(page);
  // What is being composed shows in the field (as in any textarea), over the canvas's field.
  const field = page.locator('#w textarea.grove-editing');
  assert.equal(await field.inputValue(), 'にほんご');
  assert.ok((await field.boundingBox()).height > 30, 'the field\'s textarea is shown over the canvas');
  await cdp.send('Input.insertText', { text: '日本語' });
  const screen = await waitForText(page, '日本語');
  assert.ok(!screen.includes('にほ'), screen);
  assert.match(screen, /3 \/ 500/);
  assert.equal(await field.inputValue(), '日本語');
  await context.close();
});

test('a quick click (pressed and released before the next frame) still clicks', async () => {
  const { context, page } = await openHost(browser, server, hostPage());
  await settle(page);
  const { controls } = await debug.controls(page);
  const chip = controls.find((c) => c.label === 'Question');
  const box = await page.locator('#w canvas').boundingBox();
  await page.mouse.move(box.x + chip.x + chip.w / 2, box.y + chip.y + chip.h / 2);
  await settle(page);
  await page.mouse.down();
  await page.mouse.up();   // no frame in between
  await settle(page);
  const after = (await debug.controls(page)).controls.find((c) => c.label === 'Question');
  assert.equal(after.checked, true);
  await context.close();
});
