// Count elements: <span data-grove-count="module-key"></span> filled with "12 reflections".
// Every count element mounted in the same task is filled from one GET /api/v1/counts (up to 100
// module keys a request, so 250 modules cost three), without the wasm. A post made in a widget
// on the page (grove:post) counts at once; the server's numbers are fetched again once the
// widget's queue is sent (grove:sync), so the count is the server's, not a guess.
import { MODULE_KEY, GroveError, apiJson, count, object, pageLanguage } from './common.mjs';
import { countText, parseFormat } from './count_text.mjs';

const BATCH = 100;              // keys per request (the API's limit)
const SYNC_REFRESH_MS = 3000;   // other people's posts: at most one refresh per module this often

export function createCounts(host) {
  const elements = new Map();   // element -> {module, format, original}
  const known = new Map();      // module -> {posts, replies, contributors}
  let queued = new Set();       // modules to fetch in the next batch
  let timer = null;
  const lastFetch = new Map();  // module -> time of the last fetch
  // Posts made in this page's widgets that the counts shown cannot include yet: module ->
  // [{seq, reply, at, sent}]. Shown on top of the server's numbers until an answer to a request
  // made after the widget reported them sent (a sync that ended after the post with nothing
  // pending) covers them.
  const local = new Map();
  let seq = 0;
  let requests = 0;
  const answered = new Map();   // module -> the latest request whose answer is shown

  function mount(el) {
    const module = (el.getAttribute('data-grove-count') || '').trim();
    if (!MODULE_KEY.test(module)) {
      report(el, 'invalid_attribute', 'data-grove-count must be a module key: 1 to 128 letters A-Z and a-z, digits and . _ : - ' +
        `(got "${module}").`);
      return Promise.resolve(false);
    }
    const format = (el.getAttribute('data-grove-count-format') || '').trim();
    if (format) {
      const parsed = parseFormat(format);
      if (parsed.problem) report(el, 'invalid_attribute', parsed.problem);
    }
    const existing = elements.get(el);
    const entry = { module, format, original: existing ? existing.original : el.textContent };
    elements.set(el, entry);
    if (known.has(module) && !existing) render(el, entry);
    return new Promise((resolve) => {
      entry.done = resolve;
      queue([module]);
    });
  }

  function unmount(el) {
    const entry = elements.get(el);
    if (!entry) return false;
    elements.delete(el);
    el.textContent = entry.original;
    el.removeAttribute('data-grove-count-value');
    if (entry.done) entry.done(false);
    return true;
  }

  // Mounts in the same task share one request: the batch is sent from a macrotask.
  function queue(modules) {
    for (const m of modules) queued.add(m);
    if (!timer) timer = setTimeout(flush, 0);
  }

  function flush() {
    timer = null;
    const modules = [...queued];
    queued = new Set();
    for (let i = 0; i < modules.length; i += BATCH) fetchCounts(modules.slice(i, i + BATCH));
  }

  async function fetchCounts(modules) {
    const now = Date.now(), id = ++requests;
    const covered = new Map(modules.map((m) => [m, Math.max(0, ...(local.get(m) || []).filter((p) => p.sent).map((p) => p.seq))]));
    for (const m of modules) lastFetch.set(m, now);
    let body;
    try {
      body = await apiJson(host, '/counts?modules=' + modules.map(encodeURIComponent).join(','));
    } catch (e) {
      const err = e instanceof GroveError ? e : new GroveError('load_failed', String(e && e.message));
      for (const [el, entry] of elements) {
        if (!modules.includes(entry.module)) continue;
        report(el, err.code, 'The count of "' + entry.module + '" could not be read: ' + err.message);
        if (entry.done) { entry.done(false); entry.done = null; }
      }
      return;
    }
    const counts = object(body.counts);
    for (const m of modules) {
      if ((answered.get(m) || 0) > id) continue;   // a later request's answer came first
      answered.set(m, id);
      const c = object(counts[m]);
      known.set(m, { posts: count(c.posts), replies: count(c.replies), contributors: count(c.contributors) });
      const newer = (local.get(m) || []).filter((p) => p.seq > covered.get(m));
      if (newer.length) local.set(m, newer);
      else local.delete(m);
    }
    for (const [el, entry] of elements) {
      if (!modules.includes(entry.module)) continue;
      render(el, entry);
      if (entry.done) { entry.done(true); entry.done = null; }
    }
  }

  // The count is the element's own text: screen readers read it where it is, as text.
  function render(el, entry) {
    const server = known.get(entry.module);
    if (!server) return;
    const mine = local.get(entry.module) || [];
    const replies = mine.filter((p) => p.reply).length;
    const c = { posts: server.posts + mine.length - replies, replies: server.replies + replies, contributors: server.contributors };
    const t = countText(c, pageLanguage(el), entry.format);
    if (el.textContent !== t) el.textContent = t;
    el.setAttribute('data-grove-count-value', String(c.posts));
  }

  function renderModule(module) {
    for (const [el, entry] of elements) if (entry.module === module) render(el, entry);
  }

  function report(el, code, message) {
    console.error('Grove: ' + message + ' (' + describe(el) + ')');
    el.dispatchEvent(new CustomEvent('grove:error', { bubbles: true, detail: { code, message } }));
  }

  function describe(el) {
    return '<' + el.tagName.toLowerCase() + ' data-grove-count="' + el.getAttribute('data-grove-count') + '">';
  }

  const counted = (module) => [...elements.values()].some((e) => e.module === module);

  // A post written in a widget on this page: shown at once (it may still be queued), then
  // checked against the server once the widget has sent it.
  document.addEventListener('grove:post', (e) => {
    const d = object(e.detail), post = object(d.post);
    const module = typeof post.module === 'string' ? post.module : d.module;
    if (typeof module !== 'string' || !counted(module)) return;
    if (!local.has(module)) local.set(module, []);
    local.get(module).push({ seq: ++seq, reply: !!post.parent_id, at: Date.now(), sent: false });
    renderModule(module);
  });

  // After a sync the server may know more (others' posts, or ours sent): fetch again, at once
  // when ours has just been sent, else at most every few seconds.
  document.addEventListener('grove:sync', (e) => {
    const d = object(e.detail);
    const module = d.module;
    if (typeof module !== 'string' || !counted(module) || d.online === false) return;
    const synced = Date.parse(typeof d.last_sync === 'string' ? d.last_sync : '');
    let sent = false;
    for (const p of local.get(module) || []) {
      if (!p.sent && d.pending === 0 && synced > p.at) sent = p.sent = true;
    }
    if (sent || (!local.has(module) && Date.now() - (lastFetch.get(module) || 0) >= SYNC_REFRESH_MS)) queue([module]);
  });

  return { mount, unmount, owns: (el) => elements.has(el) };
}
