/**
 * Work the provider's event listeners start that must be done before the response leaves (the
 * account page's record of a sign-in, a proxied session's mark), and what every response of the
 * provider's gets (a store outage's Retry-After), in one koa middleware: each layer is paid by
 * every request, the token endpoint's included, so listeners share this one instead of adding
 * their own.
 */
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { StoreUnavailable } from '../errors.ts';

const PENDING = Symbol('done before the response');
type WithPending = KoaContextWithOIDC & { [PENDING]?: Array<Promise<unknown>> };

/** Has the response wait for `work` (a rejection fails the request, as an error thrown there would). */
export function finishBeforeResponse(ctx: KoaContextWithOIDC, work: Promise<unknown>): void {
  ((ctx as WithPending)[PENDING] ??= []).push(work);
}

export function installBeforeResponse(provider: Provider): void {
  provider.use(async (ctx, next) => {
    await next();
    const pending = (ctx as WithPending)[PENDING];
    if (pending) await Promise.all(pending);
    // a store outage answered by the provider (JSON or our page) tells the caller when to come back
    if (ctx.status === 503) ctx.set('Retry-After', String(StoreUnavailable.retryAfter));
  });
}
