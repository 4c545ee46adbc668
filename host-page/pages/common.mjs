// What the page elements (counts, digest, insights) share: calls to the API with the loader's
// token, checks of the API's answers, the page's language, DOM building, the stylesheet, and the
// message an element shows when it cannot work. Bundled into grove-pages.js and grove-insights.js
// by scripts/bundle_pages.mjs; `host` is what grove.js hands them (see grove.js, "Page elements").
import { PAGES_CSS } from './styles.mjs';

export const MODULE_KEY = /^[A-Za-z0-9._:-]{1,128}$/;

// An error with a code for grove:error and a sentence for a person.
export class GroveError extends Error {
  constructor(code, message, extra = {}) {
    super(message);
    this.code = code;
    Object.assign(this, extra);
  }
}

// ---------------------------------------------------------------------------------------------
// API
// ---------------------------------------------------------------------------------------------

async function token(host, forceRefresh) {
  try {
    return (await host.getToken(forceRefresh)) || '';
  } catch (e) {
    return '';   // askToken reported it; the API then answers 401, which is what the person sees
  }
}

// GET `path` (below /api/v1) with the person's token; asks for a new token once after a 401.
// Resolves to the Response whatever its status; rejects with a GroveError when nothing answered.
export async function apiGet(host, path) {
  const base = host.apiBase();
  if (base.error) throw new GroveError('invalid_config', 'For the page editor: ' + base.error);
  const url = base.api + path;
  const call = async (t) => {
    try {
      return await fetch(url, { headers: t ? { Authorization: 'Bearer ' + t } : {}, cache: 'no-store' });
    } catch (e) {
      throw new GroveError('offline', 'The Grove server at ' + new URL(url).origin + ' did not answer. Check the connection and reload the page.');
    }
  };
  let res = await call(await token(host, false));
  if (res.status === 401) res = await call(await token(host, true));
  return res;
}

// The JSON body of a 2xx answer, else a GroveError carrying the status and the server's error.
export async function apiJson(host, path) {
  const res = await apiGet(host, path);
  let body = null;
  try { body = await res.json(); } catch (e) { /* reported below */ }
  if (!res.ok) throw apiError(res.status, body);
  if (!body || typeof body !== 'object') throw new GroveError('bad_answer', 'The Grove server sent an answer that could not be read (' + path + ').');
  return body;
}

export function apiError(status, body) {
  const e = body && typeof body === 'object' && body.error && typeof body.error === 'object' ? body.error : {};
  const message = typeof e.message === 'string' && e.message ? e.message : 'The Grove server answered HTTP ' + status + '.';
  return new GroveError(typeof e.code === 'string' ? e.code : 'http_' + status, message, { status });
}

// Checked reads of the API's answers: wrong types become safe defaults, never page content.
export const count = (v) => (Number.isSafeInteger(v) && v >= 0 ? v : 0);
export const text = (v) => (typeof v === 'string' ? v : '');
export const list = (v) => (Array.isArray(v) ? v : []);
export const object = (v) => (v && typeof v === 'object' && !Array.isArray(v) ? v : {});

// A post as the elements show it, or null when it must not or cannot be shown.
export function readPost(p) {
  if (!p || typeof p !== 'object' || p.hidden === true || p.deleted === true) return null;
  const body = text(p.body).trim();
  if (!body || !MODULE_KEY.test(text(p.module))) return null;
  const author = object(p.author);
  const created = new Date(text(p.created_at));
  return {
    id: text(p.id),
    module: p.module,
    moduleTitle: text(p.module_title).trim(),
    kind: text(p.kind),
    body,
    author: text(author.name).trim() || 'Someone',
    authorRole: text(author.role),
    created: isNaN(created) ? null : created,
    endorsements: count(p.endorsements),
    leaderEndorsed: p.leader_endorsed === true,
  };
}

// ---------------------------------------------------------------------------------------------
// The page
// ---------------------------------------------------------------------------------------------

// The language of the text around `el` (its nearest lang attribute), as a lower-case primary
// subtag ("de" for "de-CH"), or "" when the page does not say.
export function pageLanguage(el) {
  const holder = el.closest('[lang]');
  const tag = holder ? holder.getAttribute('lang').trim() : '';
  return /^[A-Za-z]{2,3}(-|$)/.test(tag) ? tag.split('-')[0].toLowerCase() : '';
}

// `data-grove-days`: a whole number of days in [1, max], else a problem for the editor.
export function readDays(el, fallback, max) {
  const raw = (el.getAttribute('data-grove-days') || '').trim();
  if (!raw) return { days: fallback };
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > max) {
    return { problem: `data-grove-days must be a whole number of days from 1 to ${max} (got "${raw}").` };
  }
  return { days: Number(raw) };
}

// `data-grove-heading`: the level of the element's own heading (its parts use the next one).
export function readHeadingLevel(el) {
  const raw = (el.getAttribute('data-grove-heading') || '').trim();
  if (!raw) return { level: 2 };
  if (!/^[1-5]$/.test(raw)) return { problem: `data-grove-heading must be a heading level from 1 to 5 (got "${raw}").` };
  return { level: Number(raw) };
}

let nextId = 1;
export const uid = (prefix) => `${prefix}-${nextId++}`;

// h('p', {className: 'x', 'aria-live': 'polite'}, 'text', child, ...): attributes are set as
// properties when the element has one (className, type, onclick), else as attributes; strings
// become text nodes, so nothing from the API is ever parsed as HTML.
export function h(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k in node && !k.includes('-')) node[k] = v;
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : String(c));
  }
  return node;
}

// The elements' stylesheet, once per page, as a constructed sheet: CSSOM, so a page's
// Content-Security-Policy needs no 'unsafe-inline' in style-src. Its selectors use :where(), so
// any rule of the page (even a bare `table`) wins over them.
let styled = false;
export function installStyles() {
  if (styled) return;
  styled = true;
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(PAGES_CSS);
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  } catch (e) {   // older browsers: a <style> element (a strict style-src then blocks it: plain look)
    document.head.appendChild(h('style', {}, PAGES_CSS));
  }
}

// Replaces the element's content with a message (role=alert for problems) and tells the page.
export function showProblem(el, code, message, title) {
  el.replaceChildren(h('div', { className: 'grove-page-message', role: 'alert', 'data-grove-error': code },
    h('strong', {}, title || 'This part of the page cannot be shown'), ' ', h('span', {}, message)));
  el.dispatchEvent(new CustomEvent('grove:error', { bubbles: true, detail: { code, message } }));
}

export function loading(textContent) {
  return h('p', { className: 'grove-page-loading', role: 'status' }, textContent);
}

// Dates as people read them: "Mon 30 Nov", and ranges "26 Nov – 3 Dec 2026" (UTC, as the API).
const dayFormat = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });
const dateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
export const formatDay = (d) => dayFormat.format(d);
export function formatRange(from, to) {
  if (!(from instanceof Date) || isNaN(from) || !(to instanceof Date) || isNaN(to)) return '';
  return dateFormat.formatRange ? dateFormat.formatRange(from, to) : dateFormat.format(from) + ' – ' + dateFormat.format(to);
}
export function parseDate(s) {
  const d = new Date(text(s).length === 10 ? text(s) + 'T00:00:00Z' : text(s));
  return isNaN(d) ? null : d;
}

export const plural = (n, one, many) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

// The elements' text is English: mark it so when the page is in another language, so that
// screen readers pronounce it as English.
export function markEnglish(root, el) {
  const lang = pageLanguage(el);
  if (lang && lang !== 'en') root.setAttribute('lang', 'en');
}
