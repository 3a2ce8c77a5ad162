/**
 * What the ephemeral store keeps per person, beside oidc-provider's own keys: the grants and the
 * sessions of an account (so the account page can find them without a scan), and a short
 * summary of the device each session signed in from. Written by the adapter and by the
 * provider's authorization event; each key lives as long as the longest of what it lists.
 */
import type { EphemeralStore } from '../store/ephemeral.ts';

/** members: `<grantId> <clientId>` (grant ids never hold a space) */
export const accountGrantsKey = (accountId: string) => `oidc:ag:${accountId}`;
/** members: session uids (stable while a session's id rotates) */
export const accountSessionsKey = (accountId: string) => `oidc:as:${accountId}`;
export const sessionDeviceKey = (uid: string) => `oidc:dev:${uid}`;

export const grantMember = (grantId: string, clientId: string) => `${grantId} ${clientId}`;

/** The ids of the account's grants to `clientId` that the store has listed (some may be gone). */
export async function listedGrantIds(store: EphemeralStore, accountId: string, clientId: string): Promise<string[]> {
  const members = await store.smembers(accountGrantsKey(accountId));
  return members.flatMap((m) => {
    const at = m.indexOf(' ');
    return at > 0 && m.slice(at + 1) === clientId ? [m.slice(0, at)] : [];
  });
}
