/**
 * Locks on a person's sign-in, and their end, written to the audit log under the person's
 * blind index, so the person sees them in "my activity". The account is found by the method's
 * credential; a method whose identifier is the ID number itself (a card check, face) needs none.
 */
import type { Account, CredentialLookup } from '../../providers/kit/index.ts';
import type { AuditLog } from '../audit/index.ts';
import type { IdentityService } from '../identity/index.ts';
import { parseIdNumber } from '../crypto/id-number.ts';
import type { LockEvents } from './rate-limit.ts';

export function lockAudit(deps: {
  identity: IdentityService;
  credentials: CredentialLookup;
  audit: AuditLog;
  subjectIndexOf(idNumber: string): string;
}): LockEvents {
  async function subjectOf(a: Account): Promise<string | undefined> {
    const cred = await deps.credentials.find(a.method, a.identifier);
    if (cred) return (await deps.identity.getPerson(cred.personId))?.idNumberIndex;
    return parseIdNumber(a.identifier).ok ? deps.subjectIndexOf(a.identifier) : undefined;
  }
  // a method may name a sub-check after a colon (a card method's "<id>:verify4"): the audit names the method
  const methodOf = (a: Account) => a.method.split(':')[0]!;
  return {
    async locked(a, scope, seconds) {
      const subjectIndex = await subjectOf(a);
      if (subjectIndex) await deps.audit.record({ type: 'login.locked', method: methodOf(a), scope, seconds, subjectIndex });
    },
    async lifted(a) {
      const subjectIndex = await subjectOf(a);
      if (subjectIndex) await deps.audit.record({ type: 'login.unlocked', method: methodOf(a), subjectIndex });
    },
  };
}
