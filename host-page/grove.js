/* Grove loader: mounts the Grove discussion widget into every element with data-grove-module.
 * Contract: ../shared/spec/embed.md (mirrored in docs/EMBEDDING.md).
 * One wasm module serves every widget on the page; it is fetched and compiled once. */
(function () {
  'use strict';
  if (window.Grove && window.Grove.version) return;   // loaded twice: keep the first

  var script = document.currentScript;
  var base = new URL('.', script && script.src ? script.src : location.href);
  var MODULE_KEY = /^[A-Za-z0-9._:-]{1,128}$/;
  var HEX = /^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;
  var nextId = 1;
  var mounted = new Map();   // element -> {id, handle, root}
  var corePromise = null;

  function config() { return window.GroveConfig || {}; }

  function apiBase() {
    var api = config().api;
    return (api ? String(api) : new URL('../api/v1', base).href).replace(/\/+$/, '');
  }

  // Loads grove-core.js, the wasm and the font in parallel, once for the whole page.
  function loadCore() {
    if (corePromise) return corePromise;
    var glue = new Promise(function (resolve, reject) {
      if (window.createGroveCore) return resolve(window.createGroveCore);
      var s = document.createElement('script');
      s.src = new URL('grove-core.js', base).href;
      s.async = true;
      s.onload = function () { resolve(window.createGroveCore); };
      s.onerror = function () { reject(new Error('The discussion could not be loaded (grove-core.js).')); };
      document.head.appendChild(s);
    });
    var font = fetch(new URL('grove-font.ttf', base).href).then(function (r) {
      if (!r.ok) throw new Error('font ' + r.status);
      return r.arrayBuffer();
    }).catch(function () { return null; });   // the built-in font still works, if less pretty
    corePromise = Promise.all([glue, font]).then(function (parts) {
      return parts[0]({ locateFile: function (path) { return new URL(path, base).href; } }).then(function (core) {
        if (parts[1]) {
          var bytes = new Uint8Array(parts[1]);
          var ptr = core._malloc(bytes.length);
          core.HEAPU8.set(bytes, ptr);
          core._grove_set_font(ptr, bytes.length);
          core._free(ptr);
        }
        return core;
      });
    });
    return corePromise;
  }

  // The person's API token from GroveConfig.getToken (a string or a Promise of one), shared by
  // every widget on the page; forceRefresh asks again (after the API answered 401).
  var tokenPromise = null;
  function getToken(forceRefresh) {
    if (!tokenPromise || forceRefresh) {
      var source = config().getToken;
      tokenPromise = Promise.resolve(typeof source === 'function' ? source() : '').then(function (t) {
        return t ? String(t).trim() : '';
      });
      tokenPromise.catch(function () { tokenPromise = null; });   // a failed fetch is retried next time
    }
    return tokenPromise;
  }

  function hasWebGL2() {
    try { return !!document.createElement('canvas').getContext('webgl2'); } catch (e) { return false; }
  }

  // Reads and checks the mount element's attributes; returns {config} or {error}.
  function readAttributes(el) {
    var module = el.getAttribute('data-grove-module') || '';
    if (!MODULE_KEY.test(module)) {
      return { error: 'data-grove-module must be 1 to 128 characters from A-Z a-z 0-9 . _ : - (got "' + module + '").' };
    }
    var theme = el.getAttribute('data-grove-theme') || 'auto';
    if (['light', 'dark', 'auto'].indexOf(theme) < 0) {
      return { error: 'data-grove-theme must be light, dark or auto (got "' + theme + '").' };
    }
    var accent = el.getAttribute('data-grove-accent') || '';
    if (accent && !HEX.test(accent)) {
      return { error: 'data-grove-accent must be a hex colour like #0a66c2 (got "' + accent + '").' };
    }
    var height = el.getAttribute('data-grove-height') || '640px';
    if (!CSS.supports('max-height', height)) {
      return { error: 'data-grove-height must be a CSS length like 640px (got "' + height + '").' };
    }
    return {
      config: { module: module, prompt: el.getAttribute('data-grove-prompt') || '', theme: theme, accent: accent,
                api: apiBase() },
      height: height,
    };
  }

  function showError(el, message) {
    var box = document.createElement('div');
    box.className = 'grove-error';
    box.setAttribute('role', 'alert');
    box.style.cssText = 'font:14px/1.4 system-ui,sans-serif;padding:12px 14px;border:1px solid #d0d4da;' +
      'border-radius:8px;background:#fafbfc;color:#1d2125;';
    box.textContent = message;
    el.appendChild(box);
    el.dispatchEvent(new CustomEvent('grove:error', { bubbles: true, detail: { code: 'mount_failed', message: message } }));
  }

  function mount(el) {
    if (!(el instanceof Element)) throw new TypeError('Grove.mount expects an element');
    if (mounted.has(el)) return mounted.get(el).ready;
    var attrs = readAttributes(el);
    var entry = { id: nextId++, handle: null, root: null };
    mounted.set(el, entry);
    if (attrs.error) {
      showError(el, 'Grove cannot start here: ' + attrs.error);
      return (entry.ready = Promise.resolve(false));
    }
    if (!hasWebGL2()) {
      showError(el, 'This browser cannot show the discussion because WebGL 2 is turned off or not supported. ' +
        'Try an up-to-date Chrome, Edge, Firefox or Safari.');
      return (entry.ready = Promise.resolve(false));
    }
    if (!el.hasAttribute('tabindex')) el.setAttribute('tabindex', '0');
    var root = document.createElement('div');
    root.className = 'grove-root';
    root.style.cssText = 'position:relative;width:100%;';
    var canvas = document.createElement('canvas');
    canvas.id = 'grove-canvas-' + entry.id;
    canvas.setAttribute('aria-hidden', 'true');
    canvas.style.cssText = 'display:block;width:100%;height:160px;max-height:' + attrs.height + ';touch-action:pan-y;outline:none;';
    root.appendChild(canvas);
    el.appendChild(root);
    entry.root = root;
    entry.ready = loadCore().then(function (core) {
      if (mounted.get(el) !== entry) return false;   // unmounted while loading
      attrs.config.prefers_dark = matchMedia('(prefers-color-scheme: dark)').matches;
      entry.handle = core.groveAttach(entry.id, el, canvas, attrs.config, { getToken: getToken });
      return true;
    }).catch(function (err) {
      root.remove();
      showError(el, (err && err.message) || 'The discussion could not be started.');
      return false;
    });
    return entry.ready;
  }

  function unmount(el) {
    var entry = mounted.get(el);
    if (!entry) return;
    mounted.delete(el);
    if (entry.handle) entry.handle.detach();
    if (entry.root) entry.root.remove();
    var err = el.querySelector(':scope > .grove-error');
    if (err) err.remove();
  }

  function mountAll() {
    document.querySelectorAll('[data-grove-module]').forEach(function (el) { mount(el); });
  }

  window.Grove = { version: '0.1.0', mount: mount, unmount: unmount };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', mountAll);
  else mountAll();
})();
