// C++ -> page calls (see js_bridge.hpp). Each forwards to the mount's handlers in platform.js.
mergeInto(LibraryManager.library, {
  grove_js_frame_done: function (id, contentHeight, wantText, caretX, caretY, caretH, cursor, scrollY, scrollMax, announce) {
    Module.groveFrameDone(id, contentHeight, !!wantText, caretX, caretY, caretH, cursor, scrollY, scrollMax,
      HEAPU8[announce] ? UTF8ToString(announce) : '');
  },
  grove_js_emit: function (id, name, detailJson) {
    Module.groveEmit(id, UTF8ToString(name), UTF8ToString(detailJson));
  },
  grove_js_is_apple: function () {
    return /Mac|iPhone|iPad|iPod/.test(navigator.platform || '') ? 1 : 0;
  },
  grove_js_clipboard_write: function (text) {
    Module.groveClipboardWrite(UTF8ToString(text));
  },
  grove_js_clipboard_read: function () {
    var s = Module.groveClipboardText || '';
    var n = lengthBytesUTF8(s) + 1;
    var p = _malloc(n);
    stringToUTF8(s, p, n);
    return p;
  },
});
