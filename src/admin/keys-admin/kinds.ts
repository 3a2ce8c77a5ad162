/**
 * Signing-key changes, each approved by a second key admin (four-eyes): `keys.rotate` publishes
 * a fresh NEXT key of an algorithm, or makes a published NEXT key sign (the algorithm's ACTIVE
 * key retires but stays published); `keys.retire` withdraws a RETIRED (or unused NEXT) key from
 * the JWKS. Carried out in the change's transaction with its audit row; announced after the
 * commit, so every instance swaps its keys within moments (src/keys/key-store.ts).
 */
import { z } from 'zod';
import { SIGNING_ALGS } from '../../keys/index.ts';
import type { ChangeKind } from '../changes/kind.ts';
import type { AdminDeps } from '../deps.ts';

const kid = z.string().min(1).max(128).regex(/^[A-Za-z0-9_-]+$/);

export const rotatePayload = z.discriminatedUnion('action', [
  z.object({ action: z.literal('publish'), alg: z.enum(SIGNING_ALGS) }).strict(),
  z.object({ action: z.literal('activate'), kid }).strict(),
]);
export type RotatePayload = z.infer<typeof rotatePayload>;
export const retirePayload = z.object({ kid }).strict();
export type RetirePayload = z.infer<typeof retirePayload>;

const statusOf = async (deps: AdminDeps, k: string) => (await deps.signingKeys.list()).find((x) => x.kid === k);
const announce = (_p: unknown, deps: AdminDeps) => deps.signingKeys.announce();

export const keysRotate: ChangeKind<RotatePayload> = {
  kind: 'keys.rotate',
  roles: ['key_admin'],
  payload: rotatePayload,
  async assess(p) {
    return { needsApproval: true, summary: [p.action === 'publish' ? `keys: publish a new next ${p.alg} key` : `keys: ${p.kid} starts signing (next → active)`] };
  },
  async refuse(p, deps) {
    if (p.action === 'publish') return null;
    const key = await statusOf(deps, p.kid);
    if (!key || key.status === 'removed') return 'admin_key_not_found';
    return key.status === 'next' ? null : 'admin_key_not_next';
  },
  async apply(q, p, actor, deps, ctx) {
    const who = { actorId: actor.actorId, roles: [...actor.roles], reason: ctx.reason, source: actor.address };
    if (p.action === 'publish') {
      const published = await deps.signingKeys.publishNext(q, p.alg);
      await q.audit({ type: 'keys.changed', ...who, change: 'published', kid: published, alg: p.alg });
      return;
    }
    const { alg, retired } = await deps.signingKeys.activate(q, p.kid);
    await q.audit({ type: 'keys.changed', ...who, change: 'activated', kid: p.kid, alg, retired });
  },
  after: announce,
};

export const keysRetire: ChangeKind<RetirePayload> = {
  kind: 'keys.retire',
  roles: ['key_admin'],
  payload: retirePayload,
  async assess(p) {
    return { needsApproval: true, summary: [`keys: ${p.kid} leaves the JWKS (tokens it signed no longer verify)`] };
  },
  async refuse(p, deps) {
    const key = await statusOf(deps, p.kid);
    if (!key || key.status === 'removed') return 'admin_key_not_found';
    return key.status === 'active' ? 'admin_key_in_use' : null;
  },
  async apply(q, p, actor, deps, ctx) {
    const { alg } = await deps.signingKeys.remove(q, p.kid);
    await q.audit({ type: 'keys.changed', actorId: actor.actorId, roles: [...actor.roles], reason: ctx.reason, change: 'removed', kid: p.kid, alg, source: actor.address });
  },
  after: announce,
};
