/**
 * What the helpdesk does for a citizen: lift every sign-in lock, or end every session. Each is
 * audited with the admin, roles and reason under the citizen's blind index (so the citizen sees
 * it in "my activity") before it is carried out, so no action goes unrecorded.
 */
import { endSession, sessionsOf } from '../../oidc/person-sessions.ts';
import { personOfLookup, type Actor, type HelpdeskDeps } from './citizen.ts';

/**
 * The limiter names an account by method and identifier; of a person's identifiers the service
 * holds the ID number and the phone in a readable form: the password method's account, every
 * method keyed on the ID number itself (card checks, face) and the phone method's are lifted.
 */
export async function liftLockouts(deps: HelpdeskDeps, actor: Actor, lookupId: string, reason: string): Promise<string[]> {
  const person = await personOfLookup(deps, actor, lookupId);
  const methods = [...new Set((await deps.identity.listCredentials(person.id)).map((c) => c.method))];
  if (deps.roles.password && !methods.includes(deps.roles.password)) methods.push(deps.roles.password);
  await deps.audit.transaction((tx) =>
    tx.audit({ type: 'helpdesk.lockout_lifted', actorId: actor.actorId, roles: actor.roles, reason, subjectIndex: person.idNumberIndex, methods, source: actor.address }),
  );
  const accounts = methods.map((method) => ({ method, identifier: person.idNumber }));
  const phoneMethod = deps.roles['phone-otp'];
  if (phoneMethod && person.phone) accounts.push({ method: phoneMethod, identifier: person.phone });
  await Promise.all(accounts.map((a) => deps.limits.resetAccount(a)));
  return methods;
}

/** Every session ends as a full logout does: each department told by back-channel logout. */
export async function endAllSessions(deps: HelpdeskDeps, actor: Actor, lookupId: string, reason: string): Promise<{ sessions: number; clients: string[] }> {
  const person = await personOfLookup(deps, actor, lookupId);
  const sessions = await sessionsOf(deps.provider, deps.store, person.id);
  const clients = [...new Set(sessions.flatMap((s) => Object.keys(s.authorizations ?? {})))].sort();
  await deps.audit.transaction((tx) =>
    tx.audit({
      type: 'helpdesk.sessions_ended',
      actorId: actor.actorId,
      roles: actor.roles,
      reason,
      subjectIndex: person.idNumberIndex,
      sessions: sessions.length,
      clients,
      source: actor.address,
    }),
  );
  await Promise.all(sessions.map((s) => endSession(deps.provider, deps.store, s)));
  return { sessions: sessions.length, clients };
}
