/**
 * Which scopes are sensitive (granting one needs a second client admin), and the change kind
 * `clients.scopes` that sets a department app's scopes: removing scopes or adding ordinary ones
 * is in force at once; adding a sensitive one waits for approval. Carried out in the change's
 * transaction with its audit row; announced on 'clients:changed' after the commit, so every
 * instance's client registry reloads.
 */
import { z } from 'zod';
import { KNOWN_SCOPES } from '../../oidc/client-metadata.ts';
import { ADMIN_SCOPE_PREFIX, ADMIN_SCOPES } from '../../oidc/admin-resource.ts';
import { isReservedClientId } from '../../oidc/internal-clients.ts';
import type { ChangeKind } from '../changes/kind.ts';
import type { AdminDeps } from '../deps.ts';

// what identifies a person outright (the ID number, the phone) or grants admin powers
const SENSITIVE = new Set(['id_number', 'phone']);
export const isSensitive = (scope: string) => SENSITIVE.has(scope) || scope.startsWith(ADMIN_SCOPE_PREFIX);

export const scopeList = (scope: unknown) => (typeof scope === 'string' ? scope.split(' ').filter(Boolean) : []);

/** Sensitive scopes in `after` that `before` did not have. */
export function sensitiveAdded(before: unknown, after: unknown): string[] {
  const had = new Set(scopeList(before));
  return scopeList(after).filter((s) => isSensitive(s) && !had.has(s));
}

const known = new Set<string>([...KNOWN_SCOPES, ...ADMIN_SCOPES]);
export const scopesPayload = z
  .object({
    clientId: z.string().min(3).max(64).regex(/^[a-z0-9][a-z0-9._-]{2,63}$/),
    scope: z
      .string()
      .max(500)
      .refine((s) => scopeList(s).length > 0 && scopeList(s).every((x) => known.has(x)), { message: `each scope must be one of: ${[...known].join(', ')}` }),
  })
  .strict();
export type ScopesPayload = z.infer<typeof scopesPayload>;

export const CLIENTS_CHANNEL = 'clients:changed';

const current = (deps: AdminDeps, id: string) => (isReservedClientId(id) ? undefined : deps.clients.find(id));
const normal = (scope: string) => [...new Set(scopeList(scope))].join(' ');

export const clientsScopes: ChangeKind<ScopesPayload> = {
  kind: 'clients.scopes',
  roles: ['client_admin'],
  payload: scopesPayload,
  async assess(p, deps) {
    const before = String(current(deps, p.clientId)?.scope ?? '');
    return { needsApproval: sensitiveAdded(before, p.scope).length > 0, summary: [`clients.${p.clientId}.scope: ${before || '—'} → ${normal(p.scope)}`] };
  },
  async refuse(p, deps) {
    return current(deps, p.clientId) ? null : 'admin_client_not_found';
  },
  async apply(q, p, actor, deps, ctx) {
    const { rows } = await q.query<{ metadata: Record<string, unknown> }>('SELECT metadata FROM clients WHERE client_id = $1 FOR UPDATE', [p.clientId]);
    const before = rows[0]?.metadata;
    if (!before) throw new Error(`client ${p.clientId} vanished`);
    const metadata = { ...before, scope: normal(p.scope) };
    await deps.provider.Client.validate(metadata as never);
    await q.query('UPDATE clients SET metadata = $2, source = $3, updated_at = now() WHERE client_id = $1', [p.clientId, JSON.stringify(metadata), 'admin']);
    await q.audit({
      type: 'client.changed',
      actorId: actor.actorId,
      roles: [...actor.roles],
      reason: ctx.reason,
      change: 'scopes',
      before: { scope: before.scope ?? null },
      after: { scope: metadata.scope },
      clientId: p.clientId,
      source: actor.address,
    });
  },
  async after(p, deps) {
    // this instance at once (the answer reflects the change), the others by the announcement
    await deps.clients.reload();
    await deps.store.publish(CLIENTS_CHANNEL, p.clientId);
  },
};
