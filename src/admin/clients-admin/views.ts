/** The department-app pages: the list with a registration form, one app with its actions, and the new secret shown once. */
import type { Lang } from '../../i18n/text.ts';
import { t, type UiKey } from '../../i18n/ui.ts';
import { html } from '../../web/html.ts';
import { adminPage } from '../home-views.ts';
import { CSRF_FIELD } from '../auth.ts';
import { reasonInput } from '../helpdesk/views.ts';

type Row = Record<string, unknown> & { disabled: boolean };
const csrfInput = (csrf: string) => html`<input type="hidden" name="${CSRF_FIELD}" value="${csrf}">`;

export function clientsPage(v: { lang: Lang; elder: boolean; path: string; csrf: string; clients: Row[] }): string {
  const { lang } = v;
  return adminPage({
    lang,
    elder: v.elder,
    path: v.path,
    csrf: v.csrf,
    title: t(lang, 'clTitle'),
    body: html`<h1>${t(lang, 'clTitle')}</h1>
<table aria-labelledby="cl-list"><caption id="cl-list">${t(lang, 'clTitle')}</caption>
<thead><tr><th scope="col">${t(lang, 'clId')}</th><th scope="col">${t(lang, 'clName')}</th><th scope="col">${t(lang, 'clScopes')}</th><th scope="col">${t(lang, 'opsStatus')}</th></tr></thead>
<tbody>${v.clients.map((c) => html`<tr><td><a href="/admin/clients/${encodeURIComponent(String(c.client_id))}">${String(c.client_id)}</a></td><td>${String(c.client_name ?? '')}</td><td><span class="code">${String(c.scope ?? '')}</span></td><td>${t(lang, c.disabled ? 'clDisabled' : 'clEnabled')}</td></tr>`)}</tbody></table>
<h2>${t(lang, 'clRegister')}</h2>
<form method="post" action="/admin/clients">${csrfInput(v.csrf)}
<label for="cl-doc">${t(lang, 'clDocument')}</label><textarea id="cl-doc" name="document" rows="12" required spellcheck="false"></textarea>
${reasonInput(lang, 'cl-reason')}<button type="submit">${t(lang, 'clRegister')}</button></form>
<p><a href="/admin">${t(lang, 'opsBack')}</a></p>`,
  });
}

const NOTICE: Readonly<Record<string, UiKey>> = { saved: 'clSaved', pending: 'kyPending' };

export function clientPage(v: { lang: Lang; elder: boolean; path: string; csrf: string; client: Row; notice: unknown }): string {
  const { lang, client } = v;
  const id = encodeURIComponent(String(client.client_id));
  const { disabled, client_secret: _secret, ...doc } = client;
  const said = typeof v.notice === 'string' && Object.hasOwn(NOTICE, v.notice) ? html`<p class="note" role="status">${t(lang, NOTICE[v.notice]!)}</p>` : '';
  return adminPage({
    lang,
    elder: v.elder,
    path: v.path,
    csrf: v.csrf,
    title: String(client.client_name ?? client.client_id),
    body: html`<h1>${String(client.client_name ?? '')} <span class="code">${String(client.client_id)}</span></h1>${said}
<p>${t(lang, disabled ? 'clDisabled' : 'clEnabled')}</p>
${disabled
  ? html`<form method="post" action="/admin/clients/${id}/enable">${csrfInput(v.csrf)}${reasonInput(lang, 'cl-en-reason')}<button type="submit">${t(lang, 'clEnable')}</button></form>`
  : html`<form method="post" action="/admin/clients/${id}">${csrfInput(v.csrf)}
<label for="cl-edit">${t(lang, 'clDocument')}</label><textarea id="cl-edit" name="document" rows="16" required spellcheck="false">${JSON.stringify(doc, null, 2)}</textarea>
${reasonInput(lang, 'cl-edit-reason')}<button type="submit">${t(lang, 'clSave')}</button></form>
<h2>${t(lang, 'clScopesTitle')}</h2><p>${t(lang, 'clScopesNote')}</p>
<form method="post" action="/admin/clients/${id}/scopes">${csrfInput(v.csrf)}
<label for="cl-scope">${t(lang, 'clScopes')}</label><input type="text" id="cl-scope" name="scope" value="${String(client.scope ?? '')}" required autocomplete="off">
${reasonInput(lang, 'cl-scope-reason')}<button type="submit">${t(lang, 'clPropose')}</button></form>
<h2>${t(lang, 'clRotate')}</h2>
<form method="post" action="/admin/clients/${id}/secret">${csrfInput(v.csrf)}${reasonInput(lang, 'cl-secret-reason')}<button type="submit">${t(lang, 'clRotate')}</button></form>
<h2>${t(lang, 'clDisable')}</h2>
<form method="post" action="/admin/clients/${id}/disable">${csrfInput(v.csrf)}${reasonInput(lang, 'cl-dis-reason')}<button type="submit" class="secondary">${t(lang, 'clDisable')}</button></form>`}
<p><a href="/admin/clients">${t(lang, 'opsBack')}</a></p>`,
  });
}

export function secretPage(v: { lang: Lang; elder: boolean; path: string; csrf: string; clientId: string; secret: string }): string {
  const { lang } = v;
  return adminPage({
    lang,
    elder: v.elder,
    path: v.path,
    csrf: v.csrf,
    title: t(lang, 'clRotate'),
    body: html`<h1>${v.clientId}</h1>
<p role="status">${t(lang, 'clSecretOnce')}</p>
<p><span class="code">${v.secret}</span></p>
<p><a href="/admin/clients/${encodeURIComponent(v.clientId)}">${t(lang, 'opsBack')}</a></p>`,
  });
}
