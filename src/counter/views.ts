/** Counter-console pages: plain, fast, keyboard-first (card reader + keyboard), zh-CN with English. */
import type { Lang, MessageKey } from '../i18n/messages.ts';
import { t } from '../i18n/ui.ts';
import { html, type Html } from '../web/html.ts';
import { page } from '../web/layout.ts';
import type { StaffMember } from './staff-directory.ts';
import type { ConsoleSession } from './console-session.ts';
import { SLIP_SCRIPT } from './slip.ts';
import { PROXY_SCOPES } from '../proxy/views.ts';
import { named } from '../web/mixed-lang.ts';
import { CLIENT_FIELD, SCOPE_FIELD } from './proxy.ts';

/** follows the signed-in page's link (served by src/web/assets.ts) */
const FORWARD_SCRIPT = 'forward.js';

export interface ConsoleView {
  lang: Lang;
  elder: boolean;
  path: string;
  csrf: string;
  staff: StaffMember;
  session: ConsoleSession;
  visitName?: string;
  pending: ReadonlyArray<{ id: string; kind: string; requestedBy: string; reason: string; expiresAt: Date; mine: boolean }>;
  notice?: { ok: true; text: string } | { ok: false; code: MessageKey; params?: Record<string, string | number> };
  /** something to show first (a printable slip) */
  extra?: Html;
  /** what was typed into a form that was refused, to show it again */
  typed?: { action: string; values: Readonly<Record<string, string>> };
  /** departments a helper may be named for at the counter (none: the family-proxy form is not shown) */
  proxyDepartments?: ReadonlyArray<{ clientId: string; name: string }>;
}

function formFor(c: ConsoleView, action: string, fields: Html, submit: string, key: string): Html {
  return html`<form method="post" action="/counter/${action}" accesskey="${key}">
<input type="hidden" name="csrf" value="${c.csrf}">${fields}
<button type="submit">${submit}</button></form>`;
}

// `id` when the same field appears in several forms (the reason): every field its own id, so its label works
const input = (name: string, label: string, opts: { id?: string; autofocus?: boolean; type?: string; max?: number; value?: string } = {}) =>
  html`<label for="${opts.id ?? name}">${label}</label><input id="${opts.id ?? name}" name="${name}" type="${opts.type ?? 'text'}" maxlength="${opts.max ?? 100}"${opts.value !== undefined ? html` value="${opts.value}"` : ''} ${opts.autofocus ? html`autofocus` : ''} required>`;

/** Family proxy for the citizen of the visit: the helper, departments, scopes, the last day, and the reason. */
function proxyForm(c: ConsoleView, typed: (action: string, name: string) => string | undefined, reason: Html): Html | '' {
  const { lang } = c;
  if (!c.proxyDepartments?.length) return '';
  const box = (name: string, id: string, label: Html | string) =>
    html`<p class="check"><input type="checkbox" id="${id}" name="${name}" value="yes"${typed('proxy', name) === 'yes' ? html` checked` : ''}> <label for="${id}">${label}</label></p>`;
  return html`<h3>${t(lang, 'counterProxyTitle')}</h3>
${formFor(
  c,
  'proxy',
  html`${input('helper_id_number', t(lang, 'counterProxyHelper'), { max: 18, value: typed('proxy', 'helper_id_number') })}
<fieldset><legend>${t(lang, 'counterProxyDepartments')}</legend>
${c.proxyDepartments.map((d, i) => box(`${CLIENT_FIELD}${d.clientId}`, `proxy-client-${i}`, named(lang, d.name)))}</fieldset>
<fieldset><legend>${t(lang, 'counterProxyScopes')}</legend>
${PROXY_SCOPES.map((s) => box(`${SCOPE_FIELD}${s}`, `proxy-scope-${s}`, t(lang, `scopeName_${s}`)))}</fieldset>
${input('until', t(lang, 'counterProxyUntil'), { id: 'proxy-until', type: 'date', max: 10, value: typed('proxy', 'until') })}
${reason}`,
  t(lang, 'counterProxySubmit'),
  'f',
)}`;
}

export function consolePage(c: ConsoleView): string {
  const { lang } = c;
  const v = c.session.visit;
  const notice = c.notice
    ? c.notice.ok
      ? html`<div class="note" role="status">${c.notice.text}</div>`
      : html`<div class="error" role="alert"><p>${t(lang, c.notice.code, c.notice.params)}</p><p class="code">${c.notice.code}</p></div>`
    : '';
  // the value typed into form `action` (of `kind`, for the two request forms) when it was refused
  const typed = (action: string, name: string, kind?: string): string | undefined =>
    // control characters (the NUL that was refused) are not sent back into the page
    c.typed?.action === action && (kind === undefined || c.typed.values.kind === kind) ? c.typed.values[name]?.replace(/[\u0000-\u001f\u007f]/g, '') : undefined;
  const reason = (action: string, kind?: string) =>
    input('reason', t(lang, 'counterReason'), { id: `reason-${kind ?? action}`, max: 200, value: typed(action, 'reason', kind) });
  const visitActions = v
    ? html`<h2>${t(lang, 'counterVisit')}: ${c.visitName ?? ''}</h2>
${formFor(c, 'code', reason('code'), t(lang, 'counterIssueCode'), 'c')}
${formFor(c, 'kiosk', html`${input('user_code', t(lang, 'counterUserCode'), { max: 20, value: typed('kiosk', 'user_code') })}${reason('kiosk')}`, t(lang, 'counterKiosk'), 'k')}
${formFor(c, 'requests', html`<input type="hidden" name="kind" value="rebind_phone">${input('new_phone', t(lang, 'counterNewPhone'), { type: 'tel', max: 11, value: typed('requests', 'new_phone', 'rebind_phone') })}${reason('requests', 'rebind_phone')}`, t(lang, 'counterRebind'), 'p')}
${formFor(c, 'requests', html`<input type="hidden" name="kind" value="reset_password">${reason('requests', 'reset_password')}`, t(lang, 'counterReset'), 'r')}
${formFor(c, 'lockout', reason('lockout'), t(lang, 'counterLockout'), 'l')}
${proxyForm(c, typed, reason('proxy'))}
${formFor(c, 'close-visit', html``, t(lang, 'counterCloseVisit'), 'e')}`
    : html`<p>${t(lang, 'counterNoVisit')}</p>`;
  const verify = formFor(
    c,
    'verify',
    html`${input('id_number', t(lang, 'counterIdNumber'), { autofocus: !v, max: 18, value: typed('verify', 'id_number') })}${input('name', t(lang, 'counterName'), { max: 50, value: typed('verify', 'name') })}
${input('card_expiry', t(lang, 'counterExpiry'), { max: 10, value: typed('verify', 'card_expiry') })}
<p class="check"><input id="face_match" name="face_match" type="checkbox" value="yes"><label for="face_match">${t(lang, 'counterFaceMatch')}</label></p>
${reason('verify')}`,
    t(lang, 'counterSubmitVerify'),
    'v',
  );
  const pending = c.pending.length
    ? html`<h2>${t(lang, 'counterPending')}</h2><ul>${c.pending.map(
        (p) => html`<li>${p.kind} · ${p.requestedBy} · ${p.reason}
${formFor(c, `requests/${p.id}/approve`, html``, t(lang, 'counterApprove'), '')}${formFor(c, `requests/${p.id}/refuse`, html``, t(lang, 'counterRefuse'), '')}</li>`,
      )}</ul>`
    : '';
  return page({
    lang,
    elder: c.elder,
    path: c.path,
    title: t(lang, 'counterTitle'),
    // the slip's Print button
    scripts: c.extra ? [SLIP_SCRIPT] : [],
    body: html`<h1>${t(lang, 'counterTitle')} · ${c.staff.centreName} · ${c.staff.displayName}</h1>
${notice}${c.extra ?? ''}
${visitActions}
<h2>${t(lang, 'counterVerify')}</h2>${verify}
${pending}
${formFor(c, 'logout', html``, t(lang, 'counterSignOut'), 'q')}`,
  });
}

/** After sign-in: a same-site step to the console (a script follows the link at once; without one, a click). */
export function signedInPage(lang: Lang, elder: boolean): string {
  return page({
    lang,
    elder,
    path: '/counter',
    title: t(lang, 'counterTitle'),
    scripts: [FORWARD_SCRIPT],
    body: html`<h1>${t(lang, 'counterTitle')}</h1>
<p role="status">${t(lang, 'counterSignedIn')}</p>
<p><a class="button" href="/counter" data-forward>${t(lang, 'counterOpenConsole')}</a></p>`,
  });
}
