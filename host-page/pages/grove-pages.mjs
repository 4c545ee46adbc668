// Entry of grove-pages.js: the page elements that need no wasm. grove.js downloads it only for
// pages that have one of them, and calls window.createGrovePages(host) once:
//   [data-grove-count]     counts.mjs     "12 reflections" on listing pages
//   [data-grove-digest]    digest.mjs     the digest for newsletters
//   [data-grove-insights]  grove-insights.js (loaded on demand: it bundles Chart.js)
// For editors: docs/EMBEDDING.md, "Counts on listing pages".
import { GroveError, showProblem } from './common.mjs';
import { createCounts } from './counts.mjs';
import { createDigests } from './digest.mjs';

window.createGrovePages = function createGrovePages(host) {
  const counts = createCounts(host);
  const digests = createDigests(host);
  let insights = null;

  function loadInsights() {
    if (!insights) {
      insights = host.loadInsights().then((create) => create(host));
      insights.catch(() => { insights = null; });   // a later mount tries again
    }
    return insights;
  }

  // Resolves to true once the element shows its content, false when it shows a problem.
  function mount(el) {
    if (el.hasAttribute('data-grove-count')) return counts.mount(el);
    if (el.hasAttribute('data-grove-digest')) return digests.mount(el);
    if (el.hasAttribute('data-grove-insights')) {
      return loadInsights().then((i) => i.mount(el), (err) => {
        const e = err instanceof GroveError ? err : new GroveError(err && err.code || 'load_failed',
          String(err && err.message || err));
        showProblem(el, e.code, e.message, 'The insights cannot be shown');
        return false;
      });
    }
    return Promise.resolve(false);
  }

  function unmount(el) {
    if (counts.owns(el)) return counts.unmount(el);
    if (digests.owns(el)) return digests.unmount(el);
    // The insights code is loaded by then if the element was ever mounted.
    if (insights) insights.then((i) => i.unmount(el), () => false);
    return !!insights;
  }

  return { mount, unmount };
};
