/** The answers several steps give: an error page, the chooser (with what the policy offers), a refusal on the record. */
import type { Response } from 'express';
import type { LoginMethod } from '../../providers/kit/index.ts';
import { statusOf, type Lang, type MessageKey } from '../i18n/messages.ts';
import { offeredMethods } from '../policy/index.ts';
import { errorPage, type Problem } from './views.ts';
import { chooserPage } from './chooser-view.ts';
import { methodContext } from './method-context.ts';
import { deviceOf } from './device-cookie.ts';
import { need, type Exchange, type Flow, type Loaded } from './exchange.ts';
import { countSignIn } from '../metrics/index.ts';
import { elderOf } from '../web/elder.ts';

export const langOf = (res: Response): Lang => res.locals.lang as Lang;

/** An error page with the status the catalogue fixes for its code (and, once the interaction is known, a way back into it). */
export function fail(x: Exchange, p: Problem, retryAfter?: number): 'done' {
  const { res } = x;
  if (retryAfter) res.setHeader('Retry-After', String(retryAfter));
  res.status(statusOf(p.code)).type('html').send(errorPage(langOf(res), elderOf(res), res.req.originalUrl, p, x.loaded?.page));
  return 'done';
}

/** Methods this client accepts that can still bring the session to the level asked (the policy table decides). */
export function offered(x: Exchange, l: Loaded): LoginMethod[] {
  const ids = offeredMethods(x.deps.complete.policy.data(), { client: l.rule, atKiosk: l.page.kiosk, required: l.required, prior: l.prior });
  return ids.map((id) => x.deps.methods.get(id)).filter((m): m is LoginMethod => m !== undefined);
}

/** The chooser; with a problem, answered with the status the catalogue fixes for its code. */
export function renderChooser(x: Exchange, l: Loaded = need(x.loaded, 'the interaction'), problem?: Problem): 'done' {
  const status = problem ? statusOf(problem.code) : 200;
  const list = offered(x, l);
  const stepUp = l.details.prompt.reasons.includes('acr_step_up');
  x.res.status(status).type('html').send(
    chooserPage(l.page, {
      methods: list,
      enrolable: list.filter((m) => m.flows.enrol && !l.prior),
      requiredLevel: l.required,
      stepUp,
      partial: Boolean(l.prior) && !stepUp,
      problem,
    }),
  );
  return 'done';
}

/** The method's context for this request. */
export function contextOf(x: Exchange, m: LoginMethod, flow: Flow = x.flow) {
  const l = need(x.loaded, 'the interaction');
  return methodContext(x.deps.services, {
    interactionId: l.details.uid,
    methodId: m.id,
    flow,
    sourceIp: x.req.ip ?? 'unknown',
    lang: langOf(x.res),
    deviceId: deviceOf(x.req, x.res),
  });
}

/** A refused attempt in the audit trail: a rate limit counted per window by the scope it hit, anything else as a failure. */
export function auditRefusal(x: Exchange, reason: MessageKey, scope: string, identifierIndex?: string): Promise<void> {
  const l = need(x.loaded, 'the interaction');
  const m = need(x.method, 'the method');
  const { req, deps } = x;
  countSignIn(m.id, m.level, reason === 'rate_limited' ? 'rate_limited' : 'failure');
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
