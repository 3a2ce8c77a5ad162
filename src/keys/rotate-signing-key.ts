/**
 * Signing-key rotation on the development key file (production rotates its own secret store
 * with the same document format). Running instances pick the result up at their next start.
 */
import { join } from 'node:path';
import { ConfigError } from '../errors.ts';
import {
  SIGNING_ALGS,
  SIGNING_KEYS_FILE,
  describeEntries,
  generateSigningKey,
  parseSigningDocument,
  readIfExists,
  serialiseDocument,
  writeSecretFile,
  type SigningAlg,
  type SigningDocument,
  type SigningKeyEntry,
  type SigningKeyInfo,
} from './signing-keys.ts';

export interface RotationResult {
  /** kids that now sign */
  activated: string[];
  /** kids newly published as NEXT */
  published: string[];
  /** retired kids no longer published */
  removed: string[];
}

async function readDocument(dir: string): Promise<{ path: string; doc: SigningDocument }> {
  const path = join(dir, SIGNING_KEYS_FILE);
  const text = await readIfExists(path);
  if (text === null) throw new ConfigError(`${path}: no signing keys yet (start the service once to generate them)`);
  const parsed = await parseSigningDocument(text, path);
  if (!parsed.ok) throw new ConfigError(`Signing keys are invalid:\n${parsed.problems.map((p) => `  - ${p}`).join('\n')}`);
  return { path, doc: parsed.doc };
}

export async function describeSigningKeys(dir: string): Promise<SigningKeyInfo[]> {
  return describeEntries((await readDocument(dir)).doc);
}

/**
 * For each alg: NEXT becomes ACTIVE and the old ACTIVE becomes RETIRED (still published, so its
 * tokens verify), then a fresh NEXT is published. An alg without a NEXT key only gets one now:
 * a key must be in the JWKS before it signs, so it activates at the following rotation.
 */
export async function rotateSigningKeys(dir: string, opts: { keepRetired?: number } = {}): Promise<RotationResult> {
  const keepRetired = opts.keepRetired ?? 2;
  if (!Number.isInteger(keepRetired) || keepRetired < 0) throw new Error('keepRetired must be a whole number >= 0');
  const { path, doc } = await readDocument(dir);
  const now = new Date().toISOString();
  const result: RotationResult = { activated: [], published: [], removed: [] };

  const algs = [...new Set(doc.keys.map((k) => k.alg))].sort(
    (a, b) => SIGNING_ALGS.indexOf(a) - SIGNING_ALGS.indexOf(b),
  );
  const keys: SigningKeyEntry[] = [];
  for (const alg of algs) {
    const own = doc.keys.filter((k) => k.alg === alg);
    const next = own.filter((k) => k.status === 'next');
    const updated = own.map((k): SigningKeyEntry => ({ ...k }));
    if (next.length > 0) {
      // Of several published NEXT keys the oldest has been visible longest.
      const promote = [...next].sort((a, b) => (a.created ?? '').localeCompare(b.created ?? ''))[0]!;
      for (const k of updated) {
        if (k.status === 'active') {
          k.status = 'retired';
          k.retired = now;
        } else if (k.kid === promote.kid) {
          k.status = 'active';
          result.activated.push(k.kid);
        }
      }
    }
    if (!updated.some((k) => k.status === 'next')) {
      const fresh = await generateSigningKey(alg as SigningAlg, 'next');
      updated.push(fresh);
      result.published.push(fresh.kid);
    }
    const retired = updated
      .filter((k) => k.status === 'retired')
      .sort((a, b) => (b.retired ?? b.created ?? '').localeCompare(a.retired ?? a.created ?? ''));
    const drop = new Set(retired.slice(keepRetired).map((k) => k.kid));
    for (const k of updated) {
      if (drop.has(k.kid)) result.removed.push(k.kid);
      else keys.push(k);
    }
  }

  await writeSecretFile(path, serialiseDocument({ keys }), { exclusive: false });
  return result;
}
