/* Grove loader: mounts the Grove discussion widget into every element with data-grove-module,
 * and hands the page elements that need no wasm (data-grove-count, data-grove-digest,
 * data-grove-insights) to grove-pages.js, downloaded only where a page has one.
 * For editors and admins: docs/EMBEDDING.md (the snippet, attributes, events, keyboard, offline).
 *
 * [SECTION] Assets      one download and one compile of the wasm for the whole page
 * [SECTION] Cache       the widget's IndexedDB cache, read while the wasm downloads
 * [SECTION] Token       GroveConfig.getToken, shared by every widget, asked again after a 401
 * [SECTION] Checks      GroveConfig, the mount element's attributes, WebGL 2, forced colours
 * [SECTION] Messages    what a person sees inside the element when Grove cannot start
 * [SECTION] Page elements  counts, digest and insights: their code loaded only where they are
 * [SECTION] Live        one event stream per page: widgets pull when their module changes
 * [SECTION] Mounting    Grove.mount / Grove.unmount, and the automatic mount on load
 *
 * It never blocks the page: load it with `defer`; everything heavy is fetched asynchronously. */
(function () {
  'use strict';
  if (window.Grove && window.Grove.version) return;   // loaded twice: the first copy stays in charge

  var VERSION = '0.1.0';
  // The build (scripts/package_widget.mjs) replaces the null below with the content-hashed file
  // names it produced, which browsers may cache for a year; the plain names are the fallback.
  var HASHED_ASSETS = /*@GROVE_ASSETS@*/null;
  // `deferred`: the functions the first view does not run (the wasm split by the build, see
  // "Deferred module" below); absent when the build does not split it.
  var PLAIN_ASSETS = { core: 'grove-core.js', wasm: 'grove-core.wasm', deferred: 'grove-core-deferred.wasm' };
  // The same for the page elements' code (host-page/pages/), which widgets never download.
  var HASHED_PAGE_ASSETS = /*@GROVE_PAGE_ASSETS@*/null;
  var PLAIN_PAGE_ASSETS = { pages: 'grove-pages.js', insights: 'grove-insights.js' };
  var DOCS = 'docs/EMBEDDING.md';

  var script = document.currentScript || findLoaderScript();
  var base = new URL('.', script && script.src ? script.src : location.href);   // .../widget/

  function findLoaderScript() {   // loaded as a module or from a bundle: find the tag by name
    var tags = document.querySelectorAll('script[src]');
    for (var i = tags.length - 1; i >= 0; i--) if (/\/grove\.js(\?|#|$)/.test(tags[i].src)) return tags[i];
    return null;
  }

  // ---------------------------------------------------------------------------------------------
  // [SECTION] Assets
  // ---------------------------------------------------------------------------------------------
  // Startup marks (performance.mark, "grove:..."): ./grove bench reads them for its breakdown of
  // the time to grove:ready (docs/BENCHMARKS.md). Only the first of each name counts there.
  function mark(name) {
    try { if (window.performance && performance.mark) performance.mark('grove:' + name); } catch (e) { /* no User Timing */ }
  }
  mark('loader');

  var corePromise = null;
  var cspViolations = [];   // seen while loading: they explain a failure better than the failure
  document.addEventListener('securitypolicyviolation', function (e) {
    var blocked = String(e.blockedURI || '');
    if (blocked === 'wasm-eval' || blocked === 'eval' || blocked.indexOf(base.origin) === 0) {
      cspViolations.push({ directive: e.effectiveDirective || e.violatedDirective, blocked: blocked });
    }
  });

  function loadError(message, extra) {
    var err = new Error(message);
    for (var k in extra) err[k] = extra[k];
    return err;
  }

  function fetchAsset(name) {
    var url = new URL(name, base).href;
    return fetch(url).then(function (res) {
      if (!res.ok) throw loadError('The discussion could not be loaded: ' + url + ' answered HTTP ' + res.status + '.', { status: res.status });
      return res;
    }, function () {
      throw loadError('The discussion could not be loaded: the Grove server at ' + base.origin +
        ' did not answer. Check the connection and reload the page.', { network: true });
    });
  }

  function compileWasm(name, marks) {
    return fetchAsset(name).then(function (res) {
      if (marks) mark('wasm-response');
      var type = res.headers.get('Content-Type') || '';
      if (WebAssembly.compileStreaming && type.indexOf('application/wasm') === 0) return WebAssembly.compileStreaming(res);
      // Still one download, but compiled only once it has all arrived.
      console.warn('Grove: ' + res.url + ' is served as "' + type + '"; serve .wasm files as application/wasm for a faster start.');
      return res.arrayBuffer().then(function (bytes) { return WebAssembly.compile(bytes); });
    }).then(function (wasmModule) {
      if (marks) mark('wasm-compiled');
      return wasmModule;
    });
  }

  // Deferred module: the build splits the wasm (scripts/split_wasm.py) into the functions a
  // learner's first view runs and the rest (curator and leader panels, forms, rare paths), which
  // the first view does not wait for. Its download starts once the first module has arrived, and
  // it is instantiated as soon as both are ready: it writes its functions into the first
  // module's table, in place of placeholders. A placeholder called before then (Emscripten's
  // split glue calls Module.loadSplitModule) loads it on the spot: from the compiled module if
  // it is there, else by a synchronous request (a second download when the first is still on its
  // way; the profile behind widget/split_keep.txt keeps that rare). If even that fails, the core
  // cannot go on: the widgets say so, and nothing written is lost.
  function deferredLoader(name, primaryExports, compiled) {
    var state = { module: null, done: false };
    function instantiate(wasmModule) {
      if (state.done) return;
      new WebAssembly.Instance(wasmModule, { primary: primaryExports });
      state.done = true;
      mark('deferred-ready');
    }
    compiled.then(function (wasmModule) {
      state.module = wasmModule;
      instantiate(wasmModule);
    }).catch(function (err) {
      console.warn('Grove: the rest of the widget was not loaded yet (' + (err && err.message || err) + '); it is loaded when it is needed.');
    });
    return function loadNow() {
      if (state.done) return;
      try {
        if (!state.module) state.module = fetchWasmSync(name);
        instantiate(state.module);
      } catch (err) {
        onCoreAbort('the deferred module could not be loaded: ' + (err && err.message || err),
          'This part of the discussion could not be downloaded. Check the connection and reload the page; ' +
          'anything you wrote is kept in this browser.');
        throw err;
      }
    };
  }

  function fetchWasmSync(name) {
    var url = new URL(name, base).href;
    var xhr = new XMLHttpRequest();
    xhr.open('GET', url, false);
    xhr.overrideMimeType('text/plain; charset=x-user-defined');   // bytes as they are
    xhr.send(null);
    if (xhr.status !== 200) throw loadError(url + ' answered HTTP ' + xhr.status, { status: xhr.status });
    var text = xhr.responseText, bytes = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
    return new WebAssembly.Module(bytes);
  }

  // Loads one of Grove's scripts; resolves to the factory it defines as window[factory].
  function loadScript(name, factory) {
    return new Promise(function (resolve, reject) {
      var url = new URL(name, base).href;
      var s = document.createElement('script');
      s.src = url;
      s.async = true;
      s.crossOrigin = 'anonymous';   // real error messages from a cross-origin glue
      s.onload = function () {
        if (typeof window[factory] === 'function') resolve(window[factory]);
        else reject(loadError('The discussion could not be loaded: ' + url + ' is not Grove\'s ' + name.replace(/\.[0-9a-f]{12}\./, '.') + '.', {}));
      };
      s.onerror = function () {
        reject(loadError('The discussion could not be loaded: ' + url + ' did not load.', { status: 404 }));
      };
      document.head.appendChild(s);
    });
  }

  // The widget draws text with the reader's own fonts through Canvas 2D, which needs canvas text
  // it can read back. Anti-fingerprinting modes (Firefox's resistFingerprinting, Brave's and Tor's
  // canvas protections) blank or randomize what is read back: there each discussion shows as its
  // HTML view, whose text the browser draws itself. Checked once per page by drawing a known
  // rectangle and a letter and reading them back twice.
  var canvasText = null;
  function canvasTextReadable() {
    if (canvasText !== null) return canvasText;
    canvasText = false;
    mark('text-probe-start');
    try {
      var c = typeof OffscreenCanvas === 'function' ? new OffscreenCanvas(40, 24) : document.createElement('canvas');
      c.width = 40;
      c.height = 24;
      var g = c.getContext('2d', { willReadFrequently: true });
      if (!g || typeof g.fillText !== 'function') return canvasText;
      g.fillStyle = 'rgb(10,20,30)';
      g.fillRect(0, 0, 12, 24);
      g.fillStyle = '#fff';
      g.font = '20px sans-serif';
      g.textBaseline = 'top';
      g.fillText('H', 16, 2);
      var a = g.getImageData(0, 0, 40, 24).data, b = g.getImageData(0, 0, 40, 24).data;
      var rect = true, ink = 0, same = true;
      for (var i = 0; i < a.length; i += 4) {
        if (a[i] !== b[i] || a[i + 1] !== b[i + 1] || a[i + 2] !== b[i + 2] || a[i + 3] !== b[i + 3]) same = false;
        var x = (i / 4) % 40;
        if (x < 12 && (a[i] !== 10 || a[i + 1] !== 20 || a[i + 2] !== 30 || a[i + 3] !== 255)) rect = false;
        if (x >= 14 && a[i + 3] > 128) ink++;
      }
      canvasText = same && rect && ink > 20 && ink < 300;   // an H: some ink, far from all of it
    } catch (e) { /* no canvas, or reading it back is refused */ }
    mark('text-probe');
    return canvasText;
  }

  // The glue and the wasm are fetched in parallel; the wasm compiles while it downloads.
  function loadAssets(names) {
    var glue = loadScript(names.core, 'createGroveCore').then(function (factory) { mark('glue'); return factory; });
    var primary = compileWasm(names.wasm, true);
    var deferred = names.deferred ? primary.then(function () { mark('deferred-start'); return compileWasm(names.deferred, false); }) : null;
    if (deferred) deferred.catch(function () { /* reported once the core is up; loaded again when needed */ });
    return Promise.all([glue, primary]).then(function (parts) {
      var factory = parts[0], wasmModule = parts[1];
      var loadDeferred = null;
      return new Promise(function (resolve, reject) {
        factory({
          locateFile: function (path) { return new URL(path, base).href; },
          instantiateWasm: function (imports, receive) {
            mark('instantiate-start');
            WebAssembly.instantiate(wasmModule, imports).then(function (instance) {
              mark('instantiated');
              if (deferred) loadDeferred = deferredLoader(names.deferred, instance.exports, deferred);
              receive(instance, wasmModule);
            }, reject);
            return {};
          },
          loadSplitModule: function () {
            if (!loadDeferred) throw new Error('Grove: a deferred function was called, but this build names no deferred module');
            loadDeferred();
          },
          onAbort: onCoreAbort,
          groveCache: cachePrefetch,
        }).then(function (core) {
          mark('core-ready');
          resolve(core);
        }, reject);
      });
    });
  }

  function loadCore() {
    if (corePromise) return corePromise;
    corePromise = loadAssets(HASHED_ASSETS || PLAIN_ASSETS).catch(function (err) {
      // A loader cached from the previous release may name hashed files that are gone.
      if (HASHED_ASSETS && err && err.status === 404) {
        return loadAssets(HASHED_ASSETS.deferred ? PLAIN_ASSETS : { core: PLAIN_ASSETS.core, wasm: PLAIN_ASSETS.wasm });
      }
      throw err;
    }).catch(function (err) {
      corePromise = null;   // a later Grove.mount tries again
      return explainLoadFailure(err).then(function (e) { throw e; });
    });
    return corePromise;
  }

  // Violation events arrive a moment after the failure they cause.
  function explainLoadFailure(err) {
    return new Promise(function (resolve) { setTimeout(resolve, 60); }).then(function () {
      var text = String(err && (err.message || err));
      var csp = cspViolations[0];
      if (csp || /Content Security Policy|unsafe-eval/i.test(text)) {
        var directive = csp ? csp.directive : 'script-src';
        var fix = directive.indexOf('script') === 0 && (!csp || /eval/.test(csp.blocked))
          ? "add 'wasm-unsafe-eval' to script-src"
          : 'allow ' + base.origin + ' in ' + directive;
        return loadError('The discussion cannot start because this page\'s Content-Security-Policy blocks it (' +
          directive + '). For the intranet admin: ' + fix + ' (see ' + DOCS + ', "Content-Security-Policy").',
          { code: 'blocked_by_csp' });
      }
      if (err instanceof Error && !(err instanceof WebAssembly.CompileError || err instanceof WebAssembly.LinkError)) {
        err.code = err.code || 'load_failed';
        return err;
      }
      return loadError('The discussion could not be started (' + text + '). Reload the page; if it keeps happening, ' +
        'tell the intranet team.', { code: 'load_failed' });
    });
  }

  // The wasm trapped: every widget on the page is gone with it; say so instead of freezing.
  function onCoreAbort(what, message) {
    console.error('Grove stopped: ' + what);
    mounted.forEach(function (entry, el) {
      if (!entry.handle) return;
      entry.handle = null;   // nothing to detach from any more
      livePlan();
      showMessage(entry, 'crashed', message || 'The discussion stopped because of an unexpected error. Reload the page to continue; ' +
        'anything you wrote is kept in this browser.');
    });
  }

  // ---------------------------------------------------------------------------------------------
  // [SECTION] Cache
  // ---------------------------------------------------------------------------------------------
  // The widget keeps each module's posts, queued writes and draft in IndexedDB (layout: see
  // widget/platform/web/library_grove_sync.js). With 10,000 cached posts reading them takes a few
  // hundred ms, mostly waiting for the browser's storage: started here, as soon as an element is
  // mounted, that wait overlaps the download and compile of the wasm instead of following it.
  // The core takes the open database and each module's first read (Module.groveCache), checks
  // every record itself, and reads again whenever a prefetch did not work out.
  var cachePrefetch = { dbs: {}, reads: {} };

  function prefetchCache(api, module) {
    if (typeof indexedDB === 'undefined' || !indexedDB || typeof IDBKeyRange === 'undefined') return;
    var name = 'grove-cache:' + api;
    var db = cachePrefetch.dbs[name] || (cachePrefetch.dbs[name] = openCache(name));
    mark('cache-read-start');
    cachePrefetch.reads[name + '\n' + module] = db.then(function (d) { return d ? readCachedModule(d, module) : null; })
      .then(function (read) { mark('cache-read'); return read; });
  }

  // Resolves to the open database, or null (the core then opens it itself and reports problems).
  function openCache(name) {
    return new Promise(function (resolve) {
      var settled = false, req;
      function done(db) { if (!settled) { settled = true; resolve(db); } else if (db) db.close(); }
      try { req = indexedDB.open(name, 1); } catch (e) { done(null); return; }
      req.onupgradeneeded = function (e) {   // the same first version the core creates
        if (e.oldVersion >= 1) return;
        ['posts', 'outbox', 'meta'].forEach(function (store) {
          if (!req.result.objectStoreNames.contains(store)) req.result.createObjectStore(store);
        });
      };
      req.onsuccess = function () {
        var db = req.result, stores = db.objectStoreNames;
        if (!(stores.contains('posts') && stores.contains('outbox') && stores.contains('meta'))) { db.close(); done(null); return; }
        // Another tab upgrading: let it (the core reopens when it takes over a closed handle).
        db.onversionchange = function () { db.groveClosed = true; db.close(); };
        done(db);
      };
      req.onerror = function (e) { if (e && e.preventDefault) e.preventDefault(); done(null); };   // e.g. a newer version
      req.onblocked = function () { done(null); };
    });
  }

  // What the core reads at startup: the module's queued writes and meta records (the packed copy
  // of the posts among them), and the few posts changed since that copy was packed (the "dirty"
  // ids of the sync record) as out.dirty = {ids, values}. Null when the read failed.
  function readCachedModule(db, module) {
    return new Promise(function (resolve) {
      var out = {}, waiting = 4, tx;
      // A read-only transaction's results are final when they arrive: not waiting for its
      // complete event saves a round trip to the browser's storage process.
      function got(field) { return function (e) { out[field] = e.target.result; if (--waiting === 0) resolve(out); }; }
      try {
        tx = db.transaction(['outbox', 'meta', 'posts'], 'readonly');
        var range = IDBKeyRange.bound([module], [module, []]);
        tx.objectStore('outbox').getAllKeys(range).onsuccess = got('outboxKeys');
        tx.objectStore('outbox').getAll(range).onsuccess = got('outbox');
        tx.objectStore('meta').getAllKeys(range).onsuccess = got('metaKeys');
        tx.objectStore('meta').getAll(range).onsuccess = got('meta');
        waiting++;
        tx.objectStore('meta').get([module, 'sync']).onsuccess = function (e) { readDirty(e.target.result); };
        tx.onerror = function (e) { if (e && e.preventDefault) e.preventDefault(); };
        tx.onabort = function () { if (waiting > 0) { waiting = -1; resolve(null); } };
      } catch (e) { resolve(null); }

      function readDirty(sync) {
        var ids = [];
        try { ids = JSON.parse(sync).dirty; } catch (e) { /* the core reports a damaged record */ }
        if (!Array.isArray(ids) || ids.length > 256 || !ids.every(function (id) { return typeof id === 'string'; })) ids = [];
        var values = [], left = ids.length;
        out.dirty = { ids: ids, values: values };
        if (!left) { if (--waiting === 0) resolve(out); return; }
        var posts = tx.objectStore('posts');
        ids.forEach(function (id) {
          posts.get([module, id]).onsuccess = function (e) {
            if (e.target.result !== undefined) values.push(e.target.result);
            if (--left === 0 && --waiting === 0) resolve(out);
          };
        });
      }
    });
  }

  // ---------------------------------------------------------------------------------------------
  // [SECTION] Token
  // ---------------------------------------------------------------------------------------------
  // One token for every widget on the page. forceRefresh (after a 401) asks GroveConfig.getToken
  // again, passing it `true` so that an intranet caching its tokens fetches a new one; widgets that
  // hit the same 401 together share that one new request.
  var TOKEN_TIMEOUT_MS = 20000;
  var token = null;              // Promise<string> of the current token
  var refreshedAt = 0;           // when the last forced refresh settled successfully
  var refreshing = null;         // the forced refresh in flight
  var warnedNoToken = false;

  function askToken(forceRefresh) {
    var source = config().getToken;
    if (typeof source === 'string') return Promise.resolve(source);
    if (typeof source !== 'function') {
      if (!warnedNoToken) {
        warnedNoToken = true;
        console.warn('Grove: window.GroveConfig.getToken is not set, so the discussion cannot sign the person in. See ' + DOCS + '.');
      }
      return Promise.resolve('');
    }
    var call;
    try { call = Promise.resolve(source(forceRefresh === true)); } catch (e) { call = Promise.reject(e); }
    var timeout = new Promise(function (resolve, reject) {
      setTimeout(function () { reject(new Error('GroveConfig.getToken did not answer within ' + TOKEN_TIMEOUT_MS / 1000 + ' s')); }, TOKEN_TIMEOUT_MS);
    });
    return Promise.race([call, timeout]).then(normalizeToken).catch(function (e) {
      console.error('Grove: GroveConfig.getToken failed: ' + (e && e.message ? e.message : e));
      throw e;
    });
  }

  function normalizeToken(value) {
    if (typeof Response !== 'undefined' && value instanceof Response) {
      throw new Error('GroveConfig.getToken returned a fetch Response; return its text, e.g. fetch(url).then(r => r.text())');
    }
    if (value && typeof value === 'object' && typeof value.token === 'string') value = value.token;
    if (typeof value !== 'string') throw new Error('GroveConfig.getToken must return a string (or a Promise of one), got ' + typeof value);
    return value.trim().replace(/^Bearer\s+/i, '');
  }

  function getToken(forceRefresh) {
    if (forceRefresh) {
      if (refreshing) return refreshing;
      if (token && Date.now() - refreshedAt < 2000) return token;   // another widget just refreshed it
      var p = askToken(true);
      refreshing = p;
      token = p;
      p.then(function (t) {
        refreshedAt = Date.now();
        if (!t && token === p) token = null;   // nobody signed in: asked again next time
      }, function () { token = null; })
        .then(function () { refreshing = null; });
      return p;
    }
    if (!token) {
      var asked = askToken(false);
      token = asked;
      // A failed attempt, or an empty answer (nobody signed in), is asked again next time.
      asked.then(function (t) { if (!t && token === asked) token = null; }, function () { if (token === asked) token = null; });
    }
    return token;
  }

  // ---------------------------------------------------------------------------------------------
  // [SECTION] Checks
  // ---------------------------------------------------------------------------------------------
  var ATTRIBUTES = ['data-grove-module', 'data-grove-prompt', 'data-grove-height', 'data-grove-theme', 'data-grove-accent',
    'data-grove-title'];
  var MODULE_KEY = /^[A-Za-z0-9._:-]{1,128}$/;
  var HEX_COLOUR = /^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;
  var PROMPT_MAX = 300;
  var TITLE_MAX = 120;

  function config() {
    var c = window.GroveConfig;
    return c && typeof c === 'object' ? c : {};
  }

  // The API base: GroveConfig.api, else the API next to the widget folder (<origin>/api/v1 when
  // grove.js is /widget/grove.js on the Grove server). Returns {api} or {error}.
  var warnedFileOrigin = false;
  function apiBase() {
    var api = config().api;
    // A page opened from a file has the origin "null", which no server can allow (CORS): the
    // discussion would only ever say "offline". Say why in the console, once.
    if (location.protocol === 'file:' && !warnedFileOrigin) {
      warnedFileOrigin = true;
      console.warn('Grove: this page was opened from a file (file://), so browsers let it call no API and the discussion ' +
        'stays offline. Open it from a web server whose origin grove-server allows (--allow-origin). See ' + DOCS + '.');
    }
    if (api === undefined || api === null || api === '') return { api: new URL('../api/v1', base).href.replace(/\/+$/, '') };
    var url = null;
    try { url = new URL(String(api), location.href); } catch (e) { /* reported below */ }
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
      return { error: 'GroveConfig.api must be the web address of the Grove API, like "https://intranet.example/grove/api/v1" ' +
        '(got "' + String(api) + '").' };
    }
    if (location.protocol === 'https:' && url.protocol === 'http:' && !/^(localhost|127\.0\.0\.1|\[::1\])$/.test(url.hostname)) {
      return { error: 'GroveConfig.api is "' + url.href + '", an http:// address on an https:// page, which browsers block. Use https://.' };
    }
    return { api: url.href.replace(/\/+$/, '') };
  }

  function codePoints(s) { return Array.from(s).length; }

  function editDistance(a, b) {
    var prev = [], cur, i, j;
    for (j = 0; j <= b.length; j++) prev[j] = j;
    for (i = 1; i <= a.length; i++) {
      cur = [i];
      for (j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
    return prev[b.length];
  }

  // A misspelt attribute silently falls back to its default: say so in the console.
  function warnUnknownAttributes(el) {
    for (var i = 0; i < el.attributes.length; i++) {
      var name = el.attributes[i].name;
      if (name.indexOf('data-grove-') !== 0 || ATTRIBUTES.indexOf(name) >= 0) continue;
      var guess = ATTRIBUTES.filter(function (a) { return editDistance(a, name) <= 2; })[0];
      console.warn('Grove: unknown attribute ' + name + ' on ' + describe(el) + (guess ? '; did you mean ' + guess + '?' : '') +
        ' Known attributes: ' + ATTRIBUTES.join(', ') + '.');
    }
  }

  // Reads and checks the element's attributes: {config, height, problems: [{field, message}]}.
  function readAttributes(el) {
    var attr = function (name) { var v = el.getAttribute(name); return v === null ? '' : v.trim(); };
    var problems = [];
    var bad = function (field, message) { problems.push({ field: field, message: message }); };

    var module = attr('data-grove-module');
    if (!module) bad('data-grove-module', 'data-grove-module is empty: give the key of the learning module, like "fire-safety-101".');
    else if (!MODULE_KEY.test(module)) {
      bad('data-grove-module', 'data-grove-module must be 1 to 128 characters, using only letters A-Z and a-z, digits and . _ : - ' +
        '(got "' + module + '"' + (/\s/.test(module) ? ', which has spaces' : '') + ').');
    }
    var prompt = attr('data-grove-prompt').replace(/\s+/g, ' ');
    if (codePoints(prompt) > PROMPT_MAX) {
      bad('data-grove-prompt', 'data-grove-prompt is ' + codePoints(prompt) + ' characters long; keep the question under ' + PROMPT_MAX + ' characters.');
    }
    var theme = attr('data-grove-theme').toLowerCase() || 'auto';
    if (['light', 'dark', 'auto'].indexOf(theme) < 0) {
      bad('data-grove-theme', 'data-grove-theme must be light, dark or auto (got "' + attr('data-grove-theme') + '").');
    }
    var accent = attr('data-grove-accent');
    if (accent && !HEX_COLOUR.test(accent)) {
      bad('data-grove-accent', 'data-grove-accent must be a hex colour like #0a66c2 (got "' + accent + '").');
    }
    var height = attr('data-grove-height') || '640px';
    if (/^\d+(\.\d+)?$/.test(height)) {
      bad('data-grove-height', 'data-grove-height needs a unit: write "' + height + 'px" (got "' + height + '").');
    } else if (/^(inherit|initial|unset|revert|revert-layer|auto)$/i.test(height) || !CSS.supports('max-height', height)) {
      bad('data-grove-height', 'data-grove-height must be a CSS length like 640px, 40rem or 80vh, or none (got "' + height + '").');
    }
    // The module's title for people, shown where posts of several modules meet (the spotlight).
    var title = attr('data-grove-title').replace(/\s+/g, ' ');
    if (codePoints(title) > TITLE_MAX) {
      bad('data-grove-title', 'data-grove-title is ' + codePoints(title) + ' characters long; keep the module title to ' +
        TITLE_MAX + ' characters or fewer.');
    } else if (/[\u0000-\u001f\u007f]/.test(title)) {
      bad('data-grove-title', 'data-grove-title must be one line of text, without control characters.');
    }
    return { config: { module: module, prompt: prompt, theme: theme, accent: accent, title: title }, height: height,
      problems: problems };
  }

  var webgl2 = null;   // probed once per page: every probe would hold a GL context until collected
  function hasWebGL2() {
    if (webgl2 === null) {
      webgl2 = false;
      try {
        var gl = typeof WebGL2RenderingContext !== 'undefined' && document.createElement('canvas').getContext('webgl2');
        if (gl) {
          webgl2 = true;
          var lose = gl.getExtension('WEBGL_lose_context');
          if (lose) lose.loseContext();
        }
      } catch (e) { webgl2 = false; }
    }
    return webgl2;
  }

  // Windows high contrast (forced colours) repaints pages in the person's colours, which a canvas
  // cannot follow: the discussion then shows as its HTML view, which it can.
  function forcedColors() {
    return typeof matchMedia === 'function' && matchMedia('(forced-colors: active)').matches;
  }
  var watchingColours = false;
  function watchForcedColors() {
    if (watchingColours || typeof matchMedia !== 'function') return;
    watchingColours = true;
    var mq = matchMedia('(forced-colors: active)');
    if (mq.addEventListener) mq.addEventListener('change', function () { mounted.forEach(function (e, el) { remount(el); }); });
  }

  function describe(el) {
    if (!(el instanceof Element)) return el === null ? 'null' : typeof el;
    return '<' + el.tagName.toLowerCase() + (el.id ? ' id="' + el.id + '"' : '') +
      (el.hasAttribute('data-grove-module') ? ' data-grove-module="' + el.getAttribute('data-grove-module') + '"' : '') + '>';
  }

  // ---------------------------------------------------------------------------------------------
  // [SECTION] Messages
  // ---------------------------------------------------------------------------------------------
  function prefersDark(theme) {
    return theme === 'dark' || (theme !== 'light' && matchMedia('(prefers-color-scheme: dark)').matches);
  }

  function boxStyle(dark) {
    return 'box-sizing:border-box;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;padding:12px 14px;' +
      'border-radius:8px;border:1px solid ' + (dark ? '#3a4048' : '#d0d4da') + ';background:' + (dark ? '#1f2328' : '#f6f8fa') +
      ';color:' + (dark ? '#e6e8eb' : '#1d2125') + ';';
  }

  function themeOf(el) { return (el.getAttribute('data-grove-theme') || 'auto').trim().toLowerCase(); }

  // Shows `message` inside the element (replacing the widget) and tells the page with grove:error.
  function showMessage(entry, code, message, field) {
    var el = entry.element;
    clearUi(entry);
    var box = document.createElement('div');
    box.className = 'grove-error';
    box.setAttribute('role', 'alert');
    box.setAttribute('data-grove-error', code);
    box.style.cssText = boxStyle(prefersDark(themeOf(el)));
    var title = document.createElement('strong');
    title.style.cssText = 'display:block;margin-bottom:2px;';
    title.textContent = code === 'crashed' ? 'The discussion stopped' : 'The discussion cannot be shown';
    var text = document.createElement('span');
    text.textContent = message;
    box.appendChild(title);
    box.appendChild(text);
    el.appendChild(box);
    entry.ui = box;
    var detail = { code: code, message: message };
    if (field) detail.field = field;
    el.dispatchEvent(new CustomEvent('grove:error', { bubbles: true, detail: detail }));
    return false;
  }

  function placeholder(dark, inFlow) {
    var p = document.createElement('div');
    p.className = 'grove-loading';
    p.setAttribute('role', 'status');
    p.style.cssText = (inFlow ? 'padding:16px 0;' : 'position:absolute;inset:0;') + 'display:flex;align-items:center;justify-content:center;' +
      'font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:' + (dark ? '#aab1ba' : '#596069') + ';';
    p.textContent = 'Loading the discussion…';
    return p;
  }

  // ---------------------------------------------------------------------------------------------
  // [SECTION] Page elements
  // ---------------------------------------------------------------------------------------------
  // Counts, the digest and insights are plain HTML filled from the API: their code is in
  // grove-pages.js (and grove-insights.js, which bundles the charting library), fetched only
  // when the page has such an element, never by a page with widgets only. The wasm is not needed.
  var PAGE_ELEMENTS = '[data-grove-count],[data-grove-digest],[data-grove-insights]';
  var pagesPromise = null, insightsPromise = null;
  var pageElements = new Set();

  function loadPageScript(key, factory) {
    var hashed = HASHED_PAGE_ASSETS && HASHED_PAGE_ASSETS[key];
    return loadScript(hashed || PLAIN_PAGE_ASSETS[key], factory).catch(function (err) {
      if (hashed && err && err.status === 404) return loadScript(PLAIN_PAGE_ASSETS[key], factory);   // an older cached loader
      throw err;
    });
  }

  function loadInsights() {
    if (!insightsPromise) {
      insightsPromise = loadPageScript('insights', 'createGroveInsights');
      insightsPromise.catch(function () { insightsPromise = null; });
    }
    return insightsPromise;
  }

  function loadPages() {
    if (!pagesPromise) {
      pagesPromise = loadPageScript('pages', 'createGrovePages').then(function (create) {
        return create({ version: VERSION, apiBase: apiBase, getToken: getToken, loadInsights: loadInsights });
      });
      pagesPromise.catch(function () { pagesPromise = null; });
    }
    return pagesPromise;
  }

  function mountPageElement(el) {
    pageElements.add(el);
    if (el.hasAttribute('data-grove-insights')) loadInsights().catch(function () { /* reported by the mount */ });   // in parallel
    return loadPages().then(function (pages) { return pages.mount(el); }, function (err) {
      return explainLoadFailure(err).then(function (e) {
        var message = String(e.message).replace('The discussion could not be loaded', 'This part of the page could not be loaded')
          .replace('The discussion cannot start', 'This part of the page cannot be shown');
        console.error('Grove: ' + message);
        if (!el.hasAttribute('data-grove-count')) {   // a count keeps its own text; a block says why
          var box = document.createElement('div');
          box.setAttribute('role', 'alert');
          box.setAttribute('data-grove-error', e.code || 'load_failed');
          box.style.cssText = boxStyle(prefersDark(themeOf(el)));
          box.textContent = message;
          el.replaceChildren(box);
        }
        el.dispatchEvent(new CustomEvent('grove:error', { bubbles: true, detail: { code: e.code || 'load_failed', message: message } }));
        return false;
      });
    });
  }

  function unmountPageElement(el) {
    if (!pageElements.delete(el)) return false;
    if (pagesPromise) pagesPromise.then(function (pages) { pages.unmount(el); }, function () { /* nothing was shown */ });
    return true;
  }

  // ---------------------------------------------------------------------------------------------
  // [SECTION] Live
  // ---------------------------------------------------------------------------------------------
  // One event stream per page, however many widgets it has: GET <api>/events?modules=... for the
  // modules of every mounted widget, read with fetch because it needs the Authorization header
  // (EventSource cannot send one). `changed` for a module makes that module's widgets pull the
  // changes feed now (the engine coalesces a burst into the cycle in flight plus one more);
  // `spotlight` makes every widget fetch the spotlight again. Changes missed between two streams
  // are caught by a pull when the next one is held.
  // While the stream is held, the widgets poll only as a safety net (every 60 s). When it cannot be
  // held (it fails, or nothing arrives within 30 s although the server pings at once: a proxy
  // buffers it), they poll as before and the stream is tried again later, with backoff and jitter.
  // The server ends the stream when the token expires: the next one asks getToken for a fresh one.
  // No stream while offline, nor once the page has been hidden for 30 s. Idle it costs no CPU: the
  // reader awaits, and the one timer is the watchdog, re-armed when bytes arrive.
  var LIVE_MAX_MODULES = 20;          // the API's limit for one stream; widgets of further modules poll
  var LIVE_FIRST_BYTE_MS = 30000;     // no byte within this (not even the first ": ping"): buffered
  var LIVE_SILENCE_MS = 65000;        // pings come at least every 25 s: after this the link is dead
  var LIVE_HIDDEN_MS = 30000;         // hidden this long: the stream is dropped until visible
  var LIVE_RETRY_MS = 1000, LIVE_RETRY_CAP_MS = 300000;
  var LIVE_BUFFERED_RETRY_MS = 300000;   // a buffering proxy: poll, and try the stream again later
  var LIVE_SHORT_MS = 10000;          // a stream that ended sooner than this counts as a failure
  var LIVE_MAX_LINE = 65536;

  var live = {
    modules: [],          // what the current (or next) stream follows
    controller: null,     // the current stream's AbortController
    held: false,          // bytes arrived on the current stream
    failures: 0,          // in a row, for the backoff
    authRetried: false,   // one immediate retry with a fresh token after a 401
    hidden: false,        // dropped because the page is hidden
    started: false,
    retryTimer: 0, watchdog: 0, hiddenTimer: 0, planTimer: 0,
    state: 'off',         // off | connecting | live | polling: for Grove.live()
    requests: 0, events: 0, lastError: '',
  };

  function liveInit() {
    if (live.started) return;
    live.started = true;
    window.addEventListener('online', function () {
      live.failures = 0;
      clearTimeout(live.retryTimer);
      live.retryTimer = 0;
      livePlan();
    });
    window.addEventListener('offline', function () { liveStop('off'); });
    document.addEventListener('visibilitychange', onVisibility);
    onVisibility();   // opened in a background tab: the same grace period
    function onVisibility() {
      clearTimeout(live.hiddenTimer);
      live.hiddenTimer = 0;
      if (document.visibilityState === 'hidden') {
        live.hiddenTimer = setTimeout(function () {
          live.hiddenTimer = 0;
          live.hidden = true;
          liveStop('off');
        }, LIVE_HIDDEN_MS);
      } else if (live.hidden) {
        live.hidden = false;   // the widgets pull by themselves on becoming visible
        livePlan();
      }
    }
  }

  // The modules of the mounted widgets, sorted, at most LIVE_MAX_MODULES.
  function liveWanted() {
    var set = {};
    mounted.forEach(function (entry) { if (entry.handle && entry.module) set[entry.module] = true; });
    return Object.keys(set).sort().slice(0, LIVE_MAX_MODULES);
  }

  // Widgets mount and unmount in bursts (a page's load): the stream follows once they settle.
  function livePlan() {
    liveInit();
    if (!live.planTimer) live.planTimer = setTimeout(liveReconcile, 50);
  }

  function liveReconcile() {
    live.planTimer = 0;
    var want = liveWanted();
    var can = want.length > 0 && navigator.onLine !== false && !live.hidden && typeof fetch === 'function' &&
      typeof AbortController === 'function' && typeof TextDecoder === 'function' && !apiBase().error;
    if (!can) { liveStop('off'); return; }
    var covered = want.every(function (m) { return live.modules.indexOf(m) >= 0; });
    if (covered && (live.controller || live.retryTimer)) {   // a widget left: its events are ignored
      liveTellWidgets(false);
      return;
    }
    live.modules = want;
    if (live.retryTimer) return;   // the next attempt follows the new set
    liveStop(live.state);
    liveConnect(false);
  }

  // Tells each widget whether the stream covers it (poll rarely) or not (poll as usual); with
  // `pull`, the covered ones also pull now (the stream has just been taken up: a gap to close).
  function liveTellWidgets(pull) {
    mounted.forEach(function (entry) {
      if (!entry.handle) return;
      var covered = live.held && live.modules.indexOf(entry.module) >= 0;
      try {
        if (entry.live !== covered) entry.handle.setLive(covered);
        entry.live = covered;
        if (covered && pull) entry.handle.pull(false);
      } catch (e) { console.error('Grove: live update failed', e); }
    });
  }

  function liveStop(state) {
    var controller = live.controller;
    live.controller = null;
    if (controller) controller.abort();
    clearTimeout(live.watchdog);
    clearTimeout(live.retryTimer);
    live.watchdog = live.retryTimer = 0;
    if (live.held) {
      live.held = false;
      liveTellWidgets(false);
    }
    live.state = state;
  }

  function liveWatch(controller, ms, why) {
    clearTimeout(live.watchdog);
    live.watchdog = setTimeout(function () {
      live.watchdog = 0;
      if (live.controller !== controller) return;
      if (why === 'buffered') liveFailed('nothing arrived on the event stream within ' + LIVE_FIRST_BYTE_MS / 1000 +
        ' s (a proxy may buffer it); polling instead', LIVE_BUFFERED_RETRY_MS);
      else liveFailed('the event stream went silent', 0);
    }, ms);
  }

  // A JWT's exp claim in ms, or 0 when the token is opaque (or has none).
  function tokenExpiry(t) {
    try {
      var part = String(t).split('.')[1];
      if (!part) return 0;
      var json = JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((part.length + 3) % 4)));
      return typeof json.exp === 'number' ? json.exp * 1000 : 0;
    } catch (e) { return 0; }
  }

  // The token for a stream: a fresh one when asked (after a 401 or the end of a stream whose token
  // cannot be read) or when the one at hand expires within a minute.
  function liveToken(fresh) {
    if (!config().getToken) return Promise.resolve('');
    return getToken(false).then(function (t) {
      var exp = tokenExpiry(t);
      if (fresh || (exp && exp - Date.now() < 60000)) return getToken(true);
      return t;
    });
  }

  function liveConnect(freshToken) {
    var controller = new AbortController();
    var modules = live.modules.slice();
    var started = Date.now();
    live.controller = controller;
    live.held = false;
    live.state = 'connecting';
    liveWatch(controller, LIVE_FIRST_BYTE_MS, 'buffered');
    liveToken(freshToken).then(function (t) {
      if (live.controller !== controller) return null;
      if (!t) throw loadError('nobody is signed in (getToken gave no token)', {});
      live.requests++;
      return fetch(apiBase().api + '/events?modules=' + modules.map(encodeURIComponent).join(','), {
        headers: { Authorization: 'Bearer ' + t, Accept: 'text/event-stream' },
        cache: 'no-store', credentials: 'omit', mode: 'cors', signal: controller.signal,
      });
    }).then(function (res) {
      if (!res || live.controller !== controller) return false;
      if (res.status === 401) {
        if (res.body) res.body.cancel().catch(function () {});
        if (!live.authRetried) {   // the token expired or was revoked: once more with a new one
          live.authRetried = true;
          liveStop(live.state);
          liveConnect(true);
          return false;
        }
        throw loadError('the API refused the sign-in for the event stream (401)', {});
      }
      var type = res.headers.get('Content-Type') || '';
      if (!res.ok || type.indexOf('text/event-stream') !== 0 || !res.body) {
        if (res.body) res.body.cancel().catch(function () {});
        throw loadError('the event stream answered HTTP ' + res.status + (res.ok ? ' (' + type + ')' : ''), {});
      }
      live.authRetried = false;
      return liveRead(res.body.getReader(), controller, modules).then(function () { return true; });
    }).then(function (ended) {
      if (!ended || live.controller !== controller) return;
      // The server ended it: the token expired (or the server restarted). At once with a fresh
      // token, unless streams keep ending right away.
      var short = Date.now() - started < LIVE_SHORT_MS;
      live.controller = null;   // over already: nothing to abort
      if (short) { liveFailed('the event stream ended at once', 0); return; }
      liveStop('connecting');
      live.failures = 0;
      liveConnect(true);
    }).catch(function (err) {
      if (live.controller !== controller) return;   // stopped or replaced meanwhile
      liveFailed(err && err.message ? err.message : String(err), 0);
    });
  }

  // Polling instead, and the stream tried again after `delay` (0: the backoff's).
  function liveFailed(why, delay) {
    liveStop('polling');
    live.failures++;
    live.lastError = why;
    if (live.failures === 3) console.info('Grove: live updates are unavailable for now (' + why + '); the discussion polls instead.');
    var ms = delay || Math.min(LIVE_RETRY_CAP_MS, LIVE_RETRY_MS * Math.pow(2, live.failures - 1));
    ms = Math.round(ms * (0.5 + Math.random()));   // jitter: pages that lost the server together spread out
    live.retryTimer = setTimeout(function () {
      live.retryTimer = 0;
      live.authRetried = false;
      live.modules = [];   // follow whatever is mounted by then
      liveReconcile();
    }, ms);
  }

  // Reads server-sent events ("event:", "data:", blank line; ":" comments) until the stream ends.
  function liveRead(reader, controller, modules) {
    var decoder = new TextDecoder(), rest = '', event = '', data = [];
    function line(text) {
      if (text === '') {
        if (data.length) liveEvent(event || 'message', data.join('\n'), modules);
        event = '';
        data = [];
        return;
      }
      if (text.charAt(0) === ':') return;   // a comment: the server's ping
      var colon = text.indexOf(':');
      var field = colon < 0 ? text : text.slice(0, colon);
      var value = colon < 0 ? '' : text.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    function pump() {
      return reader.read().then(function (r) {
        if (live.controller !== controller) { reader.cancel().catch(function () {}); return undefined; }
        if (r.done) return undefined;
        if (!live.held) {
          live.held = true;
          live.failures = 0;
          live.state = 'live';
          liveTellWidgets(true);
        }
        liveWatch(controller, LIVE_SILENCE_MS, 'silent');
        var text = rest + decoder.decode(r.value, { stream: true });
        var cut = text.charAt(text.length - 1) === '\r' ? text.length - 1 : text.length;   // maybe half a \r\n
        var lines = text.slice(0, cut).split(/\r\n|\r|\n/);
        rest = lines.pop() + text.slice(cut);
        if (rest.length > LIVE_MAX_LINE) throw loadError('the event stream sent a line longer than ' + LIVE_MAX_LINE + ' characters', {});
        lines.forEach(line);
        return pump();
      });
    }
    return pump();
  }

  function liveEvent(name, data, modules) {
    if (name !== 'changed' && name !== 'spotlight') return;   // later kinds: not for this version
    var detail = null;
    try { detail = JSON.parse(data); } catch (e) { /* ignored below */ }
    if (!detail || typeof detail !== 'object') return;
    live.events++;
    if (document.visibilityState === 'hidden') return;   // the widgets pull when they are shown
    mounted.forEach(function (entry) {
      if (!entry.handle) return;
      if (name === 'spotlight') entry.handle.pull(true);
      else if (detail.module === entry.module && modules.indexOf(entry.module) >= 0) entry.handle.pull(false);
    });
  }

  // Grove.live(): the state of the page's event stream, for support and tests.
  function liveStatus() {
    return { state: live.state, modules: live.modules.slice(), requests: live.requests, events: live.events,
      failures: live.failures, last_error: live.lastError };
  }

  // ---------------------------------------------------------------------------------------------
  // [SECTION] Mounting
  // ---------------------------------------------------------------------------------------------
  var mounted = new Map();   // element -> entry
  var nextId = 1;

  function clearUi(entry) {
    if (entry.ui) entry.ui.remove();
    entry.ui = null;
    entry.canvas = null;
  }

  // Frees the widget's memory in the wasm and its WebGL context now (browsers keep only about
  // 16 live contexts; waiting for garbage collection would push out other widgets' contexts).
  function detach(entry, contextAlreadyLost) {
    var handle = entry.handle, canvas = entry.canvas;
    entry.handle = null;
    entry.live = false;
    entry.loading = false;
    spotlightPlan();
    if (!handle) return;
    livePlan();
    try { handle.detach(); } catch (e) { console.error('Grove: unmount failed', e); }
    if (canvas && !contextAlreadyLost) {
      var gl = canvas.getContext('webgl2');
      var lose = gl && gl.getExtension('WEBGL_lose_context');
      if (lose) lose.loseContext();
    }
  }

  // The spotlight line shows once per page, in the first widget in document order that is
  // mounted or still starting; when it goes, the next one takes over.
  function spotlightOwner() {
    var owner = null;
    mounted.forEach(function (entry, el) {
      if (!entry.handle && !entry.loading) return;
      if (!owner || (owner.element.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_PRECEDING)) owner = entry;
    });
    return owner;
  }

  function spotlightPlan() {
    var owner = spotlightOwner();
    mounted.forEach(function (entry) {
      if (entry.handle && entry.handle.setSpotlight) entry.handle.setSpotlight(entry === owner);
    });
  }

  function mount(el) {
    if (!(el instanceof Element)) throw new TypeError('Grove.mount(element) needs a DOM element, got ' + describe(el));
    if (!el.hasAttribute('data-grove-module') && el.matches(PAGE_ELEMENTS)) return mountPageElement(el);
    var existing = mounted.get(el);
    if (existing) return existing.ready;
    var entry = { id: nextId++, element: el, handle: null, ui: null, canvas: null, ready: null, lost: false };
    mounted.set(el, entry);
    watch(entry);
    entry.ready = start(entry);
    return entry.ready;
  }

  function start(entry) {
    var el = entry.element;
    stashContent(entry);
    if (!el.isConnected || el.getRootNode() !== document) {
      return Promise.resolve(showMessage(entry, 'not_in_page', 'Grove.mount needs an element that is in the page itself ' +
        '(not detached, not inside a shadow root): ' + describe(el) + '.'));
    }
    warnUnknownAttributes(el);
    var api = apiBase();
    if (api.error) return Promise.resolve(showMessage(entry, 'invalid_config', 'For the page editor: ' + api.error));
    var attrs = readAttributes(el);
    if (attrs.problems.length) return Promise.resolve(showProblems(entry, attrs.problems));
    prefetchCache(api.api, attrs.config.module);   // before the WebGL probe: the storage works meanwhile
    // Without WebGL 2, in forced colours, or where canvas text cannot be read back, the discussion
    // is its HTML view: the same widget, store, sync and outbox, with no canvas.
    watchForcedColors();
    var htmlOnly = forcedColors() || !hasWebGL2() || !canvasTextReadable();
    // Who is signed in, asked while the engine downloads: the widget takes no write until it
    // knows (SECURITY.md, "Shared computers"), so the answer should be there by its first frame.
    if (config().getToken) getToken(false).catch(function () { /* reported by askToken; asked again later */ });
    if (!el.hasAttribute('tabindex')) {
      el.setAttribute('tabindex', '0');
      entry.addedTabindex = true;
    }
    var box = buildRoot(entry, attrs, htmlOnly);
    var onReady = function () { el.removeEventListener('grove:ready', onReady); box.loading.remove(); mark('ready'); };
    el.addEventListener('grove:ready', onReady);

    entry.loading = true;
    return loadCore().then(function (core) {
      return attachCore(core, entry, api, attrs, box);
    }).catch(function (err) {
      entry.loading = false;
      if (mounted.get(el) !== entry) return false;
      spotlightPlan();
      return showMessage(entry, (err && err.code) || 'load_failed', (err && err.message) || 'The discussion could not be started.');
    });
  }

  // The attributes' problems, for the page editor (a bad title also goes to the console).
  function showProblems(entry, problems) {
    var el = entry.element;
    problems.forEach(function (p) {
      if (p.field === 'data-grove-title') console.error('Grove: ' + p.message + ' On ' + describe(el) + '.');
    });
    return showMessage(entry, 'invalid_attribute', 'For the page editor: ' +
      problems.map(function (p) { return p.message; }).join(' '), problems[0].field);
  }

  // The widget's box in the mount element: the canvas (unless htmlOnly) and the loading
  // placeholder until the widget is ready. Returns {root, canvas, loading}.
  function buildRoot(entry, attrs, htmlOnly) {
    var dark = prefersDark(attrs.config.theme);
    var root = document.createElement('div');
    root.className = 'grove-root';
    // Clipped to its box: the field being typed in shows its textarea over the canvas.
    root.style.cssText = 'position:relative;width:100%;' + (htmlOnly ? '' : 'overflow:hidden;');
    var canvas = null;
    if (!htmlOnly) {
      canvas = document.createElement('canvas');
      canvas.id = 'grove-canvas-' + entry.id;
      canvas.setAttribute('aria-hidden', 'true');
      canvas.style.cssText = 'display:block;width:100%;height:160px;max-height:' + attrs.height + ';touch-action:pan-y;outline:none;';
      root.appendChild(canvas);
      canvas.addEventListener('webglcontextlost', function (e) { onContextLost(entry, canvas, e); });
    }
    var loading = placeholder(dark, htmlOnly);
    root.appendChild(loading);
    entry.element.appendChild(root);
    entry.ui = root;
    entry.canvas = canvas;
    return { root: root, canvas: canvas, loading: loading };
  }

  // The engine is loaded: the widget mounts in its box (false when the element was unmounted
  // meanwhile).
  function attachCore(core, entry, api, attrs, box) {
    var el = entry.element, root = box.root, canvas = box.canvas;
    if (mounted.get(el) !== entry || entry.ui !== root) return false;   // unmounted while loading
    var cfg = attrs.config;
    cfg.api = api.api;
    cfg.prefers_dark = matchMedia('(prefers-color-scheme: dark)').matches;
    cfg.height = attrs.height;
    cfg.spotlight = spotlightOwner() === entry;
    try {
      entry.handle = core.groveAttach(entry.id, el, canvas, cfg, { getToken: getToken }, root);
    } catch (err) {
      // The probe said yes, but this canvas got no WebGL 2 context (too many on the page, a
      // driver refusing): the HTML view instead.
      if (!canvas || !err || err.code !== 'no_webgl2') throw err;
      canvas.remove();
      entry.canvas = null;
      root.style.overflow = '';
      box.loading.style.position = 'static';
      entry.handle = core.groveAttach(entry.id, el, null, cfg, { getToken: getToken }, root);
    }
    entry.module = cfg.module;
    entry.live = false;
    entry.loading = false;
    livePlan();
    spotlightPlan();
    return true;
  }

  // The browser dropped this widget's GL context (too many on the page, GPU reset): offer to
  // bring it back rather than leave a blank box.
  function onContextLost(entry, canvas, e) {
    if (mounted.get(entry.element) !== entry || entry.canvas !== canvas || !entry.handle) return;   // our own unmount
    e.preventDefault();
    detach(entry, true);
    clearUi(entry);
    var el = entry.element;
    var box = document.createElement('button');
    box.type = 'button';
    box.className = 'grove-paused';
    box.style.cssText = boxStyle(prefersDark(themeOf(el))) + 'width:100%;text-align:left;cursor:pointer;';
    box.textContent = 'The discussion was paused to free graphics memory. Click to show it again.';
    box.addEventListener('click', function () { remount(el); });
    el.appendChild(box);
    entry.ui = box;
  }

  function remount(el) {
    var entry = mounted.get(el);
    if (!entry) return Promise.resolve(false);
    detach(entry);
    clearUi(entry);
    entry.id = nextId++;
    entry.ready = start(entry);
    spotlightPlan();   // still its own while it starts again: no other widget shows it meanwhile
    return entry.ready;
  }

  // The element's own content (say, a "needs JavaScript" note) is put aside while Grove shows.
  function stashContent(entry) {
    var el = entry.element;
    if (entry.stash) return;
    entry.stash = document.createDocumentFragment();
    while (el.firstChild) entry.stash.appendChild(el.firstChild);
  }

  function unmount(el) {
    var entry = mounted.get(el);
    if (!entry) return unmountPageElement(el);
    mounted.delete(el);
    if (entry.observer) entry.observer.disconnect();
    detach(entry);
    clearUi(entry);
    if (entry.stash) el.appendChild(entry.stash);
    if (entry.addedTabindex) el.removeAttribute('tabindex');
    return true;
  }

  // Changing a data-grove-* attribute remounts the widget with the new value (the snippet
  // builder's preview relies on it); removing the element from the page unmounts it.
  function watch(entry) {
    entry.observer = new MutationObserver(function () {
      if (mounted.get(entry.element) !== entry) return;
      if (!entry.element.hasAttribute('data-grove-module')) unmount(entry.element);
      else remount(entry.element);
    });
    entry.observer.observe(entry.element, { attributes: true, attributeFilter: ATTRIBUTES });
    if (!removalObserver) {
      removalObserver = new MutationObserver(function () {
        mounted.forEach(function (e, el) { if (!el.isConnected) unmount(el); });
      });
      removalObserver.observe(document.documentElement, { childList: true, subtree: true });
    }
  }
  var removalObserver = null;

  function mountAll() {
    document.querySelectorAll('[data-grove-module]').forEach(function (el) { mount(el); });
    document.querySelectorAll(PAGE_ELEMENTS).forEach(function (el) { if (!el.hasAttribute('data-grove-module')) mountPageElement(el); });
  }

  // The loader's own checks of an element's data-grove-* attributes, for tools such as the
  // snippet builder: [] when fine, else [{field, message}].
  function check(el) {
    if (!(el instanceof Element)) throw new TypeError('Grove.check(element) needs a DOM element, got ' + describe(el));
    return readAttributes(el).problems;
  }

  window.Grove = { version: VERSION, mount: mount, unmount: unmount, check: check, live: liveStatus };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', mountAll);
  else mountAll();
})();
