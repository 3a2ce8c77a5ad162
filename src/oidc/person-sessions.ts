/**
 * A person's sessions and how they end, for the account page: where the person is signed in,
 * sign out everywhere, and one department's part ended when its consent is withdrawn. Each end
 * tells the department by back-channel logout as oidc-provider's end_session does, and grants
 * are revoked through the models' revokeByGrantId, as its revoke helper does (the adapter
 * writes the grant's tombstone first, so a token issued under it at the same moment dies too).
 */
import type Provider from 'oidc-provider';
import type { EphemeralStore } from '../store/ephemeral.ts';
import type { DurableGrants } from './durable-grants.ts';
import { accountSessionsKey, listedGrantIds, sessionDeviceKey } from './account-index.ts';

export type Session = InstanceType<Provider['Session']>;
type Client = InstanceType<Provider['Client']>;
type LogoutCapable = Client & { backchannelLogout(sub: string, sid: string | undefined): Promise<void> };

/** The person's live sessions, oldest sign-in first. */
export async function sessionsOf(provider: Provider, store: EphemeralStore, accountId: string): Promise<Session[]> {
  const uids = await store.smembers(accountSessionsKey(accountId));
  const found = await Promise.all(uids.map((uid) => provider.Session.findByUid(uid)));
  return found
    .filter((s): s is Session => s !== undefined && s.accountId === accountId)
    .sort((a, b) => (a.loginTs ?? 0) - (b.loginTs ?? 0));
}

/** Every token of the grant and the grant itself. */
export async function revokeGrant(provider: Provider, grantId: string): Promise<void> {
  const models = [provider.AccessToken, provider.RefreshToken, provider.AuthorizationCode, provider.DeviceCode, provider.BackchannelAuthenticationRequest];
  await Promise.all([...models.map((m) => m.revokeByGrantId(grantId)), provider.Grant.adapter.destroy(grantId)]);
}

/** Sends one logout token; a failure is reported (logged and audited) like the provider's own. */
async function tell(provider: Provider, client: Client, accountId: string, sid: string | undefined): Promise<void> {
  try {
    await (client as LogoutCapable).backchannelLogout(accountId, sid);
    provider.emit('backchannel.success', undefined, client, accountId, sid);
  } catch (err) {
    provider.emit('backchannel.error', undefined, err, client, accountId, sid);
  }
}

/**
 * Every grant of the account to `clientId`, wherever it is held: listed in the store, kept in
 * PostgreSQL for offline access, or named by a session. Returns how many were revoked.
 */
export async function revokeDepartmentGrants(
  o: { provider: Provider; store: EphemeralStore; durable: Pick<DurableGrants, 'grantIdsFor'> },
  sessions: readonly Session[],
  accountId: string,
  clientId: string,
): Promise<number> {
  const [listed, durable] = await Promise.all([listedGrantIds(o.store, accountId, clientId), o.durable.grantIdsFor(accountId, clientId)]);
  const named = sessions.map((s) => s.authorizations?.[clientId]?.grantId).filter((g): g is string => typeof g === 'string');
  const ids = new Set([...listed, ...durable, ...named]);
  await Promise.all([...ids].map((id) => revokeGrant(o.provider, id)));
  return ids.size;
}

/**
 * Ends the department's part of the person's sessions: a logout token per session (or one
 * naming only the person, when the department does not ask for a session id, which ends all
 * of the person's sessions there), and the session forgets the department, so it gets a new
 * sid and asks for consent again.
 */
export async function endDepartmentSessions(provider: Provider, sessions: readonly Session[], accountId: string, clientId: string): Promise<void> {
  const holding = sessions.filter((s) => s.authorizations?.[clientId]);
  const client = await provider.Client.find(clientId);
  if (client?.backchannelLogoutUri) {
    const sids = client.backchannelLogoutSessionRequired ? holding.map((s) => s.sidFor(clientId)) : [undefined];
    await Promise.all(sids.map((sid) => tell(provider, client, accountId, sid)));
  }
  for (const s of holding) {
    // read again just before the write: a session that ended meanwhile must not be saved back
    const fresh = await provider.Session.findByUid(s.uid);
    if (!fresh?.authorizations?.[clientId]) continue;
    delete fresh.authorizations[clientId];
    await fresh.persist();
  }
}

/** Ends one session as a full logout does: every department told, grants that do not outlive logout revoked. */
export async function endSession(provider: Provider, store: EphemeralStore, session: Session): Promise<string[]> {
  const accountId = session.accountId!;
  const clientIds = Object.keys(session.authorizations ?? {});
  await Promise.all(
    clientIds.map(async (clientId) => {
      const client = await provider.Client.find(clientId);
      if (client?.backchannelLogoutUri) await tell(provider, client, accountId, session.sidFor(clientId));
      const { grantId, persistsLogout } = session.authorizations![clientId]!;
      if (grantId && !persistsLogout) await revokeGrant(provider, grantId);
    }),
  );
  await session.destroy();
  await store.del([sessionDeviceKey(session.uid)]);
  return clientIds;
}
