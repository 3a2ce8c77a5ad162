/**
 * What the provider's events tell the metrics: token-endpoint grants by type and outcome, and
 * back-channel logout notices delivered or not (from end_session and from the account page,
 * which emits the same events).
 */
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { countBackchannelLogout, countTokenGrant } from '../metrics/index.ts';

type Listen = (event: string, listener: (ctx: KoaContextWithOIDC | undefined) => void) => unknown;

export function countProviderEvents(provider: Provider): void {
  // the typings list these events one overload each; every one passes the context first
  const on = provider.on.bind(provider) as Listen;
  const grantType = (ctx: KoaContextWithOIDC | undefined) => (ctx?.oidc?.params as { grant_type?: unknown } | undefined)?.grant_type;
  on('grant.success', (ctx) => countTokenGrant(grantType(ctx), 'issued'));
  on('grant.error', (ctx) => countTokenGrant(grantType(ctx), 'refused'));
  on('backchannel.success', () => countBackchannelLogout('delivered'));
  on('backchannel.error', () => countBackchannelLogout('failed'));
}
