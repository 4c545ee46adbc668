// The browser's text for the widget (see platform/web/web_text.cpp): Canvas 2D measures, breaks
// and rasterizes whole lines with the page's fonts, so shaping, joining, bidi reordering and
// colour emoji are the browser's own, as in any HTML text on that machine.
//
// - One scratch canvas (an OffscreenCanvas where there is one) for the whole page: a line is
//   drawn into it with fillText, then copied into the calling mount's GL texture (the WebGL 2
//   context current while its frame is built).
// - Line breaking: Intl.Segmenter's words and grapheme clusters. A line may break after spaces,
//   between two words of a script written without spaces (Thai, Lao, Khmer, Burmese: the
//   segmenter finds the words), around ideographs, kana, hangul and emoji (between grapheme
//   clusters), after a hyphen or dash; never before closing or after opening punctuation, never
//   inside a grapheme cluster. A word wider than the line breaks between clusters.
// - Offsets given to C++ are UTF-8 bytes of the text it passed.
// - Tofu: a code point whose advance and ink box are those of a code point no font has (the
//   .notdef box, or Firefox's hex box) is counted; the answer is cached per code point.
mergeInto(LibraryManager.library, {
  $GroveText: {
    canvas: null,
    g: null,
    font: '',
    word: null,
    grapheme: null,
    notdef: {},     // font -> [metrics of a BMP and of an astral code point no font has]
    tofu: {},       // code point -> true when no font has it
    metrics: {},    // font -> {ascent, descent}

    ctx: function () {
      if (!GroveText.g) {
        GroveText.canvas = typeof OffscreenCanvas === 'function' ? new OffscreenCanvas(256, 64)
          : document.createElement('canvas');
        GroveText.canvas.width = 256;
        GroveText.canvas.height = 64;
        GroveText.g = GroveText.canvas.getContext('2d');
        GroveText.font = '';
      }
      return GroveText.g;
    },
    setFont: function (font) {
      var g = GroveText.ctx();
      if (GroveText.font !== font) {
        g.font = font;
        GroveText.font = font;
      }
      return g;
    },
    // Grows the scratch canvas (which resets its state) to hold w x h.
    ensure: function (w, h) {
      var c = GroveText.canvas;
      GroveText.ctx();
      if (c.width >= w && c.height >= h) return;
      c.width = Math.max(c.width, Math.ceil(w / 256) * 256);
      c.height = Math.max(c.height, Math.ceil(h / 32) * 32);
      GroveText.font = '';
    },
    segmenters: function () {
      if (!GroveText.word && typeof Intl === 'object' && Intl.Segmenter) {
        GroveText.word = new Intl.Segmenter(undefined, { granularity: 'word' });
        GroveText.grapheme = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
      }
      return !!GroveText.word;
    },
    measure: function (font, text) {
      return text ? GroveText.setFont(font).measureText(text).width : 0;
    },
    fontMetrics: function (font) {
      var m = GroveText.metrics[font];
      if (m) return m;
      var t = GroveText.setFont(font).measureText('Hg');
      var size = parseFloat((/([\d.]+)px/.exec(font) || [0, 16])[1]);
      m = {
        ascent: t.fontBoundingBoxAscent !== undefined ? t.fontBoundingBoxAscent : Math.max(t.actualBoundingBoxAscent, size * 0.9),
        descent: t.fontBoundingBoxDescent !== undefined ? t.fontBoundingBoxDescent : Math.max(t.actualBoundingBoxDescent, size * 0.25),
      };
      GroveText.metrics[font] = m;
      return m;
    },

    // UTF-16 index -> UTF-8 byte offset, for indices 0..s.length.
    utf8Offsets: function (s) {
      var n = s.length, o = new Int32Array(n + 1), b = 0;
      for (var i = 0; i < n; i++) {
        o[i] = b;
        var c = s.charCodeAt(i);
        if (c < 0x80) b += 1;
        else if (c < 0x800) b += 2;
        else if (c >= 0xD800 && c < 0xDC00 && i + 1 < n) { o[i + 1] = b; b += 4; i++; }
        else b += 3;
      }
      o[n] = b;
      return o;
    },

    // Regular expressions are made on first use (a library object's values are copied as JSON).
    re: function () {
      if (!GroveText.res) {
        GroveText.res = {
          close: /^[)\]}»›、。，．,.:;!?！？：；）］｝〉》」』】〕〗〙〛ー・ゝゞヽヾ々〻ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ\u2019\u201D%‰°℃]/u,
          open: /[(\[{«‹（［｛〈《「『【〔〖〘〚\u2018\u201C]$/u,
          wide: /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Bopomofo}\p{Extended_Pictographic}\u3000-\u303F\uFF00-\uFFEF]/u,
          space: /^\s+$/u,
          hyphen: /[-\u2010\u2013\u2014\/]$/u,
          ignored: /[\p{M}\p{Cf}\p{Cc}\p{Z}\p{Cs}]/u,
        };
      }
      return GroveText.res;
    },

    lastChar: function (s) { var a = Array.from(s); return a[a.length - 1] || ''; },
    firstChar: function (s) { return String.fromCodePoint(s.codePointAt(0) || 32); },

    allowed: function (before, after, wordBefore, wordAfter) {
      var re = GroveText.re();
      if (re.space.test(after)) return false;    // spaces stay at the end of the line
      if (re.space.test(before)) return true;    // after spaces
      var last = GroveText.lastChar(before), first = GroveText.firstChar(after);
      if (re.close.test(first) || re.open.test(last)) return false;
      if (re.wide.test(last) || re.wide.test(first)) return true;
      if (wordBefore && wordAfter) return true;   // words of scripts without spaces
      return re.hyphen.test(before) && wordAfter;
    },

    // Break opportunities of one paragraph: UTF-16 indices where a line may start.
    breaks: function (text) {
      var out = [];
      if (!GroveText.segmenters()) {   // no Intl.Segmenter: after spaces only
        var re = /\s+/gu, m;
        while ((m = re.exec(text))) if (m.index + m[0].length < text.length) out.push(m.index + m[0].length);
        return out;
      }
      var prev = null;
      for (var seg of GroveText.word.segment(text)) {
        if (prev && GroveText.allowed(prev.segment, seg.segment, prev.isWordLike, seg.isWordLike)) out.push(seg.index);
        if (seg.segment.length > 1 && GroveText.re().wide.test(seg.segment)) {   // between its clusters
          var g0 = null;
          for (var g of GroveText.grapheme.segment(seg.segment)) {
            if (g0 && GroveText.allowed(g0, g.segment, false, false)) out.push(seg.index + g.index);
            g0 = g.segment;
          }
        }
        prev = seg;
      }
      return out;
    },

    // Lines of one paragraph at maxWidth: [start, end of what is drawn, next start, width] in
    // UTF-16 indices.
    layout: function (font, text, maxWidth) {
      GroveText.setFont(font);
      // Most posts fit on a line or two: one measure when the whole paragraph fits.
      var all = text.replace(/\s+$/u, ''), whole = GroveText.measure(font, all);
      if (whole <= maxWidth) return [[0, all.length, text.length, whole]];
      var stops = GroveText.breaks(text);
      stops.push(text.length);
      var lines = [], start = 0, acc = 0, visEnd = 0, any = false, s = 0;
      for (var i = 0; i < stops.length; i++) {
        var e = stops[i];
        if (e <= s) continue;
        var str = text.slice(s, e), vis = str.replace(/\s+$/u, '');
        var wVis = GroveText.measure(font, vis), wAll = vis.length === str.length ? wVis : GroveText.measure(font, str);
        if (any && acc + wVis > maxWidth) {
          lines.push([start, visEnd, s]);
          start = s; acc = 0; any = false;
        }
        if (!any && wVis > maxWidth && GroveText.grapheme) {   // a word wider than the line
          var w = 0, ls = s;
          for (var g of GroveText.grapheme.segment(vis)) {
            var gw = GroveText.measure(font, g.segment);
            if (w > 0 && w + gw > maxWidth) {
              lines.push([ls, s + g.index, s + g.index]);
              ls = s + g.index; w = 0;
            }
            w += gw;
          }
          start = ls; acc = w + (wAll - wVis);
        } else {
          acc += wAll;
        }
        visEnd = s + vis.length;
        any = true;
        s = e;
      }
      lines.push([start, visEnd, text.length]);
      for (var k = 0; k < lines.length; k++) lines[k].push(GroveText.measure(font, text.slice(lines[k][0], lines[k][1])));
      return lines;
    },

    inkOf: function (g, s) {
      var m = g.measureText(s);
      return [m.width, m.actualBoundingBoxLeft, m.actualBoundingBoxRight, m.actualBoundingBoxAscent, m.actualBoundingBoxDescent];
    },
    // Code points of `text` drawn as a box because no font has them (the caller's font is set).
    countTofu: function (g, font, text, found) {
      var ref = GroveText.notdef[font];
      if (!ref) ref = GroveText.notdef[font] = [GroveText.inkOf(g, '\u0378'), GroveText.inkOf(g, '\u{3FFFD}')];
      var n = 0;
      for (var ch of text) {
        var cp = ch.codePointAt(0);
        if (cp < 0x80 || GroveText.re().ignored.test(ch)) continue;
        var known = GroveText.tofu[cp];
        if (known === undefined) {
          var ink = GroveText.inkOf(g, ch), r = ref[cp > 0xFFFF ? 1 : 0], same = true;
          for (var k = 0; k < ink.length; k++) if (Math.abs(ink[k] - r[k]) > 0.01) same = false;
          known = GroveText.tofu[cp] = same;
        }
        if (known) {
          n++;
          if (found.length < 8) found.push(cp);
        }
      }
      return n;
    },

    // Draws one line into the scratch canvas at its top-left corner; returns its box:
    // [width, height, ink left of the origin, ascent above the baseline] and its tofu.
    raster: function (font, text, rtl, rgb) {
      var g = GroveText.setFont(font);
      g.direction = rtl ? 'rtl' : 'ltr';
      var m = g.measureText(text), fm = GroveText.fontMetrics(font);
      var left = Math.ceil(Math.max(0, m.actualBoundingBoxLeft || 0)) + 1;
      var right = Math.ceil(Math.max(m.width, m.actualBoundingBoxRight || 0)) + 1;
      var asc = Math.ceil(Math.max(m.actualBoundingBoxAscent || 0, fm.ascent)) + 1;
      var desc = Math.ceil(Math.max(m.actualBoundingBoxDescent || 0, fm.descent)) + 1;
      var w = left + right, h = asc + desc;
      GroveText.ensure(w, h);
      g = GroveText.setFont(font);
      g.direction = rtl ? 'rtl' : 'ltr';
      g.textAlign = 'left';
      g.textBaseline = 'alphabetic';
      g.clearRect(0, 0, w, h);
      g.fillStyle = 'rgb(' + ((rgb >> 16) & 255) + ',' + ((rgb >> 8) & 255) + ',' + (rgb & 255) + ')';
      g.fillText(text, left, asc);
      var found = [];
      var tofu = GroveText.countTofu(g, font, text, found);
      return { w: w, h: h, left: left, asc: asc, tofu: tofu, found: found };
    },
  },

  grove_text_font_metrics__deps: ['$GroveText'],
  grove_text_font_metrics: function (font, out) {
    var m = GroveText.fontMetrics(UTF8ToString(font));
    HEAPF32[out >> 2] = m.ascent;
    HEAPF32[(out >> 2) + 1] = m.descent;
  },

  grove_text_measure__deps: ['$GroveText'],
  grove_text_measure: function (font, text, len) {
    return GroveText.measure(UTF8ToString(font), UTF8ToString(text, len));
  },

  // Writes up to `cap` lines as (start, end, next: int32 byte offsets; width: float32); returns
  // how many lines there are (call again with a bigger buffer when that is more than cap).
  grove_text_break__deps: ['$GroveText'],
  grove_text_break: function (font, text, len, maxWidth, out, cap) {
    var s = UTF8ToString(text, len);
    var lines = GroveText.layout(UTF8ToString(font), s, maxWidth);
    var o = GroveText.utf8Offsets(s);
    for (var i = 0; i < lines.length && i < cap; i++) {
      var p = (out >> 2) + i * 4;
      HEAP32[p] = o[lines[i][0]];
      HEAP32[p + 1] = o[lines[i][1]];
      HEAP32[p + 2] = o[lines[i][2]];
      HEAPF32[p + 3] = lines[i][3];
    }
    return lines.length;
  },

  // Rasterizes a line into the scratch canvas. out (float32): width, height, ink left of the
  // origin, ascent, then up to 8 code points without a font. Returns the tofu count.
  grove_text_raster__deps: ['$GroveText'],
  grove_text_raster: function (font, text, len, rtl, rgb, out) {
    var r = GroveText.raster(UTF8ToString(font), UTF8ToString(text, len), !!rtl, rgb);
    var p = out >> 2;
    HEAPF32[p] = r.w;
    HEAPF32[p + 1] = r.h;
    HEAPF32[p + 2] = r.left;
    HEAPF32[p + 3] = r.asc;
    for (var i = 0; i < 8; i++) HEAPF32[p + 4 + i] = i < r.found.length ? r.found[i] : 0;
    return r.tofu;
  },

  // Copies the scratch canvas's columns [sx, sx + w) and rows [0, h) into texture `tex` of the
  // current WebGL 2 context at (x, y): an RGBA texture (colour) or a luminance-alpha one.
  grove_text_upload__deps: ['$GroveText', '$GL'],
  grove_text_upload: function (tex, colour, x, y, sx, w, h) {
    var gl = GLctx;
    gl.bindTexture(gl.TEXTURE_2D, GL.textures[tex]);
    gl.pixelStorei(gl.UNPACK_FLIP_Y_WEBGL, false);
    gl.pixelStorei(gl.UNPACK_PREMULTIPLY_ALPHA_WEBGL, false);
    gl.pixelStorei(gl.UNPACK_ROW_LENGTH, 0);
    gl.pixelStorei(gl.UNPACK_SKIP_ROWS, 0);
    gl.pixelStorei(gl.UNPACK_SKIP_PIXELS, sx);
    var format = colour ? gl.RGBA : gl.LUMINANCE_ALPHA;
    gl.texSubImage2D(gl.TEXTURE_2D, 0, x, y, w, h, format, gl.UNSIGNED_BYTE, GroveText.canvas);
    gl.pixelStorei(gl.UNPACK_SKIP_PIXELS, 0);
  },
});
