// Grove's browser platform layer (--pre-js of grove-core.js): wires one mount element's DOM
// events to the wasm widget and applies what each frame reports back (size, the HTML view, the
// focus, the field being edited, the cursor).
//
// - Input is listened for on the mount element only, so keys typed elsewhere on the page never
//   reach the widget, and default actions are prevented only for what the widget really handles.
// - The HTML view (view_dom.js): every frame's semantic tree of the widget, applied to DOM nodes
//   inside the mount element. Behind the canvas it is not seen but read by screen readers; without
//   a canvas (no WebGL 2, forced colours) it is the widget.
// - One focus: the page's focus is on the view's element for the widget's focused control. Tab on
//   the canvas moves the widget's focus and the page's follows; a screen reader (or a click in the
//   view) moving the page's focus moves the widget's, and the canvas scrolls the control into view.
//   A click on a view's button acts through the widget, once (grove_activate); Enter and Space on
//   a focused button are the browser's own click.
// - Text: the view's textareas hold every field's text (caret, selection, deleting by grapheme,
//   IME composition, right-to-left typing, the clipboard are the browser's). The field being
//   edited on the canvas shows its own textarea over its box, styled like the widget. Every change
//   goes to the widget (grove_field_input).
// - Tab past the widget's last control (or Shift+Tab before its first) moves the page's focus to
//   the next (previous) focusable element, as if the widget were one more form field.
// - The text layer: over the canvas, each line of the post bodies it shows as transparent text of
//   the same font, size and width (aria-hidden: the view says it already), so dragging selects,
//   a double click selects a word, Ctrl+C and the context menu copy, and the browser's find finds
//   and highlights it. Only its lines take the mouse (which the widget still sees, so a link in a
//   post still opens); fingers go to the canvas's handlers.
// - Frames are drawn on demand; none while the widget is off screen or the tab is hidden.

var GROVE_CURSORS = ['default', 'text', 'move', 'ns-resize', 'ew-resize', 'nesw-resize', 'nwse-resize', 'pointer', 'not-allowed'];
var GROVE_SPECIAL_KEYS = {
  Tab: 1, ArrowLeft: 1, ArrowRight: 1, ArrowUp: 1, ArrowDown: 1, PageUp: 1, PageDown: 1, Home: 1, End: 1,
  Insert: 1, Delete: 1, Backspace: 1, Enter: 1, Escape: 1,
};
var GROVE_FOCUSABLE = 'a[href],area[href],button,input,select,textarea,iframe,summary,[contenteditable=""],' +
  '[contenteditable="true"],[tabindex]';
// A wheel gesture scrolling the page keeps scrolling it over the widget until the wheel rests
// this long (ms).
var GROVE_WHEEL_LATCH_MS = 300;
// The family the edited field's textarea and the visible view use: the system's UI font.
var GROVE_FONT_STACK = 'system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Ubuntu,Cantarell,"Helvetica Neue",Arial,sans-serif';

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

Module.groveViewStyle = function (id, vars) {
  var m = Module.groveMounts[id];
  if (!m) return;
  for (var name in vars) m.view.style.setProperty(name, vars[name]);
  if (m.layer) {
    for (var n in vars) m.layer.style.setProperty(n, vars[n]);
    if (vars['--grove-font'] && vars['--grove-font'] !== m.family) {
      m.family = vars['--grove-font'];
      m.spans.forEach(function (s) { s.g.w = -1; });   // measured again with the new family
    }
  }
};

// The text layer's lines for this frame: [[key, text, x, y, w, h, font px, weight, rtl, paragraph
// ends], ...] in CSS px, y from the content's top (the layer's inner box moves with the scroll). A
// line keeps its span while its key stays; only what changed is written, so a selection over it
// survives. What is copied: a line that wraps on ends with a space (past its drawn width), one
// that ends a paragraph with a <br>.
var groveMeasure = null;
Module.groveTextLayer = function (m, lines) {
  var old = m.spans, spans = new Map(), order = [];
  for (var i = 0; i < lines.length; i++) {
    var l = lines[i], key = l[0];
    if (spans.has(key)) key += '#' + i;
    var s = old.get(key);
    if (!s) {
      s = document.createElement('span');
      s.g = { w: -1 };
    }
    var g = s.g, st = s.style;
    if (g.text !== l[1] || g.brk !== l[9]) {
      s.textContent = l[1] + (l[9] ? '' : ' ');
      g.text = l[1];
      g.brk = l[9];
      g.w = -1;
      s.br = l[9] ? s.br || document.createElement('br') : null;
    }
    if (g.px !== l[6] || g.weight !== l[7]) {
      st.fontSize = l[6] + 'px';
      st.fontWeight = l[7];
      g.px = l[6];
      g.weight = l[7];
      g.w = -1;
    }
    if (g.x !== l[2]) st.left = (g.x = l[2]) + 'px';
    if (g.y !== l[3]) st.top = (g.y = l[3]) + 'px';
    if (g.h !== l[5]) st.height = st.lineHeight = (g.h = l[5]) + 'px';
    if (g.rtl !== l[8]) s.dir = (g.rtl = l[8]) ? 'rtl' : 'ltr';
    if (g.w !== l[4]) {   // as wide as the line drawn: the same font measured, then scaled to it
      if (!groveMeasure) groveMeasure = document.createElement('canvas').getContext('2d');
      groveMeasure.font = l[7] + ' ' + l[6] + 'px ' + (m.family || GROVE_FONT_STACK);
      var natural = groveMeasure.measureText(l[1]).width;
      st.transform = natural > 0 ? 'scaleX(' + (l[4] / natural).toFixed(4) + ')' : '';
      g.w = l[4];
    }
    spans.set(key, s);
    order.push(s);
    if (s.br) order.push(s.br);
  }
  m.spans = spans;
  var box = m.layerInner;
  var keep = new Set(order);
  for (var n = box.firstChild; n;) {   // first what goes (lines gone, breaks no longer wanted)
    var next = n.nextSibling;
    if (!keep.has(n)) box.removeChild(n);
    n = next;
  }
  var ref = box.firstChild;   // reading order, moving only what is out of place
  for (var k = 0; k < order.length; k++) {
    if (order[k] === ref) ref = ref.nextSibling;
    else box.insertBefore(order[k], ref);
  }
  m.layerWrites++;
};

Module.groveFrameDone = function (id, f) {
  var m = Module.groveMounts[id];
  if (!m) return;
  m.frames++;
  m.focusedId = f.focused;
  m.ring = f.ring;
  if (f.viewOps) {
    m.applying = true;   // nodes taken out with the focus in them send no focus events meanwhile
    var lost = m.dom.apply(JSON.parse(f.viewOps));
    m.applying = false;
    if (lost) m.refocus = true;
  }
  if (f.announce) {   // screen readers: what just happened (the same words twice are still said)
    var text = f.announce === m.lastAnnounce ? f.announce + '\u00a0' : f.announce;
    m.lastAnnounce = text;
    m.live.textContent = text;
  }
  if (m.canvas) {
    var h = Math.max(1, Math.ceil(f.contentHeight));
    if (Math.abs(h - m.contentHeight) >= 1) {
      m.contentHeight = h;
      m.canvas.style.height = h + 'px';     // max-height (data-grove-height) caps it; then the widget scrolls
    }
    m.scrollY = f.scrollY;
    m.scrollMax = f.scrollMax;
    // Touch: a focused widget with more to show scrolls itself under a finger (see the touch
    // handlers in groveAttach); otherwise fingers pan the page as usual.
    var touchAction = f.scrollMax > 0 && m.element.contains(document.activeElement) ? 'none' : 'pan-y';
    if (m.canvas.style.touchAction !== touchAction) m.canvas.style.touchAction = touchAction;
    m.canvas.style.cursor = GROVE_CURSORS[f.cursor] || 'default';
    if (f.textLayer || m.layerY !== f.scrollY) {
      var t0 = performance.now();
      if (f.textLayer) Module.groveTextLayer(m, JSON.parse(f.textLayer));
      if (m.layerY !== f.scrollY) {
        m.layerY = f.scrollY;
        m.layerInner.style.transform = 'translateY(' + -f.scrollY + 'px)';
        m.layerWrites++;
      }
      m.layerMs += performance.now() - t0;
    }
    var hand = f.cursor === 7;   // over a link in a post's text
    if (hand !== m.layerHand) {
      m.layerHand = hand;
      m.layer.classList.toggle('grove-hand', hand);
    }
    if (m.layer.style.touchAction !== touchAction) m.layer.style.touchAction = touchAction;
    m.fields = f.fields ? JSON.parse(f.fields) : [];
    m.showEditing(f.editing);
  }
  m.editingId = f.editing;
  m.syncFocus(f.viewFocus);
};

// Mounts the widget in `element`: on `canvas`, or (canvas null) as its HTML view alone, inside
// `root` (the loader's container); config is the validated attribute set.
// hooks.getToken(forceRefresh) -> Promise<string> comes from the loader (GroveConfig.getToken);
// the sync layer calls it through Module.groveMounts[id].hooks, again with true after a 401.
// Returns a handle with detach(), pull(spotlight), setLive(held) and setSpotlight(on); throws {code, message} when the
// widget cannot start.
//
// The steps below run in this order; each is one of the named functions after them, which share
// this mount's state (m, the view, the page's focus as it enters).
Module.groveAttach = function (id, element, canvas, config, hooks, root) {
  try { performance.mark('grove:attach'); } catch (e) { /* no User Timing: the benchmark's marks only */ }
  root = root || canvas.parentNode;
  // Registered before grove_mount: the sync layer may ask for hooks while the mount starts.
  var m = {
    id: id, element: element, canvas: canvas, hooks: hooks || {}, contentHeight: 0, editingId: 0, focusedId: 0,
    ring: false, listeners: [], observers: [], frames: 0, scrollY: 0, scrollMax: 0, onscreen: true, fields: [],
    overlay: null, applying: false, moving: false, refocus: false, lastAnnounce: '',
    layer: null, layerInner: null, spans: new Map(), layerY: 0, layerHand: false, layerPress: false, layerWrites: 0,
    layerMs: 0,
    family: '',
  };
  Module.groveMounts[id] = m;
  Module.groveViewSheet();
  var view = buildView();
  var named = nameRegion();
  mountCore();
  var entering = false;   // the widget focuses its element itself: not an entry from the page
  var touch = null;       // the finger on the canvas: {id, y, moved}
  var textPx = 0;         // the text size last told to the widget (CSS px)

  m.syncFocus = syncFocus;
  followFocus();
  takeKeys();
  takeText();
  m.showEditing = showEditing;
  if (canvas) attachCanvas();
  else attachViewOnly();
  textPx = 0;   // told again once it is followed (the canvas's first resize told it already)
  followTextSize();
  followPreferences();
  followVisibility();
  element.groveDebug = debugTools();
  return handle();

  // ---- the mount: its view, its name, the widget ----
  // The view, with its live region, in place before the first frame describes itself into it.
  function buildView() {
    var view = document.createElement('div');
    view.className = 'grove-view' + (canvas ? '' : ' grove-html');
    view.style.setProperty('--grove-font', GROVE_FONT_STACK);
    if (!canvas && config.height && config.height !== 'none') view.style.setProperty('--grove-max-height', config.height);
    var live = document.createElement('div');
    live.className = 'grove-live';
    live.setAttribute('role', 'status');
    live.setAttribute('aria-live', 'polite');
    var content = document.createElement('div');
    view.appendChild(live);
    view.appendChild(content);
    root.appendChild(view);
    m.view = view;
    if (canvas) {
      // Right after the canvas: the browser's find meets the text drawn before the view's copy.
      var layer = document.createElement('div');
      layer.className = 'grove-text-layer';
      layer.setAttribute('aria-hidden', 'true');
      layer.style.setProperty('--grove-font', GROVE_FONT_STACK);
      var inner = document.createElement('div');
      layer.appendChild(inner);
      root.insertBefore(layer, canvas.nextSibling);
      m.layer = layer;
      m.layerInner = inner;
    }
    m.live = live;
    m.dom = new GroveView(content);
    return view;
  }
  // The mount element is the discussion's region, named after its question. Returns what it was.
  function nameRegion() {
    var was = { role: element.getAttribute('role'), label: element.getAttribute('aria-label') };
    element.setAttribute('role', 'region');
    element.setAttribute('aria-label', 'Discussion: ' + (config.prompt || config.module));
    return was;
  }
  function mountCore() {
    var ok = Module.ccall('grove_mount', 'number', ['number', 'string', 'number'], [id, JSON.stringify(config), canvas ? 1 : 0]);
    if (!ok) {
      undo();
      var err = JSON.parse(UTF8ToString(Module._grove_last_error()));
      throw err.error;
    }
    Module._grove_set_env(id, /Mac|iPhone|iPad|iPod/.test(navigator.platform || '') ? 1 : 0,
      -new Date().getTimezoneOffset());
  }
  function undo() {
    view.remove();
    if (m.layer) m.layer.remove();
    if (named.role === null) element.removeAttribute('role'); else element.setAttribute('role', named.role);
    if (named.label === null) element.removeAttribute('aria-label'); else element.setAttribute('aria-label', named.label);
    delete Module.groveMounts[id];
  }

  // ---- small helpers ----
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
  function key(name, e) {
    return Module.ccall('grove_key', 'number', ['number', 'string', 'number'], [id, name, mods(e)]);
  }
  function controlOf(el) {
    return el && el.nodeType === 1 && el.hasAttribute('data-c') && view.contains(el) ? Number(el.getAttribute('data-c')) >>> 0 : 0;
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
  // Moves the page's focus without telling the widget (it is following the widget). A field the
  // widget puts the focus in shows over its box at once, with the caret at the end: what is typed
  // before the next frame goes there (text typed into a field with no box loses its caret).
  function moveFocus(el, scroll) {
    m.moving = true;
    try {
      if (el.tagName === 'TEXTAREA') showField(el);
      el.focus({ preventScroll: !scroll });
    } finally { m.moving = false; }
  }
  function showField(el) {
    if (canvas) m.showEditing(controlOf(el));
    if (document.activeElement !== el) el.setSelectionRange(el.value.length, el.value.length);
  }
  // Focuses the widget's element without opening the composer.
  function enterQuietly() {
    entering = true;
    element.focus({ preventScroll: true });
    entering = false;
  }

  // ---- focus, both ways ----
  // After a frame: the page's focus goes where the widget's went (Tab, a form opening, a click on
  // the canvas), or to an element the view asks for ("Show more": its first new item).
  function syncFocus(viewFocus) {
    var inside = focused();
    if (!inside && !m.refocus) return;
    var lost = m.refocus;
    m.refocus = false;
    var target = viewFocus ? document.getElementById(viewFocus) : m.dom.control(m.focusedId);
    if (target && document.activeElement !== target) moveFocus(target, !canvas);
    else if (!target && lost) moveFocus(element, false);   // its element went: stay in the widget
  }
  function followFocus() {
    on(element, 'focusin', focusIn);
    on(element, 'focusout', function (e) {
      if (m.applying) return;
      if (!element.contains(e.relatedTarget)) Module._grove_focus(id, 0);
    });
    // A button of the view: pressed by a screen reader, a click (no canvas), Enter or Space.
    on(view, 'click', function (e) {
      var b = e.target.closest ? e.target.closest('button[data-c]') : null;
      if (!b || !view.contains(b)) return;
      e.preventDefault();
      Module._grove_activate(id, controlOf(b));
    });
  }
  function focusIn(e) {
    var from = e.relatedTarget;
    var fromOutside = !from || !element.contains(from);
    if (fromOutside) Module._grove_focus(id, 1);
    if (e.target === element) {
      // Focus from the page (Tab, focus()): into the composer, or onto the last control when
      // Shift+Tab came from below; its element takes the focus at once, so typing goes there.
      if (entering || m.moving || m.layerPress) return;   // (a press on the text layer focuses the element)
      var fromBelow = from && fromOutside && (element.compareDocumentPosition(from) & Node.DOCUMENT_POSITION_FOLLOWING);
      var to = m.dom.control(Module._grove_focus_entry(id, fromBelow ? 1 : 0) >>> 0);
      if (to) moveFocus(to, !canvas);
      return;
    }
    if (m.moving) return;
    var c = controlOf(e.target);
    if (c && e.target.tagName === 'TEXTAREA' && canvas) m.showEditing(c);   // a reader's move into a field
    if (c) Module._grove_dom_focus(id, c, -1);
    else if (e.target.tagName === 'LI' && view.contains(e.target)) {
      Module._grove_dom_focus(id, 0, Number(e.target.getAttribute('data-row') || -1));
    }
  }

  // ---- keys ----
  // Only what reaches the mount element. A field types by itself: the widget takes from it only
  // Tab, Esc and Ctrl/Cmd+Enter (post), and Enter while the field is not being typed in.
  function takeKeys() {
    on(element, 'keydown', keyDown);
    on(element, 'keyup', function (e) {
      if (e.key === 'Meta') Module._grove_focus(id, 1);   // macOS swallows keyups while Meta is down
    });
  }
  function keyDown(e) {
    if (e.isComposing || e.keyCode === 229) return;
    var t = e.target, k = e.key;
    var field = t.tagName === 'TEXTAREA' && view.contains(t);
    var pressable = (t.tagName === 'BUTTON' || t.tagName === 'A') && view.contains(t);
    var r;
    if (k === 'Tab') {
      if (!canvas) return;   // the view alone: the page's own Tab order is the widget's
    } else if (field) {
      if (k === 'Escape' || (k === 'Enter' && (e.ctrlKey || e.metaKey || controlOf(t) !== m.editingId))) r = key(k, e);
      else return;
    } else if (pressable && (k === 'Enter' || k === ' ')) {
      return;   // the browser clicks it: that click acts, once
    } else {
      var shortcut = (e.ctrlKey || e.metaKey) && k.length === 1;
      if (shortcut || !(GROVE_SPECIAL_KEYS[k] || k === ' ')) return;
      if (!canvas && k !== 'Escape' && !(k === 'Enter' && (e.ctrlKey || e.metaKey))) return;
    }
    if (r === undefined) r = key(k, e);
    if (r === 1) e.preventDefault();
    else if (r === 2 || r === 3) {
      e.preventDefault();
      leave(r === 2);
    }
  }

  // ---- text: the view's textareas ----
  function takeText() {
    on(view, 'input', function (e) { if (e.target.tagName === 'TEXTAREA') sendField(e.target, e.isComposing); });
    on(view, 'compositionstart', function (e) { if (e.target.tagName === 'TEXTAREA') sendField(e.target, true); });
    on(view, 'compositionend', function (e) { if (e.target.tagName === 'TEXTAREA') sendField(e.target, false); });
    on(view, 'select', function (e) { if (e.target.tagName === 'TEXTAREA') sendField(e.target, false); });
    on(view, 'paste', function (e) {   // kept for the widget's "paste" into a field it draws
      var text = e.clipboardData ? e.clipboardData.getData('text/plain') : '';
      if (text) Module.groveClipboardText = text;
    });
  }
  function sendField(t, composing) {
    var c = controlOf(t);
    if (!c) return;
    var v = t.value;
    var a = lengthBytesUTF8(v.slice(0, t.selectionStart)), b = lengthBytesUTF8(v.slice(0, t.selectionEnd));
    Module.ccall('grove_field_input', null, ['number', 'number', 'string', 'number', 'number', 'number'],
      [id, c, v, a, b, composing ? 1 : 0]);
  }
  // The field being typed in on the canvas: its textarea over the field's box (until then, and
  // after, the canvas draws the field).
  function showEditing(editing) {
    var el = editing ? m.dom.control(editing) : null;
    var box = null;
    for (var i = 0; el && i < m.fields.length; i++) if (m.fields[i][0] === editing) box = m.fields[i];
    if (!box || !box[5]) el = null;
    if (m.overlay && m.overlay !== el) {
      m.overlay.classList.remove('grove-editing');
      m.overlay.style.left = m.overlay.style.top = m.overlay.style.width = m.overlay.style.height = '';
    }
    m.overlay = el;
    if (!el) return;
    el.classList.add('grove-editing');
    el.style.left = box[1] + 'px';
    el.style.top = box[2] + 'px';
    el.style.width = box[3] + 'px';
    el.style.height = box[4] + 'px';
  }

  // No canvas: the widget lays out for the view's width (its row heights are never seen).
  function attachViewOnly() {
    var resizeView = function () {
      Module._grove_resize(id, Math.max(200, view.clientWidth || 640), 640, window.devicePixelRatio || 1);
    };
    var vro = new ResizeObserver(resizeView);
    vro.observe(view);
    m.observers.push(vro);
    resizeView();
  }

  // ---- the canvas ----
  function attachCanvas() {
    followCanvasPointer();
    followTextLayerPointer();
    followWheel();
    followCanvasSize();
  }
  // Pointer: captured while a button is down, so drags that leave the canvas still end. A
  // press on a field on the canvas puts the page's focus into its textarea at once (a mobile
  // keyboard opens only then); a finger's, when it lifts without having moved.
  // A finger that moves more than a few pixels scrolls (the widget, then the page once the widget
  // is at its end) and is not a tap: its press is released away from every control.
  function followCanvasPointer() {
    on(canvas, 'pointermove', canvasMove);
    on(canvas, 'pointerdown', canvasDown);
    on(canvas, 'pointerup', canvasUp);
    on(canvas, 'pointercancel', function (e) {   // the browser took the gesture (page panning)
      if (touch && touch.id === e.pointerId) touch = null;
      cancelPress();
    });
    // Touch screens send pointerleave right after every pointerup: the widget moves the pointer
    // away only once a frame has seen the press and the release (or a tap would press nothing).
    on(canvas, 'pointerleave', function () { Module._grove_mouse_leave(id); });
  }
  function fieldAt(e) {
    var r = canvas.getBoundingClientRect(), x = e.clientX - r.left, y = e.clientY - r.top;
    for (var i = 0; i < m.fields.length; i++) {
      var f = m.fields[i];
      if (f[5] && x >= f[1] && x < f[1] + f[3] && y >= f[2] && y < f[2] + f[4]) return m.dom.control(f[0]);
    }
    return null;
  }
  function cancelPress() {
    Module._grove_mouse_move(id, -1e6, -1e6);
    Module._grove_mouse_button(id, 0, 0, 0);
  }
  function canvasMove(e) {
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
  }
  function canvasDown(e) {
    var sel = window.getSelection();   // a press elsewhere ends a selection in the text layer
    if (sel && sel.rangeCount && m.layer.contains(sel.anchorNode)) sel.removeAllRanges();
    var field = e.pointerType === 'touch' ? null : fieldAt(e);
    if (field) {
      if (document.activeElement !== field) {
        showField(field);
        field.focus({ preventScroll: true });
      }
    } else if (!focused()) {
      enterQuietly();   // a click focuses the widget without opening the composer
    }
    e.preventDefault();      // no focus change beyond this, no text selection
    canvas.setPointerCapture(e.pointerId);
    if (e.pointerType === 'touch') touch = { id: e.pointerId, y: e.clientY, moved: false };
    pointer(e);
    Module._grove_mouse_button(id, [0, 2, 1][e.button] || 0, 1, mods(e));
  }
  function canvasUp(e) {
    if (m.layerPress) return;   // the press began on the text layer: released below
    var tap = touch && touch.id === e.pointerId && !touch.moved;
    var dragged = touch && touch.id === e.pointerId && touch.moved;
    if (touch && touch.id === e.pointerId) touch = null;
    if (dragged) return;     // released already, away from every control
    if (tap) {
      var field = fieldAt(e);
      if (field && document.activeElement !== field) {
        showField(field);
        field.focus({ preventScroll: true });
      }
      else if (!field && !focused()) enterQuietly();
    }
    pointer(e);
    Module._grove_mouse_button(id, [0, 2, 1][e.button] || 0, 0, mods(e));
  }
  // The text layer: the browser selects (no preventDefault, no capture) while the widget sees
  // the pointer, the press and the release as on the canvas. Fingers act as on the canvas.
  function followTextLayerPointer() {
    on(m.layer, 'pointermove', function (e) { if (e.pointerType !== 'touch') pointer(e); });
    on(m.layer, 'pointerdown', function (e) {
      if (e.pointerType === 'touch') return canvasDown(e);   // captured by the canvas from here
      m.layerPress = true;
      if (!focused()) enterQuietly();   // (the browser focuses it too)
      pointer(e);
      Module._grove_mouse_button(id, [0, 2, 1][e.button] || 0, 1, mods(e));
    });
    on(window, 'pointerup', function (e) {   // wherever the drag ends
      if (!m.layerPress || e.pointerType === 'touch') return;
      m.layerPress = false;
      pointer(e);
      Module._grove_mouse_button(id, [0, 2, 1][e.button] || 0, 0, mods(e));
    });
    on(m.layer, 'wheel', wheel, { passive: false });
    on(m.layer, 'pointerleave', function () { Module._grove_mouse_leave(id); });
  }
  // The wheel over the widget scrolls its inner box (data-grove-height) as over any overflow
  // box, focused or not, and never moves the focus: while the widget can scroll that way it
  // takes the event; at either end the page scrolls instead. A wheel gesture that was scrolling
  // the page (the page moved the widget under the pointer, or the widget reached its end) goes
  // on scrolling the page until the wheel rests for GROVE_WHEEL_LATCH_MS, as browsers latch.
  function followWheel() {
    m.pageWheelAt = -Infinity;
    on(window, 'wheel', function (e) {
      if (!e.defaultPrevented && e.deltaY) m.pageWheelAt = e.timeStamp;
    }, { passive: true });
    on(canvas, 'wheel', wheel, { passive: false });
  }
  function wheel(e) {   // over the canvas, and over the text layer's lines
    if (!e.deltaY || e.ctrlKey) return;   // Ctrl+wheel (and a pinch) zooms the page
    if (e.timeStamp - m.pageWheelAt < GROVE_WHEEL_LATCH_MS) return;
    var px = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaMode === 2 ? e.deltaY * canvas.clientHeight : e.deltaY;
    if (Module._grove_wheel(id, px)) e.preventDefault();
  }
  // Size and pixel ratio: the drawing buffer follows the canvas's CSS box in device pixels.
  // Zoom and moving to another screen change devicePixelRatio: the resolution media query says
  // so in most browsers, a window resize in the others.
  function followCanvasSize() {
    var ro = new ResizeObserver(resizeCanvas);
    ro.observe(canvas);
    m.observers.push(ro);
    on(window, 'resize', function () {
      if ((window.devicePixelRatio || 1) !== m.dpr) resizeCanvas();
    });
    watchDpr();
    var coarse = matchMedia('(pointer: coarse)');
    var onCoarse = function () { Module._grove_set_coarse_pointer(id, coarse.matches ? 1 : 0); };
    on(coarse, 'change', onCoarse);
    onCoarse();
    resizeCanvas();
  }
  function resizeCanvas() {
    textSize();
    m.dpr = window.devicePixelRatio || 1;
    Module._grove_resize(id, canvas.clientWidth, canvas.clientHeight, m.dpr);
  }
  function watchDpr() {
    var mq = matchMedia('(resolution: ' + (window.devicePixelRatio || 1) + 'dppx)');
    var onChange = function () { mq.removeEventListener('change', onChange); resizeCanvas(); watchDpr(); };
    mq.addEventListener('change', onChange);
    m.dprQuery = [mq, onChange];
  }

  // ---- the page's settings ----
  // Text follows the mount element's font-size: the page's text size (and so its zoom, which
  // also changes the pixel ratio). Read again when the page may have changed it: a style or class
  // on the element or an ancestor, a resize, the window regaining focus, the tab shown again.
  function textSize() {
    var px = parseFloat(getComputedStyle(element).fontSize);
    if (!(px > 0) || px === textPx) return;
    textPx = px;
    Module._grove_set_text_size(id, px);
  }
  function followTextSize() {
    if (typeof MutationObserver === 'function') {
      var mo = new MutationObserver(textSize);
      for (var anc = element; anc && anc.nodeType === 1; anc = anc.parentElement)
        mo.observe(anc, { attributes: true, attributeFilter: ['style', 'class'] });
      m.observers.push(mo);
    }
    on(window, 'resize', textSize);
    on(window, 'focus', textSize);
    on(document, 'visibilitychange', textSize);
    textSize();
  }
  // Reduced motion and the dark scheme, as the page's media queries say.
  function followPreferences() {
    var still = matchMedia('(prefers-reduced-motion: reduce)');
    var onMotion = function () { Module._grove_set_reduce_motion(id, still.matches ? 1 : 0); };
    on(still, 'change', onMotion);
    onMotion();

    var dark = matchMedia('(prefers-color-scheme: dark)');
    var onScheme = function () { Module._grove_set_prefers_dark(id, dark.matches ? 1 : 0); };
    on(dark, 'change', onScheme);
    onScheme();
  }
  // No frames while nobody can see them.
  function followVisibility() {
    function visibility() { Module._grove_set_visible(id, m.onscreen && !document.hidden ? 1 : 0); }
    if (typeof IntersectionObserver === 'function') {
      var io = new IntersectionObserver(function (entries) {
        m.onscreen = entries[entries.length - 1].isIntersecting;
        visibility();
      });
      io.observe(canvas || view);
      m.observers.push(io);
    }
    on(document, 'visibilitychange', visibility);
  }

  // ---- what the page gets ----
  // What this widget shows, for tests and tools.
  function debugTools() {
    return {
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
  }
  function handle() {
    return {
      // The page's event stream (the loader's "Live" section): pull(spotlight) when the module (or
      // the spotlight) changed; setLive(held) while the stream is (not) held, so that the widget
      // polls only as a safety net while it is.
      pull: function (spotlight) { Module._grove_live(id, spotlight ? 2 : 1); },
      setLive: function (held) { Module._grove_live(id, held ? 3 : 4); },
      // The loader's choice of the one widget on the page that shows the spotlight line.
      setSpotlight: function (on) { Module._grove_set_spotlight(id, on ? 1 : 0); },
      detach: function () {
        m.listeners.forEach(function (l) { l[0].removeEventListener(l[1], l[2], l[3]); });
        m.observers.forEach(function (o) { o.disconnect(); });
        if (m.dprQuery) m.dprQuery[0].removeEventListener('change', m.dprQuery[1]);
        delete element.groveDebug;
        undo();
        Module._grove_unmount(id);
      },
    };
  }
};

// For tests and tools: what one widget shows right now.
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
  // drawn with no font for them (tofu), GPU memory of the text pages. wasmBytes: the wasm memory
  // (shared by every widget of the page).
  var text = JSON.parse(UTF8ToString(Module._grove_text_stats(id)));
  return {
    frames: m.frames, scrollY: m.scrollY, scrollMax: m.scrollMax, editing: m.editingId, focused: m.focusedId,
    wantText: m.editingId !== 0, text: text, wasmBytes: HEAPU8.buffer.byteLength,
    // The text layer: its lines now, how many changes frames made to it so far, and the time
    // spent making them (ms, the script's part; the browser's style and layout come after).
    textLayer: { lines: m.spans.size, writes: m.layerWrites, ms: m.layerMs },
  };
};
