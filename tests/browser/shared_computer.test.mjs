// Shared computers in real Chromium against the real grove-server: people using one browser profile
// one after another (one IndexedDB). What is checked is what the server stored (who wrote each
// post), what each person's widget shows, and the raw IndexedDB records read from the page:
//   - Alice's unsent draft and her offline post are never posted as Bob, and are explained to her
//     when she comes back;
//   - a post typed before the page's token arrived is not sent under the identity that arrives;
//   - a curator's hidden post has no text in IndexedDB at rest, and a learner after them never
//     sees it;
//   - a cache the first release left (format 1: hidden text, a draft and a queued write without
//     their author) is opened by the next person without showing, sending or keeping any of it;
//     they are told that such work was deleted, and the write that names its author waits for them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useGrove } from './lib/grove.mjs';
import { syncState, syncUntil } from './lib/posting.mjs';
import { recordGroveEvents, waitForEvent } from './lib/harness.mjs';
import { hostPage } from './lib/ui_page.mjs';

const PEOPLE = {
  alice: { sub: 'u-alice', name: 'Alice Archer', role: 'learner' },
  bob: { sub: 'u-bob', name: 'Bob Baker', role: 'learner' },
  casey: { sub: 'u-casey', name: 'Casey Curator', role: 'curator' },
};
const { server, browser } = await useGrove();

// The intranet page: signed in as ?as=<person>; with &hold, getToken answers only once the test
// calls window.releaseToken() (a slow single sign-on).
function page(module) {
  const head = `<script>
  (function () {
    var people = ${JSON.stringify(PEOPLE)};
    var q = new URLSearchParams(location.search);
    var held = q.has('hold') ? new Promise(function (r) { window.releaseToken = r; }) : Promise.resolve();
    window.GroveConfig = { getToken: function () {
      return held.then(function () {
        return fetch('/api/v1/dev/token', { method: 'POST', headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(people[q.get('as')]) });
      }).then(function (r) { return r.json(); }).then(function (j) { return j.token; });
    } };
  })();
</script>`;
  return hostPage({ module, height: '700px', extraHead: head });
}

// One browser profile (one IndexedDB for the origin) for everyone who uses it.
async function profile(module) {
  const context = await browser.newContext({ viewport: { width: 900, height: 900 } });
  await recordGroveEvents(context);
  await context.route((url) => url.pathname === '/shared.html', (route) =>
    route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: page(module) }));
  const tab = await context.newPage();
  const errors = [];
  tab.on('pageerror', (e) => errors.push(e.message));
  return { context, tab, errors };
}

async function openAs(tab, person, extra = '') {
  await tab.goto(`${server.url}/shared.html?as=${person}${extra}`);
  await waitForEvent(tab, 'grove:ready');
}

const state = (tab) => syncState(tab, '#w');
const screen = (tab) => tab.locator('#w').evaluate((el) => el.groveDebug.screenText());

const until = (tab, predicate, what, timeout) => syncUntil(tab, '#w', predicate, what, timeout);

// Types into the composer the way a person does; Ctrl+Enter (held for a moment) posts.
async function type(tab, text, post = true) {
  await tab.bringToFront();
  await tab.locator('#w').focus();
  await tab.keyboard.type(text);
  await until(tab, (s) => s.draft.endsWith(text), 'the typed text in the composer', 15000);
  if (post) await tab.keyboard.press('Control+Enter', { delay: 80 });
}

// Every API call fails as if the network were gone; the sign-in (dev token) still answers.
async function apiDown(context) {
  await context.route('**/api/v1/**', (route) =>
    route.request().url().includes('/api/v1/dev/token') ? route.continue() : route.abort('internetdisconnected'));
}
const apiUp = (context) => context.unroute('**/api/v1/**');

// What the server stored, read as an admin from node: [{body, author}], every post of the module.
async function stored(module) {
  const t = await fetch(server.url + '/api/v1/dev/token', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ sub: 'u-auditor', name: 'Auditor', role: 'admin' }),
  }).then((r) => r.json());
  const r = await fetch(`${server.url}/api/v1/modules/${module}/posts?limit=1000`, { headers: { Authorization: 'Bearer ' + t.token } });
  assert.equal(r.status, 200);
  return (await r.json()).posts.map((p) => ({ body: p.body, author: p.author.id })).sort((a, b) => a.body.localeCompare(b.body));
}

async function api(person, method, path, body) {
  const t = await fetch(server.url + '/api/v1/dev/token', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(PEOPLE[person]),
  }).then((r) => r.json());
  const r = await fetch(server.url + '/api/v1' + path, {
    method, headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ' + t.token },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.ok(r.ok, `${method} ${path}: ${r.status}`);
  return r.json();
}

// Everything the widget's IndexedDB holds for this origin, as text: every record of every store
// (values stored as bytes, like the packed copy of the posts, decoded as UTF-8), read from a page.
function rawCache(tab) {
  return tab.evaluate(async (name) => {
    const db = await new Promise((resolve, reject) => {
      const open = indexedDB.open(name);
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const text = [];
    for (const store of Array.from(db.objectStoreNames)) {
      const values = await new Promise((resolve) => {
        const r = db.transaction(store).objectStore(store).getAll();
        r.onsuccess = () => resolve(r.result);
      });
      for (const v of values) {
        if (typeof v === 'string') text.push(v);
        else if (v instanceof ArrayBuffer || ArrayBuffer.isView(v)) text.push(new TextDecoder().decode(v));
        else text.push(JSON.stringify(v));
      }
    }
    db.close();
    return text.join('\n');
  }, 'grove-cache:' + server.url + '/api/v1');
}

// Polls the widget's IndexedDB until it holds every one of `texts`; returns what it holds.
async function untilCached(tab, texts, what, timeout = 30000) {
  for (const deadline = Date.now() + timeout; ;) {
    const raw = await rawCache(tab);
    if (texts.every((t) => raw.includes(t))) return raw;
    assert.ok(Date.now() < deadline, `IndexedDB never held ${what}`);
    await tab.waitForTimeout(100);
  }
}

test('Alice\'s unsent draft and offline post are never posted as Bob; she is told about them when she returns', async () => {
  const module = 'shared-draft';
  const { context, tab, errors } = await profile(module);
  await openAs(tab, 'alice');
  await until(tab, (s) => s.me && s.me.id === 'u-alice' && s.last_sync !== null, 'Alice signed in and synced');

  // Alice posts while the API is unreachable, types half a thought, and leaves.
  await apiDown(context);
  await type(tab, 'Alice offline: I will check the fire doors.');
  await until(tab, (s) => s.pending === 1, 'her post queued');
  await type(tab, 'Alice unsent: half a thought about', false);
  await untilCached(tab, ['Alice unsent: half a thought about'], 'her draft');   // saved as she types
  await apiUp(context);

  // Bob signs in on the same browser.
  await openAs(tab, 'bob');
  const bobs = await until(tab, (x) => x.me && x.me.id === 'u-bob' && x.last_sync !== null, 'Bob signed in and synced');
  const bobSees = await screen(tab);
  // He presses Post on what his composer holds (as in the report), then posts his own.
  await tab.locator('#w').focus();
  await tab.keyboard.press('Control+Enter', { delay: 80 });
  await type(tab, 'Bob: the assembly point is the car park.');
  await until(tab, (x) => x.pending === 0 && x.posts.some((p) => p.body.startsWith('Bob:') && p.state === 'synced'), 'his post sent');
  await tab.waitForTimeout(2000);   // any later sync cycle has had its chance
  assert.deepEqual(await stored(module), [{ body: 'Bob: the assembly point is the car park.', author: 'u-bob' }],
    'nothing of Alice\'s reached the server, under any name');
  // What he saw when he arrived.
  assert.equal(bobs.cache_reads.prefetched, 1, 'the loader\'s early read of the cache was used');
  assert.equal(bobs.draft, '', 'her draft is not in his composer');
  assert.equal(bobs.pending, 0);
  assert.equal(bobs.held_work, '');
  assert.ok(!bobs.posts.some((p) => p.body.startsWith('Alice')), 'her queued post is not in his view');
  assert.doesNotMatch(bobSees, /Alice (offline|unsent)/);

  // Alice comes back: her draft is in her composer, her post is sent as hers, and she is told.
  await openAs(tab, 'alice');
  let s = await until(tab, (x) => x.me && x.me.id === 'u-alice' && x.held_work !== '', 'the explanation for Alice');
  assert.equal(s.draft, 'Alice unsent: half a thought about');
  assert.match(s.held_work, /someone else used Grove in this browser/);
  assert.match(s.held_work, /1 change you made earlier on this device is being sent under your name/);
  const text = await screen(tab);
  assert.match(text, /Welcome back/, text);
  await until(tab, (x) => x.pending === 0 && x.posts.some((p) => p.body.startsWith('Alice offline') && p.state === 'synced'),
    'her post sent as hers');
  assert.deepEqual(await stored(module), [
    { body: 'Alice offline: I will check the fire doors.', author: 'u-alice' },
    { body: 'Bob: the assembly point is the car park.', author: 'u-bob' },
  ]);
  if (process.env.GROVE_SCREENSHOT_DIR) await tab.screenshot({ path: `${process.env.GROVE_SCREENSHOT_DIR}/shared-computer-welcome-back.png` });
  assert.deepEqual(errors, []);
  await context.close();
});

test('a post made before the page\'s token arrived is not sent under the identity that arrives', async () => {
  const module = 'shared-early';
  const { context, tab, errors } = await profile(module);
  await openAs(tab, 'bob', '&hold');   // the single sign-on has not answered yet
  let s = await state(tab);
  assert.equal(s.me, null);
  await type(tab, 'Typed before anyone was signed in.');
  await tab.waitForTimeout(1000);
  const before = await state(tab);
  const shownBefore = await screen(tab);
  const storedBefore = await rawCache(tab);

  await tab.evaluate(() => window.releaseToken());
  await until(tab, (x) => x.me && x.me.id === 'u-bob' && x.last_sync !== null, 'Bob signed in and synced');
  await tab.waitForTimeout(2000);
  assert.deepEqual(await stored(module), [], 'nothing was posted under his name');
  assert.ok(!(await rawCache(tab)).includes('Typed before anyone'));
  // Before the token: nothing was queued or saved for anyone; the text stayed, with the reason.
  assert.equal(before.pending, 0, 'nothing was queued');
  assert.equal(before.draft, 'Typed before anyone was signed in.', 'the text stays in the composer');
  assert.match(shownBefore, /does not know who you are yet/);
  assert.ok(!storedBefore.includes('Typed before anyone'), 'nor saved for anyone');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a curator\'s hidden post has no text in IndexedDB at rest; the learner after them never sees it', async () => {
  const module = 'shared-hidden';
  const secret = 'Hidden by a curator: only curators may read this.';
  const post = await api('alice', 'POST', `/modules/${module}/posts`, { id: 'hidden-1', kind: 'insight', body: secret });
  await api('alice', 'POST', `/modules/${module}/posts`, { id: 'visible-1', kind: 'insight', body: 'A visible reflection.' });
  await api('casey', 'PATCH', `/posts/${post.id}`, { hidden: true });
  const { context, tab, errors } = await profile(module);

  await openAs(tab, 'casey');
  await until(tab, (x) => x.posts.some((p) => p.id === 'hidden-1' && p.body === secret), 'the curator reading the hidden post');
  await tab.reload();   // the packed copy of the posts is written and read back
  await waitForEvent(tab, 'grove:ready');
  await until(tab, (x) => x.posts.some((p) => p.id === 'hidden-1' && p.body === secret) && x.last_sync !== null,
    'the curator reading it again after a reload');
  // The cache holds the module's posts, the hidden one without its text.
  let raw = await untilCached(tab, ['A visible reflection.', 'hidden-1'], 'the module\'s posts');
  assert.ok(!raw.includes(secret), 'the hidden text is not at rest');

  // Offline, the curator's widget opens without the text; online it is fetched again.
  await apiDown(context);
  await tab.reload();
  await waitForEvent(tab, 'grove:ready');
  let s = await state(tab);
  assert.equal(s.posts.find((p) => p.id === 'hidden-1').body, '');
  await apiUp(context);
  await until(tab, (x) => x.posts.some((p) => p.id === 'hidden-1' && p.body === secret), 'the text fetched again');

  // A learner uses the same browser next.
  await openAs(tab, 'bob');
  s = await state(tab);
  assert.ok(s.posts.some((p) => p.id === 'visible-1'), 'the cached posts are shown at once');
  assert.ok(!s.posts.some((p) => p.body === secret));
  s = await until(tab, (x) => x.me && x.me.id === 'u-bob' && x.last_sync !== null, 'Bob synced');
  assert.ok(!s.posts.some((p) => p.body === secret));
  assert.doesNotMatch(await screen(tab), /only curators may read/);
  raw = await rawCache(tab);
  assert.ok(!raw.includes(secret));
  assert.deepEqual(errors, []);
  await context.close();
});

// Writes records into the widget's IndexedDB from a page of the same origin, the way the first
// release stored them (creating the database as that release did, if it is not there yet).
function seedCache(tab, module, { meta = [], posts = [], outbox = [], pieces = [] }) {
  return tab.evaluate(async ([name, module, meta, posts, outbox, pieces]) => {
    const db = await new Promise((resolve, reject) => {
      const open = indexedDB.open(name, 1);
      open.onupgradeneeded = () => ['posts', 'outbox', 'meta'].forEach((s) => open.result.createObjectStore(s));
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    await new Promise((resolve, reject) => {
      const tx = db.transaction(['posts', 'outbox', 'meta'], 'readwrite');
      for (const [k, v] of meta) tx.objectStore('meta').put(v, [module, k]);
      for (const [k, text] of pieces) tx.objectStore('meta').put(new TextEncoder().encode(text), [module, k]);
      for (const [k, v] of posts) tx.objectStore('posts').put(v, [module, k]);
      for (const [k, v] of outbox) tx.objectStore('outbox').put(v, [module, k]);
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
    });
    db.close();
  }, ['grove-cache:' + server.url + '/api/v1', module, meta, posts, outbox, pieces]);
}

test('a cache the first release left is opened by the next person without showing, sending or keeping any of it', async () => {
  const module = 'shared-upgrade';
  const hidden = 'Hidden text the first release kept on disk.';
  const record = JSON.stringify(['old-hidden', null, 'insight', hidden, 'u-alice', 'Alice Archer', 'learner',
    1790000000000, null, 0, 8, 1]);
  const packed = 'grove-packed 1 T1\n' + record;
  const { context, tab, errors } = await profile(module);
  await tab.goto(server.url + '/api/v1/health');   // the origin, without a widget writing meanwhile
  await seedCache(tab, module, {
    meta: [
      ['sync', JSON.stringify({ format: 1, user: { id: 'u-casey', name: 'Casey Curator', role: 'curator' }, cursor: null,
        last_sync: null, commit: 'c1', packed: 'T1', dirty: [] })],
      ['packed', { grove_chunks: 1, bytes: packed.length }],
      ['draft', JSON.stringify({ v: 1, text: 'A draft the first release kept for whoever came next.' })],
    ],
    pieces: [['packed\u0001000000', packed]],
    posts: [['old-hidden', record]],
    outbox: [
      ['001790000000000-0000000a-00000001', JSON.stringify({ v: 1, key: '001790000000000-0000000a-00000001', user: '',
        op: 'create', post: 'old-anon', at: 1790000000000, attempts: 0, kind: 'insight', parent: null,
        body: 'Queued before the token was read, in the first release.' })],
      ['001790000000001-0000000a-00000002', JSON.stringify({ v: 1, key: '001790000000001-0000000a-00000002', user: 'u-casey',
        op: 'create', post: 'old-casey', at: 1790000000001, attempts: 0, kind: 'tip', parent: null,
        body: 'Casey queued this in the first release.' })],
    ],
  });
  assert.ok((await rawCache(tab)).includes(hidden), 'seeded as the first release stored it');

  await openAs(tab, 'bob');
  const s = await until(tab, (x) => x.me && x.me.id === 'u-bob' && x.last_sync !== null, 'Bob signed in and synced');
  const bobSees = await screen(tab);
  await tab.waitForTimeout(2000);
  assert.deepEqual(await stored(module), [], 'nothing of it was sent, under any name');
  assert.equal(s.draft, '', 'the old draft is nobody\'s: not in his composer');
  assert.equal(s.pending, 0);
  assert.ok(!s.posts.some((p) => /first release|Hidden text/.test(p.body)));
  assert.doesNotMatch(bobSees, /first release|Hidden text/);
  const raw = await rawCache(tab);
  assert.ok(!raw.includes(hidden), 'the hidden text is gone from disk (posts and the packed copy)');
  assert.ok(!raw.includes('whoever came next'), 'the old draft is gone');
  assert.ok(!raw.includes('before the token was read'), 'the unattributed write is gone');
  assert.ok(raw.includes('Casey queued this'), 'Casey\'s own write waits for her');
  // He is told that something nobody can be given was deleted (in case it was his), not what it said.
  assert.match(s.held_work, /^An earlier version of Grove kept an unsent draft and 1 unsent change in this browser without noting who made them\. They were deleted unread/);
  assert.match(bobSees, /An earlier version of Grove kept/);

  await openAs(tab, 'casey');
  const c = await until(tab, (x) => x.me && x.me.id === 'u-casey' && x.held_work !== '', 'what Casey is told');
  assert.match(c.held_work, /1 change you made earlier on this device is being sent under your name/);
  assert.doesNotMatch(c.held_work, /earlier version/);
  await until(tab, (x) => x.me && x.me.id === 'u-casey' && x.pending === 0 && x.last_sync !== null, 'Casey\'s write sent');
  assert.deepEqual(await stored(module), [{ body: 'Casey queued this in the first release.', author: 'u-casey' }]);
  assert.deepEqual(errors, []);
  await context.close();
});
