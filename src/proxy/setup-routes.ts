/**
 * /account/proxy: a citizen signed in at level 2 or above names a helper (by ID number, found
 * through its blind index) for chosen departments, scopes and an end date; the helper, signed in
 * at level 2 or above, accepts; either ends it at once. Every change writes one audit row for
 * each of the two people in the same transaction, so both see it in their activity.
 */
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import type { Lang, MessageKey } from '../i18n/messages.ts';
import { AppError } from '../errors.ts';
import { accountSession } from '../oidc/account-session.ts';
import type { Mandate } from './mandates.ts';
import { departmentsFor, type ProxyDeps } from './deps.ts';
import { aYearOn, auditBoth, createRequested, mandateEnd } from './both-records.ts';
import { NOTICES, PROXY_SCOPES, proxyPage, type MandateRow, type Notice } from './views.ts';
import { elderOf } from '../web/elder.ts';

// the account page's own sign-in (see account/routes.ts): the same state cookie and callback

const list = z
  .union([z.string().max(64), z.array(z.string().max(64)).max(50)])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));
const createForm = z.object({
  csrf: z.string().max(200),
  helper_id_number: z.string().trim().min(1).max(18),
  clients: list,
  scopes: list,
  until: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
});
const mandateForm = z.object({ csrf: z.string().max(200), mandate: z.string().max(64) });

const dayOf = (d: Date) => d.toLocaleDateString('en-CA', { timeZone: 'Asia/Shanghai' });

export function proxySetupRouter(deps: ProxyDeps): express.Router {
  const { provider, identity, audit, csrf, mandates, store } = deps;
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 120 });
  const langOf = (res: Response): Lang => res.locals.lang as Lang;
  const now = () => new Date(deps.clock?.() ?? Date.now());

  router.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });

  const { signedIn, toLogin, cookieOpts } = accountSession({ provider, store, issuer: deps.issuer, secureCookies: deps.secureCookies });

  async function rowsOf(list: readonly Mandate[], otherOf: (m: Mandate) => string): Promise<MandateRow[]> {
    return Promise.all(
      list.map(async (m) => ({
        id: m.id,
        other: (await identity.getPerson(otherOf(m)))?.name ?? '',
        departments: m.clientIds.map((id) => String(deps.clients.find(id)?.client_name ?? id)),
        scopes: m.scopes,
        until: m.validUntil,
        accepted: m.acceptedAt !== null,
      })),
    );
  }

  async function render(req: Request, res: Response, who: { personId: string; sessionUid: string; level: number }, o: { notice?: Notice; problem?: MessageKey } = {}, status = 200) {
    const all = await mandates.listFor(who.personId, now());
    const [given, received] = await Promise.all([
      rowsOf(all.filter((m) => m.citizenId === who.personId), (m) => m.helperId),
      rowsOf(all.filter((m) => m.helperId === who.personId), (m) => m.citizenId),
    ]);
    res.status(status).type('html').send(
      proxyPage({
        lang: langOf(res),
        elder: elderOf(res),
        path: req.originalUrl,
        csrf: csrf.token(`proxy:${who.sessionUid}`),
        levelOk: who.level >= 2,
        departments: departmentsFor(deps),
        given,
        received,
        maxUntil: dayOf(new Date(aYearOn(now()).getTime() - 86_400_000)),
        ...(o.notice ? { notice: o.notice } : {}),
        ...(o.problem ? { problem: { code: o.problem } } : {}),
      }),
    );
  }

  /** A form from a signed-in person at level 2 or above, with its CSRF token. */
  async function formFrom(req: Request, res: Response): Promise<{ personId: string; sessionUid: string; level: number } | null> {
    const who = await signedIn(req, res);
    if (!who) {
      toLogin(res);
      return null;
    }
    if (!csrf.valid(`proxy:${who.sessionUid}`, req.body?.csrf)) throw new AppError('csrf_invalid');
    if (who.level < 2) {
      await render(req, res, who, { problem: 'proxy_level_required' }, 403);
      return null;
    }
    return who;
  }

  router.get('/account/proxy', async (req, res) => {
    const who = await signedIn(req, res);
    if (!who) return toLogin(res);
    const n = typeof req.query.notice === 'string' ? req.query.notice : '';
    await render(req, res, who, Object.hasOwn(NOTICES, n) ? { notice: n as Notice } : {});
  });

  router.get('/account/proxy/verify', (_req, res) => toLogin(res, 2));

  router.post('/account/proxy', form, async (req, res) => {
    const who = await formFrom(req, res);
    if (!who) return;
    const parsed = createForm.safeParse(req.body ?? {});
    if (!parsed.success) throw new AppError('invalid_input', { params: { field: String(parsed.error.issues[0]?.path[0] ?? 'form') } });
    const f = parsed.data;
    const allowed = new Set(departmentsFor(deps).map((d) => d.clientId));
    const clients = [...new Set(f.clients)];
    const scopes = [...new Set(f.scopes)];
    if (!clients.length || clients.some((c) => !allowed.has(c))) throw new AppError('invalid_input', { params: { field: 'clients' } });
    if (scopes.some((s) => !(PROXY_SCOPES as readonly string[]).includes(s))) throw new AppError('invalid_input', { params: { field: 'scopes' } });
    const from = now();
    const until = mandateEnd(f.until, from);
    if (!until) return render(req, res, who, { problem: 'proxy_until_invalid' }, 400);
    // looked up by its blind index; the number itself is neither kept, logged nor audited
    const helperId = await identity.findPersonIdByIdNumber(f.helper_id_number.toUpperCase()).catch(() => null);
    if (!helperId) return render(req, res, who, { problem: 'proxy_helper_unknown' }, 404);
    if (helperId === who.personId) return render(req, res, who, { problem: 'proxy_helper_self' }, 400);
    const made = { citizenId: who.personId, helperId, clientIds: clients, scopes, validFrom: from, validUntil: until, createdVia: 'online' as const };
    await audit.transaction((tx) => createRequested(tx, mandates, made, req.ip ? { source: req.ip } : {}));
    res.redirect(303, '/account/proxy?notice=requested');
  });

  for (const action of ['accept', 'revoke'] as const) {
    router.post(`/account/proxy/${action}`, form, async (req, res) => {
      // ending a mandate needs no more than a sign-in: a citizen can always stop it at once
      const who = action === 'accept' ? await formFrom(req, res) : await signedIn(req, res);
      if (!who) return action === 'accept' ? undefined : toLogin(res);
      if (action === 'revoke' && !csrf.valid(`proxy:${who.sessionUid}`, req.body?.csrf)) throw new AppError('csrf_invalid');
      const parsed = mandateForm.safeParse(req.body ?? {});
      if (!parsed.success) throw new AppError('invalid_input', { params: { field: 'mandate' } });
      const done = await audit.transaction(async (tx) => {
        const m = action === 'accept' ? await mandates.accept(parsed.data.mandate, who.personId, now(), tx) : await mandates.revoke(parsed.data.mandate, who.personId, now(), tx);
        if (m) await auditBoth(tx, m, (role, subjectIndex) => ({ type: action === 'accept' ? 'proxy.accepted' : 'proxy.revoked', subjectIndex, mandateId: m.id, role, source: req.ip }));
        return m;
      });
      if (!done) return render(req, res, who, { problem: 'proxy_not_found' }, 404);
      res.redirect(303, `/account/proxy?notice=${action === 'accept' ? 'accepted' : 'revoked'}`);
    });
  }

  return router;
}
