/**
 * Department apps from the admin console (role client_admin): the same checks as the client
 * files and the CLI (register-client.ts `checkedMetadata`: the zod document, then the provider's
 * own metadata rules), written through the client registry (live on every instance: it
 * announces 'clients:changed' after the commit), each in one transaction with its audit row.
 * Secrets are generated here, stored hashed and returned once. A sensitive scope is never
 * granted here: that goes through the `clients.scopes` change (four-eyes).
 */
import { AppError } from '../../errors.ts';
import { checkedMetadata } from '../../oidc/register-client.ts';
import { isReservedClientId, reservedClientMessage } from '../../oidc/internal-clients.ts';
import { generateClientSecret, hashClientSecret } from '../../crypto/client-secret.ts';
import type { AuditedTx } from '../../audit/index.ts';
import type { AdminDeps } from '../deps.ts';
import type { Actor } from '../helpdesk/citizen.ts';
import { sensitiveAdded } from './scopes.ts';

type Deps = Pick<AdminDeps, 'provider' | 'clients' | 'audit' | 'keys' | 'db'>;
type Metadata = Record<string, unknown> & { client_id: string };
type Change = 'registered' | 'updated' | 'disabled' | 'enabled' | 'secret_rotated';

/** What the trail keeps of a registration: everything but the secret's hash. */
function shown(m: Record<string, unknown> | undefined): Record<string, unknown> | null {
  if (!m) return null;
  const { client_secret: secret, ...rest } = m;
  return { ...rest, ...(secret ? { client_secret: 'set' } : {}) };
}

const usesSecret = (m: Record<string, unknown>) => String(m.token_endpoint_auth_method ?? 'client_secret_basic').startsWith('client_secret_');

function audited(deps: Deps, actor: Actor, reason: string, change: Change, clientId: string, before: Record<string, unknown> | undefined, after: Record<string, unknown> | undefined, extra?: (tx: AuditedTx) => Promise<void>) {
  return <T>(write: (q: AuditedTx) => Promise<T>) =>
    deps.audit.transaction(async (tx) => {
      const out = await write(tx);
      await extra?.(tx);
      await tx.audit({ type: 'client.changed', actorId: actor.actorId, roles: [...actor.roles], reason, change, before: shown(before), after: shown(after), clientId, source: actor.address });
      return out;
    });
}

async function disabledMetadata(deps: Deps, id: string): Promise<Metadata | undefined> {
  const { rows } = await deps.db.query<{ metadata: Metadata }>('SELECT metadata FROM disabled_clients WHERE client_id = $1', [id]);
  return rows[0]?.metadata;
}

function existing(deps: Deps, id: string): Metadata {
  const m = isReservedClientId(id) ? undefined : (deps.clients.find(id) as Metadata | undefined);
  if (!m) throw new AppError('admin_client_not_found');
  return m;
}

const check = (deps: Deps, doc: unknown) => checkedMetadata({ provider: deps.provider, clients: deps.clients, audit: deps.audit, clientSecretKey: deps.keys.clientSecretKey }, doc);

export async function listClients(deps: Deps): Promise<Array<Record<string, unknown> & { disabled: boolean }>> {
  const { rows } = await deps.db.query<{ metadata: Metadata }>('SELECT metadata FROM disabled_clients ORDER BY client_id');
  const live = deps.clients.list().filter((m) => !isReservedClientId(String(m.client_id)));
  return [...live.map((m) => ({ ...shown(m), disabled: false })), ...rows.map((r) => ({ ...shown(r.metadata), disabled: true }))];
}

/** Registers a new app; a secret-using app without a secret gets one, returned this once. */
export async function registerApp(deps: Deps, actor: Actor, document: unknown, reason: string): Promise<{ clientId: string; secret?: string }> {
  const doc = { ...(document as Record<string, unknown>) };
  let secret: string | undefined;
  if (usesSecret(doc) && doc.client_secret === undefined && doc.client_secret_hash === undefined) doc.client_secret = secret = generateClientSecret();
  if (typeof doc.client_id === 'string' && isReservedClientId(doc.client_id)) {
    throw new AppError('client_file_invalid', { params: { detail: reservedClientMessage(doc.client_id) } });
  }
  const metadata = await check(deps, doc);
  if (sensitiveAdded('', metadata.scope).length) throw new AppError('admin_scope_needs_approval');
  if (deps.clients.find(metadata.client_id) || (await disabledMetadata(deps, metadata.client_id))) throw new AppError('admin_client_exists');
  await deps.clients.upsert(metadata, 'admin', audited(deps, actor, reason, 'registered', metadata.client_id, undefined, metadata));
  return { clientId: metadata.client_id, ...(secret ? { secret } : {}) };
}

/** Replaces an app's registration; its secret stays (rotated apart), its scopes gain nothing sensitive here. */
export async function updateApp(deps: Deps, actor: Actor, id: string, document: unknown, reason: string): Promise<void> {
  const before = existing(deps, id);
  const doc: Record<string, unknown> = { ...(document as Record<string, unknown>), client_id: id };
  if (doc.client_secret !== undefined || doc.client_secret_hash !== undefined) throw new AppError('admin_client_invalid', { params: { detail: 'client_secret: rotate it instead' } });
  if (usesSecret(doc) && typeof before.client_secret === 'string') doc.client_secret_hash = before.client_secret;
  const metadata = await check(deps, doc);
  if (sensitiveAdded(before.scope, metadata.scope).length) throw new AppError('admin_scope_needs_approval');
  await deps.clients.upsert(metadata, 'admin', audited(deps, actor, reason, 'updated', id, before, metadata));
}

/** Takes the app out of service on every instance; its registration is kept to enable it again. */
export async function disableApp(deps: Deps, actor: Actor, id: string, reason: string): Promise<void> {
  const before = existing(deps, id);
  await deps.clients.remove(
    id,
    audited(deps, actor, reason, 'disabled', id, before, undefined, async (tx) => {
      await tx.query('INSERT INTO disabled_clients (client_id, metadata) VALUES ($1, $2)', [id, JSON.stringify(before)]);
    }),
  );
}

export async function enableApp(deps: Deps, actor: Actor, id: string, reason: string): Promise<void> {
  const metadata = isReservedClientId(id) ? undefined : await disabledMetadata(deps, id);
  if (!metadata) throw new AppError('admin_client_not_found');
  await deps.clients.upsert(
    metadata,
    'admin',
    audited(deps, actor, reason, 'enabled', id, undefined, metadata, async (tx) => {
      await tx.query('DELETE FROM disabled_clients WHERE client_id = $1', [id]);
    }),
  );
}

/** A new secret, stored hashed and returned this once; the old one stops working on every instance. */
export async function rotateSecret(deps: Deps, actor: Actor, id: string, reason: string): Promise<string> {
  const before = existing(deps, id);
  if (!usesSecret(before)) throw new AppError('admin_client_no_secret');
  const secret = generateClientSecret();
  const metadata = { ...before, client_secret: hashClientSecret(secret, deps.keys.clientSecretKey) };
  await deps.clients.upsert(metadata, 'admin', audited(deps, actor, reason, 'secret_rotated', id, before, metadata));
  return secret;
}
