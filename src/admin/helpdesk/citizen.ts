/**
 * The helpdesk's view of one citizen, found by ID number through the blind index. The number
 * is parsed and dropped at once: what travels afterwards (URLs, forms, the API) is a look-up id,
 * a random handle kept 15 minutes in the ephemeral store for the admin who made the audited
 * look-up, so every view and action traces back to a look-up with its reason.
 */
import { randomBytes } from 'node:crypto';
import type Provider from 'oidc-provider';
import type { AuditLog } from '../../audit/index.ts';
import type { IdentityService } from '../../identity/index.ts';
import type { CredentialSummary } from '../../identity/types.ts';
import type { EphemeralStore } from '../../store/ephemeral.ts';
import type { Lang } from '../../i18n/text.ts';
import { AppError } from '../../errors.ts';
import { parseIdNumber } from '../../crypto/id-number.ts';
import { sessionRows, type SessionRow } from '../../account/sessions.ts';
import { currentLocks, type CurrentLock } from './locks.ts';

export interface HelpdeskDeps {
  provider: Provider;
  store: EphemeralStore;
  audit: AuditLog;
  identity: IdentityService;
  /** the method ids the limiter names a person's accounts by (password: the ID number; phone) */
  roles: Partial<Record<'password' | 'phone-otp', string>>;
  limits: { resetAccount(a: { method: string; identifier: string }): Promise<void> };
}

/** Who acts: the admin principal's fields the audit trail needs. */
export interface Actor {
  actorId: string;
  roles: readonly string[];
  address: string;
}

export interface CitizenView {
  lookupId: string;
  /** the surname's first character, the rest hidden: enough to confirm on the phone, no more */
  maskedName: string;
  proofing: string;
  methods: CredentialSummary[];
  locks: CurrentLock[];
  sessions: SessionRow[];
}

const LOOKUP_SECONDS = 15 * 60;
const lookupKey = (id: string) => `admin:hd:${id}`;

export function maskName(name: string): string {
  const chars = [...name];
  return chars.length <= 1 ? '*' : chars[0] + '*'.repeat(chars.length - 1);
}

/** Parses the number, finds the person, audits the look-up; returns the look-up id. */
export async function lookUpCitizen(deps: HelpdeskDeps, actor: Actor, rawIdNumber: string, reason: string): Promise<string> {
  const parsed = parseIdNumber(rawIdNumber);
  if (!parsed.ok) throw new AppError(parsed.code);
  const personId = await deps.identity.findPersonIdByIdNumber(rawIdNumber);
  const person = personId ? await deps.identity.getPerson(personId) : null;
  if (!person) throw new AppError('admin_citizen_not_found');
  await deps.audit.transaction((tx) =>
    tx.audit({ type: 'helpdesk.looked_up', actorId: actor.actorId, roles: actor.roles, reason, subjectIndex: person.idNumberIndex, source: actor.address }),
  );
  const lookupId = randomBytes(18).toString('base64url');
  await deps.store.set(lookupKey(lookupId), JSON.stringify({ personId: person.id, actorId: actor.actorId }), LOOKUP_SECONDS);
  return lookupId;
}

/** The person behind a look-up id made by this admin, or 404 admin_lookup_expired. */
export async function personOfLookup(deps: Pick<HelpdeskDeps, 'store' | 'identity'>, actor: Actor, lookupId: string) {
  const raw = /^[A-Za-z0-9_-]{24}$/.test(lookupId) ? await deps.store.get(lookupKey(lookupId)) : null;
  const held = raw ? (JSON.parse(raw) as { personId: string; actorId: string }) : null;
  // another admin's look-up is not this admin's reason to see the person
  const person = held && held.actorId === actor.actorId ? await deps.identity.getPerson(held.personId) : null;
  if (!person) throw new AppError('admin_lookup_expired');
  return person;
}

export async function citizenView(deps: HelpdeskDeps, actor: Actor, lookupId: string, lang: Lang, now = new Date()): Promise<CitizenView> {
  const person = await personOfLookup(deps, actor, lookupId);
  const [methods, trail, sessions] = await Promise.all([
    deps.identity.listCredentials(person.id),
    deps.audit.listForSubject(person.idNumberIndex, 500),
    sessionRows(deps, person.id, '', lang),
  ]);
  return { lookupId, maskedName: maskName(person.name), proofing: person.proofing, methods, locks: currentLocks(trail, now), sessions };
}
