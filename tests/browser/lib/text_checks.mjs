// What the text tests look at, for Chromium (playwright-core) and Firefox (puppeteer-core) alike:
// posts in many scripts seeded through the API, and pixel checks of the lines the widget drew,
// each compared with the same string drawn by Canvas 2D in the same page (same fonts, same
// machine), as the issue asks: "displays as the same text would in an HTML page".
//
// A browser is reached through two functions: evaluate(fn, arg) runs fn(arg) in the page, and
// shot(clip) returns a base64 PNG of a page region (CSS px).

import assert from 'node:assert/strict';

// One post per script, a mixed-direction one, emoji sequences, and reversed strings (a string
// and its reverse must differ on screen). Plain ASCII is kept out of most of them, so each line's
// pixels are its script's.
export const SCRIPTS = {
  latin: 'Façade naïve: we rehearsed the evacuation twice',
  greek: 'Η άσκηση εκκένωσης ήταν πολύ χρήσιμη',
  cyrillic: 'Учебная эвакуация прошла спокойно',
  chinese: '学习分享会很有帮助，我们下周再练习一次。',
  japanese: '避難訓練はとても役に立ちました。',
  korean: '소화기 위치를 모두 확인했습니다',
  arabic: 'شكرا على هذه الدورة المفيدة جدا',
  hebrew: 'תודה רבה על הקורס המועיל',
  hindi: 'यह प्रशिक्षण बहुत उपयोगी था',
  thai: 'การฝึกอบรมนี้มีประโยชน์มาก',
  emoji: '👍🏽 👩‍🏫 🇯🇵 ❤️ 🎉',
  mixed: 'نستخدم Grove كل أسبوع',
};
export const RTL = ['arabic', 'hebrew', 'mixed'];

// In the page (pass it to evaluate): for each text, the element of the HTML view holding exactly
// that text, its text's size and the gaps from the element's left and right edges to the text.
// null while one of them is not there yet.
export function paragraphGaps(texts) {
  const all = [...document.querySelectorAll('#w .grove-view *')];
  const found = texts.map((t) => all.find((e) => e.textContent === t && e.children.length === 0));
  if (found.some((e) => !e)) return null;
  return found.map((e) => {
    const range = document.createRange();
    range.selectNodeContents(e);
    const r = range.getBoundingClientRect(), p = e.getBoundingClientRect();
    return { w: r.width, h: r.height, left: r.left - p.left, right: p.right - r.right };
  });
}

// Right-to-left paragraphs (dir=auto) start at the right, the others at the left.
export function assertAligned(label, gap, rtl) {
  if (rtl) assert.ok(gap.right < 2 && gap.left > 20, `${label} is aligned right: ${JSON.stringify(gap)}`);
  else assert.ok(gap.left < 2, `${label} is aligned left: ${JSON.stringify(gap)}`);
}

// Reverses by grapheme cluster (reversing code units would break surrogates and marks apart).
export function reverse(s) {
  return Array.from(new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(s), (g) => g.segment)
    .reverse().join('');
}

// Long posts that must wrap: no spaces in the Chinese one (breaks between characters), Thai
// words without spaces (breaks between words), and emoji sequences (never inside one).
export const LONG = {
  chinese: '我们今天在三楼进行了消防演习，每个人都在三分钟内到达了集合点。下一次我们会检查所有会议室和洗手间，确保没有人被落下，也会提前告诉新同事集合点的位置。',
  thai: 'วันนี้เราซ้อมหนีไฟที่ชั้นสามทุกคนไปถึงจุดรวมพลภายในสามนาทีครั้งหน้าเราจะตรวจห้องประชุมทุกห้องและบอกเพื่อนร่วมงานใหม่ล่วงหน้า',
  emoji: '👩‍🏫👍🏽🇯🇵'.repeat(30),
};

// In the page: decodes a PNG and compares the ink of the widget's line with the same text drawn
// by Canvas 2D (font, direction and baseline the widget reported), at the best offset within
// 2 device px. Ink: pixels far enough from the background. Returns the overlap (intersection
// over union) with the string and with its reverse, and how many pixels are colourful.
async function compareInPage({ png, clip, line, reversed }) {
  const img = new Image();
  img.src = 'data:image/png;base64,' + png;
  await img.decode();
  const W = img.width, H = img.height, s = W / clip.width;
  const c = document.createElement('canvas');
  c.width = W; c.height = H;
  const g = c.getContext('2d', { willReadFrequently: true });
  g.drawImage(img, 0, 0);
  const got = g.getImageData(0, 0, W, H).data;
  const bg = [got[0], got[1], got[2]];
  const diff = (d, i) => Math.max(Math.abs(d[i] - bg[0]), Math.abs(d[i + 1] - bg[1]), Math.abs(d[i + 2] - bg[2]));
  let ink = 0, colourful = 0, fg = bg, far = 0;
  const mask = new Uint8Array(W * H);
  for (let i = 0, p = 0; i < got.length; i += 4, p++) {
    const d = diff(got, i);
    if (d > 70) { mask[p] = 1; ink++; }
    if (d > far) { far = d; fg = [got[i], got[i + 1], got[i + 2]]; }
    const mx = Math.max(got[i], got[i + 1], got[i + 2]), mn = Math.min(got[i], got[i + 1], got[i + 2]);
    if (mx - mn > 80) colourful++;
  }
  function reference(text) {
    g.fillStyle = `rgb(${bg.join(',')})`;
    g.fillRect(0, 0, W, H);
    g.fillStyle = `rgb(${fg.join(',')})`;
    g.font = line.font;
    g.direction = line.rtl ? 'rtl' : 'ltr';
    g.textAlign = 'left';
    g.textBaseline = 'alphabetic';
    // The widget's line box starts at line.x; the CSS font is in device px already.
    const x = Math.round((line.x - clip.x) * s), y = Math.round((line.y + line.baseline - clip.y) * s);
    g.fillText(text, x, y);
    const d = g.getImageData(0, 0, W, H).data;
    const m = new Uint8Array(W * H);
    for (let i = 0, p = 0; i < d.length; i += 4, p++) m[p] = diff(d, i) > 70 ? 1 : 0;
    return m;
  }
  function overlap(ref) {
    let best = 0;
    for (let dy = -2; dy <= 2; dy++) {
      for (let dx = -2; dx <= 2; dx++) {
        let both = 0, either = 0;
        for (let y = 0; y < H; y++) {
          const yy = y + dy;
          for (let x = 0; x < W; x++) {
            const a = mask[y * W + x];
            const xx = x + dx;
            const b = yy >= 0 && yy < H && xx >= 0 && xx < W ? ref[yy * W + xx] : 0;
            both += a & b;
            either += a | b;
          }
        }
        best = Math.max(best, either ? both / either : 0);
      }
    }
    return best;
  }
  let left = W, right = -1;
  for (let p = 0; p < mask.length; p++) if (mask[p]) { const x = p % W; left = Math.min(left, x); right = Math.max(right, x); }
  return {
    ink, colourful, scale: s,
    same: overlap(reference(line.text)),
    reversed: overlap(reference(reversed)),
    inkLeft: left / s + clip.x, inkRight: (right + 1) / s + clip.x,   // CSS px in the page
  };
}

// The region of a line on the page (whole CSS px, a little margin around its box).
export function lineClip(canvasBox, line, margin = 4) {
  const x = Math.floor(canvasBox.x + line.x - margin), y = Math.floor(canvasBox.y + line.y);
  return { x, y, width: Math.ceil(canvasBox.x + line.x + line.w + margin) - x, height: Math.ceil(canvasBox.y + line.y + line.h) - y };
}

// Compares one drawn line (from groveDebug.textLines()) with Canvas 2D's drawing of its text.
export async function checkLine({ evaluate, shot, canvasBox, line }) {
  const clip = lineClip(canvasBox, line);
  const png = await shot(clip);
  const local = { ...line, x: canvasBox.x + line.x, y: canvasBox.y + line.y };
  return evaluate(compareInPage, { png, clip, line: local, reversed: reverse(line.text) });
}

// The lines the widget drew for `text` (a post's first line starts with its first characters).
export function linesOf(lines, text) {
  return lines.filter((l) => l.size === 'body' && text.includes(l.text) && l.text.length > 0);
}

// The checks of a page showing the SCRIPTS posts and the reversed ones (module "scripts"). `b`:
// evaluate, shot, canvasBox (the canvas's page box), controls and lines (from groveDebug),
// stats (groveDebug.stats().text), dpr.
export async function assertScripts(b) {
  const { canvasBox: box, controls, lines, dpr } = b;
  const menuRight = Math.max(...controls.filter((c) => c.label === 'More actions').map((c) => c.x + c.w)) + box.x;
  const results = {};
  for (const [key, text] of [...Object.entries(SCRIPTS), ...['arabic', 'hebrew', 'thai'].map((k) => [`${k} reversed`, reverse(SCRIPTS[k])])]) {
    const mine = linesOf(lines, text).filter((l) => l.text === text);
    assert.equal(mine.length, 1, `${key}: one line drawn for "${text}" (lines: ${JSON.stringify(lines.map((l) => l.text))})`);
    const line = mine[0];
    assert.equal(line.rtl, RTL.includes(key.split(' ')[0]), `${key}: direction`);
    const r = await checkLine({ ...b, line });
    results[key] = r;
    if (process.env.GROVE_TEXT_VERBOSE) console.log(key, JSON.stringify(r));
    assert.ok(r.ink > 40 * dpr * dpr, `${key}: the line has ink (${r.ink} px)`);
    assert.ok(r.same >= 0.8, `${key}: drawn as Canvas 2D draws "${text}" (overlap ${r.same.toFixed(2)})`);
    assert.ok(r.reversed < r.same - 0.15, `${key}: unlike its reverse (overlap ${r.reversed.toFixed(2)} vs ${r.same.toFixed(2)})`);
    if (RTL.includes(key.split(' ')[0])) {
      assert.ok(Math.abs(r.inkRight - menuRight) <= 10, `${key}: ink ends at the right edge (${r.inkRight} vs ${menuRight})`);
      assert.ok(r.inkLeft > box.x + 200, `${key}: and starts far from the left edge (${r.inkLeft})`);
    } else {
      assert.ok(Math.abs(r.inkLeft - (box.x + line.x)) <= 3, `${key}: ink starts at the left edge`);
      assert.ok(r.inkRight < menuRight - 100, `${key}: and ends far from the right edge`);
    }
  }
  assert.ok(results.emoji.colourful > 60 * dpr * dpr, `emoji keep their colours (${results.emoji.colourful} colourful px)`);
  for (const key of ['latin', 'chinese', 'arabic', 'hindi']) assert.equal(results[key].colourful, 0, `${key}: plain text colour`);
  const text = b.stats;
  assert.equal(text.mode, 'canvas');
  assert.equal(text.tofu, 0, `no glyph drawn as a box: ${JSON.stringify(text.tofuChars)}`);
  assert.ok(text.gpuBytes > 0 && text.gpuBytes <= text.gpuBudget, JSON.stringify(text));
  return results;
}

// The checks of a page showing the LONG posts and the one with a character no font has (module
// "wrapping"), at a width that makes them wrap.
export async function assertWrapping(b) {
  const { canvasBox: box, controls, lines } = b;
  for (const [key, text] of Object.entries(LONG)) {
    const mine = linesOf(lines, text);
    assert.ok(mine.length >= 3, `${key}: wrapped into ${mine.length} lines`);
    assert.equal(mine.map((l) => l.text).join(''), text, `${key}: every character drawn once, in order`);
    const left = mine[0].x, right = Math.max(...mine.map((l) => l.x + l.w));
    for (const l of mine) {
      assert.ok(l.w <= right - left + 0.5, `${key}: "${l.text}" fits the width`);
      const r = await checkLine({ ...b, line: l });
      assert.ok(r.same >= 0.8, `${key}: line "${l.text}" drawn as Canvas 2D draws it (${r.same.toFixed(2)})`);
      assert.ok(r.inkRight <= box.x + right + 2, `${key}: no ink past the text's width`);
    }
    if (key === 'thai') {   // each break between two words
      const bounds = new Set(await b.evaluate((t) => Array.from(new Intl.Segmenter('th', { granularity: 'word' }).segment(t),
        (s) => s.index), text));
      let at = 0;
      for (const l of mine.slice(0, -1)) {
        at += l.text.length;
        assert.ok(bounds.has(at), `thai: the line "${l.text}" ends between two words`);
      }
    }
    if (key === 'emoji') {
      for (const l of mine) assert.match(l.text, /^(?:👩‍🏫|👍🏽|🇯🇵)+$/u, 'emoji: no sequence is split');
    }
    // The footer of the card (its Endorse button) comes right after the last line.
    const last = mine[mine.length - 1];
    const endorse = controls.filter((c) => c.label === 'Endorse' && c.y > last.y).sort((a, c) => a.y - c.y)[0];
    assert.ok(endorse && endorse.y - (last.y + last.h) < 16 && endorse.y >= last.y + last.h - 0.5,
      `${key}: the card's footer follows its last line (${endorse && endorse.y} vs ${last.y + last.h})`);
  }
  // A character no font has is drawn as a box, and counted.
  const text = b.stats;
  assert.ok(text.tofu >= 1 && text.tofuChars.includes(0x378), `tofu counted: ${JSON.stringify(text)}`);
}
