/**
 * Signing in to /admin: through our own provider as the first-party client `tongban-admin`
 * (level 3 required by the client and asked for in the request), PKCE and a state in a Lax
 * cookie on /admin (account-session.ts). The callback checks the provider's session: a person,
 * not signed in on someone's behalf, at level 3, an active admin with a role. Then the console
 * session begins (Strict cookie) and its sign-in is audited.
 */
import express, { type Request, type Response } from 'express';
import { AppError } from '../errors.ts';
import { accountSession } from '../oidc/account-session.ts';
import { ADMIN_CLIENT_ID } from '../oidc/internal-clients.ts';
import { readCookie } from '../web/cookies.ts';
import type { Lang } from '../i18n/text.ts';
import { ADMIN_COOKIE, adminCookieOptions } from './auth.ts';
import type { AdminDeps } from './deps.ts';
import { personActor, type AdminPrincipal } from './principal.ts';
import { refusedPage, signedInPage } from './home-views.ts';
import { elderOf } from '../web/elder.ts';

export const ADMIN_STATE_COOKIE = 'tongban_admin_state';

export function adminSignIn(deps: AdminDeps) {
  const client = accountSession(deps, { clientId: ADMIN_CLIENT_ID, path: '/admin', stateCookie: ADMIN_STATE_COOKIE });
  const cookieOpts = adminCookieOptions(deps.secureCookies);

  /** Starts a level-3 sign-in through the provider. */
  const toLogin = (res: Response) => client.toLogin(res, 3);

  function refuse(req: Request, res: Response, code: 'admin_level_required' | 'admin_not_admin'): void {
    res.status(403).type('html').set('cache-control', 'no-store').send(refusedPage(res.locals.lang as Lang, elderOf(res), req.originalUrl, code));
  }

  const router = express.Router();

  router.get('/callback', async (req, res) => {
    const expected = readCookie(req, ADMIN_STATE_COOKIE);
    res.clearCookie(ADMIN_STATE_COOKIE, client.cookieOpts);
    if (!expected || req.query.state !== expected) throw new AppError('state_mismatch');
    const who = await client.signedIn(req, res);
    if (!who) return toLogin(res);
    if (who.level < 3) return refuse(req, res, 'admin_level_required');
    const record = await deps.admins.get(who.personId);
    const person = record?.active && record.roles.length ? await deps.identity.getPerson(who.personId) : null;
    if (!record || !person) return refuse(req, res, 'admin_not_admin');
    // on the record first: the console session exists only once its sign-in is audited
    await deps.audit.record({
      type: 'admin.signed_in',
      actorId: personActor(who.personId),
      roles: record.roles,
      subjectIndex: person.idNumberIndex,
      source: req.ip,
    });
    const id = await deps.sessions.create({ personId: who.personId, level: who.level });
    res.cookie(ADMIN_COOKIE, id, cookieOpts);
    // Not a redirect: a chain that began on another site (the UKey signer) carries no Strict
    // cookie, so /admin would start a sign-in again, round and round. Our page moves on to the
    // console instead, a same-site step (as the counter console does).
    res.status(200).type('html').set('cache-control', 'no-store').send(signedInPage(res.locals.lang as Lang, elderOf(res)));
  });

  /** Ends the console session (CSRF checked by the router), then the single sign-on too. */
  router.post('/logout', async (req, res) => {
    const admin = res.locals.admin as AdminPrincipal | undefined;
    const id = res.locals.adminSessionId as string | undefined;
    if (id) await deps.sessions.destroy(id);
    res.clearCookie(ADMIN_COOKIE, cookieOpts);
    if (admin?.personId) {
      await deps.audit.record({ type: 'admin.signed_out', actorId: admin.actorId, roles: admin.roles, subjectIndex: admin.subjectIndex!, source: req.ip });
    }
    res.redirect(303, '/session/end');
  });

  return { router, toLogin };
}
