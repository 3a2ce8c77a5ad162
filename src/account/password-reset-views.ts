/**
 * The pages of a password reset by text message: the ID number, then the code with the new
 * password, then done. Plain forms with their CSRF tokens (keyboard first, no script), the ID
 * number kept after an error (never a password or a code), and always a way back to the sign-in
 * the person came from.
 */
import type { Lang } from '../i18n/messages.ts';
import { t } from '../i18n/ui.ts';
import { html, type Html } from '../web/html.ts';
import { page } from '../web/layout.ts';
import { problemBox, type Problem } from '../interaction/views.ts';

export interface ResetPageCtx {
  lang: Lang;
  /** the person chose elder mode */
  elder: boolean;
  path: string;
  csrf: string;
  /** the sign-in to go back to */
  back: string | undefined;
}

const hidden = (c: ResetPageCtx) =>
  html`<input type="hidden" name="csrf" value="${c.csrf}">${c.back ? html`<input type="hidden" name="back" value="${c.back}">` : ''}`;
const helpHref = (c: ResetPageCtx) => (c.back ? `/help/password?back=${encodeURIComponent(c.back)}` : '/help/password');
const backLink = (c: ResetPageCtx) =>
  c.back ? html`<p><a class="button" href="${c.back}">${t(c.lang, 'passwordHelpBack')}</a></p>` : html`<p><a href="/account">${t(c.lang, 'goHome')}</a></p>`;

/** The reset's first form, for the help page: the ID number. */
export function resetForm(c: ResetPageCtx, o: { typedId?: string; problem?: Problem } = {}): Html {
  return html`<h2 id="reset">${t(c.lang, 'resetTitle')}</h2>
${problemBox(c.lang, o.problem)}
<p>${t(c.lang, 'resetIntro')}</p>
<form method="post" action="/help/password/reset">${hidden(c)}
<p><label for="reset-id">${t(c.lang, 'resetIdNumber')}</label>
<input id="reset-id" name="id_number" type="text" required maxlength="18" autocomplete="username" spellcheck="false"${o.typedId ? html` value="${o.typedId}"` : ''}${o.problem ? html` aria-describedby="problem"` : ''}></p>
<p><button type="submit">${t(c.lang, 'resetSend')}</button></p>
</form>`;
}

export function resetCodePage(c: ResetPageCtx, o: { codeLength: number; minutes: number; minLength: number; problem?: Problem }): string {
  const { lang } = c;
  const described = o.problem ? ' problem' : '';
  return page({
    lang,
    elder: c.elder,
    path: c.path,
    title: t(lang, 'resetCodeTitle'),
    body: html`<h1>${t(lang, 'resetCodeTitle')}</h1>
${problemBox(lang, o.problem)}
<p role="status">${t(lang, 'resetCodeSent', { minutes: o.minutes })}</p>
<form method="post" action="/help/password/new">${hidden(c)}
<p><label for="reset-code">${t(lang, 'resetCode')}</label>
<input id="reset-code" name="code" type="text" required inputmode="numeric" pattern="[0-9]*" maxlength="${o.codeLength}" autocomplete="one-time-code"${o.problem ? html` aria-describedby="problem"` : ''}></p>
<p><label for="reset-password">${t(lang, 'resetNewPassword')}</label>
<input id="reset-password" name="password" type="password" required maxlength="128" autocomplete="new-password" aria-describedby="reset-password-hint${described}">
<span class="hint" id="reset-password-hint">${t(lang, 'resetNewPasswordHint', { min: o.minLength })}</span></p>
<p><label for="reset-repeat">${t(lang, 'resetRepeat')}</label>
<input id="reset-repeat" name="password_repeat" type="password" required maxlength="128" autocomplete="new-password"></p>
<p><button type="submit">${t(lang, 'resetSubmit')}</button></p>
</form>
<p><a href="${helpHref(c)}">${t(lang, 'resetStartAgain')}</a></p>
${backLink(c)}`,
  });
}

export function resetDonePage(c: Omit<ResetPageCtx, 'csrf'>, maskedPhone: string): string {
  const { lang } = c;
  return page({
    lang,
    elder: c.elder,
    path: c.path,
    title: t(lang, 'resetDoneTitle'),
    body: html`<h1>${t(lang, 'resetDoneTitle')}</h1>
<p role="status">${t(lang, 'resetDone', { phone: maskedPhone })}</p>
${backLink({ ...c, csrf: '' })}`,
  });
}
