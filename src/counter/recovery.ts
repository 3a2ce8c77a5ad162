/**
 * Recovering access at the counter: rebinding the phone and resetting the password take effect
 * only when a second person — a supervisor of the same centre, not the one who asked —
 * approves within the time limit. The old phone (if any) and the new one are both told by SMS.
 */
import { randomUUID } from 'node:crypto';
import type { Request } from 'express';
import { phoneSchema } from '../validation/fields.ts';
import { AppError, AuthorityUnavailable } from '../errors.ts';
import type { MessageKey } from '../i18n/messages.ts';
import { t } from '../i18n/ui.ts';
import type { ActionDeps } from './actions.ts';
import type { Outcome } from './outcome.ts';
import { done, fail, reasonOf } from './outcome.ts';
import type { StaffRequest } from './routes.ts';
import type { ConsoleSession } from './console-session.ts';

const PAYLOAD_CONTEXT = 'counter_requests.payload';
type Kind = 'rebind_phone' | 'reset_password';

interface Row {
  id: string;
  kind: Kind;
  centre_id: string;
  requested_by: string;
  subject_person: string;
  payload_enc: string | null;
  reason: string;
  status: string;
  expires_at: Date;
}

export async function createRequest(
  deps: ActionDeps,
  req: Request,
  sr: StaffRequest,
  visit: NonNullable<ConsoleSession['visit']>,
  body: Record<string, string>,
): Promise<Outcome> {
  const kind = body.kind;
  if (kind !== 'rebind_phone' && kind !== 'reset_password') return fail('invalid_input', { field: 'kind' });
  const reason = reasonOf(body);
  if (typeof reason !== 'string') return reason;
  let payload: string | null = null;
  if (kind === 'rebind_phone') {
    const phone = phoneSchema.safeParse((body.new_phone ?? '').trim());
    if (!phone.success) return fail('phone_malformed');
    payload = deps.cipher.encrypt(phone.data, PAYLOAD_CONTEXT);
  }
  const id = randomUUID();
  await deps.audit.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO counter_requests (id, kind, centre_id, requested_by, subject_person, payload_enc, reason, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, now() + make_interval(secs => $8))`,
      [id, kind, sr.staff.centreId, sr.staff.personId, visit.personId, payload, reason, deps.approvalSeconds],
    );
    await tx.audit({
      type: 'counter.request_created',
      staffId: sr.staff.personId,
      centreId: sr.staff.centreId,
      subjectIndex: visit.subjectIndex,
      reason,
      kind,
      requestId: id,
      source: req.ip,
    });
  });
  return done(t(sr.lang, 'counterRequested'));
}

export async function listPending(deps: Pick<ActionDeps, 'db'>, sr: StaffRequest) {
  const { rows } = await deps.db.query<{ id: string; kind: string; display_name: string; requested_by: string; reason: string; expires_at: Date }>(
    `SELECT r.id, r.kind, s.display_name, r.requested_by, r.reason, r.expires_at FROM counter_requests r
       JOIN staff s ON s.person_id = r.requested_by
      WHERE r.centre_id = $1 AND r.status = 'pending' AND r.expires_at > now() ORDER BY r.created_at`,
    [sr.staff.centreId],
  );
  return rows.map((r) => ({ id: r.id, kind: r.kind, requestedBy: r.display_name, reason: r.reason, expiresAt: r.expires_at, mine: r.requested_by === sr.staff.personId }));
}

export async function decideRequest(deps: ActionDeps, req: Request, sr: StaffRequest, id: string, decision: 'approve' | 'refuse'): Promise<Outcome> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return fail('not_found');
  const who = { staffId: sr.staff.personId, centreId: sr.staff.centreId };
  const refuse = async (why: MessageKey, row?: Row): Promise<Outcome> => {
    const subject = row ? await deps.identity.getPerson(row.subject_person) : null;
    await deps.audit.record({ type: 'counter.refused', ...who, action: `request.${decision}`, why, subjectIndex: subject?.idNumberIndex, source: req.ip });
    return fail(why);
  };
  if (sr.staff.role !== 'counter_supervisor') return refuse('counter_request_not_supervisor');

  // read before the transaction: inside it only `tx` may be used (one connection on PGlite)
  const { rows: found } = await deps.db.query<{ subject_person: string }>('SELECT subject_person FROM counter_requests WHERE id = $1', [id]);
  const person = found[0] ? await deps.identity.getPerson(found[0].subject_person) : null;
  if (!person) return fail('not_found');

  // one decision per request, even with two supervisors clicking at once; the decision, what
  // it changes and its audit event commit together or not at all
  let row: Row | undefined;
  let outcome: { error?: Exclude<MessageKey, 'credential_conflict'>; notify?: string[] };
  try {
    outcome = await deps.audit.transaction(async (tx) => {
      const { rows } = await tx.query<Row>('SELECT * FROM counter_requests WHERE id = $1 FOR UPDATE', [id]);
      row = rows[0];
      if (!row) return { error: 'not_found' as const };
      if (row.centre_id !== sr.staff.centreId) return { error: 'counter_request_other_centre' as const };
      if (row.requested_by === sr.staff.personId) return { error: 'counter_request_self' as const };
      if (row.status !== 'pending') return { error: 'counter_request_closed' as const };
      if (new Date(row.expires_at).getTime() < Date.now()) {
        await tx.query("UPDATE counter_requests SET status = 'expired' WHERE id = $1", [id]);
        return { error: 'counter_request_expired' as const };
      }
      await tx.query('UPDATE counter_requests SET status = $2, decided_by = $3, decided_at = now() WHERE id = $1', [
        id,
        decision === 'approve' ? 'approved' : 'refused',
        sr.staff.personId,
      ]);
      const base = { ...who, subjectIndex: person.idNumberIndex, reason: row.reason, kind: row.kind, requestId: row.id, source: req.ip };
      if (decision === 'refuse') {
        await tx.audit({ type: 'counter.request_refused', ...base });
        return {};
      }
      const notify: string[] = [];
      const { 'phone-otp': phoneMethod, password: passwordMethod } = deps.roles;
      if (row.kind === 'rebind_phone') {
        const newPhone = deps.cipher.decrypt(row.payload_enc!, PAYLOAD_CONTEXT);
        if (phoneMethod) {
          await deps.identity.removeCredentials(person.id, phoneMethod, tx);
          // a number bound to someone else throws credential_conflict: everything rolls back
          await deps.identity.bind(person.id, { method: phoneMethod, identifier: newPhone }, tx);
        }
        await deps.identity.setPhone(person.id, newPhone, tx);
        if (person.phone) notify.push(person.phone);
        notify.push(newPhone);
      } else {
        if (passwordMethod) await deps.identity.removeCredentials(person.id, passwordMethod, tx);
        if (person.phone) notify.push(person.phone);
      }
      await tx.audit({ type: 'counter.request_approved', ...base });
      return { notify };
    });
  } catch (err) {
    if (err instanceof AppError && err.code === 'credential_conflict') return refuse('credential_conflict', row);
    throw err;
  }
  if (outcome.error) {
    if (outcome.error === 'not_found') return fail('not_found');
    return refuse(outcome.error, row);
  }
  if (decision === 'refuse') return done(t(sr.lang, 'counterRequestRefused'));
  const notify = outcome.notify ?? [];
  const text =
    row!.kind === 'rebind_phone'
      ? '【通办ID】您的通办 ID 绑定手机已在服务中心窗口更换。如非本人办理，请立即联系 12345。'
      : '【通办ID】您的通办 ID 登录密码已在服务中心窗口重置。如非本人办理，请立即联系 12345。';
  let unsent = 0;
  for (const phone of notify) {
    try {
      await deps.authorities.sms.send(phone, text);
    } catch (err) {
      if (!(err instanceof AuthorityUnavailable)) throw err;
      unsent++;
    }
  }
  return done(t(sr.lang, unsent ? 'counterAppliedUnsent' : 'counterApplied'));
}
