// Flagging in real Chromium against the real grove-server: the post gives way to one line in its
// place ("Flagged for a curator." with Undo, focused), so the answer is where the person is.
// Undo within the wait sends nothing (the curators' queue stays empty); a flag left alone reaches
// the queue a few seconds later, and the line then offers "Show post".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useGrove } from './lib/grove.mjs';
import { openHost, debug, waitForText, clickControl, focusedLabel, waitForControl, screenshotDir } from './lib/ui_page.mjs';
import { pageFor } from './lib/dev_people.mjs';
import { join } from 'node:path';

const { server, browser, dev } = await useGrove();

async function queued(postId) {
  const queue = await dev.api('casey', 'GET', '/flags');
  assert.equal(queue.status, 200);
  return queue.body.flags.find((f) => f.post.id === postId) || null;
}

async function flag(page, reason) {
  await clickControl(page, 'More actions');
  await clickControl(page, 'Flag for a curator…');
  await clickControl(page, reason);
  await clickControl(page, 'Send to curators');
}

test('Flag: "Flagged for a curator" with Undo in the post\'s place; Undo sends nothing; a kept flag is sent', async () => {
  const module = 'flag-undo-test';
  const post = await dev.seed('ana', module, 'Buy cheap watches at this address');
  const learner = await openHost(browser, server, pageFor('sam', { module }));
  const { page } = learner;
  await waitForText(page, 'Buy cheap watches at this address');

  await flag(page, 'Spam');
  await waitForText(page, 'Flagged for a curator.');
  assert.ok(!(await debug.text(page)).includes('Buy cheap watches'), 'the post gives way to the line');
  assert.equal(await focusedLabel(page), 'Undo');
  const line = await page.locator('#w').screenshot({ path: join(screenshotDir(), 'flag-undo-line.png') });
  assert.ok(line.length > 0);
  await clickControl(page, 'Undo');
  await waitForText(page, 'Buy cheap watches at this address');
  // Well past the wait: the flag never reached the server.
  await page.waitForTimeout(7000);
  assert.equal(await queued(post.id), null, 'an undone flag is never sent');

  // Flagged again and left alone: in the curators' queue within seconds, once.
  await flag(page, 'Off-topic');
  await waitForText(page, 'Flagged for a curator.');
  const deadline = Date.now() + 20000;
  let entry = null;
  while (!(entry = await queued(post.id)) && Date.now() < deadline) await page.waitForTimeout(250);
  assert.ok(entry, 'the kept flag reached the queue');
  assert.equal(entry.count, 1);
  assert.deepEqual(entry.reasons, ['Off-topic']);
  await waitForText(page, 'You flagged this post for a curator.');
  await waitForControl(page, 'Show post', { gone: 'Undo' });
  await clickControl(page, 'Show post');
  await waitForText(page, 'Buy cheap watches at this address');
  await learner.context.close();
});
