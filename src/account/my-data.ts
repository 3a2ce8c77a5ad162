/**
 * "My data": everything held about the person, as one JSON document they download (the PIPL
 * right of access). The identity record is given in full, ID number included: it is the
 * person's own data and the reason for the download; the page asks for a signed-in session and
 * a form with its CSRF token, the response is never cached, and the download is audited.
 * Never included: password hashes, blind indexes, encrypted fields, tokens, or staff ids.
 */
import type { LoginMethod } from '../../providers/kit/index.ts';
import type { AuditLog } from '../audit/index.ts';
import type { IdentityService, Person } from '../identity/index.ts';
import type { Lang } from '../i18n/messages.ts';
import { departmentName, receives, type ConsentDeps } from './consents.ts';
import { sessionRows, type SessionDeps } from './sessions.ts';
import { methodName } from './method-name.ts';

export type MyDataDeps = Pick<ConsentDeps, 'provider' | 'identity'> & Pick<SessionDeps, 'store'> & { audit: AuditLog; methods: ReadonlyMap<string, LoginMethod> };

// the audit facts a person's own record shows; everything else in a row stays in the trail
const DETAILS = ['method', 'acr', 'amr', 'scopes', 'claims', 'use', 'kind', 'seconds', 'reason', 'expiresIn', 'sessions', 'clients', 'proofing'];
const ACTIVITY_LIMIT = 1000;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export async function myData(deps: MyDataDeps, person: Person, currentUid: string, lang: Lang) {
  const [credentials, consents, sessions, records] = await Promise.all([
    deps.identity.listCredentials(person.id),
    deps.identity.listConsents(person.id),
    sessionRows(deps, person.id, currentUid, lang),
    deps.audit.listForSubject(person.idNumberIndex, ACTIVITY_LIMIT),
  ]);
  const names = new Map<string, string>();
  for (const id of new Set([...consents.map((c) => c.clientId), ...records.flatMap((r) => (r.clientId ? [r.clientId] : []))])) {
    names.set(id, await departmentName(deps.provider, id));
  }
  const department = (id: string | null) => (id ? { id, name: names.get(id) ?? id } : null);
  return {
    format: 'tongban-my-data/1',
    exportedAt: new Date().toISOString(),
    language: lang,
    person: {
      idNumber: person.idNumber,
      name: person.name,
      phone: person.phone,
      birthdate: person.birthdate,
      gender: person.gender,
      proofing: person.proofing,
    },
    methods: credentials.map((c) => ({
      method: c.method,
      label: methodName(deps.methods, lang, c.method),
      status: c.status,
      boundAt: iso(c.createdAt),
      lastUsedAt: iso(c.lastUsedAt),
    })),
    consents: consents.map((c) => ({
      department: department(c.clientId),
      receives: receives(c, lang),
      scopes: c.scopes,
      claims: c.claims,
      grantedAt: iso(c.grantedAt),
      lastUsedAt: iso(c.lastUsedAt),
      withdrawnAt: iso(c.withdrawnAt),
    })),
    sessions: sessions.map((s) => ({ device: s.device, signedInAt: iso(s.since), departments: s.departments, thisDevice: s.current })),
    activity: records.map((r) => ({
      at: r.at,
      type: r.type,
      department: department(r.clientId),
      from: r.source,
      details: Object.fromEntries(DETAILS.filter((k) => r.data[k] !== undefined).map((k) => [k, r.data[k]])),
    })),
    activityComplete: records.length < ACTIVITY_LIMIT,
  };
}
