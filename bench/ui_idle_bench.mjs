// Frames drawn per second by an idle widget in real Chromium: unfocused, focused with the caret
// in the composer, and scrolled off screen while its data changes. Target: at most 1 frame/s.
//   node bench/ui_idle_bench.mjs [seconds-per-phase]
// Uses the build of this worktree (GROVE_SERVER_BINARY / GROVE_WIDGET_DIST / GROVE_SITE_DIR as in
// tests/browser). When the server has the API (dev tokens), 100 posts are added first so the
// idle widget shows a real thread.
import { startServer, launchBrowser, recordGroveEvents, waitForEvent } from '../tests/browser/lib/harness.mjs';

const seconds = Number(process.argv[2] || 10);
const server = await startServer(['--writes-per-minute', '1000000']);   // all 100 seed posts, not the default 30
const browser = await launchBrowser();
const frames = (page) => page.evaluate(() => document.querySelector('[data-grove-module]').groveDebug.stats().frames);
async function rate(page, label) {
  await page.waitForTimeout(1500);   // let input settle (a few frames after the last event)
  const a = await frames(page);
  await page.waitForTimeout(seconds * 1000);
  const b = await frames(page);
  const fps = (b - a) / seconds;
  console.log(`${label.padEnd(44)} ${String(b - a).padStart(5)} frames in ${seconds} s = ${fps.toFixed(2)} frames/s`);
  return fps;
}
try {
  let seeded = 0;
  const tok = await fetch(server.url + '/api/v1/dev/token', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ sub: 'bench', name: 'Bench Poster', role: 'learner' }),
  }).catch(() => null);
  if (tok && tok.ok) {
    const { token } = await tok.json();
    for (let i = 0; i < 100; i++) {
      const r = await fetch(server.url + '/api/v1/modules/fire-safety-101/posts', {
        method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ' + token },
        body: JSON.stringify({ id: 'bench-' + i, kind: 'insight', body: 'Benchmark reflection number ' + i }),
      });
      if (r.ok) seeded++;
    }
  }
  const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
  await recordGroveEvents(context);
  const page = await context.newPage();
  await page.goto(server.url + '/');
  await waitForEvent(page, 'grove:ready');
  console.log(`grove idle frames (Chromium headless, ${seeded} posts seeded)`);
  const results = {};
  results.unfocused = await rate(page, 'idle, not focused');
  await page.locator('[data-grove-module]').focus();
  await page.keyboard.type('A draft');
  results.focused = await rate(page, 'idle, focused, caret in the composer');
  await page.keyboard.press('Escape');
  await page.evaluate(() => document.activeElement.blur());
  await page.evaluate(() => {
    document.body.style.minHeight = '5000px';
    window.scrollTo(0, document.body.scrollHeight);
  });
  await page.waitForTimeout(500);
  const before = await frames(page);
  await page.emulateMedia({ colorScheme: 'dark' });   // a change that wants frames
  await page.setViewportSize({ width: 990, height: 900 });
  results.offscreen = await rate(page, 'off screen while its theme and size change');
  console.log(`frames drawn off screen: ${(await frames(page)) - before}`);
  const worst = Math.max(results.unfocused, results.focused, results.offscreen);
  console.log(`worst idle rate ${worst.toFixed(2)} frames/s (target <= 1): ${worst <= 1 ? 'met' : 'NOT met'}`);
} finally {
  await browser.close();
  await server.stop();
}
