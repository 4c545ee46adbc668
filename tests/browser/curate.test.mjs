// Curator verbs in real Chromium against the real grove-server: "Keep visible" dismisses the flags
// that hid a post, and a learner reads it again; "Hide from learners…" asks in place first (Cancel
// focused, leaves the post as it is; Hide hides it for learners).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useGrove } from './lib/grove.mjs';
import { openHost, debug, waitForText, clickControl, focusedLabel, controlLabels, waitForControl } from './lib/ui_page.mjs';
import { pageFor } from './lib/dev_people.mjs';

const { server, browser, dev } = await useGrove();

test('Keep visible: a post three flags hid is shown to learners again and leaves the queue', async () => {
  const module = 'curate-keep-test';
  const post = await dev.seed('ana', module, 'Bogus flags should not bury this tip');
  for (const who of ['sam', 'dmitri', 'priya'])
    assert.equal((await dev.api(who, 'POST', `/posts/${post.id}/flags`, { reason: 'Off-topic' })).status, 202);
  // The server hid it: a learner gets it without its text.
  const hidden = (await dev.posts(module, 'sam')).find((p) => p.id === post.id);
  assert.equal(hidden.hidden, true);
  assert.equal(hidden.body, '');

  const learner = await openHost(browser, server, pageFor('sam', { module }));
  await waitForText(learner.page, 'No reflections yet');
  assert.ok(!(await debug.text(learner.page)).includes('Bogus flags should not bury this tip'));

  const curator = await openHost(browser, server, pageFor('casey', { module }));
  await waitForText(curator.page, 'Bogus flags should not bury this tip');
  await waitForControl(curator.page, 'Keep visible');
  await clickControl(curator.page, 'Keep visible');
  await dev.until(module, (ps) => ps.find((p) => p.id === post.id && !p.hidden && p.body), 'the post shown again');
  const queue = await dev.api('casey', 'GET', '/flags');
  assert.ok(!queue.body.flags.some((f) => f.post.id === post.id), JSON.stringify(queue.body));
  // The learner's page reads it again (its next pull).
  await learner.page.evaluate(() => window.dispatchEvent(new Event('focus')));
  await waitForText(learner.page, 'Bogus flags should not bury this tip', '#w', 30000);
  // Nothing left to keep: the button went.
  const deadline = Date.now() + 10000;
  while ((await controlLabels(curator.page)).includes('Keep visible') && Date.now() < deadline) await curator.page.waitForTimeout(100);
  assert.ok(!(await controlLabels(curator.page)).includes('Keep visible'));
  await learner.context.close();
  await curator.context.close();
});

test('Hide from learners…: Cancel (focused first) keeps the post; Hide hides it for learners', async () => {
  const module = 'curate-hide-test';
  const post = await dev.seed('ana', module, 'A post a curator thinks about hiding');
  await dev.seed('dmitri', module, 'A reply keeps the toggle honest', { parent_id: post.id });
  const curator = await openHost(browser, server, pageFor('casey', { module }));
  const { page } = curator;
  await waitForText(page, 'A post a curator thinks about hiding');
  const seen = await controlLabels(page);
  assert.ok(!seen.includes('Hide'), `no bare "Hide" beside the replies toggle: ${seen.join(', ')}`);
  assert.ok(seen.some((l) => l.startsWith('Hide from learners')), seen.join(', '));
  // The replies toggle says what it does: "Collapse replies (1)", then "1 reply".
  await waitForControl(page, 'Collapse replies (1)');
  await clickControl(page, 'Collapse replies (1)');
  await waitForControl(page, '1 reply');

  // Asked in place; Cancel is focused; Cancel leaves the post visible and focus on the button.
  await clickControl(page, 'Hide from learners…');
  await waitForText(page, 'Hide from learners? Curators still see it.');
  assert.equal(await focusedLabel(page), 'Cancel');
  await page.keyboard.press('Enter');
  await page.waitForTimeout(300);
  assert.ok(!(await debug.text(page)).includes('Hide from learners?'));
  assert.equal(await focusedLabel(page), 'Hide from learners…');
  let stored = (await dev.posts(module, 'sam')).find((p) => p.id === post.id);
  assert.equal(stored.hidden, false);
  assert.equal(stored.body, 'A post a curator thinks about hiding');

  // Escape cancels as well.
  await clickControl(page, 'Hide from learners…');
  await waitForText(page, 'Hide from learners? Curators still see it.');
  await page.keyboard.press('Escape');
  await page.waitForTimeout(300);
  assert.ok(!(await debug.text(page)).includes('Hide from learners?'));

  // Hide: the learner gets it without its text.
  await clickControl(page, 'Hide from learners…');
  await waitForText(page, 'Hide from learners? Curators still see it.');
  await clickControl(page, 'Hide');
  stored = await dev.until(module, (ps) => ps.find((p) => p.id === post.id && p.hidden), 'the post hidden');
  assert.equal(stored.body, '');
  const learner = await openHost(browser, server, pageFor('sam', { module }));
  await waitForText(learner.page, 'This post was hidden by a curator.');
  assert.ok(!(await debug.text(learner.page)).includes('A post a curator thinks about hiding'));
  await learner.context.close();
  await curator.context.close();
});
