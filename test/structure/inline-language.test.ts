/**
 * One message catalogue: text in both languages lives in src/i18n/ (a login method's own words
 * in its messages.ts) and is found by key (`t(lang, key, params)`). No other file picks its words by comparing the language itself
 * (`lang === 'en' ? … : …`, `switch (lang) { case 'zh-CN': … }`), which is how a page ends up
 * half translated: a new language or a corrected sentence would miss those copies.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { root, sources } from './source-files.ts';

/** the catalogue itself: the only place that knows the languages by name */
const CATALOGUE = /^src\/i18n\//;

const LANG = String.raw`['"\`](?:en|zh-CN|zh|en-GB|en-US)['"\`]`;
const CHOICES = [
  new RegExp(String.raw`[!=]==?\s*${LANG}`),
  new RegExp(String.raw`${LANG}\s*[!=]==?`),
  new RegExp(String.raw`\bcase\s+${LANG}\s*:`),
];

/**
 * Words written in both languages on the spot (`{ 'zh-CN': '…', en: '…' }`) belong in the
 * catalogue too: in src/i18n/, or, for a login method's own words, in its messages.ts, whose
 * tables the method's definition adds. A type or a schema of that shape is not text.
 */
const TEXT_HOME = /^(src\/i18n\/|providers\/(?!kit\/)[^/]+\/messages\.ts$)/;
const BOTH_LANGUAGES = /['"`]?zh-CN['"`]?\s*:\s*['"`]/g;

/** the lines (1-based) of a source text where a text is written in both languages on the spot */
export function textLiterals(text: string): number[] {
  return [...text.matchAll(BOTH_LANGUAGES)].map((m) => text.slice(0, m.index).split('\n').length);
}

/** the lines of a source text that choose words by comparing a language */
export function inlineChoices(text: string): string[] {
  return text.split('\n').filter((line) => CHOICES.some((re) => re.test(line)));
}

describe('text in one catalogue', () => {
  it('spots a language chosen inline however it is written', () => {
    assert.equal(inlineChoices(`const s = lang === 'en' ? 'Done' : '完成';`).length, 1);
    assert.equal(inlineChoices(`if (sr.lang !== "zh-CN") x = 1;`).length, 1);
    assert.equal(inlineChoices("return 'en' === lang ? a : b;").length, 1);
    assert.equal(inlineChoices("switch (lang) {\n  case `zh-CN`: return '完成';\n}").length, 1);
    assert.equal(inlineChoices("d.toLocaleString(lang == 'en' ? 'en-GB' : 'zh-CN')").length, 1);
    assert.deepEqual(inlineChoices(`t(lang, 'accountNever'); m.label[lang]; const en = 1; x === 'enrol'`), []);
  });

  it('spots words written in both languages on the spot, and not a type or a schema of that shape', () => {
    assert.deepEqual(textLiterals(`const title = { 'zh-CN': '完成', en: 'Done' };`), [1]);
    assert.deepEqual(textLiterals(`x = {\n  note: {\n    'zh-CN':\n      '很长的说明',\n    en: 'A long note',\n  },\n};`), [3]);
    assert.deepEqual(textLiterals('const t = { "zh-CN": `完成 ${n}`, en: `Done ${n}` };'), [1]);
    assert.deepEqual(
      textLiterals(`type T = { 'zh-CN': string; en: string };\nz.object({ 'zh-CN': z.string(), en: z.string() });\n{ 'zh-CN': t('zh-CN', code), en: t('en', code) }`),
      [],
    );
  });

  it('every text in both languages lives in src/i18n/ or a method’s messages.ts', async () => {
    const files = [...(await sources('src')), ...(await sources('providers'))];
    const homes = files.filter((f) => TEXT_HOME.test(f));
    // the catalogue's own files and every method's messages.ts are where the words are
    assert.ok(homes.filter((f) => f.startsWith('providers/')).length >= 12, homes.join(', '));
    const found: string[] = [];
    for (const f of files.filter((file) => !TEXT_HOME.test(file))) {
      for (const line of textLiterals(await readFile(path.join(root, f), 'utf8'))) found.push(`${f}:${line}`);
    }
    assert.deepEqual(found, []);
  });

  it('no file under src/ or providers/ outside the catalogue chooses its words by language', async () => {
    const files = [...(await sources('src')), ...(await sources('providers'))].filter((f) => !CATALOGUE.test(f));
    assert.ok(files.length > 100, `only ${files.length} files found`);
    const found: string[] = [];
    for (const f of files) {
      for (const line of inlineChoices(await readFile(path.join(root, f), 'utf8'))) found.push(`${f}: ${line.trim()}`);
    }
    assert.deepEqual(found, []);
  });
});
