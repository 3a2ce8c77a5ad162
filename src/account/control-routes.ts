/**
 * The forms of the person's own controls: withdraw a consent, sign out everywhere, download
 * my data. Each needs the signed-in session and the page's CSRF token, and is audited.
 */
import type express from 'express';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import type { Lang } from '../i18n/messages.ts';
import { withdraw, type ConsentDeps } from './consents.ts';
import { signOutEverywhere } from './sessions.ts';
import { myData, type MyDataDeps } from './my-data.ts';
import { signedOutEverywherePage } from './control-views.ts';
import type { Csrf } from '../interaction/csrf.ts';
import { elderOf } from '../web/elder.ts';

export type ControlDeps = ConsentDeps & MyDataDeps & { csrf: Csrf };

export interface AccountGate {
  signedIn(req: Request, res: Response): Promise<{ personId: string; sessionUid: string } | null>;
  toLogin(res: Response): void;
  form: express.RequestHandler;
}

const withCsrf = z.object({ csrf: z.string().max(200) });
const withdrawal = withCsrf.extend({ client: z.string().min(1).max(200) });

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body ?? {});
  if (!r.success) throw new AppError('invalid_input', { params: { field: String(r.error.issues[0]?.path[0] ?? 'form') } });
  return r.data;
}

export function mountControls(router: express.Router, deps: ControlDeps, gate: AccountGate): void {
  const langOf = (res: Response): Lang => res.locals.lang as Lang;
  // every account page and download shows personal data
  router.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });

  /** The signed-in person behind a valid form, or null after sending them to sign in. */
  async function caller(req: Request, res: Response): Promise<{ personId: string; sessionUid: string } | null> {
    const who = await gate.signedIn(req, res);
    if (!who) {
      gate.toLogin(res);
      return null;
    }
    if (!deps.csrf.valid(`account:${who.sessionUid}`, (req.body as { csrf?: unknown } | undefined)?.csrf)) throw new AppError('csrf_invalid');
    return who;
  }

  router.post('/account/consents/withdraw', gate.form, async (req, res) => {
    const who = await caller(req, res);
    if (!who) return;
    const { client } = parse(withdrawal, req.body);
    if (!(await withdraw(deps, who.personId, client, req.ip))) throw new AppError('invalid_input', { params: { field: 'client' } });
    res.redirect(303, '/account?notice=withdrawn#consents');
  });

  router.post('/account/sessions/end-all', gate.form, async (req, res) => {
    const who = await caller(req, res);
    if (!who) return;
    parse(withCsrf, req.body);
    const person = await deps.identity.getPerson(who.personId);
    if (!person) return gate.toLogin(res);
    await signOutEverywhere(deps, person, req.ip);
    res.status(200).type('html').send(signedOutEverywherePage(langOf(res), elderOf(res), '/account'));
  });

  router.post('/account/my-data', gate.form, async (req, res) => {
    const who = await caller(req, res);
    if (!who) return;
    parse(withCsrf, req.body);
    const person = await deps.identity.getPerson(who.personId);
    if (!person) return gate.toLogin(res);
    const data = await myData(deps, person, who.sessionUid, langOf(res));
    // recorded before anything leaves: a download the trail does not show does not happen
    await deps.audit.record({ type: 'data.exported', subjectIndex: person.idNumberIndex, ...(req.ip ? { source: req.ip } : {}) });
    res
      .status(200)
      .set('Content-Disposition', `attachment; filename="tongban-my-data-${data.exportedAt.slice(0, 10)}.json"`)
      .type('application/json')
      .send(JSON.stringify(data, null, 2));
  });
}
