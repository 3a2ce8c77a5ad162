/** Counter-console pages: plain, fast, keyboard-first (card reader + keyboard), zh-CN with English. */
import { messageFor, type Lang, type MessageKey } from '../i18n/messages.ts';
import { html, type Html } from '../web/html.ts';
import { page } from '../web/layout.ts';
import type { StaffMember } from './staff-directory.ts';
import type { ConsoleSession } from './console-session.ts';

type L = { 'zh-CN': string; en: string };
const T = {
  title: { 'zh-CN': '窗口工作台', en: 'Counter console' },
  visit: { 'zh-CN': '当前办理', en: 'Current visit' },
  noVisit: { 'zh-CN': '尚未核验群众身份。', en: 'No citizen verified yet.' },
  verify: { 'zh-CN': '当面核验身份（读卡）', en: 'Verify in person (card reader)' },
  idNumber: { 'zh-CN': '身份证号码', en: 'ID number' },
  name: { 'zh-CN': '姓名', en: 'Name' },
  expiry: { 'zh-CN': '证件有效期至（YYYY-MM-DD，长期填 2099-12-31）', en: 'Card valid until (YYYY-MM-DD; long-term: 2099-12-31)' },
  faceMatch: { 'zh-CN': '我已当面确认本人与证件照片一致', en: 'I have checked in person that the face matches the card photo' },
  reason: { 'zh-CN': '办理事由', en: 'Reason' },
  submitVerify: { 'zh-CN': '核验并开始办理', en: 'Verify and start' },
  issueCode: { 'zh-CN': '发放窗口码（无手机群众）', en: 'Issue a counter code (no phone)' },
  kiosk: { 'zh-CN': '代为确认自助机登录', en: 'Approve a kiosk sign-in' },
  userCode: { 'zh-CN': '自助机屏幕上的代码', en: 'Code on the kiosk screen' },
  rebind: { 'zh-CN': '更换绑定手机（需主管审批）', en: 'Rebind phone (supervisor approval)' },
  newPhone: { 'zh-CN': '新手机号码', en: 'New mobile number' },
  reset: { 'zh-CN': '重置密码（需主管审批）', en: 'Reset password (supervisor approval)' },
  lockout: { 'zh-CN': '解除登录锁定', en: 'Lift a sign-in lockout' },
  closeVisit: { 'zh-CN': '结束办理', en: 'End visit' },
  pending: { 'zh-CN': '待审批申请（本中心）', en: 'Requests awaiting approval (this centre)' },
  approve: { 'zh-CN': '批准', en: 'Approve' },
  refuse: { 'zh-CN': '拒绝', en: 'Refuse' },
  signOut: { 'zh-CN': '退出工作台', en: 'Sign out of the console' },
  done: { 'zh-CN': '已办理。', en: 'Done.' },
} satisfies Record<string, L>;

export function t(lang: Lang, k: keyof typeof T): string {
  return T[k][lang];
}

export interface ConsoleView {
  lang: Lang;
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
}

function formFor(c: ConsoleView, action: string, fields: Html, submit: string, key: string): Html {
  return html`<form method="post" action="/counter/${action}" accesskey="${key}">
<input type="hidden" name="csrf" value="${c.csrf}">${fields}
<button type="submit">${submit}</button></form>`;
}

const input = (name: string, label: string, opts: { autofocus?: boolean; type?: string; max?: number; value?: string } = {}) =>
  html`<label for="${name}">${label}</label><input id="${name}" name="${name}" type="${opts.type ?? 'text'}" maxlength="${opts.max ?? 100}"${opts.value !== undefined ? html` value="${opts.value}"` : ''} ${opts.autofocus ? html`autofocus` : ''} required>`;

export function consolePage(c: ConsoleView): string {
  const { lang } = c;
  const v = c.session.visit;
  const notice = c.notice
    ? c.notice.ok
      ? html`<div class="note" role="status">${c.notice.text}</div>`
      : html`<div class="error" role="alert"><p>${messageFor(c.notice.code, lang, c.notice.params)}</p><p class="code">${c.notice.code}</p></div>`
    : '';
  // the value typed into form `action` (of `kind`, for the two request forms) when it was refused
  const typed = (action: string, name: string, kind?: string): string | undefined =>
    // control characters (the NUL that was refused) are not sent back into the page
    c.typed?.action === action && (kind === undefined || c.typed.values.kind === kind) ? c.typed.values[name]?.replace(/[\u0000-\u001f\u007f]/g, '') : undefined;
  const reason = (action: string, kind?: string) => input('reason', t(lang, 'reason'), { max: 200, value: typed(action, 'reason', kind) });
  const visitActions = v
    ? html`<h2>${t(lang, 'visit')}: ${c.visitName ?? ''}</h2>
${formFor(c, 'code', reason('code'), t(lang, 'issueCode'), 'c')}
${formFor(c, 'kiosk', html`${input('user_code', t(lang, 'userCode'), { max: 20, value: typed('kiosk', 'user_code') })}${reason('kiosk')}`, t(lang, 'kiosk'), 'k')}
${formFor(c, 'requests', html`<input type="hidden" name="kind" value="rebind_phone">${input('new_phone', t(lang, 'newPhone'), { type: 'tel', max: 11, value: typed('requests', 'new_phone', 'rebind_phone') })}${reason('requests', 'rebind_phone')}`, t(lang, 'rebind'), 'p')}
${formFor(c, 'requests', html`<input type="hidden" name="kind" value="reset_password">${reason('requests', 'reset_password')}`, t(lang, 'reset'), 'r')}
${formFor(c, 'lockout', reason('lockout'), t(lang, 'lockout'), 'l')}
${formFor(c, 'close-visit', html``, t(lang, 'closeVisit'), 'e')}`
    : html`<p>${t(lang, 'noVisit')}</p>`;
  const verify = formFor(
    c,
    'verify',
    html`${input('id_number', t(lang, 'idNumber'), { autofocus: !v, max: 18, value: typed('verify', 'id_number') })}${input('name', t(lang, 'name'), { max: 50, value: typed('verify', 'name') })}
${input('card_expiry', t(lang, 'expiry'), { max: 10, value: typed('verify', 'card_expiry') })}
<p class="check"><input id="face_match" name="face_match" type="checkbox" value="yes"><label for="face_match">${t(lang, 'faceMatch')}</label></p>
${reason('verify')}`,
    t(lang, 'submitVerify'),
    'v',
  );
  const pending = c.pending.length
    ? html`<h2>${t(lang, 'pending')}</h2><ul>${c.pending.map(
        (p) => html`<li>${p.kind} · ${p.requestedBy} · ${p.reason}
${formFor(c, `requests/${p.id}/approve`, html``, t(lang, 'approve'), '')}${formFor(c, `requests/${p.id}/refuse`, html``, t(lang, 'refuse'), '')}</li>`,
      )}</ul>`
    : '';
  return page({
    lang,
    path: c.path,
    title: t(lang, 'title'),
    body: html`<h1>${t(lang, 'title')} · ${c.staff.centreName} · ${c.staff.displayName}</h1>
${notice}${c.extra ?? ''}
${visitActions}
<h2>${t(lang, 'verify')}</h2>${verify}
${pending}
${formFor(c, 'logout', html``, t(lang, 'signOut'), 'q')}`,
  });
}
