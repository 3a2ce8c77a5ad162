/** The `sub` a department sees for a person: pairwise per sector, or the account id where an admin granted the public one. */
import { createHmac } from 'node:crypto';

export function pairwiseSub(salt: string | Buffer, sectorIdentifier: unknown, accountId: string): string {
  return createHmac('sha256', salt).update(`${String(sectorIdentifier)}\0${accountId}`).digest('base64url');
}

export function subjectFor(salt: string | Buffer, client: { subjectType?: unknown; sectorIdentifier?: unknown }, accountId: string): string {
  return client.subjectType === 'public' ? accountId : pairwiseSub(salt, client.sectorIdentifier, accountId);
}
