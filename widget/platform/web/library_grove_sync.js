// The sync engine's browser ports (see shared/grove/client/ports.hpp and web_ports.cpp):
//   IndexedDB  one database per API base URL ("grove-cache:<api>"), version 1, three object stores
//              with out-of-line keys: posts [module, post id], outbox [module, write key] and
//              meta [module, name]; values are the strings the C++ cache format writes. Each
//              write batch is one transaction over exactly the stores it touches (atomic), and
//              writing one post is one put, never a rewrite of the cache.
//   fetch      cache: 'no-store', an AbortController timeout, status 0 for every failure to answer.
//   timers, Web Locks (an in-page queue where navigator.locks is missing: plain-HTTP intranets),
//   BroadcastChannel, online/offline/visibility/focus, the loader's getToken hook, crypto random.
// Results go back to C++ through the exported grove_port_* functions with the id C++ gave.
mergeInto(LibraryManager.library, {
  $GroveSync: {
    dbs: {},          // database name -> Promise<IDBDatabase>
    fetches: {},      // request id -> AbortController
    timers: {},       // timer id -> setTimeout handle
    locks: {},        // lock id -> release function
    localLocks: {},   // name -> queue, when navigator.locks is missing
    channels: {},     // channel id -> BroadcastChannel
    watchers: {},     // engine id -> listeners
    nextLock: 1,
    lastWrite: null,  // {ms, error} of the last write batch (the benchmark reads it)
    // How reads of a module's cache were answered (the first one from the loader's read if it
    // worked), and the ms the last one took to take in: join, decode, store (tests, benchmarks).
    // waited: ms between the engine asking and the records being there (0 when the loader's read
    // was done before the engine started).
    startupReads: { prefetched: 0, direct: 0, ms: 0, waited: 0, prefetchedPosts: 0 },
    prefetchedPosts: {},   // "db\nmodule" -> {ids, values}: the loader's read of the posts changed since the packed copy
    warnedLocks: false,

    // A JS string as malloc'ed UTF-8 for C++ (which frees it); 0 for null.
    cstr: function (s) {
      if (s === null || s === undefined) return 0;
      var n = lengthBytesUTF8(s) + 1;
      var p = _malloc(n);
      stringToUTF8(s, p, n);
      return p;
    },

    message: function (e) {
      if (!e) return 'unknown error';
      return (e.name ? e.name + ': ' : '') + (e.message || String(e));
    },

    openStores: function (name) {
      if (GroveSync.dbs[name]) return GroveSync.dbs[name];
      // The loader may have opened it already, while the wasm was downloading (grove.js, "Cache").
      var pre = Module['groveCache'] && Module['groveCache'].dbs[name];
      if (pre) delete Module['groveCache'].dbs[name];
      var p = pre ? pre.then(function (db) {
        if (!db || db.groveClosed) return GroveSync.openFresh(name);
        GroveSync.watchDb(name, db);
        return db;
      }, function () { return GroveSync.openFresh(name); }) : GroveSync.openFresh(name);
      GroveSync.dbs[name] = p;
      p.catch(function () { delete GroveSync.dbs[name]; });
      return p;
    },

    // Another tab upgrading the database: let it, and reopen on next use.
    watchDb: function (name, db) {
      db.onversionchange = function () { db.close(); delete GroveSync.dbs[name]; delete GroveSync.handles[name]; };
      db.onclose = function () { delete GroveSync.dbs[name]; delete GroveSync.handles[name]; };
    },

    openFresh: function (name) {
      return new Promise(function (resolve, reject) {
        if (typeof indexedDB === 'undefined' || !indexedDB) {
          reject(new Error('IndexedDB is not available in this browser'));
          return;
        }
        var settled = false;
        function done(fn, v) { if (!settled) { settled = true; fn(v); } }
        function usable(db) {
          var names = db.objectStoreNames;
          return names.contains('posts') && names.contains('outbox') && names.contains('meta');
        }
        function createMissing(db) {
          ['posts', 'outbox', 'meta'].forEach(function (store) {
            if (!db.objectStoreNames.contains(store)) db.createObjectStore(store);
          });
        }
        var repaired = false;
        function opened(db) {
          GroveSync.watchDb(name, db);
          if (usable(db)) { done(resolve, db); return; }
          // Someone created the database without our stores (e.g. opened it without a version):
          // add them in a version upgrade, keeping whatever is there.
          var version = db.version + 1;
          db.close();
          if (repaired) { done(reject, new Error('the cache database has an unknown layout')); return; }
          repaired = true;
          var again = indexedDB.open(name, version);
          again.onupgradeneeded = function () { createMissing(again.result); };
          again.onsuccess = function () { opened(again.result); };
          again.onerror = function () { done(reject, again.error); };
        }
        var req;
        try { req = indexedDB.open(name, 1); } catch (e) { done(reject, e); return; }
        req.onupgradeneeded = function (e) {
          // 0 -> 1: the three stores. Later versions add steps here; data is never dropped.
          if (e.oldVersion < 1) createMissing(req.result);
        };
        req.onsuccess = function () { opened(req.result); };
        req.onerror = function (e) {
          var err = req.error;
          if (e && e.preventDefault) e.preventDefault();
          // A newer Grove upgraded the database: use it as it is if its stores are there.
          if (err && err.name === 'VersionError') {
            var again = indexedDB.open(name);
            again.onsuccess = function () { opened(again.result); };
            again.onerror = function () { done(reject, again.error); };
            return;
          }
          done(reject, err || new Error('IndexedDB could not be opened'));
        };
        // An old tab keeps an older version open and does not close it: do not wait for ever.
        req.onblocked = function () {
          setTimeout(function () { done(reject, new Error('the cache database is blocked by another tab')); }, 3000);
        };
      });
    },

    handles: {},      // database name -> IDBDatabase, once open: writes start in the same task

    // Runs fn(db) at once when the database is open, else when it opens.
    withStores: function (name, fn, fail) {
      var db = GroveSync.handles[name];
      if (db) {
        try { fn(db); } catch (e) { delete GroveSync.handles[name]; GroveSync.openStores(name).then(fn).catch(fail); }
        return;
      }
      GroveSync.openStores(name).then(function (opened) { GroveSync.handles[name] = opened; fn(opened); }).catch(fail);
    },

    range: function (module) {
      return IDBKeyRange.bound([module], [module, []]);   // every [module, string]: arrays sort after strings
    },

    // Records for C++ as one malloc'ed UTF-8 buffer: "key\0value\0..." (or values only), with its
    // length in bytes. Values are the strings the cache format wrote; anything else is passed as
    // JSON so that C++ reports it as unreadable.
    text: function (v) {
      var s = typeof v === 'string' ? v : JSON.stringify(v);
      if (s === undefined) return '';
      return s.indexOf('\0') < 0 ? s : s.replace(/\0/g, ' ');
    },
    encoder: null,
    // The browser's own UTF-8 encoder: megabytes (the packed posts) in a few milliseconds.
    buffer: function (parts) {
      var s = parts.join('\0');
      if (parts.length) s += '\0';
      if (typeof TextEncoder !== 'function') {
        var n = lengthBytesUTF8(s);
        var q = _malloc(n + 1);
        stringToUTF8(s, q, n + 1);
        return [q, n];
      }
      var bytes = (GroveSync.encoder || (GroveSync.encoder = new TextEncoder())).encode(s);
      var p = _malloc(bytes.length + 1);
      HEAPU8.set(bytes, p);   // HEAPU8 read after _malloc: the heap may have grown
      HEAPU8[p + bytes.length] = 0;
      return [p, bytes.length];
    },
    pairs: function (keys, values) {
      var parts = [];
      for (var i = 0; i < keys.length; i++) {
        var k = keys[i];
        parts.push(GroveSync.text(Array.isArray(k) ? k[1] : k), GroveSync.text(values[i]));
      }
      return GroveSync.buffer(parts);
    },
  },

  // ---- storage ------------------------------------------------------------------------------------
  grove_js_storage_load__deps: ['$GroveSync'],
  grove_js_storage_load: function (dbName, modulePtr, cb) {
    var name = UTF8ToString(dbName), module = UTF8ToString(modulePtr), asked = performance.now();
    function fail(e) { Module['_grove_port_storage_loaded'](cb, 0, GroveSync.cstr(GroveSync.message(e)), 0, 0, 0, 0, 0, 0, 0); }
    function read() {
      GroveSync.startupReads.direct++;
      GroveSync.withStores(name, function (db) {
        var tx = db.transaction(['outbox', 'meta'], 'readonly');
        var r = GroveSync.range(module), out = {}, waiting = 4;
        // Read-only: the results are final when they arrive, without waiting for the complete event.
        function got(field) { return function (e) { out[field] = e.target.result; if (--waiting === 0) deliver(out); }; }
        tx.objectStore('outbox').getAllKeys(r).onsuccess = got('outboxKeys');
        tx.objectStore('outbox').getAll(r).onsuccess = got('outbox');
        tx.objectStore('meta').getAllKeys(r).onsuccess = got('metaKeys');
        tx.objectStore('meta').getAll(r).onsuccess = got('meta');
        // A failed request aborts the transaction: answered once, and never after the results.
        tx.onerror = function (e) { if (e && e.preventDefault) e.preventDefault(); };
        tx.onabort = function () { if (waiting > 0) { waiting = -1; fail(tx.error || new Error('the read was aborted')); } };
      }, fail);
    }
    // The loader's read of the same records, started while the wasm downloaded (grove.js, "Cache"),
    // taken once. It may be older than this call: the engine's first sync cycle compares the sync
    // record with storage under the lock and catches up (SyncEngine::catch_up).
    var reads = Module['groveCache'] && Module['groveCache'].reads, key = name + '\n' + module, pre = reads && reads[key];
    if (pre) {
      delete reads[key];
      pre.then(function (out) {
        if (!(out && out.outboxKeys && out.outbox && out.metaKeys && out.meta)) { read(); return; }
        GroveSync.startupReads.prefetched++;
        if (out.dirty) GroveSync.prefetchedPosts[key] = out.dirty;   // for the load_posts call that follows
        deliver(out);
      }, read);
    } else {
      read();
    }
    function deliver(out) {
      var started = performance.now();
      GroveSync.startupReads.waited = started - asked;
      var keys = [], values = [], blobKey = 0, blob = [0, 0], chunks = {};
      for (var i = 0; i < out.metaKeys.length; i++) {
        var key = String(out.metaKeys[i][1]), v = out.meta[i], cut = key.indexOf('\u0001');
        if (cut >= 0) {   // a piece of a value stored in chunks
          (chunks[key.slice(0, cut)] = chunks[key.slice(0, cut)] || []).push(v);
          continue;
        }
        if (v && typeof v === 'object' && typeof v.grove_chunks === 'number') {
          chunks[key] = chunks[key] || [];
          chunks[key].header = v;
          continue;
        }
        keys.push(out.metaKeys[i]);
        values.push(v);
      }
      // Values stored as bytes (the packed copy of the posts) go to C++ as they are: no string
      // conversion of megabytes. At most one such value: the packed copy.
      Object.keys(chunks).forEach(function (name) {
        var parts = chunks[name], h = parts.header;
        if (blobKey || !h || parts.length !== h.grove_chunks) return;   // incomplete: as if absent
        var total = 0;
        parts.forEach(function (c) { total += c.byteLength; });
        var p = _malloc(total + 1), at = p;
        parts.forEach(function (c) { HEAPU8.set(c instanceof Uint8Array ? c : new Uint8Array(c), at); at += c.byteLength; });
        HEAPU8[p + total] = 0;
        blob = [p, total];
        blobKey = GroveSync.cstr(name);
      });
      var o = GroveSync.pairs(out.outboxKeys, out.outbox), m = GroveSync.pairs(keys, values);
      Module['_grove_port_storage_loaded'](cb, 1, 0, o[0], o[1], m[0], m[1], blobKey, blob[0], blob[1]);
      GroveSync.startupReads.ms = performance.now() - started;   // joining, decoding and taking the cache in
    }
  },

  // ids: JSON array of post ids; [] means every post of the module.
  grove_js_storage_load_posts__deps: ['$GroveSync'],
  grove_js_storage_load_posts: function (dbName, modulePtr, idsPtr, cb) {
    var name = UTF8ToString(dbName), module = UTF8ToString(modulePtr), ids = JSON.parse(UTF8ToString(idsPtr));
    function fail(e) { Module['_grove_port_posts_loaded'](cb, 0, GroveSync.cstr(GroveSync.message(e)), 0, 0); }
    // Right after startup: the loader read exactly these posts in the same transaction as the rest.
    var key = name + '\n' + module, pre = GroveSync.prefetchedPosts[key];
    delete GroveSync.prefetchedPosts[key];
    if (pre && ids.length && pre.ids.length === ids.length && pre.ids.every(function (id, i) { return id === ids[i]; })) {
      GroveSync.startupReads.prefetchedPosts++;
      Promise.resolve().then(function () {
        var b = GroveSync.buffer(pre.values.map(GroveSync.text));
        Module['_grove_port_posts_loaded'](cb, 1, 0, b[0], b[1]);
      });
      return;
    }
    GroveSync.withStores(name, function (db) {
      var tx = db.transaction(['posts'], 'readonly');
      var store = tx.objectStore('posts'), values = [];
      if (!ids.length) {
        store.getAll(GroveSync.range(module)).onsuccess = function (e) { values = e.target.result; };
      } else {
        ids.forEach(function (id) {
          store.get([module, id]).onsuccess = function (e) { if (e.target.result !== undefined) values.push(e.target.result); };
        });
      }
      tx.oncomplete = function () {
        var b = GroveSync.buffer(values.map(GroveSync.text));
        Module['_grove_port_posts_loaded'](cb, 1, 0, b[0], b[1]);
      };
      tx.onerror = function (e) { if (e && e.preventDefault) e.preventDefault(); fail(tx.error); };
      tx.onabort = function () { fail(tx.error || new Error('the read was aborted')); };
    }, fail);
  },

  grove_js_storage_load_outbox__deps: ['$GroveSync'],
  grove_js_storage_load_outbox: function (dbName, modulePtr, cb) {
    var name = UTF8ToString(dbName), module = UTF8ToString(modulePtr);
    function fail(e) { Module['_grove_port_outbox_loaded'](cb, 0, GroveSync.cstr(GroveSync.message(e)), 0, 0, 0); }
    GroveSync.withStores(name, function (db) {
      var tx = db.transaction(['outbox', 'meta'], 'readonly');
      var r = GroveSync.range(module), out = {};
      tx.objectStore('outbox').getAllKeys(r).onsuccess = function (e) { out.keys = e.target.result; };
      tx.objectStore('outbox').getAll(r).onsuccess = function (e) { out.values = e.target.result; };
      tx.objectStore('meta').get([module, 'sync']).onsuccess = function (e) { out.sync = e.target.result; };
      tx.oncomplete = function () {
        var o = GroveSync.pairs(out.keys, out.values);
        Module['_grove_port_outbox_loaded'](cb, 1, 0, o[0], o[1], out.sync === undefined ? 0 : GroveSync.cstr(GroveSync.text(out.sync)));
      };
      tx.onerror = function (e) { if (e && e.preventDefault) e.preventDefault(); fail(tx.error); };
      tx.onabort = function () { fail(tx.error || new Error('the read was aborted')); };
    }, fail);
  },

  // batch: {"module", "clear_posts", "put_posts": [[k, v]], "delete_posts": [k], "put_outbox", ...,
  // "put_meta", "delete_meta": [k]}
  grove_js_storage_write__deps: ['$GroveSync'],
  // Large values come as bytes ({"blob": i} in the batch, i into blobs: int32 [pointer, length]
  // pairs) and are stored as a Uint8Array, copied out of the heap before this returns.
  grove_js_storage_write: function (dbName, batchPtr, cb, blobsPtr, blobCount) {
    var name = UTF8ToString(dbName);
    var b = JSON.parse(UTF8ToString(batchPtr));
    var blobs = [];
    for (var i = 0; i < blobCount; i++) {
      var at = HEAP32[(blobsPtr >> 2) + 2 * i], len = HEAP32[(blobsPtr >> 2) + 2 * i + 1];
      blobs.push(HEAPU8.slice(at, at + len));
    }
    function isBlob(v) { return v !== null && typeof v === 'object' && 'blob' in v; }
    var started = performance.now();
    // The benchmark's measure of persisting a new post: this call (made right after the outbox
    // append) to the transaction's complete event, for the batch that saves a queued create.
    var creates = b.put_outbox.some(function (r) { return typeof r[1] === 'string' && r[1].indexOf('"op":"create"') >= 0; });
    function finish(error) {
      var ms = performance.now() - started;
      GroveSync.lastWrite = { ms: ms, error: error || '' };
      if (creates && !error) GroveSync.lastCreateWrite = { ms: ms };
      Module['_grove_port_storage_written'](cb, GroveSync.cstr(error || ''));
    }
    GroveSync.withStores(name, function (db) {
      var stores = [];
      if (b.clear_posts || b.put_posts.length || b.delete_posts.length) stores.push('posts');
      if (b.put_outbox.length || b.delete_outbox.length) stores.push('outbox');
      var deleteMeta = b.delete_meta || [];
      if (b.put_meta.length || deleteMeta.length) stores.push('meta');
      if (!stores.length) { finish(''); return; }
      var tx = db.transaction(stores, 'readwrite');
      var m = b.module;
      if (stores.indexOf('posts') >= 0) {
        var posts = tx.objectStore('posts');
        if (b.clear_posts) posts.delete(GroveSync.range(m));
        b.put_posts.forEach(function (r) { posts.put(r[1], [m, r[0]]); });
        b.delete_posts.forEach(function (k) { posts.delete([m, k]); });
      }
      if (stores.indexOf('outbox') >= 0) {
        var outbox = tx.objectStore('outbox');
        b.put_outbox.forEach(function (r) { outbox.put(r[1], [m, r[0]]); });
        b.delete_outbox.forEach(function (k) { outbox.delete([m, k]); });
      }
      if (stores.indexOf('meta') >= 0) {
        var meta = tx.objectStore('meta');
        b.put_meta.forEach(function (r) {
          // Pieces of an earlier value stored in chunks go in either case (an empty range is cheap).
          var pieces = IDBKeyRange.bound([m, r[0] + '\u0001'], [m, r[0] + '\u0002'], false, true);
          if (!isBlob(r[1])) {
            meta.delete(pieces);
            meta.put(r[1], [m, r[0]]);
            return;
          }
          // Stored in pieces of 1 MiB. Measured in Chromium with the 3.4 MB packed copy of 10,000
          // posts (getAll of the pieces): 1 MiB pieces 39-49 ms, one value 41-43 ms, 250 KB pieces
          // 39-46 ms, 60 KB pieces 174-207 ms (what an earlier version wrote; still read).
          var bytes = blobs[r[1].blob], size = 1 << 20, n = Math.ceil(bytes.length / size);
          meta.delete(pieces);
          for (var i = 0; i < n; i++) {
            // slice, not subarray: a view would store its whole underlying buffer every time.
            meta.put(bytes.slice(i * size, Math.min(bytes.length, (i + 1) * size)), [m, r[0] + '\u0001' + ('00000' + i).slice(-6)]);
          }
          meta.put({ grove_chunks: n, bytes: bytes.length }, [m, r[0]]);
        });
        deleteMeta.forEach(function (k) {   // the value and any pieces of it
          meta.delete([m, k]);
          meta.delete(IDBKeyRange.bound([m, k + '\u0001'], [m, k + '\u0002'], false, true));
        });
      }
      tx.oncomplete = function () { finish(''); };
      tx.onerror = function (e) { if (e && e.preventDefault) e.preventDefault(); };
      tx.onabort = function () { finish(GroveSync.message(tx.error || new Error('the write was aborted'))); };
      // Everything is requested: commit now rather than when this task ends (a write made while
      // a frame is drawn would otherwise wait for the rest of that frame).
      if (typeof tx.commit === 'function') tx.commit();
    }, function (e) { finish(GroveSync.message(e)); });
  },

  // ---- HTTP ---------------------------------------------------------------------------------------
  // request: {"method", "url", "headers": [[k, v]], "body", "timeout_ms"}
  grove_js_http_send__deps: ['$GroveSync'],
  grove_js_http_send: function (requestPtr, id) {
    var r = JSON.parse(UTF8ToString(requestPtr));
    var controller = typeof AbortController === 'function' ? new AbortController() : null;
    var timedOut = false;
    var timer = setTimeout(function () { timedOut = true; if (controller) controller.abort(); }, r.timeout_ms || 15000);
    GroveSync.fetches[id] = controller;
    function done(status, body, retryAfter, error) {
      clearTimeout(timer);
      if (!(id in GroveSync.fetches)) return;   // cancelled: C++ no longer waits
      delete GroveSync.fetches[id];
      Module['_grove_port_http_done'](id, status, GroveSync.cstr(body || ''), retryAfter, GroveSync.cstr(error || ''));
    }
    var headers = {};
    r.headers.forEach(function (h) { headers[h[0]] = h[1]; });
    var init = { method: r.method, headers: headers, cache: 'no-store', credentials: 'omit', mode: 'cors', redirect: 'follow' };
    if (r.body) init.body = r.body;
    if (controller) init.signal = controller.signal;
    fetch(r.url, init).then(function (res) {
      var ra = res.headers.get('Retry-After');
      var seconds = ra !== null && /^\s*\d+\s*$/.test(ra) ? parseInt(ra, 10) : -1;
      if (seconds < 0 && ra) {   // an HTTP date
        var when = Date.parse(ra);
        if (!isNaN(when)) seconds = Math.max(0, Math.ceil((when - Date.now()) / 1000));
      }
      return res.text().then(function (text) { done(res.status, text, seconds, ''); });
    }).catch(function (e) {
      done(0, '', -1, timedOut ? 'timed out after ' + (r.timeout_ms || 15000) + ' ms' : GroveSync.message(e));
    });
  },

  grove_js_http_cancel__deps: ['$GroveSync'],
  grove_js_http_cancel: function (id) {
    var c = GroveSync.fetches[id];
    delete GroveSync.fetches[id];
    if (c) c.abort();
  },

  // ---- timers, random, console ---------------------------------------------------------------------
  grove_js_timer_set__deps: ['$GroveSync'],
  grove_js_timer_set: function (id, delayMs) {
    GroveSync.timers[id] = setTimeout(function () {
      delete GroveSync.timers[id];
      Module['_grove_port_timer_fired'](id);
    }, Math.max(0, delayMs));
  },

  grove_js_timer_cancel__deps: ['$GroveSync'],
  grove_js_timer_cancel: function (id) {
    if (id in GroveSync.timers) clearTimeout(GroveSync.timers[id]);
    delete GroveSync.timers[id];
  },

  grove_js_now_ms: function () { return Date.now(); },

  grove_js_random32: function () {
    if (typeof crypto !== 'undefined' && crypto.getRandomValues) return crypto.getRandomValues(new Uint32Array(1))[0];
    return Math.floor(Math.random() * 4294967296);
  },

  grove_js_console_warn: function (text) { console.warn(UTF8ToString(text)); },

  // ---- locks and broadcast --------------------------------------------------------------------------
  grove_js_lock_acquire__deps: ['$GroveSync'],
  grove_js_lock_acquire: function (namePtr, cb) {
    var name = UTF8ToString(namePtr);
    var lockId = GroveSync.nextLock++;
    function granted(release) {
      GroveSync.locks[lockId] = release;
      Module['_grove_port_lock_granted'](cb, lockId);
    }
    if (typeof navigator !== 'undefined' && navigator.locks && navigator.locks.request) {
      navigator.locks.request(name, function () {
        return new Promise(function (resolve) { granted(resolve); });
      }).catch(function (e) { console.warn('Grove: lock failed: ' + GroveSync.message(e)); });
      return;
    }
    // No Web Locks (not a secure context): tabs are not kept apart, but the server's idempotency
    // still keeps every write once; mounts of this page still take turns.
    if (!GroveSync.warnedLocks) {
      GroveSync.warnedLocks = true;
      console.info('Grove: Web Locks are unavailable (page not served over HTTPS); tabs sync independently.');
    }
    var q = GroveSync.localLocks[name] || (GroveSync.localLocks[name] = { held: false, waiting: [] });
    function next() {
      if (q.held || !q.waiting.length) return;
      q.held = true;
      var start = q.waiting.shift();
      start(function () { q.held = false; setTimeout(next, 0); });
    }
    q.waiting.push(granted);
    setTimeout(next, 0);
  },

  grove_js_lock_release__deps: ['$GroveSync'],
  grove_js_lock_release: function (lockId) {
    var release = GroveSync.locks[lockId];
    delete GroveSync.locks[lockId];
    if (release) release();
  },

  grove_js_channel_open__deps: ['$GroveSync'],
  grove_js_channel_open: function (id, namePtr) {
    if (typeof BroadcastChannel !== 'function') return;
    var ch = new BroadcastChannel(UTF8ToString(namePtr));
    ch.onmessage = function (e) {
      if (typeof e.data === 'string') Module['_grove_port_channel_message'](id, GroveSync.cstr(e.data));
    };
    GroveSync.channels[id] = ch;
  },

  grove_js_channel_post__deps: ['$GroveSync'],
  grove_js_channel_post: function (id, messagePtr) {
    var ch = GroveSync.channels[id];
    if (ch) ch.postMessage(UTF8ToString(messagePtr));
  },

  grove_js_channel_close__deps: ['$GroveSync'],
  grove_js_channel_close: function (id) {
    var ch = GroveSync.channels[id];
    delete GroveSync.channels[id];
    if (ch) ch.close();
  },

  // ---- the page -------------------------------------------------------------------------------------
  // Returns bit 0: navigator.onLine, bit 1: visible. Events: 1 online, 2 offline, 3 visible, 4 hidden, 5 focus.
  grove_js_page_watch__deps: ['$GroveSync'],
  grove_js_page_watch: function (id) {
    function send(kind) { Module['_grove_port_page_event'](id, kind); }
    var l = {
      online: function () { send(1); },
      offline: function () { send(2); },
      visibility: function () { send(document.visibilityState === 'hidden' ? 4 : 3); },
      focus: function () { send(5); },
    };
    window.addEventListener('online', l.online);
    window.addEventListener('offline', l.offline);
    document.addEventListener('visibilitychange', l.visibility);
    window.addEventListener('focus', l.focus);
    GroveSync.watchers[id] = l;
    return (navigator.onLine === false ? 0 : 1) | (document.visibilityState === 'hidden' ? 0 : 2);
  },

  grove_js_page_unwatch__deps: ['$GroveSync'],
  grove_js_page_unwatch: function (id) {
    var l = GroveSync.watchers[id];
    delete GroveSync.watchers[id];
    if (!l) return;
    window.removeEventListener('online', l.online);
    window.removeEventListener('offline', l.offline);
    document.removeEventListener('visibilitychange', l.visibility);
    window.removeEventListener('focus', l.focus);
  },

  // mount element.groveSyncState() -> {module, me, loaded, online, pending, failed, last_sync,
  // notice, held_work, draft, posts: [Post + state]}: for support and browser tests.
  // groveSyncState({posts: false}) leaves the posts out (an empty list): cheap enough to poll.
  grove_js_expose_state: function (mountId, engineId, expose) {
    var m = Module.groveMounts && Module.groveMounts[mountId];
    if (!m || !m.element) return;
    if (!expose) {
      if (m.element.groveSyncState && m.element.groveSyncState.engine === engineId) delete m.element.groveSyncState;
      return;
    }
    var fn = function (opts) {
      var p = Module['_grove_sync_state'](engineId, opts && opts.posts === false ? 0 : 1);
      var s = UTF8ToString(p);
      _free(p);
      var state = JSON.parse(s);
      // For the benchmark: the last write batch of any kind, and the last one that saved a new post.
      state.last_storage_write_ms = GroveSync.lastWrite ? GroveSync.lastWrite.ms : null;
      state.last_create_write_ms = GroveSync.lastCreateWrite ? GroveSync.lastCreateWrite.ms : null;
      state.cache_reads = GroveSync.startupReads;
      return state;
    };
    fn.engine = engineId;
    m.element.groveSyncState = fn;
  },

  // The loader's hook (GroveConfig.getToken): Module.groveMounts[mount].hooks.getToken(force).
  grove_js_token_get__deps: ['$GroveSync'],
  grove_js_token_get: function (mountId, force, cb) {
    function done(ok, token, error) {
      Module['_grove_port_token'](cb, ok, GroveSync.cstr(token || ''), GroveSync.cstr(error || ''));
    }
    var m = Module.groveMounts && Module.groveMounts[mountId];
    var hook = m && m.hooks && m.hooks.getToken;
    if (typeof hook !== 'function') { setTimeout(function () { done(1, '', ''); }, 0); return; }
    var p;
    try { p = Promise.resolve(hook(!!force)); } catch (e) { p = Promise.reject(e); }
    p.then(function (t) { done(1, t ? String(t).trim() : '', ''); },
           function (e) { done(0, '', GroveSync.message(e)); });
  },
});
