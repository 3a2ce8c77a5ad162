/**
 * The signing-key document, shared by the development file (`keys/signing-keys.json`) and the
 * production variable (TONGBAN_SIGNING_KEYS): `{ "keys": [ <private JWK + status, created> ] }`.
 *
 * Status is what makes rotation safe: a NEXT key is published in the JWKS before it signs,
 * ACTIVE signs, RETIRED stays published so tokens it signed still verify until they expire.
 */
import { chmod, link, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { z } from 'zod';

export const SIGNING_ALGS = ['ES256', 'RS256', 'PS256', 'ES384'] as const;
export type SigningAlg = (typeof SIGNING_ALGS)[number];
export const KEY_STATUSES = ['active', 'next', 'retired'] as const;
export type KeyStatus = (typeof KEY_STATUSES)[number];

export const SIGNING_KEYS_FILE = 'signing-keys.json';

const entrySchema = z.looseObject({
  kid: z.string().min(1).max(128),
  alg: z.enum(SIGNING_ALGS),
  use: z.literal('sig').optional(),
  kty: z.string(),
  d: z.string({ error: 'must be a private key (member "d" is missing)' }).min(1),
  status: z.enum(KEY_STATUSES),
  created: z.iso.datetime().optional(),
  retired: z.iso.datetime().optional(),
});

export const signingDocumentSchema = z.object({ keys: z.array(entrySchema).min(1, 'must hold at least one key') });

export type SigningKeyEntry = z.infer<typeof entrySchema>;
export type SigningDocument = { keys: SigningKeyEntry[] };

export interface SigningKeyInfo {
  readonly kid: string;
  readonly alg: SigningAlg;
  readonly status: KeyStatus;
  readonly created?: string;
  readonly retired?: string;
}

const STATUS_ORDER: Record<KeyStatus, number> = { active: 0, next: 1, retired: 2 };

/** Problems with a document that zod's shape check cannot see; empty when the document is usable. */
export async function checkSigningDocument(doc: SigningDocument): Promise<string[]> {
  const problems: string[] = [];
  const kids = new Set<string>();
  const active = new Map<string, number>();
  for (const [i, entry] of doc.keys.entries()) {
    if (kids.has(entry.kid)) problems.push(`keys[${i}]: duplicate kid "${entry.kid}"`);
    kids.add(entry.kid);
    if (entry.status === 'active') active.set(entry.alg, (active.get(entry.alg) ?? 0) + 1);
    try {
      const key = await importJWK(stripMeta(entry), entry.alg);
      const algorithm = (key as CryptoKey).algorithm as { modulusLength?: number };
      if (algorithm.modulusLength !== undefined && algorithm.modulusLength < 2048) {
        problems.push(`keys[${i}] (${entry.kid}): RSA keys need at least 2048 bits`);
      }
    } catch {
      // The import error may quote key material, so it is not repeated here.
      problems.push(`keys[${i}] (${entry.kid}): not a usable private ${entry.alg} key`);
    }
  }
  // The provider signs with the first key of an alg, so every alg present needs exactly one ACTIVE key.
  for (const alg of new Set(doc.keys.map((k) => k.alg))) {
    const n = active.get(alg) ?? 0;
    if (n !== 1) problems.push(`${alg}: exactly one key must have status "active" (found ${n})`);
  }
  return problems;
}

function algRank(alg: string): number {
  const i = (SIGNING_ALGS as readonly string[]).indexOf(alg);
  return i < 0 ? SIGNING_ALGS.length : i;
}

/** ES256 first (the default), then per alg: ACTIVE, NEXT, RETIRED (most recently retired first). */
export function orderEntries(entries: readonly SigningKeyEntry[]): SigningKeyEntry[] {
  return [...entries].sort(
    (a, b) =>
      algRank(a.alg) - algRank(b.alg) ||
      STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
      (b.retired ?? b.created ?? '').localeCompare(a.retired ?? a.created ?? ''),
  );
}

function stripMeta(entry: SigningKeyEntry): JWK {
  const { status: _s, created: _c, retired: _r, ...jwk } = entry;
  return { ...jwk, use: 'sig' } as JWK;
}

/** Private JWKs for the provider, in the order it needs. */
export function toProviderJwks(doc: SigningDocument): JWK[] {
  return orderEntries(doc.keys).map(stripMeta);
}

export function describeEntries(doc: SigningDocument): SigningKeyInfo[] {
  return orderEntries(doc.keys).map(({ kid, alg, status, created, retired }) => ({
    kid,
    alg,
    status,
    ...(created !== undefined ? { created } : {}),
    ...(retired !== undefined ? { retired } : {}),
  }));
}

export async function generateSigningKey(alg: SigningAlg, status: KeyStatus): Promise<SigningKeyEntry> {
  const rsa = alg === 'RS256' || alg === 'PS256';
  const { privateKey } = await generateKeyPair(alg, { extractable: true, ...(rsa ? { modulusLength: 2048 } : {}) });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(jwk, 'sha256');
  return { ...jwk, kty: jwk.kty as string, d: jwk.d as string, kid, alg, use: 'sig', status, created: new Date().toISOString() };
}

/** Reads and validates a document; `source` names it in error messages. */
export async function parseSigningDocument(
  text: string,
  source: string,
): Promise<{ ok: true; doc: SigningDocument } | { ok: false; problems: string[] }> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // JSON.parse quotes the input in its message; that input holds private keys.
    return { ok: false, problems: [`${source}: not valid JSON`] };
  }
  const parsed = signingDocumentSchema.safeParse(json);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((i) => `${source}: ${formatPath(i.path)}${i.message}`),
    };
  }
  const problems = await checkSigningDocument(parsed.data);
  if (problems.length > 0) return { ok: false, problems: problems.map((p) => `${source}: ${p}`) };
  return { ok: true, doc: parsed.data };
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('') + ': ';
}

/**
 * Writes a secret file readable only by its owner. With `exclusive`, the file appears whole or
 * not at all and an existing one is left alone (returns false), so two processes starting at
 * once agree on one set of keys.
 */
export async function writeSecretFile(path: string, content: string, opts: { exclusive: boolean }): Promise<boolean> {
  const tmpDir = await mkdtemp(join(dirname(path), '.tmp-'));
  const tmp = join(tmpDir, 'file');
  try {
    await writeFile(tmp, content, { mode: 0o600 });
    await chmod(tmp, 0o600);
    if (!opts.exclusive) {
      await rename(tmp, path);
      return true;
    }
    try {
      await link(tmp, path);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw err;
    }
  } finally {
    await rm(tmpDir, { recursive: true, force: true });
  }
}

export async function readIfExists(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

export function serialiseDocument(doc: SigningDocument): string {
  return `${JSON.stringify({ keys: orderEntries(doc.keys) }, null, 2)}\n`;
}
