/** The signing-keys page: each key with its status, and the forms that propose a step (for a second key admin to approve). */
import type { Lang } from '../../i18n/text.ts';
import { t, type UiKey } from '../../i18n/ui.ts';
import { html } from '../../web/html.ts';
import { SIGNING_ALGS, type StoredKey } from '../../keys/index.ts';
import { adminPage } from '../home-views.ts';
import { CSRF_FIELD } from '../auth.ts';
import { reasonInput } from '../helpdesk/views.ts';

const NOTICE: Readonly<Record<string, UiKey>> = { pending: 'kyPending', applied: 'kyApplied' };

export function keysPage(v: { lang: Lang; elder: boolean; path: string; csrf: string; keys: StoredKey[]; canPropose: boolean; notice: unknown }): string {
  const { lang } = v;
  const csrf = html`<input type="hidden" name="${CSRF_FIELD}" value="${v.csrf}">`;
  const notice = typeof v.notice === 'string' && Object.hasOwn(NOTICE, v.notice) ? html`<p class="note" role="status">${t(lang, NOTICE[v.notice]!)}</p>` : '';
  const step = (k: StoredKey) => {
    if (!v.canPropose) return '';
    if (k.status === 'next')
      return html`<form method="post" action="/admin/keys/${k.kid}/activate">${csrf}${reasonInput(lang, `ky-a-${k.kid}`)}<button type="submit">${t(lang, 'kyActivate')}</button></form>
<form method="post" action="/admin/keys/${k.kid}/retire">${csrf}${reasonInput(lang, `ky-r-${k.kid}`)}<button type="submit" class="secondary">${t(lang, 'kyRetire')}</button></form>`;
    if (k.status === 'retired')
      return html`<form method="post" action="/admin/keys/${k.kid}/retire">${csrf}${reasonInput(lang, `ky-r-${k.kid}`)}<button type="submit" class="secondary">${t(lang, 'kyRetire')}</button></form>`;
    return '';
  };
  return adminPage({
    lang,
    elder: v.elder,
    path: v.path,
    csrf: v.csrf,
    title: t(lang, 'kyTitle'),
    body: html`<h1>${t(lang, 'kyTitle')}</h1>${notice}
<p>${t(lang, 'kyNote')}</p>
<table aria-labelledby="ky-keys"><caption id="ky-keys">${t(lang, 'kyTitle')}</caption>
<thead><tr><th scope="col">${t(lang, 'kyKid')}</th><th scope="col">${t(lang, 'kyAlg')}</th><th scope="col">${t(lang, 'opsStatus')}</th><th scope="col">${t(lang, 'kyCreated')}</th><th scope="col"><span class="visually-hidden">${t(lang, 'kyActivate')}</span></th></tr></thead>
<tbody>${v.keys.map((k) => html`<tr><td><span class="code">${k.kid}</span></td><td>${k.alg}</td><td>${t(lang, `ky_${k.status}` as UiKey)}</td><td>${k.createdAt}</td><td>${step(k)}</td></tr>`)}</tbody></table>
${v.canPropose
  ? html`<h2>${t(lang, 'kyPublish')}</h2><form method="post" action="/admin/keys/publish">${csrf}
<label for="ky-alg">${t(lang, 'kyAlg')}</label><select id="ky-alg" name="alg">${SIGNING_ALGS.map((a) => html`<option value="${a}">${a}</option>`)}</select>
${reasonInput(lang, 'ky-p-reason')}<button type="submit">${t(lang, 'kyPublish')}</button></form>`
  : ''}
<p><a href="/admin">${t(lang, 'opsBack')}</a></p>`,
  });
}
