/**
 * One message catalogue: text in both languages lives in src/i18n/ and is found by key
 * (`t(lang, key, params)`). No other file picks its words by comparing the language itself
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
