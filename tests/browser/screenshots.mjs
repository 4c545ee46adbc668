// Screenshots of the widget with real data, for people to look at (not a test): a real
// grove-server seeded through the API, real Chromium. Writes PNGs to build/screenshots/
// (or GROVE_SCREENSHOT_DIR) and prints what each one is.
//   node tests/browser/screenshots.mjs            all of them (the offline one waits a minute
//                                                 so its banner says "last synced 1 min ago")
//   node tests/browser/screenshots.mjs light dpr  only those whose name starts with an argument
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startServer, launchBrowser } from './lib/harness.mjs';
import { openHost, debug, settle, waitForText, clickControl } from './lib/ui_page.mjs';
import { devApi, pageFor, apiDown } from './lib/dev_people.mjs';

const OUT = process.env.GROVE_SCREENSHOT_DIR || resolve(import.meta.dirname, '../../build/screenshots');
const MODULE = 'fire-safety-101';
const only = process.argv.slice(2);
const wanted = (name) => only.length === 0 || only.some((o) => name.startsWith(o));

// A discussion as it looks a day after the module went out.
async function seedDiscussion(dev) {
  await dev.seed('lee', 'spotlight-elsewhere', 'Team leads: we now open every Monday stand-up with one near miss from the week. Two minutes, no blame — the list is already changing how we store things.', { kind: 'leader_learning' });
  await dev.seed('lee', MODULE, 'Our floor timed the drill: down from six minutes to three, just by agreeing beforehand who checks the meeting rooms.', { kind: 'leader_learning' });
  const pinned = await dev.seed('casey', MODULE, 'Reminder: the extinguisher by the kitchen is CO₂ — safe for the coffee machine, not for the paper bin.', { kind: 'tip' });
  await dev.api('casey', 'PATCH', `/posts/${pinned.id}`, { pinned: true });
  const q = await dev.seed('ana', MODULE, 'Are we expected to close the windows before leaving? The module mentioned doors but not windows.', { kind: 'question' });
  await dev.seed('dmitri', MODULE, 'Yes — close them if it takes seconds. Less oxygen, slower fire.', { parent_id: q.id });
  await dev.api('lee', 'PUT', `/posts/${q.id}/endorsement`);
  await dev.api('sam', 'PUT', `/posts/${q.id}/endorsement`);
  await dev.api('priya', 'PUT', `/posts/${q.id}/endorsement`);
  const tip = await dev.seed('priya', MODULE, 'Did you know the assembly point moved to the car park behind building C? The old sign is still up at the front.', { kind: 'tip' });
  await dev.api('ana', 'PUT', `/posts/${tip.id}/endorsement`);
  await dev.seed('dmitri', MODULE, 'Привет! Я проверю огнетушитель на нашем этаже — and I will post what the label says.');
  const spam = await dev.seed('priya', MODULE, 'BUY CHEAP FIRE BLANKETS at my cousin\'s shop, best prices, message me!!!');
  const rude = await dev.seed('ana', MODULE, 'Honestly this whole module was a waste of an afternoon.');
  await dev.api('sam', 'POST', `/posts/${spam.id}/flags`, { reason: 'Advertising' });
  await dev.api('dmitri', 'POST', `/posts/${spam.id}/flags`, { reason: 'Spam' });
  await dev.api('sam', 'POST', `/posts/${rude.id}/flags`, { reason: 'Not constructive' });
  await dev.seed('sam', MODULE, 'I had never read the label on our extinguisher. Class A only — good to know before I need it.');
}

// A thread in eight scripts (and emoji), for the multilingual shots.
const WORLD = 'world-safety';
async function seedWorld(dev) {
  await dev.seed('lee', WORLD, '本周我们把每层楼的灭火器都检查了一遍。发现两个过期的，已经换掉了。谢谢大家的配合！🧯', { kind: 'leader_learning' });
  const q = await dev.seed('ana', WORLD, 'هل يجب إغلاق النوافذ قبل مغادرة المكتب أثناء الإخلاء؟ لم تذكر الوحدة ذلك.', { kind: 'question' });
  await dev.seed('dmitri', WORLD, 'نعم، أغلقها إذا استغرق ذلك ثوانٍ فقط — Grove قال ذلك أيضًا 👍🏽', { parent_id: q.id });
  await dev.seed('priya', WORLD, 'मैंने आज पहली बार अग्निशामक यंत्र का लेबल पढ़ा। यह केवल क्लास A के लिए है।');
  await dev.seed('sam', WORLD, 'שמתי לב שנקודת האיסוף זזה לחניה מאחורי בניין C. השלט הישן עדיין תלוי בכניסה.', { kind: 'tip' });
  await dev.seed('casey', WORLD, '避難訓練の時間を計りました：6分から3分に短縮できました 👩‍🏫');
  await dev.seed('ana', WORLD, 'การฝึกซ้อมครั้งนี้มีประโยชน์มาก ทุกคนรู้ว่าต้องไปที่จุดรวมพลที่ไหน 🇹🇭');
  await dev.seed('dmitri', WORLD, '소화기 위치를 모두 확인했습니다. 다음 주에는 비상계단도 점검하겠습니다.');
  await dev.seed('priya', WORLD, 'Проверили все огнетушители на этаже — два заменили. Η άσκηση ήταν χρήσιμη! 🎉');
}

const shots = [
  { name: 'light', person: 'sam', theme: 'light', spotlight: true, what: 'a learner, light theme: composer, the spotlight opened, pinned tip, thread' },
  { name: 'dark', person: 'sam', theme: 'dark', what: 'the same, dark theme' },
  { name: 'curator', person: 'casey', theme: 'light', what: 'a curator: Discussion / Flags switch, Pin and Hide on each card' },
  { name: 'curator-flags', person: 'casey', theme: 'light', flags: true, what: 'a curator\'s Flags view with the queue' },
  { name: 'leader-dark', person: 'lee', theme: 'dark', spotlight: true, what: 'a leader, dark: the Leader learning kind, own spotlight posts marked' },
  { name: 'offline', person: 'sam', theme: 'light', offline: true, what: 'offline banner ("Last synced N min ago") and a pending post with its clock' },
  { name: 'failed', person: 'sam', theme: 'light', failed: true, what: 'a post the server refused (too long for it), with Retry, Edit, Discard' },
  { name: 'dpr-1', person: 'sam', theme: 'light', dpr: 1, narrow: true, what: 'devicePixelRatio 1, narrow column' },
  { name: 'dpr-2', person: 'sam', theme: 'light', dpr: 2, narrow: true, what: 'devicePixelRatio 2, narrow column' },
  { name: 'dpr-3', person: 'sam', theme: 'dark', dpr: 3, narrow: true, what: 'devicePixelRatio 3, narrow column, dark' },
  ...[1, 2].flatMap((dpr) => ['light', 'dark'].map((theme) => ({
    name: `scripts-${theme}-dpr${dpr}`, person: 'sam', theme, dpr, module: WORLD, wait: 'השלט הישן', tall: true,
    what: `a thread in eight scripts and emoji (Chinese, Arabic, Hindi, Hebrew, Japanese, Thai, Korean, Russian/Greek), ${theme}, devicePixelRatio ${dpr}`,
  }))),
];

async function take(browser, server, s) {
  const viewport = s.narrow ? { width: 460, height: 1000 } : { width: 900, height: s.tall ? 2300 : 1400 };
  const { context, page, errors } = await openHost(browser, server,
    pageFor(s.person, { module: s.module || MODULE, theme: s.theme, height: s.narrow ? '700px' : s.tall ? '2200px' : '1100px' }),
    { viewport, deviceScaleFactor: s.dpr || 1 });
  await waitForText(page, s.wait || 'close them if it takes seconds');
  if (s.spotlight) {   // the line under the composer, opened
    let line;
    while (!(line = (await debug.controls(page)).controls.find((c) => / leader learnings? this week$/.test(c.label)))) await page.waitForTimeout(100);
    await clickControl(page, line.label);
  }
  if (s.flags) {
    let flags;   // "Flags · 2" once the queue has been read
    while (!(flags = (await debug.controls(page)).controls.find((c) => c.label.startsWith('Flags ·')))) await page.waitForTimeout(100);
    await clickControl(page, flags.label);
    await waitForText(page, 'BUY CHEAP FIRE BLANKETS');
  }
  if (s.offline) {
    await apiDown(context);
    await page.locator('#w').focus();
    await page.keyboard.type('Written on the train, sent later.');
    await page.keyboard.press('Control+Enter', { delay: 80 });
    await waitForText(page, "You're offline.");
    await page.keyboard.press('Escape');
    await waitForText(page, ' min ago · 1 change waiting', '#w', 180000);   // relative times move once a minute
  }
  if (s.failed) {
    await page.locator('#w').focus();
    await page.keyboard.type('Three things I will change: I will walk the route to the assembly point once a quarter, ' +
      'I will keep the corridor by my desk clear of boxes, and I will learn which extinguisher is which.');
    await page.keyboard.press('Control+Enter', { delay: 80 });
    await waitForText(page, 'Discard', '#w', 30000);
    await page.keyboard.press('Escape');
  }
  await page.evaluate(() => document.activeElement.blur());
  await page.mouse.move(0, 0);
  await settle(page);
  const file = join(OUT, `${s.name}.png`);
  // The widget's box, on whole CSS pixels inside it (an element shot rounds outwards and would
  // show a row of the host page's next element when the box starts at a fraction).
  const b = await page.locator('#w').boundingBox();
  const top = Math.ceil(b.y), left = Math.ceil(b.x);
  const clip = { x: left, y: top, width: Math.floor(b.x + b.width) - left, height: Math.floor(b.y + b.height) - top };
  await page.screenshot({ path: file, clip });
  if (errors.length) console.log(`  page errors: ${errors.join('; ')}`);
  await context.close();
  return file;
}

mkdirSync(OUT, { recursive: true });
// The refused write needs a server whose posts are shorter than the widget's 500: a real 422.
const server = await startServer();
const strict = await startServer(['--max-body', '160']);
const browser = await launchBrowser();
try {
  for (const srv of [server, strict]) await seedDiscussion(devApi(srv));
  await seedWorld(devApi(server));
  for (const s of shots.filter((x) => wanted(x.name))) {
    const file = await take(browser, s.failed ? strict : server, s);
    console.log(`${file}: ${s.what}`);
  }
  console.log(`screenshots: ${shots.filter((x) => wanted(x.name)).length} written to ${OUT}`);
} finally {
  await browser.close();
  await server.stop();
  await strict.stop();
}
