// The insights element: <div data-grove-insights data-grove-days="30"></div>, for curators,
// leaders and admins (GET /api/v1/stats; others see a message saying so). Totals, a line chart
// of posts, contributors and endorsements per day and a bar chart of commitments kept, for all
// modules or the one picked, each with its numbers in a table; a sortable table of modules; and
// the same numbers as CSV (GET /api/v1/stats.csv, fetched with the token and saved from a blob,
// since a plain link cannot send the Authorization header).
//
// This file is the entry of grove-insights.js, which bundles Chart.js: grove.js downloads it
// only for pages that have an insights element.
import {
  GroveError, apiGet, apiJson, count, formatRange, h, installStyles, list, loading, markEnglish, object, parseDate,
  readDays, readHeadingLevel, showProblem, text, uid,
} from './common.mjs';
import { activityChart, commitmentsChart } from './charts.mjs';

const MAX_DAYS = 365;   // the API's limit
const NUMBER_FIELDS = ['posts', 'replies', 'contributors', 'endorsements', 'commitments', 'commitments_done', 'commitments_partly'];

// ---------------------------------------------------------------------------------------------
// The stats as data
// ---------------------------------------------------------------------------------------------

function readStats(s) {
  s = object(s);
  const out = {};
  for (const f of NUMBER_FIELDS) out[f] = count(s[f]);
  out.perDay = list(s.per_day).map((d) => {
    d = object(d);
    const date = parseDate(d.date);
    return date ? { date, key: text(d.date), posts: count(d.posts), contributors: count(d.contributors), endorsements: count(d.endorsements),
      commitments: count(d.commitments) } : null;
  }).filter(Boolean);
  return out;
}

export function readAllStats(body) {
  const modules = list(body.modules).map((m) => {
    m = object(m);
    if (typeof m.module !== 'string' || !m.module) return null;
    return { module: m.module, title: text(m.module_title).trim() || m.module, ...readStats(m) };
  }).filter(Boolean);
  // Every module together is "all"; a server that puts those numbers at the top level is read too.
  const all = body.all && typeof body.all === 'object' ? body.all : body;
  return { from: parseDate(body.from), to: parseDate(body.to), all: { module: '', title: 'All modules', ...readStats(all) }, modules };
}

const shortDay = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
const longDay = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });
const num = (n) => n.toLocaleString('en');

function activityData(s) {
  return {
    labels: s.perDay.map((d) => shortDay.format(d.date)),
    posts: s.perDay.map((d) => d.posts),
    contributors: s.perDay.map((d) => d.contributors),
    endorsements: s.perDay.map((d) => d.endorsements),
  };
}

function commitmentRows(stats, selected) {
  const rows = selected ? [selected] : stats.modules.filter((m) => m.commitments > 0);
  return rows.map((m) => ({
    title: m.title,
    made: m.commitments,
    kept: m.commitments_done,
    partly: m.commitments_partly,
    open: Math.max(0, m.commitments - m.commitments_done - m.commitments_partly),
  }));
}

function activitySummary(s, range) {
  const busiest = s.perDay.reduce((best, d) => (d.posts > (best ? best.posts : 0) ? d : best), null);
  const posts = s.perDay.reduce((n, d) => n + d.posts, 0);
  const endorsements = s.perDay.reduce((n, d) => n + d.endorsements, 0);
  return `Line chart of posts, contributors and endorsements per day${range ? ', ' + range : ''}, ${s.title.toLowerCase() === 'all modules' ? 'all modules' : s.title}: ` +
    `${num(posts)} posts and ${num(endorsements)} endorsements` +
    (busiest ? `; the busiest day was ${longDay.format(busiest.date)} with ${num(busiest.posts)} posts` : '') +
    '. The numbers are in the table below the chart.';
}

// ---------------------------------------------------------------------------------------------
// The element
// ---------------------------------------------------------------------------------------------

function createInsights(host) {
  const mounted = new Map();   // element -> {original, generation, charts}

  async function mount(el) {
    const entry = mounted.get(el) || { original: [...el.childNodes], generation: 0, charts: [] };
    mounted.set(el, entry);
    destroyCharts(entry);
    const generation = ++entry.generation;
    const current = () => mounted.get(el) === entry && entry.generation === generation;
    installStyles();
    const days = readDays(el, 30, MAX_DAYS);
    const heading = readHeadingLevel(el);
    if (days.problem || heading.problem) {
      showProblem(el, 'invalid_attribute', 'For the page editor: ' + (days.problem || heading.problem));
      return false;
    }
    el.replaceChildren(loading('Loading the insights…'));
    let stats;
    try {
      stats = readAllStats(await apiJson(host, '/stats?days=' + days.days));
    } catch (e) {
      if (!current()) return false;
      const err = e instanceof GroveError ? e : new GroveError('load_failed', String(e && e.message));
      if (err.status === 403) {
        const me = await apiJson(host, '/me').catch(() => null);
        const who = me && typeof me.name === 'string' && typeof me.role === 'string' ? ` You are signed in as ${me.name} (${me.role}).` : '';
        if (!current()) return false;
        showProblem(el, 'forbidden', 'These insights are for curators, leaders and admins.' + who +
          ' Ask your learning team if you need them.', 'Insights are not available to you');
      } else {
        showProblem(el, err.code, err.status === 401 ? 'Sign in to the intranet to see the insights.'
          : 'The insights could not be loaded: ' + err.message, 'The insights cannot be shown');
      }
      return false;
    }
    if (!current()) return false;
    const view = render(el, entry, stats, days.days, heading.level);
    el.replaceChildren(view.root);
    view.drawCharts();
    return true;
  }

  function destroyCharts(entry) {
    for (const c of entry.charts) c.chart.destroy();
    entry.charts = [];
  }

  function unmount(el) {
    const entry = mounted.get(el);
    if (!entry) return false;
    mounted.delete(el);
    destroyCharts(entry);
    el.replaceChildren(...entry.original);
    return true;
  }

  function render(el, entry, stats, days, level) {
    const H = (n, attrs, ...c) => h('h' + Math.min(6, level + n), attrs, ...c);
    const titleId = uid('grove-insights');
    const range = formatRange(stats.from, stats.to);
    const status = h('span', { role: 'status', className: 'grove-insights-status' });
    let selected = null;   // a module's stats, or null for all modules

    // Picker and CSV.
    const pickerId = uid('grove-insights-module');
    const byTitle = [...stats.modules].sort((a, b) => a.title.localeCompare(b.title, 'en') || a.module.localeCompare(b.module));
    const picker = h('select', { id: pickerId },
      h('option', { value: '' }, 'All modules'),
      byTitle.map((m) => h('option', { value: m.module }, m.title === m.module ? m.module : `${m.title} (${m.module})`)));
    const csv = h('button', { type: 'button' }, 'Download CSV');
    csv.addEventListener('click', () => downloadCsv(days, status, csv));

    // Totals of the selection.
    const figures = h('ul', { className: 'grove-figures', 'aria-label': 'Totals' });
    function renderFigures(s) {
      const kept = s.commitments ? ` (${Math.round((100 * s.commitments_done) / s.commitments)}%)` : '';
      figures.replaceChildren(
        ...[[s.posts, 'posts'], [s.replies, 'replies'], [s.contributors, 'contributors'], [s.endorsements, 'endorsements'],
          [s.commitments, 'commitments'], [s.commitments_done, 'kept' + kept]]
          .map(([n, label]) => h('li', {}, h('strong', {}, num(n)), label)));
    }

    // Chart 1: activity per day, with its table.
    const activityCanvas = h('canvas', { role: 'img' });
    const activityCaption = h('figcaption', { id: uid('grove-chart') });
    const activityTable = h('table');
    const activity = h('figure', { className: 'grove-activity', 'aria-labelledby': activityCaption.id },
      activityCaption, h('div', { className: 'grove-chart' }, activityCanvas),
      h('details', {}, h('summary', {}, 'Show the numbers as a table'), h('div', { className: 'grove-table-wrap' }, activityTable)));
    function renderActivity(s) {
      activityCaption.textContent = 'Posts, contributors and endorsements per day: ' + s.title;
      activityCanvas.setAttribute('aria-label', activitySummary(s, range));
      activityTable.replaceChildren(
        h('caption', {}, 'Posts, contributors and endorsements per day: ' + s.title),
        h('thead', {}, h('tr', {}, ['Day', 'Posts', 'Contributors', 'Endorsements'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, s.perDay.map((d) => h('tr', {},
          h('th', { scope: 'row' }, h('time', { dateTime: d.key }, longDay.format(d.date))),
          h('td', {}, num(d.posts)), h('td', {}, num(d.contributors)), h('td', {}, num(d.endorsements))))));
    }

    // Chart 2: commitments kept, with its table.
    const commitCanvas = h('canvas', { role: 'img' });
    const commitBox = h('div', { className: 'grove-chart' }, commitCanvas);
    const commitCaption = h('figcaption', { id: uid('grove-chart') });
    const commitTable = h('table');
    const commitEmpty = h('p', { hidden: true }, 'No commitments were made in these days.');
    const commitDetails = h('details', {}, h('summary', {}, 'Show the numbers as a table'), h('div', { className: 'grove-table-wrap' }, commitTable));
    const commitments = h('figure', { className: 'grove-commitments', 'aria-labelledby': commitCaption.id },
      commitCaption, commitEmpty, commitBox, commitDetails);
    function renderCommitments(rows, s) {
      commitCaption.textContent = 'Commitments kept: ' + s.title;
      const made = rows.reduce((n, r) => n + r.made, 0), kept = rows.reduce((n, r) => n + r.kept, 0);
      const partly = rows.reduce((n, r) => n + r.partly, 0);
      const none = made === 0;
      commitEmpty.hidden = !none;
      commitBox.hidden = none;
      commitDetails.hidden = none;
      commitBox.style.height = Math.max(140, 60 + 36 * rows.length) + 'px';
      commitCanvas.setAttribute('aria-label', `Bar chart of commitments by module, ${s.title}: ${num(made)} made, ${num(kept)} kept, ` +
        `${num(partly)} partly kept. The numbers are in the table below the chart.`);
      commitTable.replaceChildren(
        h('caption', {}, 'Commitments kept: ' + s.title),
        h('thead', {}, h('tr', {}, ['Module', 'Made', 'Kept', 'Partly kept', 'Not yet'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, rows.map((r) => h('tr', {}, h('th', { scope: 'row' }, r.title),
          h('td', {}, num(r.made)), h('td', {}, num(r.kept)), h('td', {}, num(r.partly)), h('td', {}, num(r.open))))));
    }

    // The modules table, sortable by every column (buttons in the headers, aria-sort on the
    // sorted one, the order announced).
    const columns = [
      { key: 'title', label: 'Module' },
      { key: 'posts', label: 'Posts' }, { key: 'replies', label: 'Replies' }, { key: 'contributors', label: 'Contributors' },
      { key: 'endorsements', label: 'Endorsements' }, { key: 'commitments', label: 'Commitments' },
      { key: 'commitments_done', label: 'Kept' },
    ];
    let sort = { key: 'posts', descending: true };
    const modulesTable = h('table', { className: 'grove-modules' });
    const modulesTitleId = uid('grove-insights-modules');
    function renderModules() {
      const rows = [...stats.modules].sort((a, b) => {
        const d = sort.key === 'title' ? a.title.localeCompare(b.title, 'en') : a[sort.key] - b[sort.key];
        return (sort.descending ? -d : d) || a.module.localeCompare(b.module);
      });
      const head = columns.map((c) => {
        const active = c.key === sort.key;
        const button = h('button', { type: 'button' }, c.label, ' ',
          h('span', { className: 'grove-sort', 'aria-hidden': 'true' }, active ? (sort.descending ? '▼' : '▲') : '↕'));
        button.addEventListener('click', () => {
          sort = { key: c.key, descending: active ? !sort.descending : c.key !== 'title' };
          renderModules();
          modulesTable.querySelector(`th[data-key="${c.key}"] button`).focus();
          status.textContent = `Modules sorted by ${c.label.toLowerCase()}, ${sort.descending ? (c.key === 'title' ? 'Z to A' : 'highest first') : (c.key === 'title' ? 'A to Z' : 'lowest first')}.`;
        });
        return h('th', { scope: 'col', 'data-key': c.key, 'aria-sort': active ? (sort.descending ? 'descending' : 'ascending') : null }, button);
      });
      modulesTable.replaceChildren(
        h('caption', {}, 'Every module with posts in these days; the column headers sort the table.'),
        h('thead', {}, h('tr', {}, head)),
        h('tbody', {}, rows.map((m) => h('tr', { 'data-module': m.module },
          h('th', { scope: 'row' }, m.title),
          columns.slice(1).map((c) => h('td', {}, num(m[c.key])))))));
    }

    let activityView = null, commitView = null;
    function select(module) {
      selected = stats.modules.find((m) => m.module === module) || null;
      const s = selected || stats.all;
      renderFigures(s);
      renderActivity(s);
      const rows = commitmentRows(stats, selected);
      renderCommitments(rows, s);
      if (activityView) activityView.update(activityData(s));
      if (commitView) commitView.update({ labels: rows.map((r) => r.title), kept: rows.map((r) => r.kept), partly: rows.map((r) => r.partly), open: rows.map((r) => r.open) });
    }
    picker.addEventListener('change', () => select(picker.value));
    select('');
    renderModules();

    const root = h('section', { className: 'grove-insights', 'aria-labelledby': titleId },
      h('header', {}, H(0, { id: titleId }, 'Learning insights'),
        h('p', { className: 'grove-range' }, `The last ${num(days)} days${range ? ': ' + range : ''}`)),
      h('div', { className: 'grove-controls' }, h('label', { htmlFor: pickerId }, 'Module'), picker, csv, status),
      figures, activity, commitments,
      h('section', { 'aria-labelledby': modulesTitleId }, H(1, { id: modulesTitleId }, 'Modules'),
        stats.modules.length ? h('div', { className: 'grove-table-wrap' }, modulesTable) : h('p', {}, 'No module had posts in these days.')));
    markEnglish(root, el);

    return {
      root,
      drawCharts() {   // once the canvases are in the page (Chart.js sizes them from their box)
        const s = selected || stats.all;
        activityView = activityChart(activityCanvas, activityData(s));
        const rows = commitmentRows(stats, selected);
        commitView = commitmentsChart(commitCanvas, { labels: rows.map((r) => r.title), kept: rows.map((r) => r.kept), partly: rows.map((r) => r.partly), open: rows.map((r) => r.open) });
        entry.charts = [activityView, commitView];
      },
    };
  }

  // The CSV needs the token, so it is fetched here and handed to the browser as a file.
  async function downloadCsv(days, status, button) {
    button.disabled = true;
    status.textContent = 'Preparing the CSV…';
    try {
      const res = await apiGet(host, '/stats.csv?days=' + days);
      if (!res.ok) {
        let body = null;
        try { body = await res.json(); } catch (e) { /* the status says enough */ }
        const e = object(object(body).error);
        throw new GroveError('http_' + res.status, typeof e.message === 'string' ? e.message : 'HTTP ' + res.status);
      }
      const blob = await res.blob();
      const disposition = res.headers.get('Content-Disposition') || '';
      const named = disposition.match(/filename="?([A-Za-z0-9._-]+)"?/);
      const filename = named ? named[1] : 'grove-stats.csv';
      const url = URL.createObjectURL(new Blob([blob], { type: 'text/csv' }));
      const a = h('a', { href: url, download: filename, hidden: true });
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60000);
      status.textContent = `Downloaded ${filename}.`;
    } catch (e) {
      status.textContent = 'The CSV could not be downloaded: ' + (e && e.message ? e.message : e);
    } finally {
      button.disabled = false;
    }
  }

  return { mount, unmount, owns: (el) => mounted.has(el) };
}

window.createGroveInsights = createInsights;
