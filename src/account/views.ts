/** The account page: who I am, how I can sign in, and binding the accounts that need it. */
import type { LoginMethod } from '../../providers/kit/index.ts';
import type { CredentialSummary, Person } from '../identity/index.ts';
import type { Lang, MessageKey } from '../i18n/messages.ts';
import { dateTime, t } from '../i18n/ui.ts';
import { html, type Html } from '../web/html.ts';
import { page } from '../web/layout.ts';
import type { ActivityItem } from './activity.ts';
import { methodName } from './method-name.ts';

function when(lang: Lang, d: Date | null): string {
  return d ? dateTime(lang, d) : t(lang, 'accountNever');
}


// notices after an action that succeeded, by the `notice` the page was sent back with
const DONE = { bound: 'accountBound', unbound: 'accountUnbound', withdrawn: 'consentsWithdrawn' } as const;
const isDone = (code: string): code is keyof typeof DONE => Object.hasOwn(DONE, code);

export function accountPage(o: {
  lang: Lang;
  elder: boolean;
  path: string;
  person: Person;
  credentials: readonly CredentialSummary[];
  methods: ReadonlyMap<string, LoginMethod>;
  csrf: string;
  activity: readonly ActivityItem[];
  /** the consent centre, sessions and my data (control-views.ts) */
  controls?: Html;
  notice?: { ok: boolean; code: MessageKey | keyof typeof DONE };
}): string {
  const { lang } = o;
  const label = (id: string) => methodName(o.methods, lang, id);
  const bound = new Set(o.credentials.map((c) => c.method));
  const bindable = [...o.methods.values()].filter((m) => m.bindable && !bound.has(m.id));
  const masked = `${o.person.name.slice(0, 1)}${'*'.repeat(Math.max(1, o.person.name.length - 1))}`;
  const notice = o.notice
    ? isDone(o.notice.code)
      ? html`<div class="note" role="status">${t(lang, DONE[o.notice.code])}</div>`
      : html`<div class="error" role="alert"><p>${t(lang, o.notice.code)}</p><p class="code">${t(lang, 'errorCode')}: ${o.notice.code}</p></div>`
    : '';
  return page({
    lang,
    elder: o.elder,
    path: o.path,
    title: t(lang, 'accountTitle'),
    body: html`<h1>${t(lang, 'accountTitle')}</h1>
${notice}
<p>${masked} · ${t(lang, `proofing_${o.person.proofing}`)}</p>
<h2>${t(lang, 'accountMethods')}</h2>
<table class="creds"><thead><tr><th>${t(lang, 'accountMethod')}</th><th>${t(lang, 'accountLastUsed')}</th><th></th></tr></thead><tbody>
${o.credentials.map(
  (c) => html`<tr><td>${label(c.method)}</td><td>${when(lang, c.lastUsedAt)}</td><td>
<form method="post" action="/account/unbind"><input type="hidden" name="csrf" value="${o.csrf}"><input type="hidden" name="credential" value="${c.id}">
<button type="submit" class="secondary">${t(lang, 'accountUnbind')}</button></form></td></tr>`,
)}
</tbody></table>
${bindable.length ? html`<h2>${t(lang, 'accountBindTitle')}</h2><ul class="methods">${bindable.map((m) => html`<li><a href="/account/bind/${m.id}">${t(lang, 'accountBind', { method: t(lang, m.label) })}</a></li>`)}</ul>` : ''}
${o.controls ?? ''}
<h2 id="activity">${t(lang, 'accountActivity')}</h2>
${o.activity.length ? html`<table class="creds"><thead><tr><th>${t(lang, 'accountWhen')}</th><th>${t(lang, 'accountWhat')}</th><th>${t(lang, 'accountWhere')}</th></tr></thead><tbody>
${o.activity.map((a) => html`<tr><td>${when(lang, a.at)}</td><td>${a.what}</td><td>${a.where}</td></tr>`)}</tbody></table>` : html`<p>${t(lang, 'accountNoActivity')}</p>`}
<p><a href="/session/end">${t(lang, 'logoutYes')}</a></p>`,
  });
}
