/** The helpdesk pages: find a citizen, and the citizen's methods, locks and sessions with the two actions. */
import type { Lang } from '../../i18n/text.ts';
import { dateTime, t, type UiKey } from '../../i18n/ui.ts';
import { html, type Html } from '../../web/html.ts';
import { adminPage } from '../home-views.ts';
import { CSRF_FIELD } from '../auth.ts';
import type { CitizenView } from './citizen.ts';

const csrfInput = (csrf: string) => html`<input type="hidden" name="${CSRF_FIELD}" value="${csrf}">`;

export function reasonInput(lang: Lang, id: string): Html {
  return html`<label for="${id}">${t(lang, 'opsReason')}</label>
<input type="text" id="${id}" name="reason" required minlength="2" maxlength="500" autocomplete="off">`;
}

export function findPage(lang: Lang, elder: boolean, csrf: string, path: string): string {
  return adminPage({
    lang,
    elder,
    path,
    csrf,
    title: t(lang, 'hdTitle'),
    body: html`<h1>${t(lang, 'hdTitle')}</h1>
<form method="post" action="/admin/helpdesk/lookup">${csrfInput(csrf)}
<label for="hd-id">${t(lang, 'hdIdNumber')}</label>
<input type="text" id="hd-id" name="id_number" required inputmode="text" autocomplete="off" maxlength="18" spellcheck="false">
${reasonInput(lang, 'hd-reason')}
<button type="submit">${t(lang, 'hdFind')}</button>
</form>
<p><a href="/admin">${t(lang, 'opsBack')}</a></p>`,
  });
}

const NOTICE: Readonly<Record<string, UiKey>> = { lifted: 'hdLifted', ended: 'hdEnded' };

export function citizenPage(lang: Lang, elder: boolean, csrf: string, path: string, v: CitizenView, notice: unknown, methodLabel: (id: string) => string): string {
  const when = (d: Date | null) => (d ? dateTime(lang, d) : '—');
  const said = typeof notice === 'string' && Object.hasOwn(NOTICE, notice) ? html`<p class="note" role="status">${t(lang, NOTICE[notice]!)}</p>` : '';
  const base = `/admin/helpdesk/c/${v.lookupId}`;
  return adminPage({
    lang,
    elder,
    path,
    csrf,
    title: t(lang, 'hdCitizen'),
    body: html`<h1>${t(lang, 'hdCitizen')}</h1>${said}
<dl><dt>${t(lang, 'hdName')}</dt><dd>${v.maskedName}</dd><dt>${t(lang, 'hdProofing')}</dt><dd>${t(lang, `proofing_${v.proofing}` as UiKey)}</dd></dl>
<h2 id="hd-methods">${t(lang, 'hdMethods')}</h2>
${v.methods.length
  ? html`<table aria-labelledby="hd-methods"><thead><tr><th scope="col">${t(lang, 'hdMethod')}</th><th scope="col">${t(lang, 'opsStatus')}</th><th scope="col">${t(lang, 'hdAdded')}</th><th scope="col">${t(lang, 'hdLastUsed')}</th></tr></thead>
<tbody>${v.methods.map((m) => html`<tr><td>${methodLabel(m.method)}</td><td>${m.status}</td><td>${when(m.createdAt)}</td><td>${when(m.lastUsedAt)}</td></tr>`)}</tbody></table>`
  : html`<p>${t(lang, 'opsNone')}</p>`}
<h2 id="hd-locks">${t(lang, 'hdLocks')}</h2>
${v.locks.length
  ? html`<table aria-labelledby="hd-locks"><thead><tr><th scope="col">${t(lang, 'hdMethod')}</th><th scope="col">${t(lang, 'hdLockScope')}</th><th scope="col">${t(lang, 'hdLockUntil')}</th></tr></thead>
<tbody>${v.locks.map((l) => html`<tr><td>${methodLabel(l.method)}</td><td><span class="code">${l.scope}</span></td><td>${when(l.until)}</td></tr>`)}</tbody></table>`
  : html`<p>${t(lang, 'opsNone')}</p>`}
<form method="post" action="${base}/lift">${csrfInput(csrf)}${reasonInput(lang, 'hd-lift-reason')}<button type="submit">${t(lang, 'hdLift')}</button></form>
<h2 id="hd-sessions">${t(lang, 'hdSessions')}</h2>
${v.sessions.length
  ? html`<table aria-labelledby="hd-sessions"><thead><tr><th scope="col">${t(lang, 'hdDevice')}</th><th scope="col">${t(lang, 'hdSince')}</th><th scope="col">${t(lang, 'hdDepartments')}</th></tr></thead>
<tbody>${v.sessions.map((s) => html`<tr><td>${s.device}</td><td>${when(s.since)}</td><td>${s.departments.join('、')}</td></tr>`)}</tbody></table>`
  : html`<p>${t(lang, 'opsNone')}</p>`}
<form method="post" action="${base}/end-sessions">${csrfInput(csrf)}${reasonInput(lang, 'hd-end-reason')}<button type="submit">${t(lang, 'hdEndAll')}</button></form>
<p><a href="/admin/helpdesk">${t(lang, 'opsBack')}</a></p>`,
  });
}
