/**
 * Changes to who administers: adding an admin, changing their roles, deactivating them. Each
 * needs a second admin_admin. None may leave the service without an active admin, or without
 * an active admin_admin (nobody could repair that from the console): checked at proposal, at
 * approval, and again inside the change's transaction with the admins' rows locked, so two
 * approvals at the same moment cannot each remove "one of two".
 */
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import type { Queryable } from '../../store/database.ts';
import type { MessageKey } from '../../i18n/messages.ts';
import type { AdminDeps } from '../deps.ts';
import { ADMIN_ROLES, type AdminRole } from '../roles.ts';
import { normaliseRoles, type AdminRecord } from '../admin-directory.ts';
import type { ChangeKind } from './kind.ts';

const personId = z.uuid();
const roles = z.array(z.enum(ADMIN_ROLES)).min(1).max(ADMIN_ROLES.length);

type State = { roles: readonly AdminRole[]; active: boolean };
type Standing = { personId: string; roles: readonly AdminRole[]; active: boolean };

/** What the change would leave short of, given every admin's state after it, or null. */
function shortfall(after: readonly Standing[]): MessageKey | null {
  const active = after.filter((a) => a.active && a.roles.length > 0);
  if (active.length === 0) return 'change_unsafe_last_admin';
  if (!active.some((a) => a.roles.includes('admin_admin'))) return 'change_unsafe_last_admin_admin';
  return null;
}

function withChange(all: readonly AdminRecord[], id: string, next: State): Standing[] {
  const others = all.filter((a) => a.personId !== id);
  return [...others, { personId: id, ...next }];
}

const show = (s: State | null) => (s ? `${s.active ? 'active' : 'inactive'} [${s.roles.join(', ')}]` : '—');

/** The admin change kinds share everything but the state they lead to. */
function adminKind<P extends { personId: string }>(
  kind: string,
  payload: z.ZodType<P>,
  next: (p: P, now: AdminRecord | null) => State | MessageKey,
): ChangeKind<P> {
  async function check(p: P, deps: AdminDeps, q: Queryable = deps.db): Promise<{ before: AdminRecord | null; after: State } | MessageKey> {
    const before = await deps.admins.get(p.personId, q);
    const after = next(p, before);
    if (typeof after === 'string') return after;
    return shortfall(withChange(await deps.admins.list(q), p.personId, after)) ?? { before, after };
  }
  return {
    kind,
    roles: ['admin_admin'],
    payload,
    async assess(p, deps) {
      const c = await check(p, deps);
      if (typeof c === 'string') throw new AppError(c);
      return { needsApproval: true, summary: [`admins.${p.personId}: ${show(c.before)} → ${show(c.after)}`] };
    },
    async refuse(p, deps) {
      const c = await check(p, deps);
      if (typeof c === 'string') return c;
      // a new admin must be a person with a Tongban ID
      return (await deps.identity.getPerson(p.personId)) ? null : 'admins_person_unknown';
    },
    async apply(q, p, actor, deps, ctx) {
      // every admin row locked: a concurrent change of another admin waits, then sees this one
      await q.query('SELECT person_id FROM admins FOR UPDATE');
      const c = await check(p, deps, q);
      if (typeof c === 'string') throw new AppError(c);
      await deps.admins.set(p.personId, { roles: normaliseRoles(c.after.roles), active: c.after.active }, actor.actorId, q);
      // read through the transaction: the embedded database has one connection, and it is ours
      const { rows } = await q.query<{ id_number_index: string }>('SELECT id_number_index FROM persons WHERE id = $1', [p.personId]);
      await q.audit({
        type: 'admins.changed',
        actorId: actor.actorId,
        roles: [...actor.roles],
        reason: ctx.reason,
        subjectIndex: rows[0]?.id_number_index ?? '',
        before: c.before ? { roles: c.before.roles, active: c.before.active } : null,
        after: { roles: normaliseRoles(c.after.roles), active: c.after.active },
        source: actor.address,
      });
    },
  };
}

export const adminsAdd = adminKind('admins.add', z.object({ personId, roles }).strict(), (p, now) =>
  now?.active ? 'admins_exists' : { roles: p.roles, active: true },
);

export const adminsRoles = adminKind('admins.roles', z.object({ personId, roles }).strict(), (p, now) =>
  now?.active ? { roles: p.roles, active: true } : 'admins_unknown',
);

export const adminsDeactivate = adminKind('admins.deactivate', z.object({ personId }).strict(), (_p, now) =>
  now?.active ? { roles: now.roles, active: false } : 'admins_unknown',
);
