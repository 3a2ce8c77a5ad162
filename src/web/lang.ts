/** zh-CN unless the person chose English (query `lang`, then the `tongban_lang` cookie). */
import type { Lang } from '../i18n/messages.ts';

export const LANG_COOKIE = 'tongban_lang';

export function pickLang(query: unknown, cookie: unknown): Lang {
  if (query === 'en' || query === 'zh-CN') return query;
  if (cookie === 'en' || cookie === 'zh-CN') return cookie;
  return 'zh-CN';
}
