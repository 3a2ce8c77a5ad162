/**
 * /account: the signed-in citizen's own page. It reads the provider's session (the same
 * single sign-on cookie), lists the person's login methods with when each was last used, and
 * binds or unbinds accounts that carry no ID number (WeChat, uncertified Alipay).
 */
import { createHash, randomBytes } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import type Provider from 'oidc-provider';
import type { LoginMethod } from '../../providers/kit/index.ts';
import type { IdentityService } from '../identity/index.ts';
import type { AuditLog } from '../audit/index.ts';
import { AppError, AuthorityUnavailable } from '../errors.ts';
import type { Lang, MessageKey } from '../i18n/messages.ts';
import type { Csrf } from '../interaction/csrf.ts';
import { methodContext, type ContextServices } from '../interaction/method-context.ts';
import { accountPage } from './views.ts';
import { activityOf } from './activity.ts';
import type { StaffDirectory } from '../counter/staff-directory.ts';
import { readCookie } from '../web/cookies.ts';
import { html } from '../web/html.ts';
import { completeVerified, type CompleteDeps } from '../interaction/complete-login.ts';
import { decide } from '../policy/index.ts';
import type { Database } from '../store/database.ts';
import { durableGrants } from '../oidc/durable-grants.ts';
import { mountControls } from './control-routes.ts';
import { consentRows } from './consents.ts';
import { sessionRows } from './sessions.ts';
import { consentsSection, myDataSection, sessionsSection } from './control-views.ts';
import { accountSession, ACCOUNT_STATE_COOKIE } from '../oidc/account-session.ts';
import { proxyLinkSection } from '../proxy/views.ts';
import { elderOf } from '../web/elder.ts';

const BIND_COOKIE = 'tongban_bind';

export interface AccountDeps {
  provider: Provider;
  issuer: string;
  methods: ReadonlyMap<string, LoginMethod>;
  identity: IdentityService;
  audit: AuditLog;
  csrf: Csrf;
  services: ContextServices;
  staff: StaffDirectory;
  /** consents' grants kept for offline access (withdrawal finds and revokes them) */
  db: Database;
  secureCookies: boolean;
  /** turns a verified outcome into a binding */
  complete: CompleteDeps;
}

export function accountRouter(deps: AccountDeps): express.Router {
  const { provider, identity, audit, csrf } = deps;
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '2kb', parameterLimit: 5 });
  const langOf = (res: Response): Lang => res.locals.lang as Lang;


  const store = deps.services.store;
  const { signedIn, toLogin, cookieOpts } = accountSession({ provider, store, issuer: deps.issuer, secureCookies: deps.secureCookies });
  // before every route: no page or download of the account is ever cached
  mountControls(router, { ...deps, store, durable: durableGrants(deps.db) }, { signedIn, toLogin, form });

  async function render(req: Request, res: Response, personId: string, sessionUid: string, notice?: Parameters<typeof accountPage>[0]['notice'], status = 200) {
    const person = await identity.getPerson(personId);
    if (!person) return toLogin(res);
    const token = csrf.token(`account:${sessionUid}`);
    const [consents, sessions] = await Promise.all([consentRows(deps, personId, langOf(res)), sessionRows({ provider, store }, personId, sessionUid, langOf(res))]);
    res.status(status).type('html').send(
      accountPage({
        lang: langOf(res),
        elder: elderOf(res),
        path: req.originalUrl,
        person,
        credentials: await identity.listCredentials(personId),
        methods: deps.methods,
        csrf: token,
        activity: await activityOf(deps, person.idNumberIndex, langOf(res)),
        controls: html`${consentsSection(langOf(res), token, consents)}${sessionsSection(langOf(res), token, sessions)}${myDataSection(langOf(res), token)}${proxyLinkSection(langOf(res))}`,
        notice,
      }),
    );
  }

  router.get('/account', async (req, res) => {
    const who = await signedIn(req, res);
    if (!who) return toLogin(res);
    const n = req.query.notice;
    await render(req, res, who.personId, who.sessionUid, n === 'bound' || n === 'unbound' || n === 'withdrawn' ? { ok: true, code: n } : undefined);
  });

  router.get('/account/callback', async (req, res) => {
    const expected = readCookie(req, ACCOUNT_STATE_COOKIE);
    res.clearCookie(ACCOUNT_STATE_COOKIE, cookieOpts);
    if (!expected || req.query.state !== expected) throw new AppError('state_mismatch');
    res.redirect(303, '/account');
  });

  router.post('/account/unbind', form, async (req, res) => {
    const who = await signedIn(req, res);
    if (!who) return toLogin(res);
    if (!csrf.valid(`account:${who.sessionUid}`, req.body?.csrf)) throw new AppError('csrf_invalid');
    const credentialId = typeof req.body?.credential === 'string' ? req.body.credential : '';
    const mine = await identity.listCredentials(who.personId);
    const target = mine.find((c) => c.id === credentialId);
    if (!target) throw new AppError('invalid_input', { params: { field: 'credential' } });
    if (mine.filter((c) => c.status === 'active').length <= 1) {
      return render(req, res, who.personId, who.sessionUid, { ok: false, code: 'account_last_credential' }, 409);
    }
    const person = (await identity.getPerson(who.personId))!;
    try {
      await audit.transaction(async (tx) => {
        // one removal at a time per person, so the count below sees the other's
        await tx.query('SELECT 1 FROM persons WHERE id = $1 FOR UPDATE', [who.personId]);
        await identity.unbind(who.personId, credentialId, tx);
        // checked again inside: two removals at once must not leave the person with no way in
        const { rows } = await tx.query<{ n: string }>("SELECT count(*)::text AS n FROM credentials WHERE person_id = $1 AND status = 'active'", [who.personId]);
        if (Number(rows[0]!.n) === 0) throw new AppError('account_last_credential');
        await tx.audit({ type: 'credential.unbound', method: target.method, subjectIndex: person.idNumberIndex, source: req.ip });
      });
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'account_last_credential') throw err;
      return render(req, res, who.personId, who.sessionUid, { ok: false, code: 'account_last_credential' }, 409);
    }
    res.redirect(303, '/account?notice=unbound');
  });

  function bindable(req: Request): LoginMethod {
    const m = deps.methods.get(req.params.id as string);
    if (!m || !decide('method-bindable', deps.complete.policy.data(), { method: m.id }).ok) throw new AppError('method_unknown');
    return m;
  }
  const ctxFor = (req: Request, res: Response, bindId: string, m: LoginMethod) =>
    methodContext(deps.services, {
      interactionId: `bind-${bindId}`,
      methodId: m.id,
      flow: 'login',
      sourceIp: req.ip ?? 'unknown',
      lang: langOf(res),
      callbackUrl: `${deps.issuer}/account/bind/${m.id}/callback`,
    });

  router.get('/account/bind/:id', async (req, res) => {
    const who = await signedIn(req, res);
    if (!who) return toLogin(res);
    const m = bindable(req);
    const bindId = randomBytes(16).toString('base64url');
    res.cookie(BIND_COOKIE, bindId, { ...cookieOpts, maxAge: 600_000 });
    try {
      const challenge = await m.flows.login.start(ctxFor(req, res, bindId, m));
      if (challenge.kind === 'refused') return await render(req, res, who.personId, who.sessionUid, { ok: false, code: challenge.reason }, 429);
      if (challenge.kind !== 'redirect') throw new AppError('method_unknown');
      res.redirect(303, challenge.url);
    } catch (err) {
      if (!(err instanceof AuthorityUnavailable)) throw err;
      await render(req, res, who.personId, who.sessionUid, { ok: false, code: 'method_unavailable' }, 503);
    }
  });

  router.get('/account/bind/:id/callback', async (req, res) => {
    const who = await signedIn(req, res);
    if (!who) return toLogin(res);
    const m = bindable(req);
    const bindId = readCookie(req, BIND_COOKIE);
    res.clearCookie(BIND_COOKIE, cookieOpts);
    if (!bindId) return render(req, res, who.personId, who.sessionUid, { ok: false, code: 'challenge_expired' }, 400);
    const input: Record<string, string> = { step: 'callback' };
    for (const [k, v] of Object.entries(req.query)) if (typeof v === 'string' && v.length <= 8192 && k !== 'step') input[k] = v;
    let notice: { ok: false; code: MessageKey } | undefined;
    try {
      const result = await m.flows.login.verify(ctxFor(req, res, bindId, m), input);
      if (result.status === 'failed') notice = { ok: false, code: result.reason };
      else if (result.status !== 'verified') notice = { ok: false, code: 'account_bind_failed' };
      else {
        const bound = await completeVerified(deps.complete, { intent: { kind: 'bind', personId: who.personId }, methodId: m.id, result, source: req.ip ?? 'unknown' });
        if (bound.kind === 'bound') return res.redirect(303, '/account?notice=bound');
        notice = { ok: false, code: bound.kind === 'refused' ? bound.reason : 'account_bind_failed' };
      }
    } catch (err) {
      if (!(err instanceof AuthorityUnavailable)) throw err;
      notice = { ok: false, code: 'method_unavailable' };
    }
    await render(req, res, who.personId, who.sessionUid, notice, notice.code === 'credential_conflict' ? 409 : 400);
  });

  return router;
}
