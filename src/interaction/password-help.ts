/**
 * The help page for a forgotten password (GET /help/password, routed with the reset by text
 * message in account/password-reset-routes.ts): what works today — the reset by text message
 * when it is offered, another way to sign in (a text-message code, when the phone is linked),
 * or the counter. `back` returns to the sign-in the person came from.
 */
import { z } from 'zod';
import { t } from '../i18n/ui.ts';
import { html, type Html } from '../web/html.ts';
import { page } from '../web/layout.ts';
import type { Lang } from '../i18n/text.ts';

/** only a way back into one of our sign-ins (never another site) */
export const backSchema = z.string().regex(/^\/interaction\/[A-Za-z0-9_-]{1,64}$/);

export function passwordHelpPage(lang: Lang, elder: boolean, path: string, backTo: string | undefined, resetForm?: Html): string {
  return page({
    lang,
    elder,
    path,
    title: t(lang, 'passwordHelpTitle'),
    body: html`<h1>${t(lang, 'passwordHelpTitle')}</h1>
${resetForm ?? ''}
${resetForm ? html`<h2>${t(lang, 'passwordHelpOtherWays')}</h2>` : ''}
<ul>
<li>${t(lang, 'passwordHelpOther')}</li>
<li>${t(lang, 'passwordHelpCounter')}</li>
<li>${t(lang, 'passwordHelpNoPhone')}</li>
</ul>
${backTo ? html`<p><a class="button" href="${backTo}">${t(lang, 'passwordHelpBack')}</a></p>` : html`<p><a href="/account">${t(lang, 'goHome')}</a></p>`}`,
  });
}
