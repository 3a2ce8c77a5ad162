/**
 * GET /help/password: what to do about a forgotten password. There is no reset by text message
 * yet, so the page says what works today: sign in another way (a text-message code, when the
 * phone is linked), or have the password reset at a service centre counter. `back` returns to
 * the sign-in the person came from.
 */
import express from 'express';
import { z } from 'zod';
import { t } from '../i18n/ui.ts';
import { html } from '../web/html.ts';
import { page } from '../web/layout.ts';
import type { Lang } from '../i18n/text.ts';

// only a way back into one of our sign-ins (never another site)
const back = z.string().regex(/^\/interaction\/[A-Za-z0-9_-]{1,64}$/);

export function passwordHelpPage(lang: Lang, path: string, backTo: string | undefined): string {
  return page({
    lang,
    path,
    title: t(lang, 'passwordHelpTitle'),
    body: html`<h1>${t(lang, 'passwordHelpTitle')}</h1>
<ul>
<li>${t(lang, 'passwordHelpOther')}</li>
<li>${t(lang, 'passwordHelpCounter')}</li>
<li>${t(lang, 'passwordHelpNoPhone')}</li>
</ul>
${backTo ? html`<p><a class="button" href="${backTo}">${t(lang, 'passwordHelpBack')}</a></p>` : html`<p><a href="/account">${t(lang, 'goHome')}</a></p>`}`,
  });
}

export function helpRouter(): express.Router {
  const router = express.Router();
  router.get('/help/password', (req, res) => {
    const to = back.safeParse(req.query.back);
    res.type('html').send(passwordHelpPage(res.locals.lang as Lang, req.originalUrl, to.success ? to.data : undefined));
  });
  return router;
}
