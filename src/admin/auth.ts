/**
 * Who is calling /admin, and what they may do. Two ways in:
 * - the console: a session cookie from the level-3 sign-in (sign-in.ts); every request re-reads
 *   the admin record, so a deactivated admin or a removed role stops at once; non-GET requests
 *   need the CSRF token (`_csrf` field or X-CSRF-Token header);
 * - automation: `Authorization: Bearer` with a client-credentials access token from our own
 *   provider, for the admin API's resource, whose scopes `admin:<role>` grant roles; the client's
 *   current registration must still carry those scopes (a scope withdrawn ends its tokens' power).
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { AppError } from '../errors.ts';
import { readCookie } from '../web/cookies.ts';
import type { AdminDeps } from './deps.ts';
import { adminOf, clientActor, hasRole, personActor, type AdminPrincipal } from './principal.ts';
import { adminApiResource, rolesOfScope, type AdminRole } from './roles.ts';

export const ADMIN_COOKIE = 'tongban_admin';
export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/** The console session's cookie: Strict, on /admin only. */
export function adminCookieOptions(secure: boolean) {
  return { httpOnly: true, sameSite: 'strict' as const, secure, path: '/admin' };
}

const csrfBinding = (sessionId: string) => `admin:${sessionId}`;

/** The CSRF token a console page puts in its forms (as `_csrf`). */
export function csrfTokenOf(res: Response): string {
  const token = res.locals.adminCsrf as string | undefined;
  if (!token) throw new AppError('admin_sign_in_required');
  return token;
}

/** 401 when nobody is signed in; 403 when the principal holds none of `roles`. */
export function requireRole(...roles: AdminRole[]): RequestHandler {
  return (_req, res, next) => {
    const admin = adminOf(res);
    if (!hasRole(admin, ...roles)) throw new AppError('admin_role_required', { params: { roles: roles.join(', ') } });
    next();
  };
}

const BEARER = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/;

/** The roles a bearer token grants, or null when it is no valid admin token. */
async function tokenPrincipal(deps: AdminDeps, value: string, address: string): Promise<AdminPrincipal | null> {
  const token = await deps.provider.ClientCredentials.find(value);
  if (!token || token.isExpired) return null;
  // a token bound to a key (DPoP, mTLS) needs its proof, which this API does not take
  if (token.jkt || token['x5t#S256']) return null;
  if (token.aud !== adminApiResource(deps.issuer) || !token.clientId) return null;
  const client = await deps.provider.Client.find(token.clientId);
  if (!client) return null;
  const registered = new Set(rolesOfScope(client.scope));
  const roles = rolesOfScope(token.scope).filter((r) => registered.has(r));
  if (!roles.length) return null;
  return { actorId: clientActor(token.clientId), clientId: token.clientId, roles, via: 'token', address };
}

/**
 * Reads the principal into `res.locals.admin` (and the console's CSRF token into
 * `res.locals.adminCsrf`); leaves both unset when nobody is signed in. A bearer header that is
 * present but not valid is a 401, whatever cookie comes with it.
 */
export function authenticate(deps: AdminDeps): RequestHandler {
  const cookieOpts = adminCookieOptions(deps.secureCookies);
  return async (req: Request, res: Response, next: NextFunction) => {
    const address = req.ip ?? '';
    const authorization = req.headers.authorization;
    if (authorization !== undefined) {
      const m = BEARER.exec(authorization);
      const principal = m ? await tokenPrincipal(deps, m[1]!, address) : null;
      if (!principal) {
        res.setHeader('WWW-Authenticate', 'Bearer error="invalid_token"');
        throw new AppError('admin_token_invalid');
      }
      res.locals.admin = principal;
      return next();
    }
    const id = readCookie(req, ADMIN_COOKIE);
    if (!id) return next();
    const session = await deps.sessions.touch(id);
    const record = session ? await deps.admins.get(session.personId) : null;
    const person = record?.active && record.roles.length ? await deps.identity.getPerson(record.personId) : null;
    if (!session || !record?.active || !record.roles.length || !person || session.level < 3) {
      if (session) await deps.sessions.destroy(id);
      res.clearCookie(ADMIN_COOKIE, cookieOpts);
      res.locals.adminEnded = true;
      return next();
    }
    res.locals.adminSessionId = id;
    res.locals.adminCsrf = deps.csrf.token(csrfBinding(id));
    res.locals.admin = {
      actorId: personActor(record.personId),
      personId: record.personId,
      subjectIndex: person.idNumberIndex,
      roles: record.roles,
      via: 'console',
      address,
    } satisfies AdminPrincipal;
    next();
  };
}

/** Console requests that change something carry the session's CSRF token; tokens are exempt. */
export function checkCsrf(deps: AdminDeps): RequestHandler {
  return (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
    const admin = res.locals.admin as AdminPrincipal | undefined;
    if (!admin || admin.via !== 'console') return next();
    const fromBody = (req.body as Record<string, unknown> | undefined)?.[CSRF_FIELD];
    const presented = req.headers[CSRF_HEADER] ?? fromBody;
    if (!deps.csrf.valid(csrfBinding(res.locals.adminSessionId as string), presented)) throw new AppError('csrf_invalid');
    next();
  };
}
