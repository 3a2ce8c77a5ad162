/**
 * What the change pages share: the reason field, the CSRF field, a notice after a redirect, a
 * refusal shown on the page (status and explanation from the catalogue), and a summary line's
 * direction in words.
 */
import type { Response } from 'express';
import { AppError } from '../../errors.ts';
import type { Lang } from '../../i18n/text.ts';
import { t } from '../../i18n/ui.ts';
import { html, type Html } from '../../web/html.ts';
import { CSRF_FIELD, csrfTokenOf } from '../auth.ts';
import { adminPage } from '../home-views.ts';
import { elderOf } from '../../web/elder.ts';

export const csrfField = (res: Response) => html`<input type="hidden" name="${CSRF_FIELD}" value="${csrfTokenOf(res)}">`;

/** A required reason, with its own id (several forms share a page). */
export function reasonField(lang: Lang, id: string): Html {
  return html`<label for="${id}">${t(lang, 'chgReason')}</label>
<input type="text" id="${id}" name="reason" required maxlength="500" autocomplete="off">`;
}

/** `… (tightens)` / `… (loosens)` in the page's language, marked so it is not told by colour alone. */
export function summaryItem(lang: Lang, line: string): Html {
  const m = /^(.*) \((tightens|loosens)\)$/.exec(line);
  if (!m) return html`<li><span class="code">${line}</span></li>`;
  return html`<li><span class="code">${m[1]}</span> — <strong>${t(lang, m[2] === 'tightens' ? 'chgTightens' : 'chgLoosens')}</strong></li>`;
}

export function summaryList(lang: Lang, lines: readonly string[]): Html {
  return html`<ul>${lines.map((l) => summaryItem(lang, l))}</ul>`;
}

export const langOf = (res: Response): Lang => res.locals.lang as Lang;

/** A console page whose heading is its title. */
export function framedPage(o: { lang: Lang; elder: boolean; path: string; csrf: string }, title: string, body: Html): string {
  return adminPage({ lang: o.lang, elder: o.elder, path: o.path, csrf: o.csrf, title, body: html`<h1>${title}</h1>\n${body}` });
}

/** A refusal from the catalogue, shown on a page of its own with a way back. */
export function sendProblem(res: Response, err: AppError, path: string, back: string): void {
  const lang = langOf(res);
  const page = framedPage(
    { lang, elder: elderOf(res), path, csrf: csrfTokenOf(res) },
    t(lang, 'chgProblem'),
    html`<div class="error" role="alert"><p>${err.message_(lang)}</p><p class="code">${err.code}</p></div>
<p><a href="${back}">${t(lang, 'chgBack')}</a></p>`,
  );
  res.status(err.status).set('cache-control', 'no-store').type('html').send(page);
}

/** Runs a page action; a refusal (4xx AppError) is shown on the page instead of the error page. */
export async function orProblem(res: Response, path: string, back: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof AppError && err.status < 500) return sendProblem(res, err, path, back);
    throw err;
  }
}

/** Where to go after a proposal, with what to say there. */
export function afterProposal(base: string, r: { status: 'applied' } | { status: 'pending'; expiresAt: Date }): string {
  return r.status === 'applied' ? `${base}?notice=applied` : `${base}?notice=pending&until=${r.expiresAt.getTime()}`;
}

/** The notice a redirect asked for (`?notice=`), in words. */
export function noticeOf(lang: Lang, query: Record<string, unknown>, dateOf: (d: Date) => string): Html {
  const notice = query.notice;
  if (notice === 'applied') return html`<p class="note" role="status">${t(lang, 'chgApplied')}</p>`;
  if (notice === 'rejected') return html`<p class="note" role="status">${t(lang, 'chgRejectedNotice')}</p>`;
  if (notice === 'pending') {
    const until = Number(query.until);
    const when = Number.isFinite(until) && until > 0 ? dateOf(new Date(until)) : '';
    return html`<p class="note" role="status">${t(lang, 'chgPending', { until: when })}</p>`;
  }
  return html``;
}
