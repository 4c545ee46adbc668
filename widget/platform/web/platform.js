// Grove's browser platform layer (--pre-js of grove-core.js): wires one mount element's DOM
// events to the wasm widget and applies what each frame reports back (size, text agent, cursor).
// Input is listened for on the mount element only, so keys typed elsewhere on the page never
// reach the widget, and default actions are prevented only for what the widget really handles.

var GROVE_CURSORS = ['default', 'text', 'move', 'ns-resize', 'ew-resize', 'nesw-resize', 'nwse-resize', 'pointer', 'not-allowed'];
var GROVE_SPECIAL_KEYS = {
  Tab: 1, ArrowLeft: 1, ArrowRight: 1, ArrowUp: 1, ArrowDown: 1, PageUp: 1, PageDown: 1, Home: 1, End: 1,
  Insert: 1, Delete: 1, Backspace: 1, Enter: 1, Escape: 1,
};

Module.groveMounts = {};
Module.groveClipboardText = '';

Module.groveClipboardWrite = function (text) {
  Module.groveClipboardText = text;
  if (navigator.clipboard && navigator.clipboard.writeText) {
    navigator.clipboard.writeText(text).catch(function () { /* no permission: kept for in-widget paste */ });
  }
};

Module.groveEmit = function (id, name, detailJson) {
  var m = Module.groveMounts[id];
  if (!m) return;
  m.element.dispatchEvent(new CustomEvent(name, { bubbles: true, detail: JSON.parse(detailJson) }));
};

Module.groveFrameDone = function (id, contentHeight, wantText, wantKeyboard, caretX, caretY, cursor) {
  var m = Module.groveMounts[id];
  if (!m) return;
  var h = Math.max(1, Math.ceil(contentHeight));
  if (Math.abs(h - m.contentHeight) >= 1) {
    m.contentHeight = h;
    m.canvas.style.height = h + 'px';     // max-height (data-grove-height) caps it; then ImGui scrolls
  }
  m.canvas.style.cursor = GROVE_CURSORS[cursor] || 'default';
  m.agent.style.left = Math.max(0, caretX) + 'px';
  m.agent.style.top = Math.max(0, caretY) + 'px';
  m.wantKeyboard = wantKeyboard;
  if (wantText !== m.wantText) {
    m.wantText = wantText;
    var inside = m.element.contains(document.activeElement);
    if (wantText && inside && document.activeElement !== m.agent) m.agent.focus({ preventScroll: true });
    if (!wantText && document.activeElement === m.agent) m.element.focus({ preventScroll: true });
  }
};

// Mounts the widget on `canvas` (inside `element`); config is the validated attribute set.
// hooks.getToken(forceRefresh) -> Promise<string> comes from the loader (GroveConfig.getToken);
// the sync layer calls it through Module.groveMounts[id].hooks, again with true after a 401.
// Returns a handle with detach(); throws {code, message} when the widget cannot start.
Module.groveAttach = function (id, element, canvas, config, hooks) {
  // Registered before grove_mount: the sync layer may ask for hooks while the mount starts.
  var m = {
    id: id, element: element, canvas: canvas, hooks: hooks || {}, contentHeight: 0, wantText: false,
    wantKeyboard: false, composing: false, listeners: [], observers: [],
  };
  Module.groveMounts[id] = m;
  var ok = Module.ccall('grove_mount', 'number', ['number', 'string'], [id, JSON.stringify(config)]);
  if (!ok) {
    delete Module.groveMounts[id];
    var err = JSON.parse(UTF8ToString(Module._grove_last_error()));
    throw err.error;
  }

  // The text agent: a transparent textarea that holds focus while a text field is active, so
  // IME composition, mobile keyboards, paste and accessibility work as in any page input.
  var agent = document.createElement('textarea');
  agent.className = 'grove-text-agent';
  agent.setAttribute('autocomplete', 'off');
  agent.setAttribute('autocorrect', 'off');
  agent.setAttribute('autocapitalize', 'off');
  agent.setAttribute('spellcheck', 'false');
  agent.setAttribute('aria-label', config.prompt || 'Your reflection');
  agent.style.cssText = 'position:absolute;left:0;top:0;width:2px;height:1.2em;padding:0;border:0;margin:0;' +
    'opacity:0;resize:none;overflow:hidden;pointer-events:none;background:transparent;color:transparent;font-size:16px;';
  canvas.parentNode.insertBefore(agent, canvas.nextSibling);
  m.agent = agent;

  function on(target, type, fn, opts) {
    target.addEventListener(type, fn, opts);
    m.listeners.push([target, type, fn, opts]);
  }
  function mods(e) { return (e.ctrlKey ? 1 : 0) | (e.shiftKey ? 2 : 0) | (e.altKey ? 4 : 0) | (e.metaKey ? 8 : 0); }
  function focused() { return element.contains(document.activeElement); }
  function pointer(e) {
    var r = canvas.getBoundingClientRect();
    Module._grove_mouse_move(id, e.clientX - r.left, e.clientY - r.top);
  }
  function sendText(text) {
    if (!text) return;
    Module.ccall('grove_text', null, ['number', 'string'], [id, text.replace(/\r\n?/g, '\n')]);
  }

  // Keyboard: only what reaches the mount element (it or the agent has focus).
  on(element, 'keydown', function (e) {
    if (e.isComposing || e.keyCode === 229 || m.composing) return;
    var shortcut = (e.ctrlKey || e.metaKey) && e.key.length === 1;
    if (shortcut && (e.key === 'v' || e.key === 'V')) return;   // arrives as a paste event
    if (!shortcut && !GROVE_SPECIAL_KEYS[e.key]) return;         // arrives as text input
    var handled = Module.ccall('grove_key', 'number', ['number', 'string', 'number', 'number'], [id, e.key, 1, mods(e)]);
    if (handled && !(shortcut && /^[cx]$/i.test(e.key))) e.preventDefault();
  });
  on(element, 'keyup', function (e) {
    Module.ccall('grove_key', 'number', ['number', 'string', 'number', 'number'], [id, e.key, 0, mods(e)]);
    if (e.key === 'Meta') Module._grove_focus(id, 1);   // macOS swallows keyups while Meta is down
  });
  on(agent, 'compositionstart', function () { m.composing = true; });
  on(agent, 'compositionend', function (e) {
    m.composing = false;
    sendText(e.data);
    agent.value = '';
  });
  on(agent, 'input', function (e) {
    if (m.composing || e.isComposing) return;
    sendText(agent.value);
    agent.value = '';
  });
  on(agent, 'paste', function (e) {
    var text = e.clipboardData ? e.clipboardData.getData('text/plain') : '';
    Module.groveClipboardText = text;
    e.preventDefault();
    sendText(text);
  });

  // Focus: the element is focusable; focusing it moves focus into the text agent so typing
  // right away types into the composer.
  on(element, 'focusin', function (e) {
    Module._grove_focus(id, 1);
    if (e.target === element) {
      Module._grove_focus_composer(id);
      agent.focus({ preventScroll: true });
    }
  });
  on(element, 'focusout', function (e) {
    if (!element.contains(e.relatedTarget)) Module._grove_focus(id, 0);
  });

  // Pointer: captured while a button is down, so drags that leave the canvas still end.
  on(canvas, 'pointermove', pointer);
  on(canvas, 'pointerdown', function (e) {
    if (!focused()) element.focus({ preventScroll: true });
    canvas.setPointerCapture(e.pointerId);
    pointer(e);
    Module._grove_mouse_button(id, [0, 2, 1][e.button] || 0, 1);
  });
  on(canvas, 'pointerup', function (e) {
    pointer(e);
    Module._grove_mouse_button(id, [0, 2, 1][e.button] || 0, 0);
  });
  on(canvas, 'pointerleave', function () { Module._grove_mouse_move(id, -1e6, -1e6); });
  // The wheel scrolls the widget only while it has focus; otherwise the page scrolls as usual.
  on(canvas, 'wheel', function (e) {
    if (!focused()) return;
    var lines = e.deltaMode === 1 ? 1 : e.deltaMode === 2 ? 20 : 1 / 40;
    Module._grove_mouse_wheel(id, e.deltaX * lines, e.deltaY * lines);
    if (m.contentHeight > canvas.clientHeight + 1) e.preventDefault();
  }, { passive: false });

  // Size and pixel ratio: the drawing buffer follows the canvas's CSS box in device pixels.
  function resize() {
    Module._grove_resize(id, canvas.clientWidth, canvas.clientHeight, window.devicePixelRatio || 1);
  }
  var ro = new ResizeObserver(resize);
  ro.observe(canvas);
  m.observers.push(ro);
  function watchDpr() {
    var mq = matchMedia('(resolution: ' + (window.devicePixelRatio || 1) + 'dppx)');
    var onChange = function () { mq.removeEventListener('change', onChange); resize(); watchDpr(); };
    mq.addEventListener('change', onChange);
    m.dprQuery = [mq, onChange];
  }
  watchDpr();
  var dark = matchMedia('(prefers-color-scheme: dark)');
  var onScheme = function () { Module._grove_set_prefers_dark(id, dark.matches ? 1 : 0); };
  on(dark, 'change', onScheme);
  onScheme();
  resize();

  return {
    detach: function () {
      m.listeners.forEach(function (l) { l[0].removeEventListener(l[1], l[2], l[3]); });
      m.observers.forEach(function (o) { o.disconnect(); });
      if (m.dprQuery) m.dprQuery[0].removeEventListener('change', m.dprQuery[1]);
      agent.remove();
      delete Module.groveMounts[id];
      Module._grove_unmount(id);
    },
  };
};
