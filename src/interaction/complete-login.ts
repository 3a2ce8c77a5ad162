/**
 * The one place a verified method outcome becomes a login: identity (resolve, enrol or find the
 * bound account) → level (combined with what this interaction or session already verified) →
 * policy → audit.
 */
import type { Level, LoginMethod, VerifyResult } from '../../providers/kit/index.ts';
import type { IdentityService } from '../identity/index.ts';
import type { AuditLog } from '../audit/index.ts';
import type { EphemeralStore } from '../store/ephemeral.ts';
import { AppError } from '../errors.ts';
import { acrOf, combinedLevel, mergeAmr } from '../policy/levels.ts';
import { saveProgress, clearProgress, type Progress } from './progress.ts';

export type Completion =
  | { kind: 'login'; login: { accountId: string; acr: string; amr: string[]; remember: boolean } }
  | { kind: 'more'; progress: Progress }
  | { kind: 'refused'; reason: 'not_enrolled' | 'not_bound' | 'credential_conflict' };

export interface CompleteDeps {
  identity: IdentityService;
  audit: AuditLog;
  store: EphemeralStore;
  progressTtl: number;
  /** the blind index of an ID number, for audit records about people not (yet) enrolled */
  subjectIndexOf(idNumber: string): string;
}

type Verified = Extract<VerifyResult, { status: 'verified' }>;

async function resolvePerson(
  deps: CompleteDeps,
  method: LoginMethod,
  result: Verified,
  source: string,
): Promise<{ personId: string } | { refused: Extract<Completion, { kind: 'refused' }>['reason'] }> {
  const { identity, audit } = deps;
  const claim = result.claim;
  if (claim.kind === 'credential') {
    await identity.touchCredential(claim.credentialId);
    return { personId: claim.personId };
  }
  if (claim.kind === 'person') {
    return (await identity.getPerson(claim.personId)) ? { personId: claim.personId } : { refused: 'not_enrolled' };
  }
  if (claim.kind === 'external') {
    const cred = await identity.findCredential(claim.method, claim.identifier);
    if (!cred || cred.status !== 'active') return { refused: 'not_bound' };
    await identity.touchCredential(cred.credentialId);
    return { personId: cred.personId };
  }
  if (!result.enrol) {
    const found = await identity.findPersonIdByIdNumber(claim.idNumber);
    return found ? { personId: found } : { refused: 'not_enrolled' };
  }
  const enrolment = result.enrol;
  try {
    // the person, the credentials and their audit events commit together; a credential already
    // bound (every later sign-in with it) is not bound again, so it is not on the record again
    const enrolled = await audit.transaction(async (tx) => {
      const e = await identity.enrol(claim.idNumber, enrolment, tx);
      if (e.created) await tx.audit({ type: 'person.enrolled', method: method.id, subjectIndex: e.idNumberIndex, proofing: enrolment.proofing, source });
      for (const m of e.newCredentials) await tx.audit({ type: 'credential.bound', method: m, subjectIndex: e.idNumberIndex, source });
      return e;
    });
    return { personId: enrolled.personId };
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== 'credential_conflict') throw err;
    // a credential of someone else is never re-bound silently: refused, and on the record
    await audit.record({ type: 'credential.conflict', method: method.id, subjectIndex: deps.subjectIndexOf(claim.idNumber), source });
    return { refused: 'credential_conflict' };
  }
}

export async function completeLogin(
  deps: CompleteDeps,
  o: {
    uid: string;
    method: LoginMethod;
    result: Verified;
    prior: Progress | null;
    requiredLevel: Level;
    clientId: string;
    source: string;
  },
): Promise<Completion> {
  const { result, method } = o;
  const resolved = await resolvePerson(deps, method, result, o.source);
  if ('refused' in resolved) return { kind: 'refused', reason: resolved.refused };
  const { personId } = resolved;
  const person = await deps.identity.getPerson(personId);
  if (!person) return { kind: 'refused', reason: 'not_enrolled' };
  const passwordHash = result.idCardPasswordHash;
  if (passwordHash) {
    await deps.audit.transaction(async (tx) => {
      const b = await deps.identity.bind(personId, { method: 'id-card-password', identifier: person.idNumber, secretHash: passwordHash }, tx);
      await tx.audit({ type: b.created ? 'credential.bound' : 'credential.secret_replaced', method: 'id-card-password', subjectIndex: person.idNumberIndex, source: o.source });
    });
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
  await deps.audit.record({
    type: 'login.succeeded',
    method: methods.join('+'),
    clientId: o.clientId,
    acr,
    amr,
    subjectIndex: person.idNumberIndex,
    evidence: result.evidence,
    source: o.source,
  });
  return { kind: 'login', login: { accountId: personId, acr, amr, remember: true } };
}
