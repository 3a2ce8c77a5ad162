/**
 * `tongban clients add|list|remove`: department apps. Adding goes through the same
 * registerClient path as the files read at start-up, provider validation included.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config/env.ts';
import { AppError } from '../errors.ts';
import { generateClientSecret } from '../crypto/client-secret.ts';
import { createClientRegistry } from '../oidc/client-registry.ts';
import { isReservedClientId, reservedClientMessage } from '../oidc/internal-clients.ts';
import { createAuditLog } from '../audit/index.ts';
import { openEphemeral } from '../store/open-ephemeral.ts';
import { EXIT, formatTable, withAppContext, withDatabase, type Command } from './context.ts';

export const CLIENTS_USAGE = `  clients add <file.json>     register or update a department app from a JSON document
                              (same format as config/clients/*.json); a confidential app
                              without client_secret gets a generated one, printed once
  clients list                list department apps (no secrets)
  clients remove <client_id>  remove a department app
                              (tongban-account and tongban-counter are the service's own,
                              built from ISSUER at every start: they cannot be added or removed)`;

export const clients: Command = async (args, config) => {
  const [sub, ...rest] = args;
  if (sub === 'add' && rest.length === 1) return add(rest[0]!, config);
  if (sub === 'list' && rest.length === 0) return list(config);
  if (sub === 'remove' && rest.length === 1) return remove(rest[0]!, config);
  console.error(`usage:\n${CLIENTS_USAGE}`);
  return EXIT.usage;
};

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A client that authenticates with a secret but brought none: the secret is made here. */
function needsGeneratedSecret(doc: Record<string, unknown>): boolean {
  const method = doc.token_endpoint_auth_method ?? 'client_secret_basic';
  return (
    typeof method === 'string' &&
    method.startsWith('client_secret_') &&
    doc.client_secret === undefined &&
    doc.client_secret_hash === undefined
  );
}

async function add(file: string, config: Config): Promise<number> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    console.error(`${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    return EXIT.usage;
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    console.error(`${file}: not valid JSON (${(err as Error).message})`);
    return EXIT.usage;
  }

  const secret = isObject(doc) && needsGeneratedSecret(doc) ? generateClientSecret() : undefined;
  const input = secret !== undefined ? { ...(doc as Record<string, unknown>), client_secret: secret } : doc;

  return withAppContext(config, async (ctx) => {
    const id = isObject(doc) && typeof doc.client_id === 'string' ? doc.client_id : undefined;
    const existed = id !== undefined && ctx.clients.find(id) !== undefined;
    let clientId: string;
    try {
      ({ clientId } = await ctx.register(input, 'cli'));
    } catch (err) {
      if (err instanceof AppError && err.code === 'client_file_invalid') {
        console.error(`${file}: ${String(err.params.detail)}`);
        return EXIT.usage;
      }
      throw err;
    }
    console.log(`${existed ? 'Updated' : 'Registered'} client ${clientId}.`);
    if (secret !== undefined) {
      console.log('Client secret (shown only now: it is stored hashed and cannot be recovered):');
      console.log(`  ${secret}`);
      if (existed) console.log('The previous secret of this client no longer works.');
    }
    return EXIT.ok;
  });
}

const cell = (v: unknown): string => (v === undefined || v === null ? '-' : String(v));

async function list(config: Config): Promise<number> {
  // The registry does not keep `source`, so the table is read directly.
  const rows = await withDatabase(config, async (db) =>
    (await db.query<{ client_id: string; metadata: Record<string, unknown>; source: string }>(
      'SELECT client_id, metadata, source FROM clients ORDER BY client_id',
    )).rows,
  );
  if (rows.length === 0) {
    console.log('No department apps registered.');
    return EXIT.ok;
  }
  // Only named fields are printed, so the secret hash never reaches the terminal.
  const table = rows.map(({ client_id, metadata: m, source }) => [
    client_id,
    cell(m.client_name),
    cell(m.token_endpoint_auth_method),
    Array.isArray(m.grant_types) ? m.grant_types.join(',') : '-',
    cell(m.scope).split(' ').join(','),
    cell(m.tongban_min_level),
    m.tongban_first_party === true ? 'yes' : 'no',
    source,
  ]);
  console.log(formatTable(['CLIENT_ID', 'NAME', 'AUTH', 'GRANTS', 'SCOPE', 'MIN_LEVEL', 'FIRST_PARTY', 'SOURCE'], table));
  return EXIT.ok;
}

async function remove(clientId: string, config: Config): Promise<number> {
  if (isReservedClientId(clientId)) {
    console.error(`${reservedClientMessage(clientId)}.`);
    return EXIT.usage;
  }
  return withDatabase(config, async (db) => {
    // Through the registry, so running instances sharing Redis drop the client from memory too.
    const store = await openEphemeral({ url: config.redisUrl });
    try {
      const registry = await createClientRegistry(db, store);
      try {
        const source = (await db.query<{ source: string }>('SELECT source FROM clients WHERE client_id = $1', [clientId]))
          .rows[0]?.source;
        const audit = createAuditLog(db);
        // the removal and its audit event commit together
        const removed = await registry.remove(clientId, (write) =>
          audit.transaction(async (tx) => {
            const gone = await write(tx);
            if (gone) await tx.audit({ type: 'client.removed', clientId, removedVia: 'cli' });
            return gone;
          }),
        );
        if (!removed) {
          console.error(`No department app with client_id ${clientId}.`);
          return EXIT.failed;
        }
        console.log(`Removed client ${clientId}.`);
        if (source?.startsWith('file:')) {
          const name = source.slice('file:'.length);
          console.log(`It came from ${path.join(config.clientsDir, name)}: remove that file too, or the next start registers it again.`);
        }
        return EXIT.ok;
      } finally {
        await registry.close();
      }
    } finally {
      await store.close();
    }
  });
}
