/** zh-CN unless the person chose English (query `lang`, then the `tongban_lang` cookie). */
import { isLang, type Lang } from '../i18n/text.ts';

export const LANG_COOKIE = 'tongban_lang';

export function pickLang(query: unknown, cookie: unknown): Lang {
  if (isLang(query)) return query;
  if (isLang(cookie)) return cookie;
  return 'zh-CN';
}
