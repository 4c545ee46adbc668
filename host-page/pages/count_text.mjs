// The text of a count element: "12 reflections" in the page's language, or the editor's
// data-grove-count-format template. Pure (no DOM), so node tests can check every language.
//
// Templates (docs/EMBEDDING.md, "Counts on listing pages"):
//   "{n} comments"                                    one text for every number
//   "{n} comment | {n} comments"                      one | other
//   "=0: Be the first | one: {n} reply | other: {n} replies"   labelled variants: =N (exact),
//                                                     zero, one, two, few, many, other (the page
//                                                     language's plural categories)
// Placeholders: {n} = {posts} (top-level posts), {replies}, {total} (posts + replies),
// {contributors}. The number that chooses the variant is the first placeholder's.

// Default texts by language: the plural categories of Intl.PluralRules for that language.
export const COUNT_TEXTS = {
  en: { one: '{n} reflection', other: '{n} reflections' },
  de: { one: '{n} Reflexion', other: '{n} Reflexionen' },
  fr: { one: '{n} réflexion', many: '{n} de réflexions', other: '{n} réflexions' },
  es: { one: '{n} reflexión', many: '{n} de reflexiones', other: '{n} reflexiones' },
  pl: { one: '{n} refleksja', few: '{n} refleksje', many: '{n} refleksji', other: '{n} refleksji' },
};

const PLACEHOLDER = /\{(n|posts|replies|total|contributors)\}/g;
const LABEL = /^\s*(zero|one|two|few|many|other|=\d+)\s*:\s?/;

// Parses a template into {variants: [{label, text}], problem}. An unlabelled pair is one|other.
export function parseFormat(format) {
  const parts = format.split('|');
  const variants = parts.map((p) => {
    const m = p.match(LABEL);
    return m ? { label: m[1], text: p.slice(m[0].length).trim() } : { label: null, text: p.trim() };
  });
  const unlabelled = variants.filter((v) => v.label === null);
  if (variants.length > 1 && unlabelled.length > 0) {
    if (unlabelled.length !== variants.length || variants.length !== 2) {
      return { problem: 'data-grove-count-format: give either one text, two texts "singular | plural", or label every variant ' +
        '("one: {n} comment | other: {n} comments").' };
    }
    variants[0].label = 'one';
    variants[1].label = 'other';
  }
  if (variants.some((v) => v.text.length > 200)) return { problem: 'data-grove-count-format is too long (200 characters per variant at most).' };
  return { variants };
}

function value(counts, name) {
  const posts = counts.posts, replies = counts.replies;
  switch (name) {
    case 'n': case 'posts': return posts;
    case 'replies': return replies;
    case 'total': return posts + replies;
    default: return counts.contributors;
  }
}

// counts: {posts, replies, contributors}; lang: primary subtag or ""; format: the attribute or "".
export function countText(counts, lang, format) {
  const known = Object.prototype.hasOwnProperty.call(COUNT_TEXTS, lang) ? lang : 'en';
  let variants;
  if (format) {
    const parsed = parseFormat(format);
    variants = parsed.variants || [{ label: null, text: format }];
  } else {
    variants = Object.entries(COUNT_TEXTS[known]).map(([label, text]) => ({ label, text }));
  }
  const first = (variants.map((v) => v.text).join(' ').match(/\{(n|posts|replies|total|contributors)\}/) || [null, 'n'])[1];
  const n = value(counts, first);
  // The editor's own words follow the page's language; Grove's words, the language they are in.
  const numberLang = format ? lang || 'en' : known;
  let rules, numbers;
  try {
    rules = new Intl.PluralRules(numberLang);
    numbers = new Intl.NumberFormat(numberLang);
  } catch (e) {   // a lang attribute no browser knows
    rules = new Intl.PluralRules('en');
    numbers = new Intl.NumberFormat('en');
  }
  const category = rules.select(n);
  const chosen = variants.find((v) => v.label === '=' + n) || variants.find((v) => v.label === category) ||
    variants.find((v) => v.label === 'other') || variants.find((v) => v.label === null) || variants[variants.length - 1];
  return chosen.text.replace(PLACEHOLDER, (all, name) => numbers.format(value(counts, name)));
}
