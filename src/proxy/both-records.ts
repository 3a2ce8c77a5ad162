/**
 * What online and counter set-up of a mandate share: its last moment from the day chosen, and
 * each change written on both people's record.
 */
import type { AuditedTx, AuditInput } from '../audit/index.ts';
import type { Mandate, MandateStore, NewMandate } from './mandates.ts';

export const aYearOn = (d: Date): Date => {
  const y = new Date(d);
  y.setUTCFullYear(y.getUTCFullYear() + 1);
  return y;
};

/** The end of `day` (YYYY-MM-DD), city time, when it is after `from` and at most a year on; otherwise null. */
export function mandateEnd(day: string, from: Date): Date | null {
  const until = new Date(`${day}T23:59:59+08:00`);
  return Number.isNaN(until.getTime()) || until <= from || until > aYearOn(from) ? null : until;
}

/**
 * The same event on both people's record, in the caller's transaction. Their blind indexes are
 * read through the transaction itself: a second connection would wait on the embedded database,
 * which has only one.
 */
export async function auditBoth(tx: AuditedTx, m: Mandate, event: (role: 'citizen' | 'helper', subjectIndex: string) => AuditInput): Promise<void> {
  const { rows } = await tx.query<{ id: string; id_number_index: string }>('SELECT id, id_number_index FROM persons WHERE id = $1 OR id = $2', [m.citizenId, m.helperId]);
  const indexOf = (id: string) => rows.find((r) => r.id === id)?.id_number_index;
  const citizen = indexOf(m.citizenId);
  const helper = indexOf(m.helperId);
  if (citizen) await tx.audit(event('citizen', citizen));
  if (helper) await tx.audit(event('helper', helper));
}

/** Makes the mandate and writes `proxy.requested` on both people's record, in the caller's transaction. */
export async function createRequested(
  tx: AuditedTx,
  mandates: MandateStore,
  m: NewMandate,
  event: { source?: string; staffId?: string; centreId?: string; reason?: string },
): Promise<Mandate> {
  const made = await mandates.create(m, tx);
  await auditBoth(tx, made, (role, subjectIndex) => ({
    type: 'proxy.requested',
    subjectIndex,
    mandateId: made.id,
    role,
    clients: [...m.clientIds],
    scopes: [...m.scopes],
    until: m.validUntil.toISOString(),
    via: m.createdVia,
    ...event,
  }));
  return made;
}
