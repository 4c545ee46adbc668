// Posting through a mounted widget the way a person does (focus, type, Ctrl+Enter), and waiting on
// what its sync engine holds (element.groveSyncState()).
import assert from 'node:assert/strict';

export const syncState = (page, sel) => page.locator(sel).evaluate((el) => el.groveSyncState());

export async function syncUntil(page, sel, predicate, what, timeout = 60000) {
  const start = Date.now();
  for (;;) {
    const s = await syncState(page, sel);
    if (predicate(s)) return s;
    if (Date.now() - start > timeout) assert.fail(`timed out waiting for ${what}: ${JSON.stringify(s).slice(0, 800)}`);
    await page.waitForTimeout(200);
  }
}

// Focus the widget, type, wait until the composer holds every character (ImGui 1.86 drops text
// still queued when a frame sees Ctrl held), then Ctrl+Enter held for a moment as a person does.
// Resolves with the engine's state once the post is confirmed by the server.
export async function postAsPerson(page, sel, text) {
  await page.locator(sel).scrollIntoViewIfNeeded();
  await page.locator(sel).focus();
  await page.keyboard.type(text);
  await syncUntil(page, sel, (s) => s.draft.endsWith(text), `"${text}" in the composer of ${sel}`, 15000);
  await page.keyboard.press('Control+Enter', { delay: 80 });
  return syncUntil(page, sel, (s) => s.pending === 0 && s.posts.some((p) => p.body === text && p.state === 'synced'),
    `"${text}" to reach the server from ${sel}`);
}
