// A card's hierarchy in real Chromium against the real grove-server: an insight (the default kind)
// carries no kind label while a question says "Question" and "Unanswered", in the canvas's text,
// the HTML view and the accessibility tree; another person's reply answers it (the asker's own
// does not); every author has an initials avatar, a disc drawn left of the name in the same
// colour on each of their posts and replies. Screenshots light and dark at 1000 and 375 px.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { useGrove } from './lib/grove.mjs';
import { openHost, debug, settle, pixelsAt, waitForText } from './lib/ui_page.mjs';
import { pageFor } from './lib/dev_people.mjs';
import { axTree } from './lib/a11y.mjs';

const SHOTS = process.env.GROVE_SCREENSHOT_DIR || '/tmp/hierarchy-shots';
const INSIGHT = 'Checklists before the drill helped us.';
const QUESTION = 'How do you run a drill with remote staff?';
const OWN_DETAIL = 'I mean people working from home.';
const OTHER = 'We timed the evacuation this year.';
const ANA_REPLY = 'Timing it made the difference.';

const { server, browser, dev } = await useGrove();
before(async () => {
  mkdirSync(SHOTS, { recursive: true });
});

async function seed(module) {
  await dev.seed('ana', module, INSIGHT);
  const question = await dev.seed('priya', module, QUESTION, { kind: 'question' });
  await dev.seed('priya', module, OWN_DETAIL, { parent_id: question.id });   // the asker adds detail
  const other = await dev.seed('dmitri', module, OTHER);
  await dev.seed('ana', module, ANA_REPLY, { parent_id: other.id });
  // The other chips, for the screenshots: a leader's tip, pinned; a leader's endorsement.
  const tip = await dev.seed('lee', module, 'Walk the route once before the drill.', { kind: 'tip' });
  assert.equal((await dev.api('casey', 'PATCH', `/posts/${tip.id}`, { pinned: true })).status, 200);
  assert.equal((await dev.api('lee', 'PUT', `/posts/${other.id}/endorsement`)).status < 300, true);
  return { question };
}

// The HTML view's article holding `body`: its meta line ("Question · Unanswered · 5 min ago").
async function metaOf(page, body) {
  return page.evaluate((b) => {
    const article = [...document.querySelectorAll('#w .grove-view article')]
      .find((a) => [...a.querySelectorAll(':scope > .grove-body')].some((p) => p.textContent === b));
    const meta = article && article.querySelector(':scope > .grove-meta');
    return meta ? meta.textContent : null;
  }, body);
}

async function untilMeta(page, body, predicate, what, timeout = 30000) {
  const deadline = Date.now() + timeout;
  let meta = null;
  while (Date.now() < deadline) {
    meta = await metaOf(page, body);
    if (meta !== null && predicate(meta)) return meta;
    await page.waitForTimeout(100);
  }
  assert.fail(`${what}: the meta line of "${body}" is ${JSON.stringify(meta)}`);
}

test('an insight has no kind label; a question says Question and Unanswered until someone else replies', async () => {
  const module = 'hierarchy-chips';
  const { question } = await seed(module);
  const { context, page, errors } = await openHost(browser, server, pageFor('sam', { module }));
  await waitForText(page, QUESTION);
  await waitForText(page, OWN_DETAIL);

  // The HTML view: the insight's meta line names no kind; the question's says both.
  const insightMeta = await untilMeta(page, INSIGHT, () => true, 'the insight');
  assert.ok(!/Insight/.test(insightMeta), `no kind on an insight: "${insightMeta}"`);
  const questionMeta = await untilMeta(page, QUESTION, () => true, 'the question');
  assert.match(questionMeta, /Question/);
  assert.match(questionMeta, /Unanswered/, 'the asker\'s own reply is not an answer');
  const replyMeta = await untilMeta(page, OWN_DETAIL, () => true, 'the reply');
  assert.ok(!/Insight|Question|Unanswered/.test(replyMeta), `no kind on a reply: "${replyMeta}"`);

  // The accessibility tree says the same.
  const texts = (await axTree(page)).filter((n) => !n.ignored && n.role === 'StaticText').map((n) => n.name);
  assert.ok(texts.some((t) => t.startsWith('Question · Unanswered · ')), texts.join('\n'));
  assert.ok(texts.filter((t) => t.includes('Insight')).every((t) => t === 'Insight'), 'only the composer\'s chip says Insight');

  // What the canvas draws: the chips are there, and "Insight" only once (the composer's chip).
  let screen = await debug.text(page);
  assert.ok(screen.includes('Unanswered'), screen);
  assert.equal(screen.split('Insight').length - 1, 1, `"Insight" only on the composer's chip:\n${screen}`);
  assert.equal(screen.split('Question').length - 1, 2, `the composer's chip and the question's:\n${screen}`);

  // Dmitri answers: the next pull shows it, and "Unanswered" goes everywhere.
  await dev.seed('dmitri', module, 'We ran it over video, cameras on.', { parent_id: question.id });
  await page.evaluate(() => window.dispatchEvent(new Event('focus')));
  await waitForText(page, 'We ran it over video, cameras on.', '#w', 30000);
  const answered = await untilMeta(page, QUESTION, (m) => !m.includes('Unanswered'), 'the answered question');
  assert.match(answered, /Question/);
  await settle(page);
  screen = await debug.text(page);
  assert.ok(!screen.includes('Unanswered'), screen);
  assert.deepEqual(errors, []);
  await context.close();
});

// The disc left of `name`'s line (nth): its colour at three points inside it (above, below and
// left of the initials), and the card's colour just above it. Null when the name is off screen.
async function avatarColours(page, name, nth = 0) {
  const lines = (await page.evaluate(() => document.querySelector('#w').groveDebug.textLines()))
    .filter((l) => l.text === name && l.strong);
  const line = lines[nth];
  const canvas = page.locator('#w canvas');
  const box = await canvas.boundingBox();
  if (!line || line.y < 0 || line.y + line.h > box.height) return null;
  // The disc (22 px on a reply, 26 on a post) ends 8 px before the name: its centre is 11 or
  // 13 px further left. Points 7 px above and below it miss the initials' glyphs.
  const cy = line.y + line.h / 2, cx = line.x - 8 - 11;
  const [top, bottom, outside, left] = await pixelsAt(page, canvas, [[cx, cy - 7], [cx, cy + 7], [cx, cy - 16], [cx - 5, cy - 5]]);
  return { top, bottom, outside, left };
}

const distance = (a, b) => Math.abs((a >> 16) - (b >> 16)) + Math.abs(((a >> 8) & 255) - ((b >> 8) & 255)) + Math.abs((a & 255) - (b & 255));
const hex = (c) => '#' + c.toString(16).padStart(6, '0');

for (const theme of ['light', 'dark']) {
  test(`every author has an initials avatar, the same colour on each post and reply (${theme})`, async () => {
    const module = `hierarchy-avatars-${theme}`;
    await seed(module);
    for (const width of [1000, 375]) {
      const { context, page } = await openHost(browser, server, pageFor('sam', { module, theme: theme === 'dark' ? 'dark' : '', height: '1500px' }),
        { viewport: { width, height: 1600 } });
      await waitForText(page, ANA_REPLY);
      await settle(page);
      await page.locator('#w').screenshot({ path: join(SHOTS, `hierarchy-${theme}-${width}.png`) });
      const ana = await avatarColours(page, 'Ana Souza', 0);        // her reply (Dmitri's post is above hers)
      const anaAgain = await avatarColours(page, 'Ana Souza', 1);   // her own post

      const priya = await avatarColours(page, 'Priya Raman', 0);
      assert.ok(ana && priya, `the names are on screen at ${width} px`);
      const what = (c) => JSON.stringify(Object.fromEntries(Object.entries(c).map(([k, v]) => [k, hex(v)])));
      for (const c of [ana, priya, anaAgain].filter(Boolean)) {
        assert.equal(c.top, c.bottom, `one fill above and below the initials at ${width} px: ${what(c)}`);
        assert.equal(c.top, c.left, `a disc, filled left of centre too: ${what(c)}`);
        assert.ok(distance(c.top, c.outside) > 40, `the disc stands out from the card at ${width} px: ${what(c)}`);
      }
      if (anaAgain) assert.equal(ana.top, anaAgain.top, `Ana's colour on her reply and her post: ${what(ana)} ${what(anaAgain)}`);
      await context.close();
    }
  });
}
