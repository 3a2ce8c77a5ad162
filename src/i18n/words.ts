/** Words a login method names for its pages: a catalogue key, with values for its placeholders when it has any. */
import { t, type TextKey } from './ui.ts';
import type { Lang, Params } from './text.ts';

export type Words = TextKey | { readonly key: TextKey; readonly params: Params };

export function say(lang: Lang, words: Words): string {
  return typeof words === 'string' ? t(lang, words) : t(lang, words.key, words.params);
}
