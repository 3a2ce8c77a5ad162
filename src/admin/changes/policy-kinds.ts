/**
 * Policy changes as change kinds: `policy.update` (a whole document, or a partial one laid over
 * the current version) and `policy.rollback` (to an earlier version, always with approval).
 * Both are checked by the document's own schema, classified field by field (impact.ts) and
 * refused when unsafe (policy-safety.ts); they take effect through LivePolicy.save, which
 * writes the version and its audit row in the change's transaction, and are announced to every
 * instance after the commit.
 */
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import type { PolicyDocument } from '../../policy/policy-document.ts';
import type { AdminDeps } from '../deps.ts';
import type { ChangeKind } from './kind.ts';
import { assessPolicyChange, changeLine } from './impact.ts';
import { unsafePolicyChange } from './policy-safety.ts';

const json = z.record(z.string(), z.unknown());

export const policyUpdatePayload = z
  .object({
    /** a whole document: replaces the current one */
    document: json.optional(),
    /** part of a document: its objects are merged into the current one, other values replace */
    patch: json.optional(),
    /** the version the change was made against (a whole document must still apply to it) */
    baseVersion: z.number().int().min(0).optional(),
  })
  .strict()
  .refine((p) => (p.document === undefined) !== (p.patch === undefined), { message: 'give either document or patch' });
export type PolicyUpdate = z.infer<typeof policyUpdatePayload>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `patch` laid over `base`: objects merge key by key, anything else (arrays, null) replaces. */
export function mergePatch(base: unknown, patch: unknown): unknown {
  if (!isObject(base) || !isObject(patch)) return patch;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) out[k] = mergePatch(base[k], v);
  return out;
}

/** The current document and what it would become. */
export function targetOf(p: PolicyUpdate, deps: Pick<AdminDeps, 'policy'>): { version: number; before: PolicyDocument; after: PolicyDocument } {
  const current = deps.policy.current();
  if (p.document) {
    if (p.baseVersion !== undefined && p.baseVersion !== current.version) throw new AppError('change_stale');
    return { version: current.version, before: current.document, after: deps.policy.check(p.document) };
  }
  return { version: current.version, before: current.document, after: deps.policy.check(mergePatch(current.document, p.patch)) };
}

/** Needs approval unless every changed field tightens; nothing changed is a 400. */
export function assessDocuments(before: PolicyDocument, after: PolicyDocument, always = false) {
  const { needsApproval, changes } = assessPolicyChange(before, after);
  if (!changes.length) throw new AppError('change_nothing');
  return { needsApproval: always || needsApproval, summary: changes.map(changeLine) };
}

export const policyUpdate: ChangeKind<PolicyUpdate> = {
  kind: 'policy.update',
  roles: ['policy_admin'],
  payload: policyUpdatePayload,
  async assess(p, deps) {
    const { before, after } = targetOf(p, deps);
    return assessDocuments(before, after);
  },
  async refuse(p, deps) {
    const { before, after } = targetOf(p, deps);
    return unsafePolicyChange(before, after);
  },
  async apply(q, p, actor, deps, ctx) {
    // written over the version it was made from, or not at all: two changes approved at the same
    // moment must not each build on a version the other has just replaced (one would undo the
    // other, or together they could leave what neither alone would, e.g. no level-3 method)
    const { version, after } = targetOf(p, deps);
    await deps.policy.save(q, after, { actorId: actor.actorId, roles: actor.roles, reason: ctx.reason, basedOn: version });
  },
  async after(_p, deps) {
    await deps.policy.announce();
  },
};

export const policyRollbackPayload = z.object({ version: z.number().int().min(1) }).strict();
export type PolicyRollback = z.infer<typeof policyRollbackPayload>;

// versions never change once written, so one read serves every later use; and `apply` runs inside
// the change's transaction, where the embedded database's one connection is taken: the version
// was read before it, by `refuse` (the service always asks before applying)
const read = new WeakMap<object, Map<number, PolicyDocument>>();
const VERSIONS_KEPT = 32;

async function rollbackTarget(p: PolicyRollback, deps: AdminDeps): Promise<{ version: number; before: PolicyDocument; after: PolicyDocument }> {
  const versions = read.get(deps.policy) ?? new Map<number, PolicyDocument>();
  read.set(deps.policy, versions);
  let doc = versions.get(p.version);
  if (!doc) {
    const found = await deps.policy.version(p.version);
    if (!found) throw new AppError('policy_version_unknown');
    doc = deps.policy.check(found);
    if (versions.size >= VERSIONS_KEPT) versions.delete(versions.keys().next().value!);
    versions.set(p.version, doc);
  }
  const current = deps.policy.current();
  return { version: current.version, before: current.document, after: doc };
}

export const policyRollback: ChangeKind<PolicyRollback> = {
  kind: 'policy.rollback',
  roles: ['policy_admin'],
  payload: policyRollbackPayload,
  async assess(p, deps) {
    const { before, after } = await rollbackTarget(p, deps);
    return assessDocuments(before, after, true);
  },
  async refuse(p, deps) {
    const { before, after } = await rollbackTarget(p, deps);
    return unsafePolicyChange(before, after);
  },
  async apply(q, p, actor, deps, ctx) {
    const { version, after } = await rollbackTarget(p, deps);
    await deps.policy.save(q, after, { actorId: actor.actorId, roles: actor.roles, reason: ctx.reason, rollbackOf: p.version, basedOn: version });
  },
  async after(_p, deps) {
    await deps.policy.announce();
  },
};
