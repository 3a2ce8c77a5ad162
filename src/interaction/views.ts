/** The login pages: a method's challenge, consent, and errors (the chooser: chooser-view.ts; waiting pages: waiting-view.ts). */
import type { Challenge, FieldSpec, LoginMethod } from '../../providers/kit/index.ts';
import type { Lang, MessageKey } from '../i18n/messages.ts';
import { isTextKey, t } from '../i18n/ui.ts';
import { say } from '../i18n/words.ts';
import { html, type Html } from '../web/html.ts';
import { page } from '../web/layout.ts';
import { named, textHtml } from '../web/mixed-lang.ts';
import { waitingBody, WAITING_SCRIPT } from './waiting-view.ts';

export interface PageCtx {
  lang: Lang;
  path: string;
  uid: string;
  clientName: string;
  csrf: string;
  /** a hall kiosk or a touch display: large type, a few big buttons */
  kiosk: boolean;
  /** the person chose elder mode */
  elder: boolean;
}

export interface Problem {
  code: MessageKey;
  params?: Record<string, string | number>;
}

export function problemBox(lang: Lang, p?: Problem): Html | '' {
  if (!p) return '';
  return html`<div class="error" role="alert" id="problem"><p>${t(lang, p.code, p.params)}</p><p class="code">${t(lang, 'errorCode')}: ${p.code}</p></div>`;
}

export function cancelForm(c: PageCtx): Html {
  return html`<form method="post" action="/interaction/${c.uid}/abort">
<input type="hidden" name="csrf" value="${c.csrf}">
<button type="submit" class="secondary">${t(c.lang, 'cancel')}</button></form>`;
}

/** What was typed into a field that keeps it (never a password), to show again after an error. */
export function keptValue(f: FieldSpec, typed?: Readonly<Record<string, string>>): string | undefined {
  if (!f.keep || f.type === 'password' || !typed || !Object.hasOwn(typed, f.name)) return undefined;
  // control characters are not sent back into the page
  return typed[f.name]!.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, f.maxLength);
}

function field(lang: Lang, f: FieldSpec, describedBy: boolean, value?: string): Html {
  const hintId = `${f.name}-hint`;
  if (f.type === 'checkbox') {
    return html`<p class="check"><input id="${f.name}" name="${f.name}" type="checkbox" value="yes">
<label for="${f.name}">${t(lang, f.label)}</label></p>${f.hint ? html`<p class="hint" id="${hintId}">${t(lang, f.hint)}</p>` : ''}`;
  }
  return html`<label for="${f.name}">${t(lang, f.label)}</label>
<input id="${f.name}" name="${f.name}" type="${f.type}" maxlength="${f.maxLength}"${f.optional ? '' : html` required`}${value ? html` value="${value}"` : ''}
 ${f.autocomplete ? html`autocomplete="${f.autocomplete}"` : ''} ${f.inputMode ? html`inputmode="${f.inputMode}"` : ''}
 ${f.hint || describedBy ? html`aria-describedby="${[f.hint ? hintId : '', describedBy ? 'problem' : ''].filter(Boolean).join(' ')}"` : ''}>
${f.hint ? html`<p class="hint" id="${hintId}">${t(lang, f.hint)}</p>` : ''}`;
}

export function challengePage(
  c: PageCtx,
  o: { method: LoginMethod; flow: 'login' | 'enrol'; challenge: Challenge; problem?: Problem; typed?: Readonly<Record<string, string>> },
): string {
  const { lang } = c;
  const ch = o.challenge;
  const action = `/interaction/${c.uid}/${o.flow === 'login' ? 'method' : 'enrol'}/${o.method.id}`;
  let body: Html;
  let scripts: string[] | undefined;
  if (ch.kind === 'form' || ch.kind === 'otp_sent') {
    body = html`<h1>${t(lang, ch.title)}</h1>
${ch.kind === 'form' && ch.note ? html`<p class="note">${say(lang, ch.note)}</p>` : ''}
${ch.kind === 'otp_sent' ? html`<p class="note">${t(lang, ch.hedged ? 'codeMaybeSentTo' : 'codeSentTo', { to: ch.sentTo, minutes: Math.round(ch.expiresIn / 60) })}</p>` : ''}
${problemBox(lang, o.problem)}
<form method="post" action="${action}" novalidate>
<input type="hidden" name="csrf" value="${c.csrf}">
<input type="hidden" name="step" value="${ch.step}">
${ch.fields.map((f) => field(lang, f, Boolean(o.problem), keptValue(f, o.typed)))}
<button type="submit">${t(lang, ch.submit)}</button>
</form>
${ch.kind === 'form' && ch.help ? html`<p><a href="${ch.help.path}?back=${encodeURIComponent(`/interaction/${c.uid}`)}">${t(lang, ch.help.label)}</a></p>` : ''}
${ch.kind === 'otp_sent' ? html`<form method="post" action="${action}"><input type="hidden" name="csrf" value="${c.csrf}">
<input type="hidden" name="step" value="${ch.step}"><input type="hidden" name="action" value="resend">
<button type="submit" class="secondary">${t(lang, 'resend')}</button></form>` : ''}`;
  } else if (ch.kind === 'qr' || ch.kind === 'pending') {
    body = waitingBody(c, { method: o.method, challenge: ch, action, problem: problemBox(lang, o.problem) });
    scripts = [WAITING_SCRIPT];
  } else {
    body = html`<p><a class="button" href="${ch.url}">${t(lang, 'continue')}</a></p>`;
  }
  return page({
    lang,
    elder: c.elder,
    path: c.path,
    kiosk: c.kiosk,
    title: t(lang, o.method.label),
    scripts,
    body: html`${body}<p><a href="/interaction/${c.uid}">${t(lang, 'otherMethods')}</a></p>${cancelForm(c)}`,
  });
}

export function consentPage(c: PageCtx, o: { claims: readonly string[] }): string {
  const { lang } = c;
  const client = named(lang, c.clientName);
  const items = o.claims.map((k) => {
    const key = `claim_${k}`;
    return html`<li>${isTextKey(key) ? t(lang, key) : k}</li>`;
  });
  return page({
    lang,
    elder: c.elder,
    path: c.path,
    title: t(lang, 'consentTitle', { client: c.clientName }),
    body: html`<h1>${textHtml(lang, 'consentTitle', { client })}</h1>
${o.claims.length
  ? html`<p>${textHtml(lang, 'consentIntro', { client })}</p><ul class="claims">${items}</ul>`
  : html`<p>${textHtml(lang, 'consentNothing', { client })}</p>`}
<p class="hint">${textHtml(lang, 'consentRemember', { account: html`<a href="/account">${t(lang, 'accountTitle')}</a>` })}</p>
<form method="post" action="/interaction/${c.uid}/consent">
<input type="hidden" name="csrf" value="${c.csrf}">
<button type="submit" name="decision" value="allow" autofocus>${t(lang, 'allow')}</button>
<button type="submit" name="decision" value="deny" class="secondary">${t(lang, 'deny')}</button>
</form>`,
  });
}

/** An error page with a way on: within a sign-in, choose again or go back to the app; otherwise the account's home. */
export function errorPage(lang: Lang, elder: boolean, path: string, p: Problem, c?: PageCtx): string {
  const wayOn = c
    ? html`<p><a href="/interaction/${c.uid}">${t(lang, 'startAgain')}</a></p>${cancelForm(c)}`
    : html`<p>${t(lang, 'backToApp')}</p><p><a href="/account">${t(lang, 'goHome')}</a></p>`;
  return page({
    lang,
    elder,
    path,
    title: t(lang, 'errorTitle'),
    body: html`<h1>${t(lang, 'errorTitle')}</h1>${problemBox(lang, p)}${wayOn}`,
  });
}
