#!/usr/bin/env node
// Two or more widget builds side by side (e.g. -O3 vs -Oz, with and without LTO), interleaved in
// one run: payload gzip, navigation -> grove:ready (warm HTTP cache), and the main-thread script
// time per frame while the pointer moves over the widget (each move draws one frame; Chromium's
// ScriptDuration covers the wasm and its glue). Used to choose the flags in
// cmake/grove_wasm_flags.cmake; not part of ./grove bench.
// --text: the posts are in twelve scripts (Latin, Greek, Cyrillic, Chinese, Japanese, Korean,
// Arabic, Hebrew, Hindi, Thai, emoji), each round also scrolls the thread with the wheel (script
// time per frame while scrolling), and the text port's GPU memory (groveDebug.stats().text) is
// printed after the scrolling, where the build has one.
//   node bench/compare_builds.mjs [--rounds 5] [--posts 10000] [--text] [--dpr 2] label=build/wasm/dist/widget label2=build/x/dist/widget ...
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { startServer, launchBrowser, recordGroveEvents } from '../tests/browser/lib/harness.mjs';

const argv = process.argv.slice(2);
const rounds = argv.includes('--rounds') ? Number(argv[argv.indexOf('--rounds') + 1]) : 5;
const posts = argv.includes('--posts') ? Number(argv[argv.indexOf('--posts') + 1]) : 0;
const multilingual = argv.includes('--text');
const dpr = argv.includes('--dpr') ? Number(argv[argv.indexOf('--dpr') + 1]) : 1;   // devicePixelRatio
const SENTENCES = [
  'we walked the route to the assembly point and timed it twice',
  'η άσκηση εκκένωσης ήταν πολύ χρήσιμη για όλη την ομάδα',
  'учебная эвакуация прошла спокойно, все знали куда идти',
  '学习分享会很有帮助，我们下周再练习一次，也会检查灭火器。',
  '避難訓練はとても役に立ちました。次は会議室も確認します。',
  '소화기 위치를 모두 확인했습니다. 다음 주에는 비상계단도 점검하겠습니다.',
  'شكرا على هذه الدورة المفيدة جدا، سنراجع نقطة التجمع غدا',
  'תודה רבה על הקורס המועיל, נבדוק את נקודת האיסוף מחר',
  'यह प्रशिक्षण बहुत उपयोगी था, हम अगले सप्ताह फिर अभ्यास करेंगे',
  'การฝึกอบรมนี้มีประโยชน์มาก ทุกคนรู้ว่าต้องไปที่จุดรวมพลที่ไหน',
  'done 👍🏽 👩‍🏫 🇯🇵 🎉 see you at the next drill',
];
const builds = argv.filter((a) => a.includes('=')).map((a) => ({ label: a.split('=')[0], dist: a.split('=')[1] }));

// --posts N: each build's server gets N posts and the widget's cache is filled before measuring,
// so grove:ready includes reading N cached posts (decode + first frame): the CPU-heavy start.
async function seed(server, n) {
  const t = await fetch(server.url + '/api/v1/dev/token', { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ sub: 'bench', name: 'Bench Person', role: 'learner' }) });
  const { token } = await t.json();
  let next = 0;
  async function worker() {
    for (let i = next++; i < n; i = next++) {
      for (let attempt = 0; ; attempt++) {
        try {
          const r = await fetch(`${server.url}/api/v1/modules/fire-safety-101/posts`, { method: 'POST',
            headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ' + token },
            body: JSON.stringify({ id: `bench-${i}`, kind: 'insight', body: multilingual
              ? `${i}: ${SENTENCES[i % SENTENCES.length]} ${SENTENCES[(i * 7 + 3) % SENTENCES.length]}`
              : `Reflection ${i}: ` + 'smoke door stairs assembly point warden '.repeat(4) }) });
          if (r.status !== 201 && r.status !== 200) throw new Error(`seed ${i}: HTTP ${r.status}`);
          break;
        } catch (e) { if (attempt > 4) throw e; }
      }
    }
  }
  await Promise.all(Array.from({ length: 8 }, worker));
}
if (builds.length < 1) { console.error('usage: compare_builds.mjs [--rounds N] label=DIST ...'); process.exit(2); }
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

for (const b of builds) {
  const loader = readFileSync(join(b.dist, 'grove.js'), 'utf8');
  const assets = JSON.parse(loader.match(/\{"core":[^}]*\}/)[0]);
  // The font counts only for a build whose loader always fetches it (before text used the
  // reader's fonts): a loader that fetches it only as a fallback says groveTextMode, and
  // builds from 2026-12-06 on ship no font at all (no "font" in their asset names).
  const fetchesFont = !loader.includes('groveTextMode');
  b.gzip = [join(b.dist, 'grove.js'), ...Object.entries(assets).filter(([k]) => k !== 'font' || fetchesFont).map(([, f]) => join(b.dist, f))]
    .map((f) => gzipSync(readFileSync(f), { level: 9 }).length).reduce((x, y) => x + y, 0);
  b.wasmGzip = gzipSync(readFileSync(join(b.dist, assets.wasm)), { level: 9 }).length;
  b.ready = [];
  b.scriptPerFrame = [];
  b.scrollPerFrame = [];
  b.text = null;
  b.server = await startServer(['--widget-dir', b.dist, '--writes-per-minute', '1000000', '--sqlite-sync', 'normal']);
  if (posts) await seed(b.server, posts);
}
const browser = await launchBrowser();
try {
  const context = await browser.newContext({ viewport: { width: 1000, height: 900 }, deviceScaleFactor: dpr });
  await recordGroveEvents(context);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const scriptSeconds = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'ScriptDuration').value;
  for (const b of builds) {   // warm every HTTP cache once; with --posts, wait until the cache holds them
    await page.goto(b.server.url + '/');
    if (posts) {
      await page.waitForFunction(() => (window.__groveEvents || []).some((e) => e.name === 'grove:sync' && e.detail && e.detail.last_sync), null, { timeout: 120000 });
      await page.waitForTimeout(1000);
    }
  }
  for (let r = 0; r < rounds; r++) {
    for (const b of builds) {
      await page.goto(b.server.url + '/');
      await page.waitForFunction(() => (window.__groveEvents || []).some((e) => e.name === 'grove:ready'));
      b.ready.push(await page.evaluate(() => window.__groveEvents.find((e) => e.name === 'grove:ready').t));
      const box = await page.locator('[data-grove-module]').boundingBox();
      await page.waitForTimeout(300);
      const frames = () => page.locator('[data-grove-module]').evaluate((el) => el.groveDebug.stats().frames);
      const f0 = await frames();
      const s0 = await scriptSeconds();
      for (let i = 0; i < 60; i++) {
        await page.mouse.move(box.x + 20 + (i % 30) * 10, box.y + 40 + (i % 7) * 30);
        await page.waitForTimeout(20);
      }
      const s1 = await scriptSeconds();
      const f1 = await frames();
      b.scriptPerFrame.push(((s1 - s0) * 1000) / Math.max(1, f1 - f0));
      if (multilingual) {   // scrolling: new rows laid out and (text port) new lines rasterized
        await page.mouse.click(box.x + box.width - 30, box.y + 10);
        const g0 = await frames(), t0 = await scriptSeconds();
        for (let i = 0; i < 80; i++) {
          await page.mouse.wheel(0, 300);
          await page.waitForTimeout(20);
        }
        const t1 = await scriptSeconds(), g1 = await frames();
        b.scrollPerFrame.push(((t1 - t0) * 1000) / Math.max(1, g1 - g0));
        // Far through the thread, so the text pages fill up and must evict.
        for (let i = 0; i < 60; i++) {
          await page.mouse.wheel(0, 2500);
          await page.waitForTimeout(30);
        }
        await page.waitForTimeout(300);
        b.text = await page.locator('[data-grove-module]').evaluate((el) => el.groveDebug.stats().text || null);
      }
    }
  }
} finally {
  await browser.close();
  for (const b of builds) await b.server.stop();
}
if (posts) console.log(`(${posts} posts cached: ready includes reading them)`);
console.log('build'.padEnd(14) + 'total gzip'.padStart(12) + 'wasm gzip'.padStart(12) + 'ready warm'.padStart(12) + 'script/frame'.padStart(14) +
  (multilingual ? 'scroll/frame'.padStart(14) : ''));
for (const b of builds) {
  console.log(b.label.padEnd(14) + `${(b.gzip / 1000).toFixed(1)} KB`.padStart(12) + `${(b.wasmGzip / 1000).toFixed(1)} KB`.padStart(12) +
    `${median(b.ready).toFixed(0)} ms`.padStart(12) + `${median(b.scriptPerFrame).toFixed(2)} ms`.padStart(14) +
    (multilingual ? `${median(b.scrollPerFrame).toFixed(2)} ms`.padStart(14) : ''));
}
for (const b of builds) {   // every round, in the order measured: noise at a glance
  console.log(`${b.label}: script/frame ${b.scriptPerFrame.map((x) => x.toFixed(2)).join(' ')} ms` +
    (multilingual ? `; scroll/frame ${b.scrollPerFrame.map((x) => x.toFixed(2)).join(' ')} ms` : '') +
    `; ready ${b.ready.map((x) => x.toFixed(0)).join(' ')} ms`);
}
if (multilingual) {
  for (const b of builds) {
    const t = b.text;
    console.log(`${b.label}: text ` + (t ? `${t.mode}, GPU ${(t.gpuBytes / 1048576).toFixed(0)} MiB in ${t.pages} pages ` +
      `(budget ${(t.gpuBudget / 1048576).toFixed(0)} MiB), ${t.evictions} evictions, ${t.linesDrawn} lines rasterized, tofu ${t.tofu}, dropped ${t.dropped}`
      : 'stats: none (ImGui font atlas)'));
  }
}
