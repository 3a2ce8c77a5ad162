/**
 * The page's language: the person's choice (query `lang`, then the `tongban_lang` cookie), else
 * what the department's authorization request asked for (`ui_locales`) on its sign-in pages, else
 * what the browser prefers (Accept-Language) on a first visit, else zh-CN.
 */
import type { Request } from 'express';
import { ACCEPTED_TAGS, isLang, langOfTag, type Lang } from '../i18n/text.ts';
import { readCookie } from './cookies.ts';

export const LANG_COOKIE = 'tongban_lang';

/**
 * What a browser sends as Accept-Language and the framework's match of it (express
 * `req.acceptsLanguages`, koa `ctx.acceptsLanguages`).
 */
export interface BrowserPreference {
  header: string | undefined;
  accepts(tags: string[]): string | false;
}

export function pickLang(query: unknown, cookie: unknown, browser?: BrowserPreference, uiLocales?: unknown): Lang {
  if (isLang(query)) return query;
  if (isLang(cookie)) return cookie;
  return langOfUiLocales(uiLocales) ?? (browser ? browserLang(browser) : undefined) ?? 'zh-CN';
}

/** An express request's page language; `uiLocales` from the authorization request it serves, if any. */
export function requestLang(req: Request, uiLocales?: unknown): Lang {
  const browser = { header: req.headers['accept-language'], accepts: (tags: string[]) => req.acceptsLanguages(tags) };
  return pickLang(req.query.lang, readCookie(req, LANG_COOKIE), browser, uiLocales);
}

// A browser sends the same Accept-Language with every request, and a city's browsers send few
// different ones: each is matched once. Bounded: a header longer than any browser's is matched
// every time, and the memo starts again when full.
const MAX_MEMO_HEADER = 200;
const MAX_MEMO_SIZE = 1000;
const matched = new Map<string, Lang | undefined>();

function browserLang({ header = '', accepts }: BrowserPreference): Lang | undefined {
  if (matched.has(header)) return matched.get(header);
  const lang = langOfTag(accepts([...ACCEPTED_TAGS]));
  if (header.length <= MAX_MEMO_HEADER) {
    if (matched.size >= MAX_MEMO_SIZE) matched.clear();
    matched.set(header, lang);
  }
  return lang;
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
