/** The page frame shared by every page we render: language switch, elder-mode switch, skip link, the stylesheets. */
import { otherLang, type Lang } from '../i18n/text.ts';
import { t } from '../i18n/ui.ts';
import { html, type Html } from './html.ts';
import { withElder } from './elder.ts';

export interface PageOptions {
  lang: Lang;
  title: string;
  body: Html;
  /** the current path with query, for the language switch */
  path: string;
  /** extra head elements (never a meta refresh: waiting pages use `scripts`) */
  head?: Html;
  /** same-origin scripts under /assets/ (the CSP allows no inline script) */
  scripts?: readonly string[];
  /** hall kiosks: very large type and big buttons */
  kiosk?: boolean;
  /** the person chose elder mode (elderOf(res)) */
  elder: boolean;
}

export function withLang(path: string, lang: Lang): string {
  const u = new URL(path, 'http://x');
  u.searchParams.set('lang', lang);
  return u.pathname + u.search;
}

export function page(o: PageOptions): string {
  const other = otherLang(o.lang);
  const { elder } = o;
  const classes = [o.kiosk ? 'kiosk' : '', elder ? 'elder' : ''].filter(Boolean).join(' ');
  return `<!doctype html>\n${html`<html lang="${o.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title} · ${t(o.lang, 'product')}</title>
<link rel="stylesheet" href="/assets/site.css">
${elder ? html`<link rel="stylesheet" href="/assets/elder.css">` : ''}
${o.head ?? ''}
${(o.scripts ?? []).map((src) => html`<script src="/assets/${src}" defer></script>`)}
</head>
<body${classes ? html` class="${classes}"` : ''}>
<a class="skip" href="#main">${t(o.lang, 'skip')}</a>
<header class="top">
  <span class="brand">${t(o.lang, 'product')}</span>
  <nav aria-label="${t(o.lang, 'viewSettings')}">
  <a class="elder-switch" href="${withElder(o.path, !elder)}">${t(o.lang, elder ? 'elderOff' : 'elderOn')}</a>
  <a class="lang" href="${withLang(o.path, other)}" lang="${other}" hreflang="${other}">${t(o.lang, 'switchLang')}</a>
  </nav>
</header>
<main id="main">
${o.body}
</main>
</body>
</html>`.value}`;
}
