/** The `act` claim of a grant a member of counter staff approved for a citizen (an assisted sign-in). */
import type { EphemeralStore } from '../store/ephemeral.ts';

/** `act` claims of assisted grants, looked up when tokens of the grant are issued. */
export const actKey = (grantId: string) => `act:${grantId}`;

export type ActClaim = { sub: string; centre: string; name: string };

export async function actFor(store: EphemeralStore, grantId: string | undefined): Promise<ActClaim | undefined> {
  if (!grantId) return undefined;
  const raw = await store.get(actKey(grantId));
  return raw ? (JSON.parse(raw) as ActClaim) : undefined;
}
