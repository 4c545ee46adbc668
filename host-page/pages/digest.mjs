// The digest element: <div data-grove-digest data-grove-days="7"></div>, rendered from
// GET /api/v1/digest as plain, accessible HTML (headings, lists, quotes): what leaders learned,
// the most endorsed posts with their module, commitments made and kept, the most active modules.
// "Copy for newsletter" puts the same content on the clipboard as clean HTML (no classes, no
// styles) and as plain text, for an e-mail or a newsletter tool.
import {
  GroveError, apiJson, count, formatDay, formatRange, h, installStyles, list, loading, markEnglish, object, parseDate,
  plural, readDays, readHeadingLevel, readPost, showProblem, text, uid,
} from './common.mjs';

const MAX_DAYS = 31;   // the API's limit

// ---------------------------------------------------------------------------------------------
// The digest as data: what both the page and the newsletter copy show
// ---------------------------------------------------------------------------------------------

export function readDigest(body, days) {
  const titles = new Map();   // module -> title, from any post or module row that has one
  const leader = list(body.leader_learnings).map(readPost).filter(Boolean);
  const top = list(body.top_posts).map(readPost).filter(Boolean).slice(0, 10);
  for (const p of [...leader, ...top]) if (p.moduleTitle) titles.set(p.module, p.moduleTitle);
  const modules = list(body.modules).map((m) => {
    m = object(m);
    if (typeof m.module !== 'string' || !m.module) return null;
    const title = text(m.module_title).trim();
    if (title) titles.set(m.module, title);
    return { module: m.module, posts: count(m.posts), contributors: count(m.contributors) };
  }).filter(Boolean);
  const c = object(body.commitments);
  return {
    days,
    from: parseDate(body.from),
    to: parseDate(body.to),
    leader,
    top,
    commitments: { made: count(c.made), done: count(c.done), partly: count(c.partly) },
    modules,
    title: (module) => titles.get(module) || module,
  };
}

export function digestHeading(d) {
  return d.days === 7 ? 'This week in learning' : `The last ${d.days} days in learning`;
}

function commitmentsLine(c) {
  return `${plural(c.made, 'commitment', 'commitments')} made; ${c.done.toLocaleString('en')} reported kept and ` +
    `${c.partly.toLocaleString('en')} partly kept in these days`;
}

function endorsementsLine(p) {
  return plural(p.endorsements, 'endorsement', 'endorsements') + (p.leaderEndorsed ? ', including a leader or curator' : '');
}

// ---------------------------------------------------------------------------------------------
// The newsletter copy: clean HTML and plain text
// ---------------------------------------------------------------------------------------------

const escapeHtml = (s) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

export function newsletter(d, link, level) {
  const hx = (n) => 'h' + Math.min(6, level + n);
  const moduleHtml = (m) => {
    const href = link(m);
    return href ? `<a href="${escapeHtml(href)}">${escapeHtml(d.title(m))}</a>` : escapeHtml(d.title(m));
  };
  const quote = (s) => escapeHtml(s).replace(/\n/g, '<br>');
  const html = [], txt = [];
  const heading = digestHeading(d), range = formatRange(d.from, d.to);
  html.push(`<${hx(0)}>${escapeHtml(heading)}</${hx(0)}>`);
  txt.push(heading.toUpperCase());
  if (range) { html.push(`<p>${escapeHtml(range)}</p>`); txt.push(range); }

  html.push(`<${hx(1)}>What our leaders learned</${hx(1)}>`);
  txt.push('', 'WHAT OUR LEADERS LEARNED');
  if (d.leader.length) {
    html.push('<ul>' + d.leader.map((p) => `<li><blockquote>${quote(p.body)}</blockquote><p>${escapeHtml(p.author)}, in ${moduleHtml(p.module)}` +
      `${p.created ? ', ' + escapeHtml(formatDay(p.created)) : ''}</p></li>`).join('') + '</ul>');
    for (const p of d.leader) {
      txt.push(`- "${p.body.replace(/\n/g, ' ')}"`, `  ${p.author}, in ${d.title(p.module)}${p.created ? ', ' + formatDay(p.created) : ''}` +
        (link(p.module) ? ` (${link(p.module)})` : ''));
    }
  } else {
    html.push('<p>No leader learnings in these days.</p>');
    txt.push('No leader learnings in these days.');
  }

  html.push(`<${hx(1)}>Most endorsed</${hx(1)}>`);
  txt.push('', 'MOST ENDORSED');
  if (d.top.length) {
    html.push('<ol>' + d.top.map((p) => `<li><blockquote>${quote(p.body)}</blockquote><p>${escapeHtml(p.author)}, in ${moduleHtml(p.module)}: ` +
      `${escapeHtml(endorsementsLine(p))}</p></li>`).join('') + '</ol>');
    d.top.forEach((p, i) => {
      txt.push(`${i + 1}. "${p.body.replace(/\n/g, ' ')}"`, `   ${p.author}, in ${d.title(p.module)}: ${endorsementsLine(p)}`);
    });
  } else {
    html.push('<p>No endorsements in these days.</p>');
    txt.push('No endorsements in these days.');
  }

  html.push(`<${hx(1)}>Commitments</${hx(1)}>`, `<p>${escapeHtml(commitmentsLine(d.commitments))}</p>`);
  txt.push('', 'COMMITMENTS', commitmentsLine(d.commitments));

  html.push(`<${hx(1)}>Most active modules</${hx(1)}>`);
  txt.push('', 'MOST ACTIVE MODULES');
  if (d.modules.length) {
    html.push('<ol>' + d.modules.slice(0, 10).map((m) => `<li>${moduleHtml(m.module)}: ${escapeHtml(plural(m.posts, 'post', 'posts'))} ` +
      `by ${escapeHtml(plural(m.contributors, 'person', 'people'))}</li>`).join('') + '</ol>');
    d.modules.slice(0, 10).forEach((m, i) => {
      txt.push(`${i + 1}. ${d.title(m.module)}: ${plural(m.posts, 'post', 'posts')} by ${plural(m.contributors, 'person', 'people')}` +
        (link(m.module) ? ` (${link(m.module)})` : ''));
    });
  } else {
    html.push('<p>No posts in these days.</p>');
    txt.push('No posts in these days.');
  }
  return { html: html.join('\n'), text: txt.join('\n') + '\n' };
}

// Copies {html, text} with both types: the async clipboard (ClipboardItem) where the browser has
// it, else the copy event, which every browser lets a page fill with both types during a click.
// Resolves to true when copied.
export async function copyBoth({ html, text: plain }, selectable) {
  if (typeof ClipboardItem === 'function' && navigator.clipboard && navigator.clipboard.write) {
    try {
      await navigator.clipboard.write([new ClipboardItem({
        'text/html': new Blob([html], { type: 'text/html' }),
        'text/plain': new Blob([plain], { type: 'text/plain' }),
      })]);
      return true;
    } catch (e) { /* refused (permissions, focus): the copy event below */ }
  }
  const onCopy = (e) => {
    e.clipboardData.setData('text/html', html);
    e.clipboardData.setData('text/plain', plain);
    e.preventDefault();
  };
  // Some browsers fire "copy" only with a selection: select the digest meanwhile, then restore.
  const sel = window.getSelection();
  const saved = sel && sel.rangeCount ? sel.getRangeAt(0) : null;
  let ok = false;
  document.addEventListener('copy', onCopy, true);
  try {
    if (sel && selectable) {
      const r = document.createRange();
      r.selectNodeContents(selectable);
      sel.removeAllRanges();
      sel.addRange(r);
    }
    ok = document.execCommand('copy');
  } catch (e) {
    ok = false;
  } finally {
    document.removeEventListener('copy', onCopy, true);
    if (sel) {
      sel.removeAllRanges();
      if (saved) sel.addRange(saved);
    }
  }
  return ok;
}

// ---------------------------------------------------------------------------------------------
// The element
// ---------------------------------------------------------------------------------------------

// data-grove-link: where a module's name links to, with {module} for its key
// ("/learning/{module}"); only http(s) addresses.
function readLink(el) {
  const raw = (el.getAttribute('data-grove-link') || '').trim();
  if (!raw) return { link: () => null };
  if (!raw.includes('{module}')) return { problem: `data-grove-link must contain {module} where the module's key goes (got "${raw}").` };
  const test = safeUrl(raw.replace('{module}', 'x'));
  if (!test) return { problem: `data-grove-link must be a web address (http or https) like "/learning/{module}" (got "${raw}").` };
  return { link: (m) => safeUrl(raw.split('{module}').join(encodeURIComponent(m))) };
}

function safeUrl(s) {
  try {
    const u = new URL(s, location.href);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch (e) {
    return null;
  }
}

export function createDigests(host) {
  const mounted = new Map();   // element -> {original, generation}

  async function mount(el) {
    const entry = mounted.get(el) || { original: [...el.childNodes], generation: 0 };
    mounted.set(el, entry);
    const generation = ++entry.generation;
    installStyles();
    const days = readDays(el, 7, MAX_DAYS);
    const heading = readHeadingLevel(el);
    const link = readLink(el);
    const problem = days.problem || heading.problem || link.problem;
    if (problem) {
      showProblem(el, 'invalid_attribute', 'For the page editor: ' + problem);
      return false;
    }
    el.replaceChildren(loading('Loading the digest…'));
    let d;
    try {
      d = readDigest(await apiJson(host, '/digest?days=' + days.days), days.days);
    } catch (e) {
      if (mounted.get(el) !== entry || entry.generation !== generation) return false;
      const err = e instanceof GroveError ? e : new GroveError('load_failed', String(e && e.message));
      showProblem(el, err.code, err.status === 401
        ? 'Sign in to the intranet to see what colleagues learned.'
        : 'The digest could not be loaded: ' + err.message, 'The digest cannot be shown');
      return false;
    }
    if (mounted.get(el) !== entry || entry.generation !== generation) return false;
    el.replaceChildren(render(el, d, link.link, heading.level));
    return true;
  }

  function unmount(el) {
    const entry = mounted.get(el);
    if (!entry) return false;
    mounted.delete(el);
    el.replaceChildren(...entry.original);
    return true;
  }

  return { mount, unmount, owns: (el) => mounted.has(el) };
}

function render(el, d, link, level) {
  const H = (n, attrs, ...c) => h('h' + Math.min(6, level + n), attrs, ...c);
  const titleId = uid('grove-digest');
  const moduleName = (m) => {
    const href = link(m);
    return href ? h('a', { href }, d.title(m)) : d.title(m);
  };
  const postItem = (p, meta, leader) => h('li', { className: leader ? 'grove-leader' : null },
    h('blockquote', {}, p.body),
    h('p', { className: 'grove-meta' }, meta));

  const part = (title, ...content) => {
    const id = uid('grove-digest-part');
    return h('section', { 'aria-labelledby': id }, H(1, { id }, title), ...content);
  };

  const leader = part('What our leaders learned', d.leader.length
    ? h('ul', { className: 'grove-digest-posts' }, d.leader.map((p) => postItem(p,
      [h('strong', {}, p.author), ', in ', moduleName(p.module), p.created ? [' · ', h('time', { dateTime: p.created.toISOString() }, formatDay(p.created))] : null],
      true)))
    : h('p', {}, 'No leader learnings in these days.'));

  const top = part('Most endorsed', d.top.length
    ? h('ol', { className: 'grove-digest-posts' }, d.top.map((p) => postItem(p,
      [h('strong', {}, p.author), ', in ', moduleName(p.module), ' · ', endorsementsLine(p)], false)))
    : h('p', {}, 'No endorsements in these days.'));

  const c = d.commitments;
  const commitments = part('Commitments', h('ul', { className: 'grove-figures' },
    h('li', {}, h('strong', {}, c.made.toLocaleString('en')), c.made === 1 ? 'commitment made' : 'commitments made'),
    h('li', {}, h('strong', {}, c.done.toLocaleString('en')), 'kept'),
    h('li', {}, h('strong', {}, c.partly.toLocaleString('en')), 'partly kept')),
    h('p', { className: 'grove-meta' }, 'Kept and partly kept count the check-ins answered in these days, also for commitments made before.'));

  const modules = part('Most active modules', d.modules.length
    ? h('ol', {}, d.modules.slice(0, 10).map((m) => h('li', {}, moduleName(m.module), ': ',
      plural(m.posts, 'post', 'posts'), ' by ', plural(m.contributors, 'person', 'people'))))
    : h('p', {}, 'No posts in these days.'));

  const status = h('span', { role: 'status', className: 'grove-copy-status' });
  const body = h('div', { className: 'grove-digest-body' }, leader, top, commitments, modules);
  const button = h('button', { type: 'button', className: 'grove-copy' }, 'Copy for newsletter');
  button.addEventListener('click', async () => {
    status.textContent = '';
    const ok = await copyBoth(newsletter(d, link, level), body);
    status.textContent = ok ? 'Copied. Paste it into your newsletter or e-mail.'
      : 'Your browser did not allow copying: select the digest and press Ctrl+C (⌘C on a Mac).';
  });

  const range = formatRange(d.from, d.to);
  const root = h('section', { className: 'grove-digest', 'aria-labelledby': titleId },
    h('header', {}, H(0, { id: titleId }, digestHeading(d)), range ? h('p', { className: 'grove-range' }, range) : null),
    body,
    h('div', { className: 'grove-actions' }, button, status));
  markEnglish(root, el);
  return root;
}
