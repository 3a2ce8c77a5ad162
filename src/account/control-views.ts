/**
 * The person's own controls on the account page: the consent centre, where they are signed in,
 * and the download of their data; and the page shown after signing out everywhere. Every
 * control is a plain form with its CSRF token: it works by keyboard and without scripts.
 */
import type { Lang } from '../i18n/messages.ts';
import { dateTime, t } from '../i18n/ui.ts';
import { html, type Html } from '../web/html.ts';
import { page } from '../web/layout.ts';
import type { ConsentRow } from './consents.ts';
import type { SessionRow } from './sessions.ts';

const csrfField = (csrf: string) => html`<input type="hidden" name="csrf" value="${csrf}">`;

export function consentsSection(lang: Lang, csrf: string, rows: readonly ConsentRow[]): Html {
  return html`<h2 id="consents">${t(lang, 'consentsTitle')}</h2>
<p>${t(lang, 'consentsIntro')}</p>
${rows.length
  ? html`<table class="creds"><thead><tr><th scope="col">${t(lang, 'consentsApp')}</th><th scope="col">${t(lang, 'consentsReceives')}</th><th scope="col">${t(lang, 'consentsSince')}</th><th scope="col">${t(lang, 'consentsLastUsed')}</th><th scope="col">${t(lang, 'consentsAction')}</th></tr></thead><tbody>
${rows.map(
  (r) => html`<tr><th scope="row">${r.name}</th><td><ul class="claims">${r.receives.map((x) => html`<li>${x}</li>`)}</ul></td><td>${dateTime(lang, r.since)}</td><td>${r.lastUsed ? dateTime(lang, r.lastUsed) : t(lang, 'consentsNotUsed')}</td><td>
<form method="post" action="/account/consents/withdraw">${csrfField(csrf)}<input type="hidden" name="client" value="${r.clientId}">
<button type="submit" class="secondary">${t(lang, 'consentsWithdraw', { client: r.name })}</button></form></td></tr>`,
)}
</tbody></table>`
  : html`<p>${t(lang, 'consentsNone')}</p>`}`;
}

export function sessionsSection(lang: Lang, csrf: string, rows: readonly SessionRow[]): Html {
  return html`<h2 id="sessions">${t(lang, 'sessionsTitle')}</h2>
<table class="creds"><thead><tr><th scope="col">${t(lang, 'sessionsDevice')}</th><th scope="col">${t(lang, 'sessionsSince')}</th><th scope="col">${t(lang, 'sessionsApps')}</th></tr></thead><tbody>
${rows.map(
  (r) => html`<tr><td>${r.device}${r.current ? html` <strong>${t(lang, 'sessionsThisDevice')}</strong>` : ''}</td><td>${r.since ? dateTime(lang, r.since) : ''}</td><td>${r.departments.length ? html`<ul class="claims">${r.departments.map((d) => html`<li>${d}</li>`)}</ul>` : t(lang, 'sessionsNoApps')}</td></tr>`,
)}
</tbody></table>
<form method="post" action="/account/sessions/end-all">${csrfField(csrf)}
<p>${t(lang, 'sessionsEndAllHelp')}</p>
<button type="submit" class="secondary">${t(lang, 'sessionsEndAll')}</button></form>`;
}

export function myDataSection(lang: Lang, csrf: string): Html {
  return html`<h2 id="my-data">${t(lang, 'myDataTitle')}</h2>
<form method="post" action="/account/my-data">${csrfField(csrf)}
<p>${t(lang, 'myDataIntro')}</p>
<button type="submit">${t(lang, 'myDataDownload')}</button></form>`;
}

export function signedOutEverywherePage(lang: Lang, elder: boolean, path: string): string {
  return page({
    lang,
    elder,
    path,
    title: t(lang, 'sessionsEnded'),
    body: html`<h1>${t(lang, 'sessionsEnded')}</h1>
<p><a href="/account">${t(lang, 'signInAgain')}</a></p>`,
  });
}
