/**
 * /admin/approvals: the change requests waiting for one of the admin's roles — what each
 * changes, who proposed it and why, until when — with approve and reject (each with a reason);
 * one's own request can only be withdrawn. Also the home page's panel of pending requests.
 */
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import type { Lang } from '../../i18n/text.ts';
import { dateTime, t, type UiKey } from '../../i18n/ui.ts';
import { html, type Html } from '../../web/html.ts';
import type { AdminDeps } from '../deps.ts';
import { csrfTokenOf } from '../auth.ts';
import { adminOf, type AdminPrincipal } from '../principal.ts';
import type { ChangeRequest } from './kind.ts';
import { csrfField, framedPage, langOf, noticeOf, orProblem, reasonField, summaryList } from './page-kit.ts';
import { elderOf } from '../../web/elder.ts';

const decisionForm = z.object({ reason: z.string().max(2000) });

function requestBlock(lang: Lang, r: ChangeRequest, mine: boolean, csrf: Html): Html {
  const forms = mine
    ? html`<p>${t(lang, 'chgYours')}</p>
<form method="post" action="/admin/approvals/${r.id}/reject">${csrf}${reasonField(lang, `withdraw-${r.id}`)}<button type="submit" class="secondary">${t(lang, 'chgWithdraw')}</button></form>`
    : html`<form method="post" action="/admin/approvals/${r.id}/approve">${csrf}${reasonField(lang, `approve-${r.id}`)}<button type="submit">${t(lang, 'chgApprove')}</button></form>
<form method="post" action="/admin/approvals/${r.id}/reject">${csrf}${reasonField(lang, `reject-${r.id}`)}<button type="submit" class="secondary">${t(lang, 'chgReject')}</button></form>`;
  return html`<section aria-labelledby="r-${r.id}"><h2 id="r-${r.id}"><span class="code">${r.kind}</span></h2>
${summaryList(lang, r.summary)}
<dl><dt>${t(lang, 'chgBy')}</dt><dd class="code">${r.proposedBy}</dd><dt>${t(lang, 'chgWhy')}</dt><dd>${r.reason}</dd><dt>${t(lang, 'chgExpires')}</dt><dd>${dateTime(lang, r.expiresAt)}</dd></dl>
${forms}</section>`;
}

function recentTable(lang: Lang, list: readonly ChangeRequest[]): Html {
  if (!list.length) return html``;
  return html`<h2>${t(lang, 'chgRecent')}</h2>
<table class="creds"><thead><tr><th scope="col">${t(lang, 'chgKind')}</th><th scope="col">${t(lang, 'chgState')}</th><th scope="col">${t(lang, 'chgBy')}</th><th scope="col">${t(lang, 'chgWhen')}</th></tr></thead>
<tbody>${list.map(
    (r) => html`<tr><td class="code">${r.kind}</td><td>${t(lang, `chgStatus_${r.status}` as UiKey)}</td><td class="code">${r.decidedBy ?? '—'}</td><td>${r.decidedAt ? dateTime(lang, r.decidedAt) : '—'}</td></tr>`,
  )}</tbody></table>`;
}

export function approvalsPages(deps: AdminDeps): express.Router {
  const router = express.Router();

  router.get('/approvals', async (req: Request, res: Response) => {
    const admin = adminOf(res);
    const lang = langOf(res);
    const [pending, recent] = await Promise.all([deps.changes.pending(admin.roles), deps.changes.recent(admin.roles, 20)]);
    const csrf = csrfField(res);
    res.set('cache-control', 'no-store').type('html').send(
      framedPage(
        { lang, elder: elderOf(res), path: req.originalUrl, csrf: csrfTokenOf(res) },
        t(lang, 'chgApprovalsTitle'),
        html`${noticeOf(lang, req.query, (d) => dateTime(lang, d))}
${pending.length ? pending.map((r) => requestBlock(lang, r, r.proposedBy === admin.actorId, csrf)) : html`<p>${t(lang, 'chgNoPending')}</p>`}
${recentTable(lang, recent)}
<p><a href="/admin">${t(lang, 'chgHome')}</a></p>`,
      ),
    );
  });

  for (const step of ['approve', 'reject'] as const) {
    router.post(`/approvals/:id/${step}`, async (req, res) => {
      await orProblem(res, req.originalUrl, '/admin/approvals', async () => {
        const r = decisionForm.safeParse(req.body ?? {});
        const reason = r.success ? r.data.reason : '';
        await deps.changes[step](req.params.id as string, adminOf(res), reason);
        res.redirect(303, `/admin/approvals?notice=${step === 'approve' ? 'applied' : 'rejected'}`);
      });
    });
  }

  return router;
}

/** The home page's panel: how many requests wait for this admin, with a link to them. */
export async function approvalsPanel(deps: AdminDeps, admin: AdminPrincipal, lang: Lang): Promise<Html | null> {
  const pending = (await deps.changes.pending(admin.roles)).filter((r) => r.proposedBy !== admin.actorId);
  if (!pending.length) return null;
  return html`<section aria-labelledby="pending-changes" class="note"><h2 id="pending-changes">${t(lang, 'chgPendingCount', { count: pending.length })}</h2>
<ul>${pending.slice(0, 5).map((r) => html`<li><span class="code">${r.kind}</span>: ${r.summary[0] ?? ''}</li>`)}</ul>
<p><a href="/admin/approvals">${t(lang, 'chgNavApprovals')}</a></p></section>`;
}
