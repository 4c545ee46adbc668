// Grove's browser platform layer (--pre-js of grove-core.js): wires one mount element's DOM
// events to the wasm widget and applies what each frame reports back (size, text agent, cursor).
//
// - Input is listened for on the mount element only, so keys typed elsewhere on the page never
//   reach the widget, and default actions are prevented only for what the widget really handles.
// - The text agent: a transparent <textarea> inside the mount element holds the page's focus
//   while the widget is focused. Typed, IME-composed and pasted text arrives through its input,
//   composition and paste events (as in any page input); copy and cut ask the widget for its
//   selection synchronously. Mobile keyboards open only while a field is being edited.
// - Tab past the widget's last control (or Shift+Tab before its first) moves the page's focus to
//   the next (previous) focusable element, as if the widget were one more form field.
// - Frames are drawn on demand; none while the widget is off screen or the tab is hidden.

var GROVE_CURSORS = ['default', 'text', 'move', 'ns-resize', 'ew-resize', 'nesw-resize', 'nwse-resize', 'pointer', 'not-allowed'];
var GROVE_SPECIAL_KEYS = {
  Tab: 1, ArrowLeft: 1, ArrowRight: 1, ArrowUp: 1, ArrowDown: 1, PageUp: 1, PageDown: 1, Home: 1, End: 1,
  Insert: 1, Delete: 1, Backspace: 1, Enter: 1, Escape: 1,
};
var GROVE_FOCUSABLE = 'a[href],area[href],button,input,select,textarea,iframe,summary,[contenteditable=""],' +
  '[contenteditable="true"],[tabindex]';
var GROVE_MAX_PASTE = 20000;   // characters; posts are capped at 500 anyway

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

Module.groveFrameDone = function (id, contentHeight, wantText, caretX, caretY, caretH, cursor, scrollY, scrollMax,
  announce) {
  var m = Module.groveMounts[id];
  if (!m) return;
  m.frames++;
  if (announce) {   // screen readers: where the keyboard focus went, what just happened
    m.live.textContent = '';
    m.live.textContent = announce;
  }
  var h = Math.max(1, Math.ceil(contentHeight));
  if (Math.abs(h - m.contentHeight) >= 1) {
    m.contentHeight = h;
    m.canvas.style.height = h + 'px';     // max-height (data-grove-height) caps it; then the widget scrolls
  }
  m.scrollY = scrollY;
  m.scrollMax = scrollMax;
  // Touch: a focused widget with more to show scrolls itself under a finger (see the touch
  // handlers in groveAttach); otherwise fingers pan the page as usual.
  var touchAction = scrollMax > 0 && m.element.contains(document.activeElement) ? 'none' : 'pan-y';
  if (m.canvas.style.touchAction !== touchAction) m.canvas.style.touchAction = touchAction;
  m.canvas.style.cursor = GROVE_CURSORS[cursor] || 'default';
  if (wantText && caretH > 0) {   // IME candidate windows open at the caret
    m.agent.style.left = Math.max(0, caretX) + 'px';
    m.agent.style.top = Math.max(0, caretY) + 'px';
    m.agent.style.height = caretH + 'px';
    m.agent.style.fontSize = Math.max(8, caretH * 0.85) + 'px';
  }
  if (wantText !== m.wantText) {
    m.wantText = wantText;
    // A virtual keyboard only while a field is being edited.
    m.agent.setAttribute('inputmode', wantText ? 'text' : 'none');
    var inside = m.element.contains(document.activeElement);
    if (wantText && inside && document.activeElement !== m.agent) m.agent.focus({ preventScroll: true });
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
    composing: false, listeners: [], observers: [], frames: 0, scrollY: 0, scrollMax: 0,
    onscreen: true,
  };
  Module.groveMounts[id] = m;
  var ok = Module.ccall('grove_mount', 'number', ['number', 'string'], [id, JSON.stringify(config)]);
  if (!ok) {
    delete Module.groveMounts[id];
    var err = JSON.parse(UTF8ToString(Module._grove_last_error()));
    throw err.error;
  }
  Module._grove_set_env(id, /Mac|iPhone|iPad|iPod/.test(navigator.platform || '') ? 1 : 0,
    -new Date().getTimezoneOffset());

  // The text agent (see the top of this file). Not in the page's tab order: the mount element is.
  var agent = document.createElement('textarea');
  agent.className = 'grove-text-agent';
  agent.tabIndex = -1;
  agent.setAttribute('autocomplete', 'off');
  agent.setAttribute('autocorrect', 'off');
  agent.setAttribute('autocapitalize', 'sentences');
  agent.setAttribute('spellcheck', 'false');
  agent.setAttribute('inputmode', 'none');
  agent.setAttribute('aria-label', config.prompt || 'Your reflection');
  var AGENT_STYLE = 'position:absolute;left:0;top:0;width:2px;height:1.2em;padding:0;border:0;margin:0;' +
    'opacity:0;resize:none;overflow:hidden;pointer-events:none;background:transparent;color:transparent;' +
    'font-size:16px;line-height:1;white-space:pre;z-index:1;';
  agent.style.cssText = AGENT_STYLE;
  canvas.parentNode.insertBefore(agent, canvas.nextSibling);
  m.agent = agent;
  // The canvas says nothing to screen readers; this live region says what focus and actions do.
  var live = document.createElement('div');
  live.className = 'grove-live';
  live.setAttribute('role', 'status');
  live.setAttribute('aria-live', 'polite');
  live.style.cssText = 'position:absolute;width:1px;height:1px;margin:-1px;padding:0;border:0;overflow:hidden;' +
    'clip:rect(0 0 0 0);clip-path:inset(50%);white-space:nowrap;';
  canvas.parentNode.insertBefore(live, agent.nextSibling);
  m.live = live;

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
  function key(name, e) {
    return Module.ccall('grove_key', 'number', ['number', 'string', 'number'], [id, name, mods(e)]);
  }
  function focusableOutside(forward) {
    var all = Array.prototype.filter.call(document.querySelectorAll(GROVE_FOCUSABLE), function (el) {
      if (el.disabled || element.contains(el) || el.contains(element)) return false;
      var ti = el.getAttribute('tabindex');
      if (ti !== null && Number(ti) < 0) return false;
      if (el.closest('[inert]') || el.getClientRects().length === 0) return false;
      return getComputedStyle(el).visibility !== 'hidden';
    });
    var before = [], after = [];
    all.forEach(function (el) {
      (element.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING ? after : before).push(el);
    });
    return forward ? after[0] : before[before.length - 1];
  }
  function leave(forward) {
    var next = focusableOutside(forward);
    if (next) next.focus();
    else document.activeElement.blur();
  }

  // Keyboard: only what reaches the mount element (the agent has focus, or the element).
  on(element, 'keydown', function (e) {
    if (e.isComposing || e.keyCode === 229 || m.composing) return;
    var shortcut = (e.ctrlKey || e.metaKey) && e.key.length === 1;
    if (shortcut && /^[vcx]$/i.test(e.key) && !e.altKey) return;    // paste, copy and cut events
    var asKey = shortcut || GROVE_SPECIAL_KEYS[e.key] || (e.key === ' ' && !m.wantText);
    if (!asKey) return;                                              // arrives as text input
    var r = key(e.key, e);
    if (r === 1) e.preventDefault();
    else if (r === 2 || r === 3) {
      e.preventDefault();
      leave(r === 2);
    }
  });
  on(element, 'keyup', function (e) {
    if (e.key === 'Meta') Module._grove_focus(id, 1);   // macOS swallows keyups while Meta is down
  });
  on(agent, 'compositionstart', function () {
    m.composing = true;
    // Show what is being composed at the caret (the canvas cannot draw the IME's preedit).
    agent.style.opacity = '1';
    agent.style.color = 'CanvasText';
    agent.style.background = 'Canvas';
    agent.style.width = '40em';
    agent.style.borderBottom = '2px solid currentColor';
  });
  on(agent, 'compositionend', function (e) {
    m.composing = false;
    agent.style.cssText = AGENT_STYLE;
    sendText(e.data);
    agent.value = '';
  });
  on(agent, 'beforeinput', function (e) {
    // Mobile keyboards send no keydown for these; the widget edits its own text.
    if (e.inputType === 'deleteContentBackward' && agent.value === '') {
      e.preventDefault();
      key('Backspace', e);
    } else if (e.inputType === 'insertLineBreak' || e.inputType === 'insertParagraph') {
      e.preventDefault();
      key('Enter', e);
    }
  });
  on(agent, 'input', function (e) {
    if (m.composing || e.isComposing) return;
    sendText(agent.value);
    agent.value = '';
  });
  on(agent, 'paste', function (e) {
    var text = e.clipboardData ? e.clipboardData.getData('text/plain') : '';
    e.preventDefault();
    if (!text) return;
    text = text.slice(0, GROVE_MAX_PASTE);
    Module.groveClipboardText = text;
    sendText(text);
  });
  function copy(e, cut) {
    var text = UTF8ToString(Module._grove_copy(id, cut ? 1 : 0));
    if (!text || !e.clipboardData) return;
    e.clipboardData.setData('text/plain', text);
    Module.groveClipboardText = text;
    e.preventDefault();
  }
  on(agent, 'copy', function (e) { copy(e, false); });
  on(agent, 'cut', function (e) { copy(e, true); });

  // Focus: the element is focusable; focus coming from the page goes on to the text agent,
  // and into the composer (or onto the last control when Shift+Tab came from below).
  var pointerFocus = false;
  on(element, 'focusin', function (e) {
    var from = e.relatedTarget;
    var fromOutside = !from || !element.contains(from);
    if (fromOutside) Module._grove_focus(id, 1);
    if (e.target === element) {
      if (!pointerFocus) {
        var fromBelow = from && fromOutside && (element.compareDocumentPosition(from) & Node.DOCUMENT_POSITION_FOLLOWING);
        Module._grove_focus_entry(id, fromBelow ? 1 : 0);
      }
      agent.focus({ preventScroll: true });
    }
  });
  on(element, 'focusout', function (e) {
    if (!element.contains(e.relatedTarget)) Module._grove_focus(id, 0);
  });

  // Pointer: captured while a button is down, so drags that leave the canvas still end.
  // A finger that moves more than a few pixels scrolls (the widget, then the page once the widget
  // is at its end) and is not a tap: its press is released away from every control.
  var touch = null;
  function cancelPress() {
    Module._grove_mouse_move(id, -1e6, -1e6);
    Module._grove_mouse_button(id, 0, 0, 0);
  }
  on(canvas, 'pointermove', function (e) {
    if (touch && e.pointerId === touch.id) {
      var dy = touch.y - e.clientY;
      if (!touch.moved && Math.abs(dy) > 8) {
        touch.moved = true;
        cancelPress();
      }
      if (touch.moved && dy) {
        if (!Module._grove_wheel(id, dy)) window.scrollBy(0, dy);
        touch.y = e.clientY;
      }
      return;
    }
    pointer(e);
  });
  on(canvas, 'pointerdown', function (e) {
    if (!focused()) {
      pointerFocus = true;   // a click focuses the widget without opening the composer
      agent.focus({ preventScroll: true });
      pointerFocus = false;
    }
    e.preventDefault();      // keeps the focus in the agent (no focus change to the canvas)
    canvas.setPointerCapture(e.pointerId);
    if (e.pointerType === 'touch') touch = { id: e.pointerId, y: e.clientY, moved: false };
    pointer(e);
    Module._grove_mouse_button(id, [0, 2, 1][e.button] || 0, 1, mods(e));
  });
  on(canvas, 'pointerup', function (e) {
    var dragged = touch && touch.id === e.pointerId && touch.moved;
    if (touch && touch.id === e.pointerId) touch = null;
    if (dragged) return;     // released already, away from every control
    pointer(e);
    Module._grove_mouse_button(id, [0, 2, 1][e.button] || 0, 0, mods(e));
  });
  on(canvas, 'pointercancel', function (e) {   // the browser took the gesture (page panning)
    if (touch && touch.id === e.pointerId) touch = null;
    cancelPress();
  });
  on(canvas, 'pointerleave', function () { Module._grove_mouse_move(id, -1e6, -1e6); });
  // The wheel scrolls the widget only while it has focus, and only while it can scroll that
  // way; otherwise the page scrolls as usual.
  on(canvas, 'wheel', function (e) {
    if (!focused() || !e.deltaY) return;
    var px = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaMode === 2 ? e.deltaY * canvas.clientHeight : e.deltaY;
    if (Module._grove_wheel(id, px)) e.preventDefault();
  }, { passive: false });

  // Size and pixel ratio: the drawing buffer follows the canvas's CSS box in device pixels.
  function resize() {
    m.dpr = window.devicePixelRatio || 1;
    Module._grove_resize(id, canvas.clientWidth, canvas.clientHeight, m.dpr);
  }
  var ro = new ResizeObserver(resize);
  ro.observe(canvas);
  m.observers.push(ro);
  // Zoom and moving to another screen change devicePixelRatio: the resolution media query says
  // so in most browsers, a window resize in the others.
  on(window, 'resize', function () {
    if ((window.devicePixelRatio || 1) !== m.dpr) resize();
  });
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

  // No frames while nobody can see them.
  function visibility() { Module._grove_set_visible(id, m.onscreen && !document.hidden ? 1 : 0); }
  if (typeof IntersectionObserver === 'function') {
    var io = new IntersectionObserver(function (entries) {
      m.onscreen = entries[entries.length - 1].isIntersecting;
      visibility();
    });
    io.observe(canvas);
    m.observers.push(io);
  }
  on(document, 'visibilitychange', visibility);
  resize();

  // What this widget shows, for tests and tools (and a future accessibility mirror).
  element.groveDebug = {
    controls: function () { return Module.groveControls(id); },
    // A promise: the first call starts recording, and the text is there after the next frame.
    screenText: function () {
      var first = !m.capturing;
      m.capturing = true;
      var text = Module.groveScreenText(id, true);
      if (!first) return Promise.resolve(text);
      var start = m.frames;
      return new Promise(function (resolve) {
        (function wait() {
          if (m.frames > start) resolve(Module.groveScreenText(id, true));
          else requestAnimationFrame(wait);
        })();
      });
    },
    // A promise of every line of text drawn in the last frame: {text, x, y, w, h (its box, CSS
    // px), baseline (from the box's top), size, strong, rtl, font (the CSS font, in device px)}.
    textLines: function () {
      return element.groveDebug.screenText().then(function () {
        return JSON.parse(UTF8ToString(Module._grove_screen_lines(id)));
      });
    },
    stats: function () { return Module.groveStats(id); },
  };

  return {
    detach: function () {
      m.listeners.forEach(function (l) { l[0].removeEventListener(l[1], l[2], l[3]); });
      m.observers.forEach(function (o) { o.disconnect(); });
      if (m.dprQuery) m.dprQuery[0].removeEventListener('change', m.dprQuery[1]);
      agent.remove();
      live.remove();
      delete element.groveDebug;
      delete Module.groveMounts[id];
      Module._grove_unmount(id);
    },
  };
};

// For tests, tools and a future accessibility mirror: what one widget shows right now.
Module.groveControls = function (id) {
  return JSON.parse(UTF8ToString(Module._grove_controls(id)));
};
Module.groveScreenText = function (id, capture) {
  return UTF8ToString(Module._grove_screen_text(id, capture === false ? 0 : 1));
};
Module.groveStats = function (id) {
  var m = Module.groveMounts[id];
  if (!m) return null;
  // text: how text is drawn ("canvas": the reader's fonts, "atlas": the bundled font), glyphs
  // drawn with no font for them (tofu), GPU memory of the text pages.
  var text = JSON.parse(UTF8ToString(Module._grove_text_stats(id)));
  return { frames: m.frames, scrollY: m.scrollY, scrollMax: m.scrollMax, wantText: m.wantText, text: text };
};
