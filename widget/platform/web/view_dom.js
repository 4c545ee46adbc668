// The accessible HTML view's DOM side (--pre-js of grove-core.js): applies the operations of
// SemanticView::commit (widget/app/semantic_view.cpp) to real nodes in a mount element. Every
// node keeps its element for as long as its key is in the view, so focus, a textarea's caret and
// selection, and a screen reader's place survive every frame; a frame that changed nothing sends
// nothing. The stylesheet for the visible view (no WebGL 2, forced colours) is here too.

// Only what the view records: tags and attribute names outside these lists are never created.
var GROVE_VIEW_TAGS = {
  div: 1, section: 1, h2: 1, h3: 1, h4: 1, p: 1, span: 1, ul: 1, li: 1, article: 1, button: 1, textarea: 1, a: 1,
  time: 1,
};
var GROVE_VIEW_ATTR = /^(id|class|role|type|tabindex|dir|rows|placeholder|autocomplete|hidden|href|target|rel|datetime|title|data-c|data-row|aria-[a-z]+)$/;

function GroveView(root) {
  this.root = root;
  this.nodes = new Map([['root', root]]);
  this.controls = new Map();   // control id (a decimal string) -> element
}

GroveView.prototype.control = function (id) {
  return id ? this.controls.get(String(id >>> 0)) || null : null;
};

// Applies a batch; returns true when the element that had the page's focus was taken out.
GroveView.prototype.apply = function (ops) {
  var nodes = this.nodes, controls = this.controls;
  var active = document.activeElement, lost = false;
  function gone(key) {
    var el = nodes.get(key);
    if (!el) return;
    if (el.nodeType === 1 && active && el.contains(active)) lost = true;
    if (el.parentNode) el.parentNode.removeChild(el);
    if (el.nodeType === 1 && el.hasAttribute('data-c')) {
      var c = el.getAttribute('data-c');
      if (controls.get(c) === el) controls.delete(c);
    }
    nodes.delete(key);
  }
  for (var i = 0; i < ops.length; i++) {
    var op = ops[i], key = op[1], el;
    switch (op[0]) {
      case 'r':
      case 'x':
        gone(key);
        break;
      case 'c':
        el = op[2] === '#text' ? document.createTextNode('')
          : document.createElement(GROVE_VIEW_TAGS[op[2]] ? op[2] : 'span');
        nodes.set(key, el);
        break;
      case 'a':
        el = nodes.get(key);
        if (!el || el.nodeType !== 1 || !GROVE_VIEW_ATTR.test(op[2])) break;
        if (op[2] === 'href' && !/^https?:\/\//i.test(op[3])) break;   // links in posts: http(s) only
        el.setAttribute(op[2], op[3]);
        if (op[2] === 'data-c') controls.set(op[3], el);
        break;
      case 'd':
        el = nodes.get(key);
        if (!el || el.nodeType !== 1) break;
        if (op[2] === 'data-c' && controls.get(el.getAttribute('data-c')) === el) controls.delete(el.getAttribute('data-c'));
        el.removeAttribute(op[2]);
        break;
      case 't':
        el = nodes.get(key);
        if (!el) break;
        if (el.nodeType === 3) el.data = op[2];
        else if (el.tagName === 'TEXTAREA') { if (el.value !== op[2]) el.value = op[2]; }   // the person's caret stays
        else el.textContent = op[2];
        break;
      case 'k':
        el = nodes.get(key);
        if (el) this.setChildren(el, op[2]);
        break;
    }
  }
  return lost;
};

// Makes these the element's children, in this order, moving only what is out of place (a moved
// element loses the focus): first the ones that go, then each one where it belongs.
GroveView.prototype.setChildren = function (el, keys) {
  var want = [], keep = new Set();
  for (var i = 0; i < keys.length; i++) {
    var c = this.nodes.get(keys[i]);
    if (c) { want.push(c); keep.add(c); }
  }
  for (var n = el.firstChild; n;) {
    var next = n.nextSibling;
    if (!keep.has(n)) el.removeChild(n);
    n = next;
  }
  var ref = el.firstChild;
  for (var k = 0; k < want.length; k++) {
    if (want[k] === ref) ref = ref.nextSibling;
    else el.insertBefore(want[k], ref);
  }
};

// One stylesheet per page, through the CSSOM (no <style> element, so a page's
// Content-Security-Policy needs nothing in style-src). Colours come from the widget's palette as
// custom properties on each view (Module.groveViewStyle), so data-grove-theme and
// data-grove-accent apply here as on the canvas, contrast checks included.
var GROVE_VIEW_CSS = [
  // Behind a canvas the view is read by screen readers, not seen: no height, nothing drawn. (Its
  // static position lets the edited field's textarea, absolutely placed, show over the canvas.)
  '.grove-view{height:0;overflow:hidden;margin:0;padding:0}',
  '.grove-live{position:absolute;width:1px;height:1px;margin:-1px;padding:0;border:0;overflow:hidden;clip:rect(0 0 0 0);clip-path:inset(50%);white-space:nowrap}',
  // The field being edited, over its box on the canvas, drawn like the widget draws it.
  '.grove-view textarea.grove-editing{position:absolute;z-index:1;box-sizing:border-box;margin:0;resize:none;overflow-y:auto;' +
    'padding:8px 10px;border:2px solid var(--grove-focus);border-radius:6px;outline:none;background:var(--grove-surface);' +
    'color:var(--grove-text);caret-color:var(--grove-text);font:var(--grove-field-font)/var(--grove-field-line) var(--grove-font);' +
    'color-scheme:var(--grove-scheme)}',
  '.grove-view textarea.grove-editing::placeholder{color:var(--grove-muted);opacity:1}',
  // The text layer over the canvas (platform.js): the post bodies' lines as transparent text,
  // each where and as wide as the canvas draws it; only the lines take the pointer.
  '.grove-text-layer{position:absolute;left:0;top:0;right:0;bottom:0;overflow:hidden;pointer-events:none;' +
    'font-family:var(--grove-font);-webkit-text-size-adjust:none;text-size-adjust:none}',
  '.grove-text-layer>div{position:absolute;left:0;top:0;right:0}',
  '.grove-text-layer span{position:absolute;white-space:pre;color:transparent;transform-origin:0 0;margin:0;padding:0;' +
    'pointer-events:auto;cursor:text}',
  '.grove-text-layer span::selection{background:var(--grove-selection-bg);color:transparent}',
  '.grove-text-layer.grove-hand span{cursor:pointer}',
  // The view as the widget (no WebGL 2, forced colours): plain HTML.
  '.grove-view.grove-html{height:auto;overflow:auto;max-height:var(--grove-max-height,none);box-sizing:border-box;padding:12px 14px;' +
    'border-radius:8px;background:var(--grove-bg);color:var(--grove-text);font:1em/1.45 var(--grove-font);color-scheme:var(--grove-scheme)}',
  '.grove-html>div{margin:0}',
  '.grove-html h2{font-size:1.07em;margin:14px 0 8px}',
  '.grove-html h3,.grove-html h4{font-size:1em;margin:0;display:inline}',
  '.grove-html p{margin:4px 0}',
  '.grove-html ul{list-style:none;margin:0;padding:0}',
  '.grove-html ul ul{margin-left:24px}',
  // The text column stops at a readable line length; on a narrow page the indents give way.
  '.grove-html>div{max-width:38em}',
  '@media (max-width:520px){.grove-view.grove-html{padding:8px}.grove-html ul ul{margin-left:10px}.grove-html article{padding:8px 10px}}',
  // text-align:start, not Firefox's match-parent for li (which resolves to the list's left and
  // so left-aligned right-to-left posts): each paragraph aligns by its own direction (dir=auto).
  '.grove-html li{margin:0 0 10px;text-align:start}',
  '.grove-html article{border:1px solid var(--grove-border);border-radius:10px;padding:10px 14px;background:var(--grove-surface)}',
  '.grove-html ul ul article{background:var(--grove-surface-alt)}',
  '.grove-html .grove-meta,.grove-html .grove-range{color:var(--grove-muted);font-size:.87em;margin:2px 0 6px}',
  '.grove-html .grove-body{white-space:pre-wrap;overflow-wrap:anywhere}',
  '.grove-html .grove-note{border-radius:8px;padding:8px 12px;margin:0 0 10px;background:var(--grove-warning-bg);color:var(--grove-warning-text)}',
  '.grove-html .grove-note p{color:var(--grove-text)}',
  '.grove-html .grove-note p:first-child{color:var(--grove-warning-text)}',
  '.grove-html [role=group]{margin:6px 0}',
  '.grove-html .grove-check-in{border:1px solid var(--grove-link);border-radius:10px;padding:10px 14px;margin:0 0 14px;' +
    'background:var(--grove-surface-alt)}',
  '.grove-html .grove-check-in h2{margin:0 0 8px}',
  '.grove-html .grove-actions span{color:var(--grove-muted);font-size:.87em;margin-right:8px}',
  '.grove-html a{color:var(--grove-link);text-decoration:underline}',
  '.grove-html button{font:inherit;font-size:.93em;color:var(--grove-link);background:var(--grove-surface);' +
    'border:1px solid var(--grove-control-border);border-radius:6px;padding:4px 10px;margin:2px 6px 2px 0;cursor:pointer;min-height:28px}',
  '.grove-html button[aria-pressed=true]{background:var(--grove-accent);color:var(--grove-on-accent);border-color:var(--grove-accent)}',
  '.grove-html button.grove-primary{background:var(--grove-accent);color:var(--grove-on-accent);border-color:var(--grove-accent)}',
  '.grove-html button[aria-disabled=true]{background:var(--grove-disabled-bg);color:var(--grove-disabled-text);border-color:var(--grove-disabled-bg);cursor:not-allowed}',
  '.grove-html textarea{display:block;width:100%;box-sizing:border-box;margin:6px 0;padding:8px 10px;font:inherit;resize:vertical;' +
    'color:var(--grove-text);background:var(--grove-surface);border:1px solid var(--grove-control-border);border-radius:6px}',
  '.grove-html textarea::placeholder{color:var(--grove-muted);opacity:1}',
  // The composer's counter at the line's start and its Post button at the end, as on the canvas.
  '.grove-html .grove-post-line{display:flex;align-items:center;gap:12px}',
  '.grove-html .grove-post-line p{flex:1;margin:0}',
  '.grove-html .grove-post-line button{margin-right:0}',
  '.grove-html :focus-visible,.grove-html textarea:focus{outline:2px solid var(--grove-focus);outline-offset:2px}',
  '.grove-html li:focus{outline:2px solid var(--grove-focus);outline-offset:2px;border-radius:10px}',
  '@media (pointer:coarse){.grove-html button{min-height:44px;min-width:44px}}',
  '@media (forced-colors:active){.grove-html button[aria-pressed=true]{border:3px double ButtonText}' +
    '.grove-html article{border-color:CanvasText}}',
  '@media (prefers-reduced-motion:reduce){.grove-root,.grove-root *{transition:none!important;animation:none!important;scroll-behavior:auto!important}}',
].join('\n');

Module.groveViewSheet = function () {
  if (Module.groveSheetDone) return;
  Module.groveSheetDone = true;
  try {
    var sheet = new CSSStyleSheet();
    sheet.replaceSync(GROVE_VIEW_CSS);
    document.adoptedStyleSheets = document.adoptedStyleSheets.concat([sheet]);
  } catch (e) {   // older browsers: a <style> element (pages with a strict style-src then need 'self')
    var style = document.createElement('style');
    style.textContent = GROVE_VIEW_CSS;
    document.head.appendChild(style);
  }
};
