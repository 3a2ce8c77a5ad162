/** The provider's own pages (errors, logout) in our layout and both languages. */
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { Lang } from '../i18n/text.ts';
import { isTextKey, t } from '../i18n/ui.ts';
import { named, textHtml } from '../web/mixed-lang.ts';
import { html, raw } from '../web/html.ts';
import { page } from '../web/layout.ts';
import { LANG_COOKIE, pickLang } from '../web/lang.ts';
import { readCookie } from '../web/cookies.ts';
import { elderOf } from '../web/elder.ts';
import { StoreUnavailable } from '../errors.ts';
import { retryTarget, unavailablePage } from '../web/unavailable-page.ts';

function langOf(ctx: KoaContextWithOIDC): Lang {
  // an error answering an authorization request speaks the language it asked for (ui_locales)
  const uiLocales = (ctx as { oidc?: { params?: { ui_locales?: unknown } } }).oidc?.params?.ui_locales;
  const browser = { header: ctx.get('accept-language') || undefined, accepts: (tags: string[]) => ctx.acceptsLanguages(tags) };
  return pickLang(ctx.query?.lang, readCookie(ctx.req, LANG_COOKIE), browser, uiLocales);
}

export async function renderError(
  ctx: KoaContextWithOIDC,
  out: { error: string; error_description?: string },
  error: Error,
): Promise<void> {
  const lang = langOf(ctx);
  if (error instanceof StoreUnavailable) {
    ctx.type = 'html';
    ctx.body = unavailablePage(lang, elderOf(ctx.res), retryTarget(ctx.method, ctx.originalUrl));
    return;
  }
  // our words for the error in the page's language; the provider's English description is for developers
  const key = `oidc_${out.error}`;
  ctx.type = 'html';
  ctx.body = page({
    lang,
    elder: elderOf(ctx.res),
    path: ctx.originalUrl,
    title: t(lang, 'errorTitle'),
    body: html`<h1>${t(lang, 'errorTitle')}</h1>
<div class="error" role="alert"><p>${t(lang, isTextKey(key) ? key : 'oidc_other')}</p>
<p class="code">${t(lang, 'errorCode')}: ${out.error}</p></div>
${out.error_description ? html`<details><summary>${t(lang, 'oidcDetail')}</summary><p lang="en">${out.error_description}</p></details>` : ''}
<p>${t(lang, 'backToApp')}</p>
<p><a href="/account">${t(lang, 'goHome')}</a></p>`,
  });
}

export async function logoutSource(ctx: KoaContextWithOIDC, form: string): Promise<void> {
  const lang = langOf(ctx);
  ctx.type = 'html';
  ctx.body = page({
    lang,
    elder: elderOf(ctx.res),
    path: ctx.originalUrl,
    title: t(lang, 'logoutYes'),
    // `form` is the provider's own hidden form carrying its CSRF token
    body: html`<h1>${t(lang, 'logoutConfirm')}</h1>
${raw(form)}
<button form="op.logoutForm" type="submit" name="logout" value="yes" autofocus>${t(lang, 'logoutYes')}</button>
<button form="op.logoutForm" type="submit" class="secondary">${t(lang, 'logoutNo')}</button>`,
  });
}

export async function postLogoutSuccessSource(ctx: KoaContextWithOIDC): Promise<void> {
  const lang = langOf(ctx);
  const client = ctx.oidc.client;
  const home = client ? appHome({ clientUri: client.clientUri as string | undefined, redirectUris: client.redirectUris }) : undefined;
  ctx.type = 'html';
  ctx.body = page({
    lang,
    elder: elderOf(ctx.res),
    path: ctx.originalUrl,
    title: t(lang, 'loggedOut'),
    body: html`<h1>${t(lang, 'loggedOut')}</h1>
${client && home ? html`<p><a href="${home}">${textHtml(lang, 'backTo', { client: named(lang, client.clientName ?? client.clientId) })}</a></p>` : ''}
<p><a href="/account">${t(lang, 'signInTongban')}</a></p>`,
  });
}

/** Where a department's app starts: its registered home page, else the site of its first redirect URI. */
function appHome(client: { clientUri?: string; redirectUris?: readonly string[] }): string | undefined {
  const candidate = client.clientUri ?? client.redirectUris?.[0];
  if (!candidate) return undefined;
  try {
    const u = new URL(candidate);
    return /^https?:$/.test(u.protocol) ? (client.clientUri ? u.href : `${u.origin}/`) : undefined;
  } catch {
    return undefined;
  }
}

/** /device: hall kiosks are signed in by counter staff, so the page only explains where to go. */
export async function deviceCodePage(ctx: KoaContextWithOIDC): Promise<void> {
  const lang = langOf(ctx);
  // The provider keeps its form's secret in the session before calling this page, also when it
  // answers an error to a visitor without a session, after its session middleware has finished:
  // that new session can then no longer be saved, and the request failed with a 500. This page
  // shows no form, so a session never saved before is left unsaved.
  const session = ctx.oidc.session as unknown as { exp?: unknown; touched?: boolean } | undefined;
  if (session && typeof session.exp !== 'number') session.touched = false;
  ctx.type = 'html';
  ctx.body = page({ lang, elder: elderOf(ctx.res), path: ctx.originalUrl, title: t(lang, 'product'), body: html`<h1>${t(lang, 'product')}</h1><p class="note">${t(lang, 'deviceKiosk')}</p>` });
}
