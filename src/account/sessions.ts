/**
 * Where the person is signed in (device, since when, which departments) and signing out
 * everywhere: every session ends as a full logout does, each department is told by
 * back-channel logout, and the audit trail says so.
 */
import type Provider from 'oidc-provider';
import type { AuditLog } from '../audit/index.ts';
import type { Lang } from '../i18n/messages.ts';
import { t } from '../i18n/ui.ts';
import type { EphemeralStore } from '../store/ephemeral.ts';
import { sessionDeviceKey } from '../oidc/account-index.ts';
import { parseDeviceSummary } from '../oidc/device-summary.ts';
import { ACCOUNT_CLIENT_ID } from '../oidc/internal-clients.ts';
import { endSession, sessionsOf } from '../oidc/person-sessions.ts';
import { departmentName } from './consents.ts';

export interface SessionDeps {
  provider: Provider;
  store: EphemeralStore;
  audit: AuditLog;
}

export interface SessionRow {
  device: string;
  since: Date | null;
  departments: string[];
  current: boolean;
}

export async function sessionRows(deps: Pick<SessionDeps, 'provider' | 'store'>, personId: string, currentUid: string, lang: Lang): Promise<SessionRow[]> {
  const sessions = await sessionsOf(deps.provider, deps.store, personId);
  const devices = sessions.length ? await deps.store.mget(sessions.map((s) => sessionDeviceKey(s.uid))) : [];
  return Promise.all(
    sessions.map(async (s, i) => {
      const d = parseDeviceSummary(devices[i] ?? null);
      const known = [d?.browser, d?.os].filter((x): x is string => Boolean(x));
      const clients = Object.keys(s.authorizations ?? {}).filter((id) => id !== ACCOUNT_CLIENT_ID);
      return {
        device: known.length ? known.join(' · ') : t(lang, 'sessionsUnknownDevice'),
        since: s.loginTs ? new Date(s.loginTs * 1000) : null,
        departments: await Promise.all(clients.map((id) => departmentName(deps.provider, id))),
        current: s.uid === currentUid,
      };
    }),
  );
}

/** Ends every session of the person; the audit event is written first, so no ending goes unrecorded. */
export async function signOutEverywhere(deps: SessionDeps, person: { id: string; idNumberIndex: string }, source: string | undefined): Promise<number> {
  const sessions = await sessionsOf(deps.provider, deps.store, person.id);
  const clients = [...new Set(sessions.flatMap((s) => Object.keys(s.authorizations ?? {})))].sort();
  await deps.audit.record({ type: 'sessions.ended', subjectIndex: person.idNumberIndex, sessions: sessions.length, clients, ...(source ? { source } : {}) });
  await Promise.all(sessions.map((s) => endSession(deps.provider, deps.store, s)));
  return sessions.length;
}
