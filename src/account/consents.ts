/**
 * The consent centre: each department the person allowed, what it receives in plain words,
 * since when and when it last signed the person in; and withdrawal, which revokes every grant
 * and token of that department (the ephemeral store and PostgreSQL), records the withdrawal
 * with its audit event, and ends the department's sessions by back-channel logout.
 */
import type Provider from 'oidc-provider';
import type { AuditLog } from '../audit/index.ts';
import type { ConsentRecord, IdentityService } from '../identity/index.ts';
import type { Lang } from '../i18n/messages.ts';
import { isTextKey, t, type TextKey } from '../i18n/ui.ts';
import type { EphemeralStore } from '../store/ephemeral.ts';
import type { DurableGrants } from '../oidc/durable-grants.ts';
import { SCOPE_CLAIMS } from '../oidc/provider.ts';
import { endDepartmentSessions, revokeDepartmentGrants, sessionsOf } from '../oidc/person-sessions.ts';

export interface ConsentDeps {
  provider: Provider;
  store: EphemeralStore;
  durable: Pick<DurableGrants, 'grantIdsFor'>;
  identity: IdentityService;
  audit: AuditLog;
}

export interface ConsentRow {
  clientId: string;
  name: string;
  receives: string[];
  since: Date;
  lastUsed: Date | null;
}

// what every sign-in carries about the sign-in itself: one line, not three claim names
const ABOUT_SIGN_IN = new Set(['acr', 'amr', 'auth_time']);

/** What a consent releases, each item in the catalogue's plain words; protocol-only claims (sid) are not shown. */
export function receives(c: Pick<ConsentRecord, 'scopes' | 'claims'>, lang: Lang): string[] {
  const names = [
    ...c.scopes.flatMap((s) => (s === 'offline_access' ? [s] : [...((SCOPE_CLAIMS as Record<string, readonly string[]>)[s] ?? [])])),
    ...c.claims,
  ];
  const keys = new Set<TextKey>();
  for (const n of names) {
    const key = ABOUT_SIGN_IN.has(n) ? 'claimSignIn' : `claim_${n}`;
    if (isTextKey(key)) keys.add(key);
  }
  return [...keys].map((k) => t(lang, k));
}

export async function departmentName(provider: Provider, clientId: string): Promise<string> {
  return (await provider.Client.find(clientId))?.clientName ?? clientId;
}

/** The consents in force, newest first. */
export async function consentRows(deps: Pick<ConsentDeps, 'provider' | 'identity'>, personId: string, lang: Lang): Promise<ConsentRow[]> {
  const all = await deps.identity.listConsents(personId);
  return Promise.all(
    all
      .filter((c) => c.withdrawnAt === null)
      .map(async (c) => ({
        clientId: c.clientId,
        name: await departmentName(deps.provider, c.clientId),
        receives: receives(c, lang),
        since: c.grantedAt,
        lastUsed: c.lastUsedAt,
      })),
  );
}

/**
 * Withdraws the person's consent to `clientId`; false when none is in force. Tokens go first
 * (each grant's tombstone before its tokens, so a refresh at the same moment issues nothing that
 * lasts), then the consent and its audit event in one transaction, then the department's sessions.
 */
export async function withdraw(deps: ConsentDeps, personId: string, clientId: string, source: string | undefined): Promise<boolean> {
  const person = await deps.identity.getPerson(personId);
  if (!person || !(await deps.identity.getConsent(personId, clientId))) return false;
  const sessions = await sessionsOf(deps.provider, deps.store, personId);
  await revokeDepartmentGrants(deps, sessions, personId, clientId);
  await deps.audit.transaction(async (tx) => {
    if (await deps.identity.withdrawConsent(personId, clientId, tx)) {
      await tx.audit({ type: 'consent.withdrawn', clientId, subjectIndex: person.idNumberIndex, ...(source ? { source } : {}) });
    }
  });
  await endDepartmentSessions(deps.provider, sessions, personId, clientId);
  return true;
}
