/**
 * /counter: the counter-staff console. Staff sign in through our own provider as the
 * first-party client `tongban-counter`, which requires level 3; the console then keeps its own
 * session (15 idle minutes) and re-checks the staff record on every request.
 */
import { createHash, randomBytes } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import type Provider from 'oidc-provider';
import type { IdentityService } from '../identity/index.ts';
import type { AuditLog } from '../audit/index.ts';
import { AppError } from '../errors.ts';
import type { Lang, MessageKey } from '../i18n/messages.ts';
import type { Csrf } from '../interaction/csrf.ts';
import { levelOf } from '../policy/levels.ts';
import type { Html } from '../web/html.ts';
import type { StaffDirectory, StaffMember } from './staff-directory.ts';
import type { ConsoleSession, ConsoleSessions } from './console-session.ts';
import { consolePage, signedInPage } from './views.ts';
import { counterActions, type ActionDeps } from './actions.ts';
import { listPending } from './recovery.ts';
import { readCookie } from '../web/cookies.ts';
import { COUNTER_CLIENT_ID } from '../oidc/internal-clients.ts';
import { elderOf } from '../web/elder.ts';

const COOKIE = 'tongban_counter';
const STATE_COOKIE = 'tongban_counter_state';

export interface CounterDeps extends ActionDeps {
  provider: Provider;
  issuer: string;
  identity: IdentityService;
  audit: AuditLog;
  csrf: Csrf;
  staff: StaffDirectory;
  sessions: ConsoleSessions;
  secureCookies: boolean;
}

/** What a console request knows once it passed the checks. */
export interface StaffRequest {
  id: string;
  session: ConsoleSession;
  staff: StaffMember;
  lang: Lang;
}

export function counterRouter(deps: CounterDeps): express.Router {
  const router = express.Router();
  // room for an over-long reason to reach its check and get its own message (2,000 CJK characters are 18 kB encoded)
  // family proxy's form has a box per department and per scope
  const form = express.urlencoded({ extended: false, limit: '32kb', parameterLimit: 80 });
  const cookieOpts = { httpOnly: true, sameSite: 'strict' as const, secure: deps.secureCookies, path: '/counter' };

  function toLogin(res: Response): void {
    const state = randomBytes(16).toString('base64url');
    res.cookie(STATE_COOKIE, state, { ...cookieOpts, sameSite: 'lax', maxAge: 600_000 });
    const q = new URLSearchParams({
      client_id: COUNTER_CLIENT_ID,
      redirect_uri: `${deps.issuer}/counter/callback`,
      response_type: 'code',
      scope: 'openid',
      state,
      acr_values: 'urn:tongban:loa:3',
      code_challenge: createHash('sha256').update(randomBytes(32)).digest('base64url'),
      code_challenge_method: 'S256',
    });
    res.redirect(303, `/auth?${q}`);
  }

  function refuse(code: MessageKey): void {
    throw new AppError(code);
  }

  router.get('/counter/callback', async (req, res) => {
    const expected = readCookie(req, STATE_COOKIE);
    res.clearCookie(STATE_COOKIE, { ...cookieOpts, sameSite: 'lax' });
    if (!expected || req.query.state !== expected) throw new AppError('state_mismatch');
    const session = await deps.provider.Session.get(deps.provider.createContext(req, res) as never);
    if (!session.accountId) return toLogin(res);
    if (levelOf(session.acr) < 3) return refuse('counter_level_required');
    const staff = await deps.staff.get(session.accountId);
    if (!staff?.active) return refuse('counter_not_staff');
    // on the record first: the console session exists only once its sign-in is audited
    await deps.audit.record({ type: 'counter.signed_in', staffId: staff.personId, centreId: staff.centreId, source: req.ip });
    const id = await deps.sessions.create({ personId: staff.personId, centreId: staff.centreId, acr: session.acr! });
    res.cookie(COOKIE, id, cookieOpts);
    // Not a redirect: this request may end a chain that began on another site (the UKey signing
    // software), and a browser sends no SameSite=Strict cookie anywhere along such a chain, so
    // /counter would send the staff member to sign in again, round and round. A page of ours
    // moves on to the console instead, which makes that request same-site.
    res.status(200).type('html').set('cache-control', 'no-store').send(signedInPage(res.locals.lang as Lang, elderOf(res)));
  });

  /** Every console request: a live console session, level 3, an active staff record at the same centre. */
  async function requireStaff(req: Request, res: Response, next: NextFunction): Promise<void> {
    const id = readCookie(req, COOKIE);
    const session = id ? await deps.sessions.touch(id) : null;
    if (!id || !session) {
      if (req.method === 'GET') return toLogin(res);
      throw new AppError('counter_session_expired');
    }
    const staff = await deps.staff.get(session.personId);
    if (!staff?.active || staff.centreId !== session.centreId || levelOf(session.acr) < 3) {
      await deps.sessions.destroy(id);
      res.clearCookie(COOKIE, cookieOpts);
      throw new AppError('counter_not_staff');
    }
    res.locals.staffRequest = { id, session, staff, lang: res.locals.lang as Lang } satisfies StaffRequest;
    next();
  }

  async function show(
    req: Request,
    res: Response,
    sr: StaffRequest,
    status = 200,
    notice?: Parameters<typeof consolePage>[0]['notice'],
    extra?: Html,
    typed?: Parameters<typeof consolePage>[0]['typed'],
  ) {
    const visit = sr.session.visit && sr.session.visit.expiresAt > Date.now() ? sr.session.visit : undefined;
    const person = visit ? await deps.identity.getPerson(visit.personId) : null;
    res.status(status).type('html').send(
      consolePage({
        lang: sr.lang,
        elder: elderOf(res),
        path: req.originalUrl,
        csrf: deps.csrf.token(`counter:${sr.id}`),
        staff: sr.staff,
        session: { ...sr.session, visit },
        visitName: person?.name,
        pending: sr.staff.role === 'counter_supervisor' ? await listPending(deps, sr) : [],
        proxyDepartments: deps.proxy?.departments() ?? [],
        notice,
        extra,
        typed,
      }),
    );
  }

  router.get('/counter', requireStaff, async (req, res) => {
    await show(req, res, res.locals.staffRequest as StaffRequest);
  });

  const actions = counterActions(deps);
  router.post('/counter/:action{/:id/:decision}', requireStaff, form, async (req, res) => {
    const sr = res.locals.staffRequest as StaffRequest;
    if (!deps.csrf.valid(`counter:${sr.id}`, req.body?.csrf)) throw new AppError('csrf_invalid');
    if (req.params.action === 'logout') {
      await deps.sessions.destroy(sr.id);
      res.clearCookie(COOKIE, cookieOpts);
      return res.redirect(303, '/session/end');
    }
    const body: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.body ?? {})) if (typeof v === 'string') body[k] = v;
    const outcome = await actions.run(req, sr, String(req.params.action), req.params.id as string | undefined, req.params.decision as string | undefined, body);
    // a refused form comes back filled in as typed (never the CSRF token, nor the face check: that is confirmed again)
    const { csrf: _csrf, face_match: _face, ...values } = body;
    const typed = outcome.keepTyped ? { action: String(req.params.action), values } : undefined;
    await show(req, res, sr, outcome.status, outcome.notice, outcome.extra, typed);
  });

  return router;
}
