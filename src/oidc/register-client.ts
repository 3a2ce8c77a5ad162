/**
 * One way in for department apps, whether from config/clients/*.json, the CLI or the demo:
 * zod document check → provider metadata check → secret hashed → stored → audited. The
 * service's own clients pass the same checks but are only held in memory (internal-clients.ts).
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type Provider from 'oidc-provider';
import { AppError, ConfigError } from '../errors.ts';
import { hashClientSecret } from '../crypto/client-secret.ts';
import type { AuditLog } from '../audit/index.ts';
import type { ClientRegistry } from './client-registry.ts';
import { clientDocument, describeIssues, toProviderMetadata } from './client-metadata.ts';
import { internalClientDocuments, isReservedClientId, reservedClientMessage } from './internal-clients.ts';

export interface RegisterDeps {
  provider: Provider;
  clients: ClientRegistry;
  audit: AuditLog;
  clientSecretKey: Buffer;
}

export async function registerClient(deps: RegisterDeps, input: unknown, source: string): Promise<{ clientId: string }> {
  const id = (input as { client_id?: unknown } | null)?.client_id;
  if (typeof id === 'string' && isReservedClientId(id)) throw new AppError('client_file_invalid', { params: { detail: reservedClientMessage(id) } });
  const metadata = await checkedMetadata(deps, input);
  const existing = deps.clients.find(metadata.client_id);
  // start-up re-reads the same files: an unchanged client is neither rewritten nor audited
  if (existing && canonical(existing) === canonical(metadata)) return { clientId: metadata.client_id };
  // the client and its audit event commit together
  await deps.clients.upsert(metadata, source, (write) =>
    deps.audit.transaction(async (tx) => {
      await write(tx);
      await tx.audit({ type: 'client.registered', clientId: metadata.client_id, registeredVia: source });
    }),
  );
  return { clientId: metadata.client_id };
}

/** The service's own clients, from the issuer, checked like any other and held in memory only. */
export async function useInternalClients(deps: RegisterDeps, issuer: string): Promise<void> {
  deps.clients.useInternal(await Promise.all(internalClientDocuments(issuer).map((doc) => checkedMetadata(deps, doc))));
}

/** The document checked (zod, then the provider's own metadata rules) and its secret hashed: what the admin console stores too. */
export async function checkedMetadata(deps: RegisterDeps, input: unknown): Promise<Record<string, unknown> & { client_id: string }> {
  const parsed = clientDocument.safeParse(input);
  if (!parsed.success) throw new AppError('client_file_invalid', { params: { detail: describeIssues(parsed.error) } });
  const metadata = toProviderMetadata(parsed.data, (s) => hashClientSecret(s, deps.clientSecretKey)) as Record<string, unknown> & {
    client_id: string;
  };
  try {
    await deps.provider.Client.validate(metadata as never);
  } catch (err) {
    const e = err as { error_description?: string; message?: string };
    throw new AppError('client_file_invalid', { params: { detail: e.error_description ?? e.message ?? 'invalid metadata' } });
  }
  return metadata;
}

/** Registers every *.json in `dir`; a bad file stops start-up naming the file and the field. */
export async function registerClientFiles(deps: RegisterDeps, dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const ids: string[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    let doc: unknown;
    try {
      doc = JSON.parse(await readFile(file, 'utf8'));
    } catch (err) {
      throw new ConfigError(`client file ${file}: not valid JSON (${(err as Error).message})`);
    }
    try {
      ids.push((await registerClient(deps, doc, `file:${name}`)).clientId);
    } catch (err) {
      if (err instanceof AppError) throw new ConfigError(`client file ${file}: ${String(err.params.detail)}`);
      throw err;
    }
  }
  return ids;
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}
