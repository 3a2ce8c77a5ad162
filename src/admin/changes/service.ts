/**
 * Four-eyes change requests. A change that only tightens takes effect at once; one with high
 * impact waits for a second admin holding a role its kind names, within a window (24 h unless
 * ADMIN_APPROVAL_SECONDS says otherwise). Nobody approves their own request; the change is
 * checked for safety again when approved; a request applies once even when two admins approve
 * at the same moment (the row is locked and must still be pending). Every step writes its audit
 * row in the same transaction as its effect; refusals are audited too.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AppError, ConfigError } from '../../errors.ts';
import type { MessageKey } from '../../i18n/messages.ts';
import type { AuditedTx } from '../../audit/index.ts';
import type { AdminDeps } from '../deps.ts';
import type { AdminPrincipal } from '../principal.ts';
import { hasRole } from '../principal.ts';
import type { AdminRole } from '../roles.ts';
import type { AnyChangeKind, ChangeRequest, ChangeService } from './kind.ts';
import { CHANGE_KINDS } from './kinds.ts';
import { problemOf, staffText } from '../../counter/free-text.ts';
import { runPeriodically } from '../../background-task.ts';
import { closeRequest, findRequest, insertRequest, lapseExpired, listRequests, UUID } from './request-rows.ts';

const DEFAULT_WINDOW_SECONDS = 24 * 3600;
const windowSchema = z.coerce.number().int().min(1).max(30 * 24 * 3600);

/** ADMIN_APPROVAL_SECONDS: how long a request waits for its second admin (default 24 h). */
export function approvalWindowSeconds(env: Readonly<Record<string, string | undefined>>): number {
  const raw = env.ADMIN_APPROVAL_SECONDS;
  if (raw === undefined || raw === '') return DEFAULT_WINDOW_SECONDS;
  const parsed = windowSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`ADMIN_APPROVAL_SECONDS: give whole seconds from 1 to 2592000 (30 days), not ${JSON.stringify(raw)}`);
  return parsed.data;
}

// typed by an admin, kept in the audit trail: no control characters and no personal numbers
const reasonSchema = staffText({ max: 500, required: { code: 'change_reason_required' } });

type Step = 'propose' | 'approve' | 'reject';
type Refusal = { code: MessageKey; params?: Record<string, string> };

export function createChangeService(depsOf: () => AdminDeps, opts: { windowSeconds: number; kinds?: readonly AnyChangeKind[] }): ChangeService {
  const kinds = new Map((opts.kinds ?? CHANGE_KINDS).map((k) => [k.kind, k]));
  const now = () => new Date(depsOf().now());
  const who = (a: AdminPrincipal) => ({ actorId: a.actorId, roles: [...a.roles], source: a.address });

  function kindOf(name: string): AnyChangeKind {
    const k = kinds.get(name);
    if (!k) throw new AppError('change_kind_unknown');
    return k;
  }

  function reasonOf(reason: unknown): string {
    const r = reasonSchema.safeParse(typeof reason === 'string' ? reason : '');
    if (r.success) return r.data;
    const problem = problemOf(r.error);
    throw new AppError(problem.code, problem.params ? { params: problem.params } : {});
  }

  /** Audits a refused step (no effect to share a transaction with) and throws it. */
  async function refused(step: Step, kind: string, actor: AdminPrincipal, reason: string, why: Refusal, requestId?: string): Promise<never> {
    await depsOf().audit.record({ type: 'admin.change_refused', ...who(actor), reason, kind, step, why: why.code, ...(requestId ? { requestId } : {}) });
    throw new AppError(why.code, why.params ? { params: why.params } : {});
  }

  function parse(k: AnyChangeKind, payload: unknown): unknown {
    const p = k.payload.safeParse(payload);
    if (!p.success) {
      const issue = p.error.issues[0];
      throw new AppError('change_invalid', { params: { detail: `${issue?.path.join('.') || 'payload'}: ${issue?.message ?? 'invalid'}` } });
    }
    return p.data;
  }

  async function unsafe(k: AnyChangeKind, p: unknown): Promise<Refusal | null> {
    const r = await k.refuse?.(p, depsOf());
    if (!r) return null;
    return typeof r === 'string' ? { code: r } : r;
  }

  const roleRefusal = (k: AnyChangeKind): Refusal => ({ code: 'change_role_required', params: { roles: k.roles.join(', ') } });

  /** Marks lapsed every pending request whose window ended, each with its audit row. */
  async function lapse(): Promise<void> {
    const deps = depsOf();
    await deps.audit.transaction(async (tx) => {
      for (const r of await lapseExpired(tx, now())) {
        await tx.audit({ type: 'admin.change_lapsed', actorId: 'system', roles: [], reason: 'approval window ended', requestId: r.id, kind: r.kind, proposedBy: r.proposedBy });
      }
    });
  }

  /**
   * Runs a change's transaction; a refusal found inside it (an admin removed by a concurrent
   * change, say) rolls everything back and comes out as its code, to be audited and answered.
   */
  async function inTransaction(fn: (tx: AuditedTx) => Promise<MessageKey | null>): Promise<Refusal | null> {
    try {
      const code = await depsOf().audit.transaction(fn);
      return code ? { code } : null;
    } catch (err) {
      if (err instanceof AppError && err.status >= 400 && err.status < 500) return { code: err.code, params: Object.fromEntries(Object.entries(err.params).map(([k, v]) => [k, String(v)])) };
      throw err;
    }
  }

  async function runAfter(k: AnyChangeKind, p: unknown): Promise<void> {
    await k.after?.(p, depsOf());
  }

  /** Locks the request, checks it is still open for `actor`; a refusal code when not. */
  async function lockOpen(tx: AuditedTx, id: string, actor: AdminPrincipal): Promise<ChangeRequest | MessageKey> {
    const r = await findRequest(tx, id, true);
    if (!r) return 'change_not_found';
    if (r.status !== 'pending') return r.status === 'lapsed' ? 'change_lapsed' : 'change_closed';
    if (r.expiresAt.getTime() <= now().getTime()) return 'change_lapsed';
    if (r.proposedBy === actor.actorId) return 'change_self_approval';
    return r;
  }

  /** The request and its kind, refusing what `actor` may not decide. */
  async function decidable(step: 'approve' | 'reject', id: string, actor: AdminPrincipal, reason: string) {
    if (!UUID.test(id)) throw new AppError('change_not_found');
    const r = await findRequest(depsOf().db, id);
    if (!r) throw new AppError('change_not_found');
    const k = kindOf(r.kind);
    if (!hasRole(actor, ...k.roles)) return refused(step, r.kind, actor, reason, roleRefusal(k), id);
    if (r.proposedBy === actor.actorId && step === 'approve') return refused(step, r.kind, actor, reason, { code: 'change_self_approval' }, id);
    if (r.status === 'pending' && r.expiresAt.getTime() <= now().getTime()) await lapse();
    return { r, k };
  }

  return {
    windowSeconds: opts.windowSeconds,

    async propose(kindName, payload, actor, rawReason) {
      const k = kindOf(kindName);
      const reason = reasonOf(rawReason);
      if (!hasRole(actor, ...k.roles)) return refused('propose', k.kind, actor, reason, roleRefusal(k));
      const p = parse(k, payload);
      const danger = await unsafe(k, p);
      if (danger) return refused('propose', k.kind, actor, reason, danger);
      const deps = depsOf();
      const { needsApproval, summary } = await k.assess(p, deps);
      if (!needsApproval) {
        const why = await inTransaction(async (tx) => {
          await k.apply(tx, p, actor, deps, { reason });
          await tx.audit({ type: 'admin.change_applied', ...who(actor), reason, kind: k.kind, summary });
          return null;
        });
        if (why) return refused('propose', k.kind, actor, reason, why);
        await runAfter(k, p);
        return { status: 'applied' };
      }
      const requestId = randomUUID();
      const createdAt = now();
      const expiresAt = new Date(createdAt.getTime() + opts.windowSeconds * 1000);
      await deps.audit.transaction(async (tx) => {
        await insertRequest(tx, { id: requestId, kind: k.kind, payload: p, summary, proposedBy: actor.actorId, roles: actor.roles, reason, createdAt, expiresAt });
        await tx.audit({ type: 'admin.change_proposed', ...who(actor), reason, requestId, kind: k.kind, summary, expiresAt: expiresAt.toISOString() });
      });
      return { status: 'pending', requestId, expiresAt };
    },

    async approve(id, actor, rawReason) {
      const reason = reasonOf(rawReason);
      const { r, k } = await decidable('approve', id, actor, reason);
      const p = parse(k, r.payload);
      // the world may have moved since the proposal: what was safe then is checked again now
      const danger = r.status === 'pending' ? await unsafe(k, p) : null;
      if (danger) return refused('approve', k.kind, actor, reason, danger, id);
      const deps = depsOf();
      const outcome = await inTransaction(async (tx) => {
        const open = await lockOpen(tx, id, actor);
        if (typeof open === 'string') return open;
        await closeRequest(tx, id, 'applied', { actorId: actor.actorId, roles: actor.roles, reason }, now());
        await k.apply(tx, p, actor, deps, { reason: open.reason, proposedBy: open.proposedBy, requestId: id });
        await tx.audit({
          type: 'admin.change_approved',
          ...who(actor),
          reason,
          requestId: id,
          kind: k.kind,
          summary: open.summary,
          proposedBy: open.proposedBy,
          proposalReason: open.reason,
        });
        return null;
      });
      if (outcome) return refused('approve', k.kind, actor, reason, outcome, id);
      await runAfter(k, p);
    },

    async reject(id, actor, rawReason) {
      const reason = reasonOf(rawReason);
      const { k } = await decidable('reject', id, actor, reason);
      const outcome = await inTransaction(async (tx) => {
        const open = await lockOpen(tx, id, actor);
        // withdrawing one's own proposal is a rejection by its author, and allowed
        if (typeof open === 'string' && open !== 'change_self_approval') return open;
        await closeRequest(tx, id, 'rejected', { actorId: actor.actorId, roles: actor.roles, reason }, now());
        const proposedBy = typeof open === 'string' ? actor.actorId : open.proposedBy;
        await tx.audit({ type: 'admin.change_rejected', ...who(actor), reason, requestId: id, kind: k.kind, proposedBy });
        return null;
      });
      if (outcome) return refused('reject', k.kind, actor, reason, outcome, id);
    },

    async pending(forRoles: readonly AdminRole[]) {
      await lapse();
      const names = [...kinds.values()].filter((k) => k.roles.some((r) => forRoles.includes(r))).map((k) => k.kind);
      return listRequests(depsOf().db, names, true, 200);
    },

    startLapser(intervalMs) {
      return runPeriodically(lapse, intervalMs, 'change requests: closing lapsed requests failed');
    },

    async recent(forRoles: readonly AdminRole[], limit: number) {
      const names = [...kinds.values()].filter((k) => k.roles.some((r) => forRoles.includes(r))).map((k) => k.kind);
      return listRequests(depsOf().db, names, false, Math.max(1, Math.min(200, limit)));
    },

    async get(id) {
      if (!UUID.test(id)) return null;
      return findRequest(depsOf().db, id);
    },
  };
}
