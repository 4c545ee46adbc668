// The text of count elements (host-page/pages/count_text.mjs), in node: the default wording in
// each language Grove knows with its real plural forms (Intl.PluralRules: Polish has one, few and
// many), numbers grouped as that language writes them, and editors' templates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countText, parseFormat } from '../../host-page/pages/count_text.mjs';

const c = (posts, replies = 0, contributors = 0) => ({ posts, replies, contributors });
const nbsp = (s) => s.replace(/[\u00a0\u202f]/g, ' ');   // French groups thousands with a narrow no-break space

test('English by default, and for languages Grove has no words for', () => {
  assert.equal(countText(c(0), 'en', ''), '0 reflections');
  assert.equal(countText(c(1), 'en', ''), '1 reflection');
  assert.equal(countText(c(12), '', ''), '12 reflections');
  assert.equal(countText(c(1234), 'en', ''), '1,234 reflections');
  assert.equal(countText(c(1234), 'fi', ''), '1,234 reflections', 'Finnish: Grove has no Finnish words, so all English');
  assert.equal(nbsp(countText(c(1234), 'fi', '{n} kommenttia')), '1 234 kommenttia', 'an editor\'s Finnish words: Finnish numbers');
});

test('German, French, Spanish and Polish use their own plural forms and number grouping', () => {
  assert.equal(countText(c(1), 'de', ''), '1 Reflexion');
  assert.equal(countText(c(2), 'de', ''), '2 Reflexionen');
  assert.equal(countText(c(1234), 'de', ''), '1.234 Reflexionen');
  assert.equal(countText(c(0), 'fr', ''), '0 réflexion', 'French: zero is singular');
  assert.equal(countText(c(1), 'fr', ''), '1 réflexion');
  assert.equal(countText(c(2), 'fr', ''), '2 réflexions');
  assert.equal(nbsp(countText(c(1000000), 'fr', '')), '1 000 000 de réflexions');
  assert.equal(countText(c(1), 'es', ''), '1 reflexión');
  assert.equal(countText(c(3), 'es', ''), '3 reflexiones');
  const pl = [[1, '1 refleksja'], [2, '2 refleksje'], [4, '4 refleksje'], [5, '5 refleksji'], [12, '12 refleksji'],
    [22, '22 refleksje'], [25, '25 refleksji'], [0, '0 refleksji']];
  for (const [n, expected] of pl) assert.equal(countText(c(n), 'pl', ''), expected, `Polish ${n}`);
});

test('templates: one text, singular | plural, labelled variants, exact numbers, every placeholder', () => {
  assert.equal(countText(c(5, 2, 3), 'en', '{n} comments'), '5 comments');
  assert.equal(countText(c(1), 'en', '{n} comment | {n} comments'), '1 comment');
  assert.equal(countText(c(7), 'en', '{n} comment | {n} comments'), '7 comments');
  const f = '=0: Be the first | one: {total} reply | other: {total} replies';
  assert.equal(countText(c(0, 0), 'en', f), 'Be the first');
  assert.equal(countText(c(1, 0), 'en', f), '1 reply');
  assert.equal(countText(c(4, 3), 'en', f), '7 replies', '{total} = posts + replies chooses the form');
  assert.equal(countText(c(4, 3, 1), 'en', 'one: {contributors} person | other: {contributors} people'), '1 person');
  assert.equal(countText(c(4, 3, 2), 'en', '{posts} posts, {replies} replies, {contributors} people'), '4 posts, 3 replies, 2 people');
  assert.equal(countText(c(5), 'pl', 'one: {n} komentarz | few: {n} komentarze | many: {n} komentarzy | other: {n} komentarza'), '5 komentarzy');
  assert.equal(countText(c(3), 'pl', 'one: {n} komentarz | few: {n} komentarze | many: {n} komentarzy | other: {n} komentarza'), '3 komentarze');
  assert.equal(countText(c(2), 'en', 'Note: {n} posts'), 'Note: 2 posts', 'a colon after an unknown word is text');
});

test('templates that cannot be read are reported, and shown as written', () => {
  assert.match(parseFormat('a | b | c').problem, /either one text, two texts/);
  assert.match(parseFormat('one: {n} x | {n} y').problem, /label every variant/);
  assert.equal(parseFormat('one: {n} x | other: {n} y').problem, undefined);
  assert.equal(countText(c(2), 'en', '{n} a | {n} b | {n} c'), '{n} a | {n} b | {n} c'.replace(/\{n\}/g, '2'));
});
