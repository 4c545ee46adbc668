// C++ -> page calls (see js_bridge.hpp). Each forwards to the mount's handlers in platform.js.
mergeInto(LibraryManager.library, {
  grove_js_frame_done: function (id, contentHeight, editing, focused, ring, cursor, scrollY, scrollMax, announce,
    fields, viewOps, viewFocus, textLayer) {
    function str(p) { return HEAPU8[p] ? UTF8ToString(p) : ''; }   // most frames: empty strings, no decoding
    Module.groveFrameDone(id, {
      contentHeight: contentHeight, editing: editing >>> 0, focused: focused >>> 0, ring: !!ring, cursor: cursor,
      scrollY: scrollY, scrollMax: scrollMax, announce: str(announce), fields: str(fields), viewOps: str(viewOps),
      viewFocus: str(viewFocus), textLayer: str(textLayer),
    });
  },
  grove_js_view_style: function (id, varsJson) {
    Module.groveViewStyle(id, JSON.parse(UTF8ToString(varsJson)));
  },
  grove_js_emit: function (id, name, detailJson) {
    Module.groveEmit(id, UTF8ToString(name), UTF8ToString(detailJson));
  },
  // A startup mark for ./grove bench's breakdown (see grove.js): "grove:" + name.
  grove_js_mark: function (name) {
    try { performance.mark('grove:' + UTF8ToString(name)); } catch (e) { /* no User Timing */ }
  },
  grove_js_is_apple: function () {
    return /Mac|iPhone|iPad|iPod/.test(navigator.platform || '') ? 1 : 0;
  },
  grove_js_clipboard_write: function (text) {
    Module.groveClipboardWrite(UTF8ToString(text));
  },
  // A link in a post was clicked or activated by keyboard: a new tab that cannot reach this page
  // (noopener) and is not told where it came from (noreferrer). Only http(s) addresses open.
  grove_js_open_url: function (url) {
    var u = UTF8ToString(url);
    if (!/^https?:\/\//i.test(u)) return;
    window.open(u, '_blank', 'noopener,noreferrer');
  },
  grove_js_clipboard_read: function () {
    var s = Module.groveClipboardText || '';
    var n = lengthBytesUTF8(s) + 1;
    var p = _malloc(n);
    stringToUTF8(s, p, n);
    return p;
  },
});
