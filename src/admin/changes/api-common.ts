/** What the change APIs share: reading a JSON body with zod, and answering a proposal. */
import type { Response } from 'express';
import type { z } from 'zod';
import { AppError } from '../../errors.ts';
import type { ChangeRequest, ProposeResult } from './kind.ts';

/** The body parsed by `schema`, or a 400 naming the first field that is wrong. */
export function bodyOf<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new AppError('invalid_input', { params: { field: issue?.path.join('.') || 'body' } });
}

/** 200 when the change is in force, 202 with the request when it waits for a second admin. */
export function sendProposal(res: Response, result: ProposeResult): void {
  if (result.status === 'applied') {
    res.status(200).json({ status: 'applied' });
    return;
  }
  res.status(202).json({ status: 'pending', request_id: result.requestId, expires_at: result.expiresAt.toISOString() });
}

export function requestJson(r: ChangeRequest) {
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    summary: r.summary,
    payload: r.payload,
    proposed_by: r.proposedBy,
    proposer_roles: r.proposerRoles,
    reason: r.reason,
    created_at: r.createdAt.toISOString(),
    expires_at: r.expiresAt.toISOString(),
    decided_by: r.decidedBy,
    decided_reason: r.decidedReason,
    decided_at: r.decidedAt?.toISOString() ?? null,
  };
}
