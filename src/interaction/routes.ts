/**
 * Login and consent pages (/interaction/*). Drives the login methods through their contract
 * and hands results to completeLogin; never decides who a person is by itself.
 */
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import type Provider from 'oidc-provider';
import type { LoginMethod, Level, StartRefused, VerifyResult } from '../../providers/kit/index.ts';
import type { IdentityService } from '../identity/index.ts';
import type { AuditLog, RefusalTally } from '../audit/index.ts';
import type { EphemeralStore } from '../store/ephemeral.ts';
import { AuthorityUnavailable, StoreUnavailable } from '../errors.ts';
import { methodStatusOf, type Lang, type MessageKey } from '../i18n/messages.ts';
import { clientRuleOf, offeredMethods, requiredLevelFor, type ClientRule } from '../policy/index.ts';
import { openGrant } from '../oidc/grants.ts';
import { SCOPE_CLAIMS } from '../oidc/provider.ts';
import type { Csrf } from './csrf.ts';
import { methodContext, type ContextServices } from './method-context.ts';
import { deviceOf, keepDevice } from './device-cookie.ts';
import { completeVerified, type CompleteDeps } from './complete-login.ts';
import { readProgress, type Progress } from './progress.ts';
import { challengePage, chooserPage, consentPage, errorPage, type PageCtx, type Problem } from './views.ts';

export interface InteractionDeps {
  provider: Provider;
  methods: ReadonlyMap<string, LoginMethod>;
  identity: IdentityService;
  audit: AuditLog;
  store: EphemeralStore;
  csrf: Csrf;
  services: ContextServices;
  /** turns a verified outcome into a login */
  complete: CompleteDeps;
  /** refused attempts, counted per window instead of a row each */
  refusals: RefusalTally;
  /** the blind index of a method's identifier (as credentials store it), for refusals about it */
  identifierIndexOf(method: string, identifier: string): string;
  /** the known-device cookie is Secure behind TLS */
  secureCookies?: boolean;
}

const STATUS: Partial<Record<MessageKey, number>> = {
  rate_limited: 429,
  otp_resend_wait: 429,
  login_failed: 401,
  otp_invalid: 401,
  already_registered: 409,
  method_unavailable: 503,
  level_insufficient: 403,
  method_not_allowed: 403,
  not_enrolled: 403,
  csrf_invalid: 403,
  interaction_expired: 400,
  not_bound: 403,
  credential_conflict: 409,
  challenge_expired: 400,
  state_mismatch: 400,
  counter_code_invalid: 401,
};

const statusOf = (code: MessageKey, fallback = 400): number => STATUS[code] ?? methodStatusOf(code) ?? fallback;

const formBody = z.record(z.string(), z.string());
const NOT_PERSONAL = new Set(['acr', 'amr', 'auth_time', 'sid', 'iss', 'aud', 'exp', 'iat', 'nonce', 'at_hash', 'c_hash']);

type Details = Awaited<ReturnType<Provider['interactionDetails']>>;
interface Loaded {
  details: Details;
  client: NonNullable<Awaited<ReturnType<Provider['Client']['find']>>>;
  rule: ClientRule;
  page: PageCtx;
  required: Level;
  prior: Progress | null;
}

export function interactionRouter(deps: InteractionDeps): express.Router {
  const { provider, methods, csrf, store } = deps;
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 30 });

  const langOf = (res: Response): Lang => res.locals.lang as Lang;

  function fail(res: Response, status: number, p: Problem, retryAfter?: number): void {
    if (retryAfter) res.setHeader('Retry-After', String(retryAfter));
    res.status(status).type('html').send(errorPage(langOf(res), res.req.originalUrl, p));
  }

  async function load(req: Request, res: Response): Promise<Loaded | null> {
    let details: Details;
    try {
      details = await provider.interactionDetails(req, res);
    } catch (err) {
      // a store that does not answer is an outage (503), not an expired page
      if (err instanceof StoreUnavailable) throw err;
      fail(res, 400, { code: 'interaction_expired' });
      return null;
    }
    if (details.uid !== req.params.uid) {
      fail(res, 400, { code: 'interaction_expired' });
      return null;
    }
    const client = await provider.Client.find(String(details.params.client_id));
    if (!client) {
      fail(res, 400, { code: 'client_unknown' });
      return null;
    }
    const lang = langOf(res);
    const rule = clientRuleOf(deps.complete.policy.data(), client);
    return {
      details,
      client,
      rule,
      required: requiredLevelFor(rule, details.params),
      prior: await readProgress(store, details.uid, details.session as never),
      page: {
        lang,
        path: req.originalUrl,
        uid: details.uid,
        clientName: client.clientName ?? client.clientId,
        csrf: csrf.token(details.uid),
        kiosk: rule.kiosk || details.params.display === 'touch',
      },
    };
  }

  /** Methods this client accepts that can still bring the session to the level asked (the policy table decides). */
  function offered(l: Loaded): LoginMethod[] {
    const ids = offeredMethods(deps.complete.policy.data(), { client: l.rule, atKiosk: l.page.kiosk, required: l.required, prior: l.prior });
    return ids.map((id) => methods.get(id)).filter((m): m is LoginMethod => m !== undefined);
  }

  function renderChooser(res: Response, l: Loaded, status = 200, problem?: Problem): void {
    const list = offered(l);
    const stepUp = l.details.prompt.reasons.includes('acr_step_up');
    res.status(status).type('html').send(
      chooserPage(l.page, {
        methods: list,
        enrolable: list.filter((m) => m.flows.enrol && !l.prior),
        requiredLevel: l.required,
        stepUp,
        partial: Boolean(l.prior) && !stepUp,
        problem,
      }),
    );
  }

  function pickMethod(req: Request, res: Response, l: Loaded): LoginMethod | null {
    const m = methods.get(req.params.id as string);
    if (!m) {
      fail(res, 404, { code: 'method_unknown' });
      return null;
    }
    if (!offered(l).includes(m)) {
      renderChooser(res, l, 403, { code: 'method_not_allowed' });
      return null;
    }
    return m;
  }

  const ctxFor = (req: Request, res: Response, uid: string, m: LoginMethod, flow: 'login' | 'enrol') =>
    methodContext(deps.services, { interactionId: uid, methodId: m.id, flow, sourceIp: req.ip ?? 'unknown', lang: langOf(res), deviceId: deviceOf(req, res) });

  router.get('/interaction/:uid', async (req, res) => {
    const l = await load(req, res);
    if (!l) return;
    if (l.details.prompt.name === 'consent') {
      const d = l.details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
      const fromScopes = (d.missingOIDCScope ?? []).flatMap((s) =>
        s === 'offline_access' ? ['offline_access'] : [...((SCOPE_CLAIMS as Record<string, readonly string[]>)[s] ?? [])],
      );
      const claims = [...new Set([...fromScopes, ...(d.missingOIDCClaims ?? [])])].filter((c) => !NOT_PERSONAL.has(c));
      res.type('html').send(consentPage(l.page, { claims }));
      return;
    }
    renderChooser(res, l);
  });

  /** Shows a method's outcome: the next challenge, the error with the challenge again, or the login. */
  async function handleResult(
    req: Request,
    res: Response,
    l: Loaded,
    m: LoginMethod,
    flow: 'login' | 'enrol',
    ctx: ReturnType<typeof ctxFor>,
    result: VerifyResult,
  ): Promise<void> {
    if (result.status === 'pending') {
      if (result.challenge.kind === 'redirect') return res.redirect(303, result.challenge.url);
      res.type('html').send(challengePage(l.page, { method: m, flow, challenge: result.challenge }));
      return;
    }
    if (result.status === 'failed') {
      const account = ctx.refusedAccount();
      await auditRefusal(req, l, m, result.reason, flow, account ? deps.identifierIndexOf(account.method, account.identifier) : undefined);
      const flowImpl = m.flows[flow]!;
      const challenge = result.challenge ?? (await flowImpl.start(ctx));
      const params = { ...(result.params ?? {}), ...(result.retryAfter ? { seconds: result.retryAfter } : {}) };
      if (result.retryAfter) res.setHeader('Retry-After', String(result.retryAfter));
      // a redirect challenge cannot carry an error (and a refused start has none to show): the chooser shows it instead
      if (challenge.kind === 'redirect' || challenge.kind === 'refused') {
        return renderChooser(res, l, statusOf(result.reason), { code: result.reason, params });
      }
      res
        .status(statusOf(result.reason))
        .type('html')
        .send(challengePage(l.page, { method: m, flow, challenge, problem: { code: result.reason, params } }));
      return;
    }
    // the device that just proved a secret is known from now on (see device-cookie.ts)
    keepDevice(res, deps.secureCookies ?? false);
    const done = await completeVerified(deps.complete, {
      intent: { kind: 'login', uid: l.details.uid, prior: l.prior, requiredLevel: l.required, client: l.rule },
      methodId: m.id,
      result,
      source: req.ip ?? 'unknown',
    });
    if (done.kind === 'refused') {
      await deps.audit.record({ type: 'login.failed', method: m.id, reason: done.reason, clientId: l.client.clientId, source: req.ip });
      renderChooser(res, l, statusOf(done.reason, 403), { code: done.reason });
      return;
    }
    if (done.kind === 'more') {
      renderChooser(res, { ...l, prior: done.progress });
      return;
    }
    if (done.kind !== 'login') throw new Error(`a login completed as ${done.kind}`);
    await provider.interactionFinished(req, res, { login: done.login }, { mergeWithLastSubmission: false });
  }

  /** A refused attempt in the audit trail: a rate limit counted per window by the scope it hit, anything else as a failure. */
  function auditRefusal(req: Request, l: Loaded, m: LoginMethod, reason: MessageKey, scope: string, identifierIndex?: string) {
    if (reason === 'rate_limited') {
      return deps.refusals.note({
        type: 'login.rate_limited',
        method: m.id,
        scope,
        clientId: l.client.clientId,
        ...(identifierIndex ? { identifierIndex } : {}),
        ...(req.ip ? { source: req.ip } : {}),
      });
    }
    return deps.audit.record({ type: 'login.failed', method: m.id, reason, clientId: l.client.clientId, source: req.ip });
  }

  /** A method that declined to start: audited, and the chooser says why, so another method can be picked. */
  async function refusedStart(req: Request, res: Response, l: Loaded, m: LoginMethod, r: StartRefused) {
    await auditRefusal(req, l, m, r.reason, 'start');
    if (r.retryAfter) res.setHeader('Retry-After', String(r.retryAfter));
    renderChooser(res, l, statusOf(r.reason), { code: r.reason, params: r.retryAfter ? { seconds: r.retryAfter } : {} });
  }

  /** Runs verify() with `input`, turning an unreachable authority into a clear page. */
  async function runVerify(req: Request, res: Response, l: Loaded, m: LoginMethod, flow: 'login' | 'enrol', input: Record<string, string>) {
    const f = m.flows[flow];
    if (!f) return fail(res, 404, { code: 'method_unknown' });
    const ctx = ctxFor(req, res, l.details.uid, m, flow);
    try {
      await handleResult(req, res, l, m, flow, ctx, await f.verify(ctx, input));
    } catch (err) {
      await unavailable(req, res, l, m, err);
    }
  }

  for (const flow of ['login', 'enrol'] as const) {
    const path = `/interaction/:uid/${flow === 'login' ? 'method' : 'enrol'}/:id`;

    router.get(path, async (req, res) => {
      const l = await load(req, res);
      if (!l) return;
      const m = pickMethod(req, res, l);
      if (!m) return;
      const f = m.flows[flow];
      if (!f) return fail(res, 404, { code: 'method_unknown' });
      // a waiting page (QR, hand-off) asks again with ?step=…; no secrets travel this way
      if (typeof req.query.step === 'string') return runVerify(req, res, l, m, flow, { step: req.query.step.slice(0, 32) });
      try {
        const challenge = await f.start(ctxFor(req, res, l.details.uid, m, flow));
        if (challenge.kind === 'redirect') return res.redirect(303, challenge.url);
        if (challenge.kind === 'refused') return refusedStart(req, res, l, m, challenge);
        res.type('html').send(challengePage(l.page, { method: m, flow, challenge }));
      } catch (err) {
        await unavailable(req, res, l, m, err);
      }
    });

    router.post(path, form, async (req, res) => {
      const l = await load(req, res);
      if (!l) return;
      if (!csrf.valid(l.details.uid, req.body?.csrf)) return fail(res, 403, { code: 'csrf_invalid' });
      const m = pickMethod(req, res, l);
      if (!m) return;
      const input = formBody.safeParse(req.body);
      if (!input.success) return fail(res, 400, { code: 'invalid_input', params: { field: '?' } });
      await runVerify(req, res, l, m, flow, input.data);
    });
  }

  // an authority sends the browser back here; the method checks its own `state`
  router.get('/interaction/:uid/callback/:id', async (req, res) => {
    const l = await load(req, res);
    if (!l) return;
    const m = pickMethod(req, res, l);
    if (!m) return;
    const input: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.query)) if (typeof v === 'string' && v.length <= 8192) input[k] = v;
    await runVerify(req, res, l, m, 'login', { ...input, step: 'callback' });
  });

  async function unavailable(req: Request, res: Response, l: Loaded, m: LoginMethod, err: unknown): Promise<void> {
    if (!(err instanceof AuthorityUnavailable)) throw err;
    await deps.audit.record({ type: 'authority.unavailable', authority: err.authority, kind: err.kind, method: m.id, clientId: l.client.clientId, source: req.ip });
    renderChooser(res, l, 503, { code: 'method_unavailable' });
  }

  router.post('/interaction/:uid/consent', form, async (req, res) => {
    const l = await load(req, res);
    if (!l) return;
    if (!csrf.valid(l.details.uid, req.body?.csrf)) return fail(res, 403, { code: 'csrf_invalid' });
    const { details } = l;
    const accountId = details.session?.accountId;
    if (details.prompt.name !== 'consent' || !accountId) return fail(res, 400, { code: 'interaction_expired' });
    if (req.body?.decision !== 'allow') {
      await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'the person declined' }, { mergeWithLastSubmission: false });
      return;
    }
    const d = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
    const grant = await openGrant(provider, { accountId, clientId: l.client.clientId, grantId: details.grantId });
    if (d.missingOIDCScope?.length) grant.addOIDCScope(d.missingOIDCScope.join(' '));
    if (d.missingOIDCClaims?.length) grant.addOIDCClaims(d.missingOIDCClaims);
    const scopes = (grant.getOIDCScope() || '').split(' ').filter(Boolean);
    const claims = grant.getOIDCClaims();
    const person = await deps.identity.getPerson(accountId);
    // the consent and its audit event commit together, before the grant that acts on it exists
    await deps.audit.transaction(async (tx) => {
      await deps.identity.saveConsent(accountId, l.client.clientId, scopes, claims, tx);
      if (person) await tx.audit({ type: 'consent.granted', clientId: l.client.clientId, subjectIndex: person.idNumberIndex, scopes, claims, source: req.ip });
    });
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  });

  router.post('/interaction/:uid/abort', form, async (req, res) => {
    const l = await load(req, res);
    if (!l) return;
    if (!csrf.valid(l.details.uid, req.body?.csrf)) return fail(res, 403, { code: 'csrf_invalid' });
    await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'the person cancelled' }, { mergeWithLastSubmission: false });
  });

  return router;
}
