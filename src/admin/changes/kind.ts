/**
 * One kind of admin change (a policy update, a new admin, a key rotation, …): who may propose
 * and approve it, its payload's schema, whether it needs a second admin, what would make it
 * unsafe, and how it is carried out. The service (service.ts) runs every kind the same way.
 */
import type { z } from 'zod';
import type { AuditedTx } from '../../audit/index.ts';
import type { MessageKey } from '../../i18n/messages.ts';
import type { AdminDeps } from '../deps.ts';
import type { AdminPrincipal } from '../principal.ts';
import type { AdminRole } from '../roles.ts';

export interface Assessment {
  /** a second admin must approve before it takes effect */
  needsApproval: boolean;
  /** readable lines: what changes (a diff for policies), for pages and the audit trail */
  summary: string[];
}

export interface ApplyContext {
  /** the reason the change was proposed with (a policy version keeps it) */
  reason: string;
  /** who proposed it, when it was approved by someone else */
  proposedBy?: string;
  requestId?: string;
}

export interface ChangeKind<P> {
  kind: string;
  /** who may propose AND approve (the approver must hold one of them too) */
  roles: readonly AdminRole[];
  payload: z.ZodType<P>;
  assess(p: P, deps: AdminDeps): Promise<Assessment>;
  /** an unsafe change's catalogue code (checked at proposal and again at approval), or null */
  refuse?(p: P, deps: AdminDeps): Promise<MessageKey | { code: MessageKey; params: Record<string, string> } | null>;
  /**
   * carries it out inside transaction q, writing its own audit row through `q.audit`; `actor`
   * is who made it take effect (the approver, or the proposer of a change in force at once)
   */
  apply(q: AuditedTx, p: P, actor: AdminPrincipal, deps: AdminDeps, ctx: ApplyContext): Promise<void>;
  /** after the commit (e.g. announce on pub/sub) */
  after?(p: P, deps: AdminDeps): Promise<void>;
}

// kinds differ in their payloads; the service parses each with its own schema
export type AnyChangeKind = ChangeKind<any>;

export type ChangeStatus = 'pending' | 'applied' | 'rejected' | 'lapsed';

export interface ChangeRequest {
  id: string;
  kind: string;
  payload: unknown;
  summary: string[];
  proposedBy: string;
  proposerRoles: AdminRole[];
  reason: string;
  status: ChangeStatus;
  createdAt: Date;
  expiresAt: Date;
  decidedBy: string | null;
  decidedReason: string | null;
  decidedAt: Date | null;
}

export type ProposeResult = { status: 'applied' } | { status: 'pending'; requestId: string; expiresAt: Date };

export interface ChangeService {
  /** how long a request waits for its second admin */
  readonly windowSeconds: number;
  /** a refused, unknown or badly formed change throws a 4xx AppError */
  propose(kind: string, payload: unknown, actor: AdminPrincipal, reason: string): Promise<ProposeResult>;
  /** self-approval, a lapsed or closed request, a wrong role, an unsafe change now → 4xx */
  approve(requestId: string, actor: AdminPrincipal, reason: string): Promise<void>;
  reject(requestId: string, actor: AdminPrincipal, reason: string): Promise<void>;
  /** open requests of kinds one of these roles may approve (lapsed ones are closed first) */
  pending(forRoles: readonly AdminRole[]): Promise<ChangeRequest[]>;
  /** one request, any status */
  get(requestId: string): Promise<ChangeRequest | null>;
  /** closes (and audits) every request whose window has ended now, then every `intervalMs`; returns the stop function */
  startLapser(intervalMs: number): () => Promise<void>;
  /** requests closed recently, newest first */
  recent(forRoles: readonly AdminRole[], limit: number): Promise<ChangeRequest[]>;
}
