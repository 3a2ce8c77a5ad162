/** The page frame shared by every page we render: language switch, skip link, one stylesheet. */
import type { Lang } from '../i18n/messages.ts';
import { t } from '../i18n/ui.ts';
import { html, raw, type Html } from './html.ts';

export interface PageOptions {
  lang: Lang;
  title: string;
  body: Html;
  /** the current path with query, for the language switch */
  path: string;
  /** e.g. a meta refresh for waiting pages */
  head?: Html;
  /** hall kiosks: very large type and big buttons */
  kiosk?: boolean;
}

export function withLang(path: string, lang: Lang): string {
  const u = new URL(path, 'http://x');
  u.searchParams.set('lang', lang);
  return u.pathname + u.search;
}

export function page(o: PageOptions): string {
  const other: Lang = o.lang === 'zh-CN' ? 'en' : 'zh-CN';
  return `<!doctype html>\n${html`<html lang="${o.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title} · ${t(o.lang, 'product')}</title>
<link rel="stylesheet" href="/assets/site.css">
${o.head ?? ''}
</head>
<body${o.kiosk ? raw(' class="kiosk"') : ''}>
<a class="skip" href="#main">${t(o.lang, 'skip')}</a>
<header class="top">
  <span class="brand">${t(o.lang, 'product')}</span>
  <a class="lang" href="${withLang(o.path, other)}" lang="${other}" hreflang="${other}">${t(o.lang, 'switchLang')}</a>
</header>
<main id="main">
${o.body}
</main>
</body>
</html>`.value}`;
}
