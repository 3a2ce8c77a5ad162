/**
 * Family proxy set up at a counter, for a citizen who cannot do it online: with the citizen's
 * visit open (ID card and face checked in person), staff name the helper by ID number, the
 * departments, the scopes and the last day (at most a year on). The helper still accepts it
 * online, signed in at level 2 or above as online set-up asks: the helper takes on acting for
 * someone, and only the helper can agree to that. The same `proxy.requested` event goes on
 * both people's record, naming the staff member and the centre, in the mandate's transaction.
 */
import type { Request } from 'express';
import { z } from 'zod';
import { parseIdNumber } from '../crypto/id-number.ts';
import { t } from '../i18n/ui.ts';
import type { MandateStore } from '../proxy/mandates.ts';
import { createRequested, mandateEnd } from '../proxy/both-records.ts';
import { PROXY_SCOPES } from '../proxy/views.ts';
import type { ActionDeps } from './actions.ts';
import type { ConsoleSession } from './console-session.ts';
import { done, fail, reasonOf, type Outcome } from './outcome.ts';
import type { StaffRequest } from './routes.ts';

export interface CounterProxyDeps {
  mandates: MandateStore;
  /** departments a helper may be named for (the ones that take proxied sign-ins) */
  departments(): Array<{ clientId: string; name: string }>;
}

// checkboxes are named one by one (`client:<id>`, `scope:<name>`): the console's forms carry single values
export const CLIENT_FIELD = 'client:';
export const SCOPE_FIELD = 'scope:';

const proxyForm = z.object({ helper_id_number: z.string().trim().min(1).max(32), until: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) });

export async function proxyAtCounter(
  deps: ActionDeps,
  req: Request,
  sr: StaffRequest,
  visit: NonNullable<ConsoleSession['visit']>,
  body: Record<string, string>,
): Promise<Outcome> {
  const proxy = deps.proxy;
  if (!proxy) return fail('not_found');
  const reason = reasonOf(body);
  if (typeof reason !== 'string') return reason;
  const f = proxyForm.safeParse(body);
  if (!f.success) return fail('invalid_input', { field: String(f.error.issues[0]?.path[0] ?? 'form') });
  const offered = new Set(proxy.departments().map((d) => d.clientId));
  const named = (prefix: string) => Object.keys(body).filter((k) => k.startsWith(prefix) && body[k] === 'yes').map((k) => k.slice(prefix.length));
  const clients = named(CLIENT_FIELD);
  const scopes = named(SCOPE_FIELD);
  if (!clients.length || clients.some((c) => !offered.has(c))) return fail('invalid_input', { field: 'clients' });
  if (scopes.some((s) => !(PROXY_SCOPES as readonly string[]).includes(s))) return fail('invalid_input', { field: 'scopes' });
  const from = new Date();
  const until = mandateEnd(f.data.until, from);
  if (!until) return fail('proxy_until_invalid');
  const id = parseIdNumber(f.data.helper_id_number);
  if (!id.ok) return fail(id.code);
  // found by its blind index; the number is neither kept, logged nor audited
  const helperId = await deps.identity.findPersonIdByIdNumber(id.value.idNumber);
  if (!helperId) return fail('proxy_helper_unknown');
  if (helperId === visit.personId) return fail('proxy_helper_self');
  const made = { citizenId: visit.personId, helperId, clientIds: clients, scopes, validFrom: from, validUntil: until, createdVia: 'counter' as const };
  await deps.audit.transaction((tx) => createRequested(tx, proxy.mandates, made, { staffId: sr.staff.personId, centreId: sr.staff.centreId, reason, ...(req.ip ? { source: req.ip } : {}) }));
  return done(t(sr.lang, 'counterProxyDone'));
}
