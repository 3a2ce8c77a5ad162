/**
 * "My activity": every sign-in (method, department, time) and every counter action on the
 * person's identity (centre, staff display name, action, time), and the person's own consents,
 * withdrawals, signing out everywhere and downloads, and family proxy (set up, accepted, ended,
 * each sign-in on someone's behalf, whichever side the person is on), newest first, from the audit log.
 */
import type Provider from 'oidc-provider';
import type { LoginMethod } from '../../providers/kit/index.ts';
import type { AuditLog, AuditRecord } from '../audit/index.ts';
import type { StaffDirectory } from '../counter/staff-directory.ts';
import type { Lang } from '../i18n/text.ts';
import { t, type UiKey } from '../i18n/ui.ts';
import { methodName } from './method-name.ts';

export interface ActivityItem {
  at: Date;
  what: string;
  where: string;
}

// the counter events a person sees, each with its line in the catalogue
const COUNTER: Readonly<Record<string, UiKey>> = {
  'counter.verified_in_person': 'activity_counter.verified_in_person',
  'counter.code_issued': 'activity_counter.code_issued',
  'counter.kiosk_approved': 'activity_counter.kiosk_approved',
  'counter.request_created': 'activity_counter.request_created',
  'counter.request_approved': 'activity_counter.request_approved',
  'counter.request_refused': 'activity_counter.request_refused',
  'counter.lockout_lifted': 'activity_counter.lockout_lifted',
  'counter.refused': 'activity_counter.refused',
};
// the person's own controls on the account page and their consents, each with its line
const OWN: Readonly<Record<string, UiKey>> = {
  'consent.granted': 'activityConsentGranted',
  'consent.withdrawn': 'activityConsentWithdrawn',
  'sessions.ended': 'activitySessionsEnded',
  'credential.secret_replaced': 'activityPasswordChanged',
  'data.exported': 'activityDataExported',
  // the helpdesk's look-ups and actions on the person's account (src/admin/helpdesk)
  'helpdesk.looked_up': 'activityHelpdeskLookedUp',
  'helpdesk.lockout_lifted': 'activityHelpdeskLifted',
  'helpdesk.sessions_ended': 'activityHelpdeskEnded',
};
// family proxy: each event has a row for the citizen and one for the helper, each with its line
const PROXY: Readonly<Record<string, Readonly<Record<'citizen' | 'helper', UiKey>>>> = {
  'proxy.requested': { citizen: 'activityProxyRequestedCitizen', helper: 'activityProxyRequestedHelper' },
  'proxy.accepted': { citizen: 'activityProxyAcceptedCitizen', helper: 'activityProxyAcceptedHelper' },
  'proxy.revoked': { citizen: 'activityProxyRevokedCitizen', helper: 'activityProxyRevokedHelper' },
  'proxy.signed_in': { citizen: 'activityProxySignedInCitizen', helper: 'activityProxySignedInHelper' },
};
const KIND: Readonly<Record<string, UiKey>> = { rebind_phone: 'request_rebind_phone', reset_password: 'request_reset_password' };

export async function activityOf(
  deps: { audit: AuditLog; staff: StaffDirectory; provider: Provider; methods: ReadonlyMap<string, LoginMethod> },
  subjectIndex: string,
  lang: Lang,
): Promise<ActivityItem[]> {
  const records = (await deps.audit.listForSubject(subjectIndex, 100)).filter(
    (r) => r.type === 'login.succeeded' || r.type === 'login.locked' || r.type === 'login.unlocked' || r.type in COUNTER || r.type in OWN || r.type in PROXY,
  );
  const staffIds = [...new Set(records.map((r) => r.data.staffId).filter((x): x is string => typeof x === 'string'))];
  const staff = await deps.staff.describe(staffIds);
  const clientNames = new Map<string, string>();
  for (const id of new Set(records.map((r) => r.clientId).filter((x): x is string => Boolean(x)))) {
    const c = await deps.provider.Client.find(id);
    clientNames.set(id, c?.clientName ?? id);
  }
  return records.map((r) => {
    if (r.type === 'login.succeeded') {
      const methods = String(r.data.method ?? '')
        .split('+')
        .map((m) => methodName(deps.methods, lang, m))
        .join(' + ');
      return {
        at: new Date(r.at),
        what: t(lang, 'activitySignedIn', { methods }),
        where: clientNames.get(r.clientId ?? '') ?? '',
      };
    }
    if (r.type === 'login.locked' || r.type === 'login.unlocked') return lockItem(r, deps.methods, lang);
    if (r.type in PROXY) return { at: new Date(r.at), what: t(lang, PROXY[r.type]![r.data.role === 'helper' ? 'helper' : 'citizen']), where: clientNames.get(r.clientId ?? '') ?? '' };
    if (r.type in OWN) return { at: new Date(r.at), what: t(lang, OWN[r.type]!), where: clientNames.get(r.clientId ?? '') ?? '' };
    const s = staff.get(String(r.data.staffId));
    const what = t(lang, COUNTER[r.type]!);
    const kind = typeof r.data.kind === 'string' && Object.hasOwn(KIND, r.data.kind) ? KIND[r.data.kind] : undefined;
    return { at: new Date(r.at), what: kind ? t(lang, 'activityWithKind', { what, kind: t(lang, kind) }) : what, where: s ? `${s.centreName} · ${s.displayName}` : '' };
  });
}

/** A pause on one way of signing in (after repeated wrong attempts, by anyone) and its end. */
function lockItem(r: AuditRecord, methods: ReadonlyMap<string, LoginMethod>, lang: Lang): ActivityItem {
  const method = methodName(methods, lang, String(r.data.method));
  if (r.type === 'login.unlocked') {
    return { at: new Date(r.at), what: t(lang, 'activityResumed', { method }), where: '' };
  }
  return { at: new Date(r.at), what: t(lang, 'activityPaused', { method, span: span(Number(r.data.seconds), lang) }), where: '' };
}

/** A pause's length in the largest whole unit that fits: minutes, hours or days. */
function span(seconds: number, lang: Lang): string {
  if (seconds >= 2 * 86_400) return t(lang, 'spanDays', { n: Math.round(seconds / 86_400) });
  if (seconds >= 2 * 3600) return t(lang, 'spanHours', { n: Math.round(seconds / 3600) });
  return t(lang, 'spanMinutes', { n: Math.max(1, Math.round(seconds / 60)) });
}
