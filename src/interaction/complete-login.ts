/**
 * The one place a verified outcome becomes a login or a binding, whoever verified it (a login
 * method on the login pages, staff in person for a kiosk, a method run from the account page):
 * identity (resolve, enrol or find the bound account) → level (combined with what this
 * interaction or session already verified) → the policy table → audit.
 */
import type { Level, VerifyResult } from '../../providers/kit/index.ts';
import type { IdentityService, Person } from '../identity/index.ts';
import type { AuditInput, AuditLog } from '../audit/index.ts';
import type { EphemeralStore } from '../store/ephemeral.ts';
import type { MessageKey } from '../i18n/messages.ts';
import { AppError } from '../errors.ts';
import { acrOf, combinedLevel, decide, levelOf, mergeAmr, type ClientRule, type PolicySource } from '../policy/index.ts';
import { countSignIn } from '../metrics/index.ts';
import { saveProgress, clearProgress, type Progress } from './progress.ts';

export type Completion =
  | { kind: 'login'; login: { accountId: string; acr: string; amr: string[]; remember: boolean } }
  | { kind: 'more'; progress: Progress }
  | { kind: 'bound' }
  | { kind: 'refused'; reason: MessageKey };

/** What the verified outcome is for. */
export type Intent =
  /** a sign-in on the login pages, perhaps after an earlier method of the same interaction */
  | { kind: 'login'; uid: string; prior: Progress | null; requiredLevel: Level; client: ClientRule }
  /** a sign-in staff made for a citizen they verified in person: `event` is its record instead of login.succeeded */
  | { kind: 'assisted'; requiredLevel: Level; client: ClientRule; event: AuditInput }
  /** an account that carries no ID number, attached to the signed-in person from the account page */
  | { kind: 'bind'; personId: string };

export interface CompleteDeps {
  identity: IdentityService;
  audit: AuditLog;
  store: EphemeralStore;
  policy: PolicySource;
  progressTtl: number;
  /** the blind index of an ID number, for audit records about people not (yet) enrolled */
  subjectIndexOf(idNumber: string): string;
}

export type Verified = Extract<VerifyResult, { status: 'verified' }>;

async function resolvePerson(deps: CompleteDeps, methodId: string, result: Verified, source: string): Promise<{ personId: string; person?: Person } | { refused: MessageKey }> {
  const { identity, audit } = deps;
  const claim = result.claim;
  if (claim.kind === 'credential') {
    await identity.touchCredential(claim.credentialId);
    return { personId: claim.personId };
  }
  if (claim.kind === 'person') {
    const person = await identity.getPerson(claim.personId);
    return person ? { personId: claim.personId, person } : { refused: 'not_enrolled' };
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
      if (e.created) await tx.audit({ type: 'person.enrolled', method: methodId, subjectIndex: e.idNumberIndex, proofing: enrolment.proofing, source });
      for (const m of e.newCredentials) await tx.audit({ type: 'credential.bound', method: m, subjectIndex: e.idNumberIndex, source });
      return e;
    });
    return { personId: enrolled.personId };
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== 'credential_conflict') throw err;
    // a credential of someone else is never re-bound silently: refused, and on the record
    await audit.record({ type: 'credential.conflict', method: methodId, subjectIndex: deps.subjectIndexOf(claim.idNumber), source });
    return { refused: 'credential_conflict' };
  }
}

/** Binds an `external` account to the signed-in person; binding again what is already theirs records nothing. */
async function bind(deps: CompleteDeps, methodId: string, result: Verified, personId: string, source: string | undefined): Promise<Completion> {
  if (!decide('method-bindable', deps.policy.data(), { method: methodId }).ok || result.claim.kind !== 'external') return { kind: 'refused', reason: 'account_bind_failed' };
  const claim = result.claim;
  const person = await deps.identity.getPerson(personId);
  if (!person) return { kind: 'refused', reason: 'not_enrolled' };
  try {
    await deps.audit.transaction(async (tx) => {
      const b = await deps.identity.bind(personId, { method: claim.method, identifier: claim.identifier }, tx);
      if (b.created) await tx.audit({ type: 'credential.bound', method: methodId, subjectIndex: person.idNumberIndex, source });
    });
    return { kind: 'bound' };
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== 'credential_conflict') throw err;
    // bound to someone else: never re-bound silently
    await deps.audit.record({ type: 'credential.conflict', method: methodId, subjectIndex: person.idNumberIndex, source });
    return { kind: 'refused', reason: 'credential_conflict' };
  }
}

export async function completeVerified(deps: CompleteDeps, o: { intent: Intent; methodId: string; result: Verified; source: string }): Promise<Completion> {
  const { intent } = o;
  if (intent.kind === 'bind') return bind(deps, o.methodId, o.result, intent.personId, o.source);
  const done = await completeSignIn(deps, { ...o, intent });
  // a sign-in's end, for the metrics: the level reached, or the method's own when refused
  if (done.kind === 'login') countSignIn(o.methodId, levelOf(done.login.acr), 'success');
  else if (done.kind === 'more') countSignIn(o.methodId, done.progress.level, 'more_needed');
  else countSignIn(o.methodId, o.result.level, 'failure');
  return done;
}

async function completeSignIn(deps: CompleteDeps, o: { intent: Exclude<Intent, { kind: 'bind' }>; methodId: string; result: Verified; source: string }): Promise<Completion> {
  const { result, methodId, intent } = o;
  const data = deps.policy.data();
  if (intent.kind === 'assisted' && !decide('kiosk-client', data, { client: intent.client }).ok) return { kind: 'refused', reason: 'counter_not_kiosk' };

  const resolved = await resolvePerson(deps, methodId, result, o.source);
  if ('refused' in resolved) return { kind: 'refused', reason: resolved.refused };
  const { personId } = resolved;
  // a credential's look-up read the person a moment ago (recentPerson); a change since through
  // this process is read again
  const person = resolved.person ?? (await deps.identity.recentPerson(personId));
  if (!person) return { kind: 'refused', reason: 'not_enrolled' };
  const credentials = result.credentials ?? [];
  if (credentials.length) {
    await deps.audit.transaction(async (tx) => {
      for (const c of credentials) {
        const b = await deps.identity.bind(personId, { method: c.method, identifier: c.identifier ?? person.idNumber, secretHash: c.secretHash }, tx);
        await tx.audit({ type: b.created ? 'credential.bound' : 'credential.secret_replaced', method: c.method, subjectIndex: person.idNumberIndex, source: o.source });
      }
    });
  }

  // a second verification counts only for the same person
  const prior = intent.kind === 'login' ? intent.prior : null;
  const same = prior?.personId === personId ? prior : null;
  const amr = same ? mergeAmr(same.amr, result.amr, data.factors) : [...result.amr];
  const level = combinedLevel(Math.max(result.level, same?.level ?? 0) as Level, amr, data.factors);
  const methods = [...new Set([...(same?.methods ?? []), methodId])];

  const reached = decide('step-up', data, { level, required: intent.requiredLevel }).ok && decide('client-minimum-level', data, { level, client: intent.client }).ok;
  if (intent.kind === 'assisted') {
    if (!reached) return { kind: 'refused', reason: 'level_insufficient' };
    // on the record before the sign-in takes effect: if the record cannot be written, it does not
    await deps.audit.transaction((tx) => tx.audit(intent.event));
    return { kind: 'login', login: { accountId: personId, acr: acrOf(level), amr, remember: false } };
  }
  if (!reached) {
    const progress = { personId, level, amr, methods };
    await saveProgress(deps.store, intent.uid, progress, deps.progressTtl);
    return { kind: 'more', progress };
  }
  // progress kept in the store is spent now; without any there is no key to delete
  if (intent.prior) await clearProgress(deps.store, intent.uid);
  const acr = acrOf(level);
  await deps.audit.record({
    type: 'login.succeeded',
    method: methods.join('+'),
    clientId: intent.client.clientId,
    acr,
    amr,
    subjectIndex: person.idNumberIndex,
    evidence: result.evidence,
    source: o.source,
  });
  return { kind: 'login', login: { accountId: personId, acr, amr, remember: true } };
}
