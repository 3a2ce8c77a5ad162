/**
 * Family proxy pages: the set-up page on /account (name a helper, accept a request, revoke) and
 * the choice a helper makes at sign-in (as themselves, or on behalf of a citizen they help).
 * Plain forms with their CSRF tokens: usable by keyboard and without scripts.
 */
import type { Lang, MessageKey } from '../i18n/messages.ts';
import { dateTime, t, type UiKey } from '../i18n/ui.ts';
import { html, type Html } from '../web/html.ts';
import { page } from '../web/layout.ts';
import { named, textHtml } from '../web/mixed-lang.ts';
import { problemBox } from '../interaction/views.ts';

/** Scopes a citizen may let a helper's sign-ins carry (never the ID number, never offline access). */
export const PROXY_SCOPES = ['profile', 'phone', 'proofing'] as const;
const SCOPE_TEXT: Readonly<Record<(typeof PROXY_SCOPES)[number], UiKey>> = { profile: 'scopeName_profile', phone: 'scopeName_phone', proofing: 'scopeName_proofing' };
export const NOTICES = { requested: 'proxyNoticeRequested', accepted: 'proxyNoticeAccepted', revoked: 'proxyNoticeRevoked' } as const satisfies Record<string, UiKey>;
export type Notice = keyof typeof NOTICES;

export interface MandateRow {
  id: string;
  /** the other person's name */
  other: string;
  departments: readonly string[];
  scopes: readonly string[];
  until: Date;
  accepted: boolean;
}

const csrfField = (csrf: string) => html`<input type="hidden" name="csrf" value="${csrf}">`;

function rows(lang: Lang, csrf: string, list: readonly MandateRow[], as: 'citizen' | 'helper'): Html {
  if (!list.length) return html`<p>${t(lang, 'proxyNone')}</p>`;
  return html`<ul class="mandates">${list.map(
    (m) => html`<li><strong>${named(lang, m.other)}</strong> · ${m.accepted ? t(lang, 'proxyActive') : t(lang, 'proxyPending')} · ${t(lang, 'proxyUntilDate', { date: dateTime(lang, m.until) })}
<ul class="claims">${m.departments.map((d) => html`<li>${named(lang, d)}</li>`)}${m.scopes.map((s) => html`<li>${Object.hasOwn(SCOPE_TEXT, s) ? t(lang, SCOPE_TEXT[s as keyof typeof SCOPE_TEXT]) : s}</li>`)}</ul>
${as === 'helper' && !m.accepted ? html`<form method="post" action="/account/proxy/accept">${csrfField(csrf)}<input type="hidden" name="mandate" value="${m.id}"><button type="submit">${t(lang, 'proxyAccept')}</button></form>` : ''}
<form method="post" action="/account/proxy/revoke">${csrfField(csrf)}<input type="hidden" name="mandate" value="${m.id}"><button type="submit" class="secondary">${t(lang, as === 'citizen' ? 'proxyRevoke' : 'proxyDecline')}</button></form></li>`,
  )}</ul>`;
}

export function proxyPage(o: {
  lang: Lang;
  elder: boolean;
  path: string;
  csrf: string;
  /** the session's level reaches 2: the forms are offered */
  levelOk: boolean;
  departments: ReadonlyArray<{ clientId: string; name: string }>;
  given: readonly MandateRow[];
  received: readonly MandateRow[];
  /** the latest end date allowed, YYYY-MM-DD */
  maxUntil: string;
  notice?: Notice;
  problem?: { code: MessageKey; typedHelper?: string };
}): string {
  const { lang, csrf } = o;
  const form = !o.levelOk
    ? html`<p>${t(lang, 'proxyLevelNeeded')}</p><p><a href="/account/proxy/verify">${t(lang, 'proxyVerifyMore')}</a></p>`
    : !o.departments.length
      ? html`<p>${t(lang, 'proxyNoDepartments')}</p>`
      : html`<form method="post" action="/account/proxy">${csrfField(csrf)}
<p><label for="proxy-helper">${t(lang, 'proxyHelperId')}</label>
<input id="proxy-helper" name="helper_id_number" required maxlength="18" autocomplete="off" inputmode="text"></p>
<fieldset><legend>${t(lang, 'proxyDepartments')}</legend>
${o.departments.map((d, i) => html`<p><input type="checkbox" id="proxy-client-${i}" name="clients" value="${d.clientId}"> <label for="proxy-client-${i}">${named(lang, d.name)}</label></p>`)}
</fieldset>
<fieldset><legend>${t(lang, 'proxyScopes')}</legend>
${PROXY_SCOPES.map((s) => html`<p><input type="checkbox" id="proxy-scope-${s}" name="scopes" value="${s}"> <label for="proxy-scope-${s}">${t(lang, SCOPE_TEXT[s])}</label></p>`)}
</fieldset>
<p><label for="proxy-until">${t(lang, 'proxyUntil')}</label>
<input id="proxy-until" type="date" name="until" required max="${o.maxUntil}"></p>
<button type="submit">${t(lang, 'proxySubmit')}</button></form>`;
  return page({
    lang,
    elder: o.elder,
    path: o.path,
    title: t(lang, 'proxyTitle'),
    body: html`<h1>${t(lang, 'proxyTitle')}</h1>
${o.notice ? html`<p class="notice" role="status">${t(lang, NOTICES[o.notice])}</p>` : ''}
${o.problem ? problemBox(lang, { code: o.problem.code }) : ''}
<p>${t(lang, 'proxyIntro')}</p>
<h2>${t(lang, 'proxyNewTitle')}</h2>
${form}
<h2>${t(lang, 'proxyGiven')}</h2>
${rows(lang, csrf, o.given, 'citizen')}
<h2>${t(lang, 'proxyReceived')}</h2>
${rows(lang, csrf, o.received, 'helper')}
<p><a href="/account">${t(lang, 'proxyBack')}</a></p>`,
  });
}

/** The account page's way to family proxy. */
export function proxyLinkSection(lang: Lang): Html {
  return html`<h2 id="proxy">${t(lang, 'proxyTitle')}</h2>
<p><a href="/account/proxy">${t(lang, 'proxyLink')}</a></p>`;
}

/** Before continuing, the helper sees who they would act for and chooses. */
export function choicePage(o: { lang: Lang; elder: boolean; path: string; uid: string; csrf: string; client: string; citizens: ReadonlyArray<{ mandateId: string; name: string }>; problem?: MessageKey }): string {
  const { lang } = o;
  return page({
    lang,
    elder: o.elder,
    path: o.path,
    title: t(lang, 'proxyChooseTitle'),
    body: html`<h1>${t(lang, 'proxyChooseTitle')}</h1>
${o.problem ? problemBox(lang, { code: o.problem }) : ''}
<p>${textHtml(lang, 'proxyChooseIntro', { client: named(lang, o.client) })}</p>
<form method="post" action="/interaction/${o.uid}/on-behalf">${csrfField(o.csrf)}
<p><button type="submit" name="as" value="self">${t(lang, 'proxyAsSelf')}</button></p>
${o.citizens.map((c) => html`<p><button type="submit" name="as" value="${c.mandateId}" class="secondary">${textHtml(lang, 'proxyOnBehalf', { name: named(lang, c.name) })}</button></p>`)}
</form>
<p>${t(lang, 'proxyOnBehalfNote')}</p>`,
  });
}
