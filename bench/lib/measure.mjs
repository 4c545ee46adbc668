// What the browser benchmarks measure alike (startup_sync.mjs, peer_clients.mjs): medians, the
// page's frame intervals while the wheel scrolls a list, and the JS heap after a collection.

// The middle value (the upper one of an even count); nulls are left out; null when none is left.
export const median = (xs) => {
  const s = xs.filter((x) => x !== null && x !== undefined).sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : null;
};

// The wheel 40 px down 60 times, then up 60 times, 16 ms apart, with the pointer where the caller
// put it, while the page records its frame intervals (requestAnimationFrame deltas: 16.7 ms is
// smooth at 60 Hz). `position()` says how far the list is scrolled (the page's or a widget's own
// scroll): scrolled_px is how far the 60 steps down took it. wheel_s: the wall time it all took.
export async function wheelFrames(page, position) {
  const y0 = await position();
  await page.evaluate(() => {
    window.__deltas = [];
    window.__stopRaf = false;
    let last = null;
    const step = (now) => {
      if (last !== null) window.__deltas.push(now - last);
      last = now;
      if (!window.__stopRaf) requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  });
  let deepest = y0;
  const t0 = Date.now();
  for (let i = 0; i < 120; i++) {
    await page.mouse.wheel(0, i < 60 ? 40 : -40);
    await page.waitForTimeout(16);
    if (i === 59) deepest = await position();
  }
  const deltas = await page.evaluate(() => { window.__stopRaf = true; return window.__deltas; });
  const sorted = [...deltas].sort((a, b) => a - b);
  return {
    median: median(deltas), p95: sorted[Math.floor((sorted.length - 1) * 0.95)],
    over_50ms: deltas.filter((d) => d > 50).length, frames: deltas.length,
    scrolled_px: deepest - y0, wheel_s: (Date.now() - t0) / 1000,
  };
}

// The page's JS heap in use (bytes) after a garbage collection, through a CDP session.
export async function heapAfterGc(cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  return (await cdp.send('Runtime.getHeapUsage')).usedSize;
}
