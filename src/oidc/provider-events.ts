/**
 * What the provider reports about failures: every unexpected error logged once with the request
 * id (`server_error`, and koa's own error event for anything that escapes the provider's
 * handlers), store outages logged and answered 503 with Retry-After, refused protocol requests
 * logged quietly, and failed back-channel logout deliveries logged and audited (the 503's
 * Retry-After is set in before-response.ts).
 */
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { StoreUnavailable } from '../errors.ts';
import { logOf } from '../log.ts';
import type { AuditLog } from '../audit/index.ts';
import type { IdentityService } from '../identity/index.ts';
import { countProviderEvents } from './provider-metrics.ts';

// the provider's per-endpoint error events: they carry errors it may show (4xx, and our 503)
const PROTOCOL_ERROR_EVENTS = [
  'authorization.error',
  'grant.error',
  'userinfo.error',
  'introspection.error',
  'revocation.error',
  'end_session.error',
  'end_session_confirm.error',
  'end_session_success.error',
  'device_authorization.error',
  'code_verification.error',
  'device_resume.error',
  'pushed_authorization_request.error',
  'backchannel_authentication.error',
  'discovery.error',
  'jwks.error',
] as const;

type ErrorLike = Error & { status?: number; statusCode?: number; expose?: boolean };

function place(ctx: KoaContextWithOIDC | undefined) {
  return { route: ctx?.oidc?.route, method: ctx?.method, path: ctx?.path, clientId: ctx?.oidc?.client?.clientId };
}

function logFailure(ctx: KoaContextWithOIDC | undefined, err: ErrorLike, event: string): void {
  const log = logOf(ctx?.req);
  if (err instanceof StoreUnavailable) {
    log.warn({ event, store: err.store, err: err.cause, ...place(ctx) }, 'store unavailable');
    return;
  }
  const status = err.statusCode ?? err.status ?? 500;
  if (status >= 500 || !err.expose) {
    log.error({ event, err, ...place(ctx) }, 'unexpected error');
    return;
  }
  // a client's or person's mistake (invalid_grant, login_required…): the code, never its detail
  log.debug({ event, error: err.message, status, ...place(ctx) }, 'protocol request refused');
}

export function watchProviderFailures(provider: Provider, deps: { audit: AuditLog; identity: IdentityService }): void {
  // the same events, counted (grants, back-channel deliveries)
  countProviderEvents(provider);
  provider.on('server_error', (ctx: KoaContextWithOIDC, err: ErrorLike) => logFailure(ctx, err, 'server_error'));
  // the typings list these events one overload each; they all pass (ctx, error)
  const on = provider.on.bind(provider) as (event: string, listener: (ctx: KoaContextWithOIDC, err: ErrorLike) => void) => unknown;
  for (const event of PROTOCOL_ERROR_EVENTS) on(event, (ctx, err) => logFailure(ctx, err, event));
  // an error escaping every handler of the provider (a koa app: it would print it to stderr)
  (provider as unknown as { on(e: 'error', l: (err: ErrorLike, ctx?: KoaContextWithOIDC) => void): void }).on('error', (err, ctx) => {
    if (err.expose && (err.status ?? 500) < 500) return;
    logFailure(ctx, err, 'koa.error');
  });

  provider.on('backchannel.error', (ctx: KoaContextWithOIDC, err: Error, client: { clientId: string }, accountId: string) => {
    logOf(ctx?.req).warn({ event: 'backchannel.error', clientId: client.clientId, err }, 'back-channel logout not delivered');
    void deps.identity
      .getPerson(accountId)
      .then((p) => deps.audit.record({ type: 'logout.backchannel_failed', clientId: client.clientId, ...(p ? { subjectIndex: p.idNumberIndex } : {}) }))
      .catch((auditErr: unknown) => logOf(ctx?.req).error({ err: auditErr, clientId: client.clientId }, 'back-channel logout failure not audited'));
  });
}
