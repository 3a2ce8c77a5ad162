/**
 * `tongban keys list|rotate`. Rotation works on the development key folder only: in production
 * the key custodian rotates by supplying a new TONGBAN_SIGNING_KEYS document.
 */
import type { Config } from '../config/env.ts';
import { describeSigningKeys, loadKeys, rotateSigningKeys } from '../keys/index.ts';
import { createAuditLog } from '../audit/index.ts';
import { EXIT, formatTable, withDatabase, type Command } from './context.ts';

export const KEYS_USAGE = `  keys list                   signing keys: kid, algorithm, status, created
  keys rotate                 development key folder only: NEXT keys start signing, ACTIVE
                              ones retire (still published), fresh NEXT keys are published`;

export const keys: Command = async (args, config) => {
  const [sub, ...rest] = args;
  if (sub === 'list' && rest.length === 0) return list(config);
  if (sub === 'rotate' && rest.length === 0) return rotate(config);
  console.error(`usage:\n${KEYS_USAGE}`);
  return EXIT.usage;
};

async function list(config: Config): Promise<number> {
  if (config.production) {
    const loaded = await loadKeys({ production: true, env: config.rawEnv });
    console.log('Signing keys come from the environment (TONGBAN_SIGNING_KEYS or TONGBAN_SIGNING_KEYS_FILE).');
    // The loaded keys no longer carry their status; per algorithm the signing one comes first
    // and the rest are published only (next or retired).
    const seen = new Set<string>();
    const rows = loaded.signing.keys.map((k) => {
      const alg = String(k.alg);
      const status = seen.has(alg) ? 'published' : 'active';
      seen.add(alg);
      return [String(k.kid), alg, status];
    });
    console.log(formatTable(['KID', 'ALG', 'STATUS'], rows));
    return EXIT.ok;
  }
  const infos = await describeSigningKeys(config.keysDir);
  console.log(`Signing keys in ${config.keysDir}:`);
  console.log(
    formatTable(
      ['KID', 'ALG', 'STATUS', 'CREATED', 'RETIRED'],
      infos.map((k) => [k.kid, k.alg, k.status, k.created ?? '-', k.retired ?? '-']),
    ),
  );
  return EXIT.ok;
}

async function rotate(config: Config): Promise<number> {
  if (config.production) {
    console.error(
      'Refusing to rotate: in production the signing keys come from the environment. The key custodian\n' +
        'rotates them by supplying a new TONGBAN_SIGNING_KEYS document (NEXT → ACTIVE, ACTIVE → RETIRED,\n' +
        'a new NEXT) and restarting the service.',
    );
    return EXIT.failed;
  }
  // The database is opened first so that a rotation is never left without its audit record
  // because the database was unavailable.
  return withDatabase(config, async (db) => {
    const result = await rotateSigningKeys(config.keysDir);
    await createAuditLog(db).record({
      type: 'keys.rotated',
      activated: result.activated,
      published: result.published,
      removed: result.removed,
    });
    const algs = new Map((await describeSigningKeys(config.keysDir)).map((k) => [k.kid, k.alg]));
    const show = (kids: readonly string[]) =>
      kids.length === 0 ? 'none' : kids.map((kid) => `${kid} (${algs.get(kid) ?? 'no longer published'})`).join(', ');
    console.log(`Rotated the signing keys in ${config.keysDir}:`);
    console.log(`  activated: ${show(result.activated)}`);
    console.log(`  published: ${show(result.published)}`);
    console.log(`  removed:   ${show(result.removed)}`);
    console.log('Running instances use the new keys after a restart.');
    return EXIT.ok;
  });
}
