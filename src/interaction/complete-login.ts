/**
 * The one place a verified method outcome becomes a login: identity (resolve or enrol) →
 * level (combined with what this interaction or session already verified) → policy → audit.
 */
import type { LoginMethod, VerifyResult } from '../../providers/kit/index.ts';
import type { IdentityService } from '../identity/index.ts';
import type { AuditLog } from '../audit/index.ts';
import type { EphemeralStore } from '../store/ephemeral.ts';
import { acrOf, combinedLevel, mergeAmr } from '../policy/levels.ts';
import type { Level } from '../../providers/kit/index.ts';
import { saveProgress, clearProgress, type Progress } from './progress.ts';

export type Completion =
  | { kind: 'login'; login: { accountId: string; acr: string; amr: string[]; remember: boolean } }
  | { kind: 'more'; progress: Progress }
  | { kind: 'refused'; reason: 'not_enrolled' };

export interface CompleteDeps {
  identity: IdentityService;
  audit: AuditLog;
  store: EphemeralStore;
  progressTtl: number;
}

export async function completeLogin(
  deps: CompleteDeps,
  o: {
    uid: string;
    method: LoginMethod;
    result: Extract<VerifyResult, { status: 'verified' }>;
    prior: Progress | null;
    requiredLevel: Level;
    clientId: string;
    source: string;
  },
): Promise<Completion> {
  const { identity, audit } = deps;
  const { result, method } = o;

  let personId: string;
  if (result.claim.kind === 'credential') {
    personId = result.claim.personId;
    await identity.touchCredential(result.claim.credentialId);
  } else if (result.enrol) {
    const enrolled = await identity.enrol(result.claim.idNumber, result.enrol);
    personId = enrolled.personId;
  } else {
    const found = await identity.findPersonIdByIdNumber(result.claim.idNumber);
    if (!found) return { kind: 'refused', reason: 'not_enrolled' };
    personId = found;
  }

  const person = await identity.getPerson(personId);
  if (!person) return { kind: 'refused', reason: 'not_enrolled' };
  if (result.enrol) {
    await audit.record({ type: 'person.enrolled', method: method.id, subjectIndex: person.idNumberIndex, proofing: result.enrol.proofing, source: o.source });
    for (const c of result.enrol.credentials) {
      await audit.record({ type: 'credential.bound', method: c.method, subjectIndex: person.idNumberIndex, source: o.source });
    }
  }

  // a second verification counts only for the same person
  const same = o.prior?.personId === personId ? o.prior : null;
  const amr = same ? mergeAmr(same.amr, result.amr) : [...result.amr];
  const level = combinedLevel(Math.max(result.level, same?.level ?? 0) as Level, amr);
  const methods = [...new Set([...(same?.methods ?? []), method.id])];

  if (level < o.requiredLevel) {
    const progress = { personId, level, amr, methods };
    await saveProgress(deps.store, o.uid, progress, deps.progressTtl);
    return { kind: 'more', progress };
  }
  await clearProgress(deps.store, o.uid);
  const acr = acrOf(level);
  await audit.record({
    type: 'login.succeeded',
    method: methods.join('+'),
    clientId: o.clientId,
    acr,
    amr,
    subjectIndex: person.idNumberIndex,
    source: o.source,
  });
  return { kind: 'login', login: { accountId: personId, acr, amr, remember: true } };
}
