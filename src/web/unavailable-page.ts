/**
 * What a person sees while PostgreSQL or Redis cannot be reached: the service is at fault, not
 * the person; nothing "expired" or "invalid"; a button to try again. No page reloads itself.
 */
import type { Lang } from '../i18n/text.ts';
import { t } from '../i18n/ui.ts';
import { html } from './html.ts';
import { page } from './layout.ts';

export function unavailablePage(lang: Lang, elder: boolean, retry: string): string {
  return page({
    lang,
    elder,
    path: retry,
    title: t(lang, 'unavailableTitle'),
    body: html`<h1>${t(lang, 'unavailableTitle')}</h1>
<div class="error" role="alert"><p>${t(lang, 'temporarily_unavailable')}</p>
<p class="code">${t(lang, 'errorCode')}: temporarily_unavailable</p></div>
<p>${t(lang, 'unavailableWait')}</p>
<p><a class="button" href="${retry}">${t(lang, 'tryAgain')}</a></p>`,
  });
}

/**
 * Where "try again" leads: the same address after a GET; after a form was posted, the page that
 * showed the form (a sign-in method's form, the login or consent page, the account or counter home).
 */
export function retryTarget(method: string, originalUrl: string): string {
  // a path of our own only: never "//host", which a browser would read as another site
  const url = /^\/(?![/\\])/.test(originalUrl) ? originalUrl : '/';
  if (method === 'GET' || method === 'HEAD') return url;
  const path = url.split('?')[0]!;
  const interaction = /^\/interaction\/([^/]+)(\/(?:method|enrol)\/[^/]+)?/.exec(path);
  if (interaction) return `/interaction/${interaction[1]}${interaction[2] ?? ''}`;
  if (path.startsWith('/session/end')) return '/session/end';
  for (const home of ['/account', '/counter']) if (path === home || path.startsWith(`${home}/`)) return home;
  return path;
}
