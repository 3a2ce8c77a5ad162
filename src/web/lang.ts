/**
 * The page's language: the person's choice (query `lang`, then the `tongban_lang` cookie), else
 * what the browser prefers (Accept-Language) on a first visit, else zh-CN.
 */
import { ACCEPTED_TAGS, isLang, langOfTag, type Lang } from '../i18n/text.ts';

export const LANG_COOKIE = 'tongban_lang';

/** `accepts` is the framework's Accept-Language match (express `req.acceptsLanguages`, koa `ctx.acceptsLanguages`). */
export function pickLang(query: unknown, cookie: unknown, accepts?: (tags: string[]) => string | false): Lang {
  if (isLang(query)) return query;
  if (isLang(cookie)) return cookie;
  return langOfTag(accepts?.([...ACCEPTED_TAGS])) ?? 'zh-CN';
}
