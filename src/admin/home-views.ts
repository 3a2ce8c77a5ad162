/** The admin console's own pages: the home page, the page after sign-in, and the refusals. */
import type { Lang } from '../i18n/text.ts';
import { t, type UiKey } from '../i18n/ui.ts';
import { html, type Html } from '../web/html.ts';
import { page } from '../web/layout.ts';
import { CSRF_FIELD } from './auth.ts';
import type { AdminRole } from './roles.ts';

const FORWARD_SCRIPT = 'forward.js';

export const roleLabel = (lang: Lang, role: AdminRole): string => t(lang, `adminRole_${role}` as UiKey);

/** A console page: the frame with the title, and a sign-out form at the foot when signed in. */
export function adminPage(o: { lang: Lang; elder: boolean; path: string; title: string; body: Html; csrf?: string }): string {
  const signOut = o.csrf
    ? html`<form method="post" action="/admin/logout"><input type="hidden" name="${CSRF_FIELD}" value="${o.csrf}"><button type="submit" class="secondary">${t(o.lang, 'adminSignOut')}</button></form>`
    : '';
  return page({ lang: o.lang, elder: o.elder, path: o.path, title: o.title, body: html`${o.body}${signOut}` });
}

export interface HomeView {
  lang: Lang;
  elder: boolean;
  path: string;
  csrf: string;
  name: string;
  roles: readonly AdminRole[];
  links: ReadonlyArray<{ path: string; label: UiKey }>;
  panels: readonly Html[];
  idleMinutes: number;
}

export function homePage(v: HomeView): string {
  const { lang } = v;
  const links = v.links.length
    ? html`<ul>${v.links.map((l) => html`<li><a href="${l.path}">${t(lang, l.label)}</a></li>`)}</ul>`
    : html`<p>${t(lang, 'adminNoAreas')}</p>`;
  return adminPage({
    lang,
    elder: v.elder,
    path: v.path,
    title: t(lang, 'adminTitle'),
    csrf: v.csrf,
    body: html`<h1>${t(lang, 'adminTitle')}</h1>
<dl>
<dt>${t(lang, 'adminWho')}</dt><dd>${v.name}</dd>
<dt>${t(lang, 'adminYourRoles')}</dt><dd><ul>${v.roles.map((r) => html`<li>${roleLabel(lang, r)} <span class="code">${r}</span></li>`)}</ul></dd>
</dl>
<nav aria-labelledby="admin-areas"><h2 id="admin-areas">${t(lang, 'adminAreas')}</h2>${links}</nav>
${v.panels}
<p class="hint">${t(lang, 'adminIdleNote', { minutes: v.idleMinutes })}</p>
<p><a href="/admin/api/openapi.json">${t(lang, 'adminApiDoc')}</a></p>`,
  });
}

export function signedInPage(lang: Lang, elder: boolean): string {
  return page({
    lang,
    elder,
    path: '/admin',
    title: t(lang, 'adminTitle'),
    scripts: [FORWARD_SCRIPT],
    body: html`<h1>${t(lang, 'adminTitle')}</h1>
<p role="status">${t(lang, 'adminSignedIn')}</p>
<p><a class="button" href="/admin" data-forward>${t(lang, 'adminOpenConsole')}</a></p>`,
  });
}

export function refusedPage(lang: Lang, elder: boolean, path: string, code: 'admin_level_required' | 'admin_not_admin' | 'admin_session_expired'): string {
  return page({
    lang,
    elder,
    path,
    title: t(lang, 'adminTitle'),
    body: html`<h1>${t(lang, 'adminTitle')}</h1>
<div class="error" role="alert"><p>${t(lang, code)}</p><p class="code">${code}</p></div>
<p><a class="button" href="/admin/login">${t(lang, 'adminSignInAgain')}</a></p>`,
  });
}
