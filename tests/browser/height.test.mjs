// The widget's height in real Chromium. Under a height limit (data-grove-height, 640px by default)
// the thread scrolls inside the widget, and the wheel scrolls that box as it would any overflow
// box: without a click or the focus first, and the page again at either end. With no limit
// (data-grove-height="none") the widget grows with its posts, a page of them at a time: "Show
// more reflections" under the last adds the next, by mouse, keyboard and screen reader.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { useGrove } from './lib/grove.mjs';
import { openHost, debug, settle, waitForText, screenshotDir } from './lib/ui_page.mjs';
import { pageFor } from './lib/dev_people.mjs';
import { axTree, focusedAx } from './lib/a11y.mjs';

const WRITERS = ['ana', 'dmitri', 'priya', 'lee'];
const { server, browser, dev } = await useGrove({ serverArgs: ['--writes-per-minute', '1000000'] });
before(async () => {
  for (let i = 1; i <= 30; i++) {
    await dev.seed(WRITERS[i % 4], 'height-wheel', `Wheel reflection ${i}: what the team changed after the module, ` +
      'and what it will try next week when the same question comes up again.');
  }
  for (let i = 1; i <= 45; i++) await dev.seed(WRITERS[i % 4], 'height-grow', `Grow reflection number ${i}.`);
});

const scrollY = (page) => page.evaluate(() => window.scrollY);
const focusInWidget = (page) => page.evaluate(() => document.querySelector('#w').contains(document.activeElement));

// One wheel notch over the pointer, then the frames it asked for.
async function wheel(page, dy) {
  await page.mouse.wheel(0, dy);
  await page.waitForTimeout(60);
  await settle(page);
}

test('the wheel scrolls a capped widget without focus, and the page at either end', async () => {
  const { context, page, errors } = await openHost(browser, server,
    pageFor('sam', { module: 'height-wheel', height: '' }), { viewport: { width: 900, height: 800 } });
  await waitForText(page, '30 reflections');
  await settle(page);
  const canvas = page.locator('#w canvas');
  const box = await canvas.boundingBox();
  assert.equal(Math.round(box.height), 640, 'the default cap: 640px');
  const start = await debug.stats(page);
  assert.ok(start.scrollMax > 1000, `the thread is taller than the box (scrollMax ${start.scrollMax})`);
  assert.equal(start.scrollY, 0);
  assert.equal(await focusInWidget(page), false);

  // Down: the widget's own box scrolls (other pixels), the page does not, the focus stays out.
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const before = await canvas.screenshot();
  await wheel(page, 200);
  const s1 = await debug.stats(page);
  assert.ok(s1.scrollY > 100, `the widget scrolled (scrollY ${s1.scrollY})`);
  assert.equal(await scrollY(page), 0, 'the page stayed');
  assert.equal(Buffer.compare(before, await canvas.screenshot()) !== 0, true, 'the widget shows other pixels');
  assert.equal(await focusInWidget(page), false, 'the wheel does not take the focus');

  // On to the widget's end (rows measured on the way may lengthen it): the page never moves.
  for (let i = 0; i < 60; i++) {
    const s = await debug.stats(page);
    if (s.scrollY >= s.scrollMax - 0.5) break;
    await wheel(page, 400);
    assert.equal(await scrollY(page), 0, `the page stayed while the widget scrolled (notch ${i})`);
  }
  const bottom = await debug.stats(page);
  assert.ok(bottom.scrollY >= bottom.scrollMax - 0.5, JSON.stringify(bottom));
  // At its end the wheel scrolls the page.
  await wheel(page, 200);
  await page.waitForFunction(() => window.scrollY > 100);
  assert.equal((await debug.stats(page)).scrollY, bottom.scrollY);
  const pageY = await scrollY(page);

  // Up, once the gesture is over: the widget first, the page stays...
  await page.waitForTimeout(600);
  await wheel(page, -300);
  const s2 = await debug.stats(page);
  assert.ok(s2.scrollY < bottom.scrollY - 100, `the widget scrolled up (${bottom.scrollY} -> ${s2.scrollY})`);
  assert.equal(await scrollY(page), pageY, 'the page stayed');
  for (let i = 0; i < 60 && (await debug.stats(page)).scrollY > 0.5; i++) {
    await wheel(page, -400);
    assert.equal(await scrollY(page), pageY, `the page stayed while the widget scrolled up (notch ${i})`);
  }
  assert.equal((await debug.stats(page)).scrollY, 0);
  // ...and at its top the page scrolls up.
  await wheel(page, -100);
  await page.waitForFunction((y) => window.scrollY < y, pageY);
  assert.equal(await focusInWidget(page), false);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a wheel gesture scrolling the page goes on scrolling it over the widget', async () => {
  const { context, page } = await openHost(browser, server,
    pageFor('sam', { module: 'height-wheel', height: '' }), { viewport: { width: 900, height: 800 } });
  await waitForText(page, '30 reflections');
  await settle(page);
  const box = await page.locator('#w canvas').boundingBox();
  // The page's heading, above the widget: the gesture starts on the page...
  await page.mouse.move(box.x + box.width / 2, box.y - 20);
  await page.mouse.wheel(0, 100);
  // ...and goes on over the widget, which the page moved under the pointer.
  await page.mouse.move(box.x + box.width / 2, box.y + 200);
  await page.mouse.wheel(0, 100);
  await page.waitForFunction(() => window.scrollY >= 200);
  await settle(page);
  assert.equal((await debug.stats(page)).scrollY, 0, 'the widget did not take the gesture');
  // A new gesture over the widget scrolls it.
  await page.waitForTimeout(600);
  const y = await scrollY(page);
  await wheel(page, 200);
  assert.ok((await debug.stats(page)).scrollY > 100);
  assert.equal(await scrollY(page), y);
  await context.close();
});

// The thread's top-level items in the HTML view: their positions (aria-posinset) and text.
async function viewItems(page) {
  return page.evaluate(() => Array.from(document.querySelectorAll('#w .grove-view ul[aria-label="Reflections"] > li'))
    .map((li) => ({ pos: Number(li.getAttribute('aria-posinset')), size: Number(li.getAttribute('aria-setsize')),
      text: li.textContent })));
}

test('with data-grove-height="none" the widget grows a page of posts at a time, with Show more', async () => {
  const { context, page, errors } = await openHost(browser, server,
    pageFor('sam', { module: 'height-grow', height: 'none' }), { viewport: { width: 900, height: 800 } });
  await waitForText(page, '45 reflections');
  await waitForText(page, 'Show more reflections (25 more)');
  await settle(page);
  const canvas = page.locator('#w canvas');
  const h1 = (await canvas.boundingBox()).height;
  const s1 = await debug.stats(page);
  assert.equal(s1.scrollMax, 0, 'no inner scroll box: the canvas is as tall as the content');
  assert.ok(h1 > 1200 && h1 < 20 * 200 + 800, `20 posts tall, not 45 (${h1}px)`);
  let items = await viewItems(page);
  assert.deepEqual(items.map((i) => i.pos), Array.from({ length: 20 }, (_, i) => i + 1));
  assert.ok(items.every((i) => i.size === 45));
  // The button is drawn on the canvas, under the last post...
  const lines = await page.evaluate(() => document.querySelector('#w').groveDebug.textLines());
  const line = lines.find((l) => l.text === 'Show more reflections (25 more)');
  assert.ok(line, 'drawn on the canvas');
  assert.ok(line.y > h1 - 150, `at the bottom (y ${line.y} of ${h1})`);
  // ...and a named button for screen readers.
  const ax = await axTree(page);
  assert.ok(ax.some((n) => n.role === 'button' && n.name === 'Show more reflections (25 more)'), 'in the accessibility tree');
  await page.evaluate((y) => window.scrollTo(0, y), Math.round((await canvas.boundingBox()).y + h1 - 600));
  await settle(page);
  await page.screenshot({ path: join(screenshotDir(), 'height-show-more.png') });

  // The keyboard: Shift+Tab from the page's next button lands on it; Enter shows posts 21 to 40.
  const yBefore = await scrollY(page);
  await page.locator('#after').focus();
  await page.keyboard.press('Shift+Tab');
  assert.equal((await focusedAx(page)).name, 'Show more reflections (25 more)');
  await page.keyboard.press('Enter');
  await waitForText(page, 'Show more reflections (5 more)');
  await settle(page);
  const h2 = (await canvas.boundingBox()).height;
  assert.ok(h2 > h1 * 1.6, `the widget grew (${h1} -> ${h2}px)`);
  assert.equal((await debug.stats(page)).scrollMax, 0);
  items = await viewItems(page);
  assert.deepEqual(items.map((i) => i.pos), Array.from({ length: 40 }, (_, i) => i + 1));
  const numbers = new Set(items.map((i) => (i.text.match(/Grow reflection number (\d+)\./) || [])[1]));
  assert.equal(numbers.size, 40, 'forty different posts');
  assert.ok(!numbers.has(undefined));
  // The focus is on the first new post, and the page did not jump.
  const focused = await page.evaluate(() => document.activeElement.getAttribute('aria-posinset'));
  assert.equal(focused, '21');
  assert.equal(await scrollY(page), yBefore);
  assert.ok((await debug.text(page)).includes('Show more reflections (5 more)'));

  // A click on the canvas's button shows the last five; then there is no more to show.
  const { controls } = await debug.controls(page);
  const more = controls.find((c) => c.label === 'Show more reflections (5 more)');
  assert.ok(more, controls.map((c) => c.label).join(', '));
  const cb = await canvas.boundingBox();
  await page.evaluate((y) => window.scrollBy(0, y), Math.round(cb.y + more.y - 400));
  const cb2 = await canvas.boundingBox();
  await page.mouse.click(cb2.x + more.x + more.w / 2, cb2.y + more.y + more.h / 2);
  await page.waitForFunction(() => document.querySelectorAll('#w .grove-view ul[aria-label="Reflections"] > li').length === 45);
  await settle(page);
  assert.ok(!(await debug.text(page)).includes('Show more reflections'));
  assert.ok(!(await axTree(page)).some((n) => n.role === 'button' && n.name.startsWith('Show more')));
  assert.deepEqual(errors, []);
  await context.close();
});

test('under a height limit the thread is one scroll box, with no Show more on the canvas', async () => {
  const { context, page } = await openHost(browser, server,
    pageFor('sam', { module: 'height-grow', height: '500px' }), { viewport: { width: 900, height: 800 } });
  await waitForText(page, '45 reflections');
  await settle(page);
  assert.equal(Math.round((await page.locator('#w canvas').boundingBox()).height), 500);
  assert.ok((await debug.stats(page)).scrollMax > 2000);
  assert.ok(!(await debug.text(page)).includes('Show more reflections'));
  await context.close();
});
