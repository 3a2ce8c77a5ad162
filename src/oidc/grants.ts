/** The one place grants are made: a client's existing grant for an account, or a new one. */
import type Provider from 'oidc-provider';

export type Grant = InstanceType<Provider['Grant']>;

/** The grant `grantId` names when it still exists, otherwise a new, empty one (saved by the caller). */
export async function openGrant(provider: Provider, o: { accountId: string; clientId: string; grantId?: string }): Promise<Grant> {
  const found = o.grantId ? await provider.Grant.find(o.grantId) : undefined;
  return found ?? new provider.Grant({ accountId: o.accountId, clientId: o.clientId });
}
