/**
 * The page's language: the person's choice (query `lang`, then the `tongban_lang` cookie), else
 * what the department's authorization request asked for (`ui_locales`) on its sign-in pages, else
 * what the browser prefers (Accept-Language) on a first visit, else zh-CN.
 */
import type { Request } from 'express';
import { ACCEPTED_TAGS, isLang, langOfTag, type Lang } from '../i18n/text.ts';
import { readCookie } from './cookies.ts';

export const LANG_COOKIE = 'tongban_lang';

/** `accepts` is the framework's Accept-Language match (express `req.acceptsLanguages`, koa `ctx.acceptsLanguages`). */
export function pickLang(query: unknown, cookie: unknown, accepts?: (tags: string[]) => string | false, uiLocales?: unknown): Lang {
  if (isLang(query)) return query;
  if (isLang(cookie)) return cookie;
  return langOfUiLocales(uiLocales) ?? langOfTag(accepts?.([...ACCEPTED_TAGS])) ?? 'zh-CN';
}

/** An express request's page language; `uiLocales` from the authorization request it serves, if any. */
export function requestLang(req: Request, uiLocales?: unknown): Lang {
  return pickLang(req.query.lang, readCookie(req, LANG_COOKIE), (tags) => req.acceptsLanguages(tags), uiLocales);
}

/**
 * The first of `ui_locales` (space-separated BCP 47 tags, most preferred first; OpenID Connect
 * Core §3.1.2.1) that we speak: tags compare without regard to case, and `en-GB` falls back to `en`.
 */
export function langOfUiLocales(uiLocales: unknown): Lang | undefined {
  if (typeof uiLocales !== 'string') return undefined;
  const known = new Map(ACCEPTED_TAGS.map((tag) => [tag.toLowerCase(), tag]));
  for (const tag of uiLocales.toLowerCase().split(' ').filter(Boolean).slice(0, 20)) {
    const lang = langOfTag(known.get(tag) ?? known.get(tag.split('-')[0]!));
    if (lang) return lang;
  }
  return undefined;
}
