/**
 * All key material the service needs, from one place.
 * Development: generated into `keys/` on first start and reused afterwards.
 * Production: only from the environment; a missing or invalid value stops start-up, naming it.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { JWK } from 'jose';
import { z } from 'zod';
import { REPO_ROOT } from '../config/env.ts';
import { ConfigError } from '../errors.ts';
import {
  SIGNING_KEYS_FILE,
  generateSigningKey,
  parseSigningDocument,
  readIfExists,
  serialiseDocument,
  toProviderJwks,
  writeSecretFile,
  type SigningDocument,
} from './signing-keys.ts';

export interface Keys {
  /**
   * Private JWKs (kid, alg, use 'sig'); per alg ACTIVE first, then NEXT, then RETIRED; and the
   * document they came from, with each key's status (the seed of the database's signing keys).
   */
  signing: { keys: JWK[]; document: SigningDocument };
  /** The first signs cookies; the others still verify them. */
  cookieKeys: string[];
  dataKeys: { id: string; key: Buffer }[];
  activeDataKeyId: string;
  indexKey: Buffer;
  pairwiseSalt: Buffer;
  clientSecretKey: Buffer;
}

export interface LoadKeysOptions {
  production: boolean;
  /** Development only; defaults to `<repo>/keys`. */
  dir?: string;
  env: Record<string, string | undefined>;
}

export const DEFAULT_KEYS_DIR = join(REPO_ROOT, 'keys');
export const SECRETS_FILE = 'secrets.json';

const KEY_BYTES = 32;
const MIN_SALT_BYTES = 16;
const MIN_COOKIE_KEY_LENGTH = 32;
// Data key ids prefix ciphertexts up to the first dot, so they may not contain one.
const DATA_KEY_ID = /^[A-Za-z0-9_-]{1,64}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]+={0,2}|[A-Za-z0-9_-]+)$/;

export async function loadKeys(opts: LoadKeysOptions): Promise<Keys> {
  return opts.production ? loadFromEnv(opts.env) : loadDevelopmentKeys(opts.dir ?? DEFAULT_KEYS_DIR);
}

// ---------- shared value checks (messages never include the values) ----------

function decodeBase64(value: string): Buffer | null {
  const s = value.trim();
  if (!BASE64.test(s)) return null;
  return Buffer.from(s, s.includes('-') || s.includes('_') ? 'base64url' : 'base64');
}

function base64Bytes(rule: { exact?: number; min?: number }) {
  const want = rule.exact !== undefined ? `${rule.exact} bytes` : `at least ${rule.min} bytes`;
  return z.string().transform((value, ctx) => {
    const bytes = decodeBase64(value);
    const ok = bytes !== null && (rule.exact !== undefined ? bytes.length === rule.exact : bytes.length >= (rule.min ?? 0));
    if (!bytes || !ok) {
      ctx.addIssue({ code: 'custom', message: `must be base64 of ${want}` });
      return z.NEVER;
    }
    return bytes;
  });
}

const cookieKeyList = z.array(
  z.string().min(MIN_COOKIE_KEY_LENGTH, `each cookie key needs at least ${MIN_COOKIE_KEY_LENGTH} characters`),
).min(1, 'at least one cookie key is required');

const dataKeySchema = z.object({
  id: z.string().regex(DATA_KEY_ID, 'data key ids use only letters, digits, "-" and "_"'),
  key: base64Bytes({ exact: KEY_BYTES }),
});

function checkDataKeys(keys: readonly { id: string; key: Buffer }[], ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  for (const { id } of keys) {
    if (seen.has(id)) ctx.addIssue({ code: 'custom', message: `duplicate data key id "${id}"` });
    seen.add(id);
  }
}

function checkDistinct(keys: Pick<Keys, 'dataKeys' | 'indexKey' | 'clientSecretKey'>): string[] {
  const problems: string[] = [];
  // One leaked key must not open another use: the index key and the client-secret key stand alone.
  if (keys.dataKeys.some((d) => d.key.equals(keys.indexKey))) problems.push('the index key must differ from every data key');
  if (keys.indexKey.equals(keys.clientSecretKey)) problems.push('the client-secret key must differ from the index key');
  if (keys.dataKeys.some((d) => d.key.equals(keys.clientSecretKey))) {
    problems.push('the client-secret key must differ from every data key');
  }
  return problems;
}

function issueLines(error: z.ZodError, prefix: (path: readonly PropertyKey[]) => string): string[] {
  return error.issues.map((i) => `${prefix(i.path)}${i.message}`);
}

// ---------- production ----------

const ENV = {
  signing: 'TONGBAN_SIGNING_KEYS',
  signingFile: 'TONGBAN_SIGNING_KEYS_FILE',
  cookie: 'TONGBAN_COOKIE_KEYS',
  data: 'TONGBAN_DATA_KEYS',
  index: 'TONGBAN_INDEX_KEY',
  salt: 'TONGBAN_PAIRWISE_SALT',
  clientSecret: 'TONGBAN_CLIENT_SECRET_KEY',
} as const;

const required = (what: string) => ({
  error: (iss: { input: unknown }) => (iss.input === undefined ? 'is missing' : `must be ${what}`),
});

const envSchema = z.object({
  [ENV.cookie]: z
    .string(required('a comma-separated list'))
    .transform((s) => s.split(',').map((k) => k.trim()).filter((k) => k.length > 0))
    .pipe(cookieKeyList),
  [ENV.data]: z
    .string(required('"id:base64,…"'))
    .transform((s, ctx) => {
      const parts = s.split(',').map((p) => p.trim()).filter((p) => p.length > 0);
      const out: { id: string; key: string }[] = [];
      for (const part of parts) {
        const colon = part.indexOf(':');
        if (colon <= 0) {
          ctx.addIssue({ code: 'custom', message: 'each entry must look like "id:base64"' });
          return z.NEVER;
        }
        out.push({ id: part.slice(0, colon).trim(), key: part.slice(colon + 1).trim() });
      }
      return out;
    })
    .pipe(z.array(dataKeySchema).min(1, 'at least one data key is required').superRefine(checkDataKeys)),
  [ENV.index]: z.string(required('base64')).pipe(base64Bytes({ exact: KEY_BYTES })),
  [ENV.salt]: z.string(required('base64')).pipe(base64Bytes({ min: MIN_SALT_BYTES })),
  [ENV.clientSecret]: z.string(required('base64')).pipe(base64Bytes({ exact: KEY_BYTES })),
});

async function loadFromEnv(rawEnv: Record<string, string | undefined>): Promise<Keys> {
  // An empty variable is as good as a missing one.
  const env: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(rawEnv)) env[k] = v === undefined || v.trim() === '' ? undefined : v;

  const problems: string[] = [];
  let signing: JWK[] | undefined;
  let signingDocument: SigningDocument | undefined;

  const inline = env[ENV.signing];
  const file = env[ENV.signingFile];
  let signingText: string | undefined;
  let signingSource: string = ENV.signing;
  if (inline !== undefined && file !== undefined) {
    problems.push(`${ENV.signing} and ${ENV.signingFile}: set only one of them`);
  } else if (file !== undefined) {
    signingSource = ENV.signingFile;
    try {
      signingText = await readFile(file, 'utf8');
    } catch (err) {
      problems.push(`${ENV.signingFile}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  } else if (inline !== undefined) {
    signingText = inline;
  } else {
    problems.push(`${ENV.signing} (or ${ENV.signingFile}): is missing`);
  }
  if (signingText !== undefined) {
    const parsed = await parseSigningDocument(signingText, signingSource);
    if (parsed.ok) {
      signing = toProviderJwks(parsed.doc);
      signingDocument = parsed.doc;
    }
    else problems.push(...parsed.problems);
  }

  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    problems.push(...issueLines(parsed.error, (path) => `${path.map(String).join('.')}: `));
  } else {
    const v = parsed.data;
    const dataKeys = v[ENV.data];
    problems.push(
      ...checkDistinct({ dataKeys, indexKey: v[ENV.index], clientSecretKey: v[ENV.clientSecret] }).map(
        (p) => `${ENV.index}/${ENV.data}/${ENV.clientSecret}: ${p}`,
      ),
    );
    if (problems.length === 0 && signing && signingDocument) {
      return {
        signing: { keys: signing, document: signingDocument },
        cookieKeys: v[ENV.cookie],
        dataKeys,
        activeDataKeyId: dataKeys[0]!.id,
        indexKey: v[ENV.index],
        pairwiseSalt: v[ENV.salt],
        clientSecretKey: v[ENV.clientSecret],
      };
    }
  }
  throw new ConfigError(
    `Production key configuration is missing or invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
  );
}

// ---------- development ----------

const secretsFileSchema = z
  .object({
    cookieKeys: cookieKeyList,
    dataKeys: z.array(dataKeySchema).min(1).superRefine(checkDataKeys),
    activeDataKeyId: z.string(),
    indexKey: base64Bytes({ exact: KEY_BYTES }),
    pairwiseSalt: base64Bytes({ min: MIN_SALT_BYTES }),
    clientSecretKey: base64Bytes({ exact: KEY_BYTES }),
  })
  .refine((s) => s.dataKeys.some((d) => d.id === s.activeDataKeyId), {
    message: 'activeDataKeyId must name one of dataKeys',
    path: ['activeDataKeyId'],
  });

function newSecretsFile(): string {
  const b64 = (n: number) => randomBytes(n).toString('base64');
  const id = `dk-${randomBytes(4).toString('hex')}`;
  const doc = {
    cookieKeys: [randomBytes(32).toString('base64url'), randomBytes(32).toString('base64url')],
    dataKeys: [{ id, key: b64(KEY_BYTES) }],
    activeDataKeyId: id,
    indexKey: b64(KEY_BYTES),
    pairwiseSalt: b64(32),
    clientSecretKey: b64(KEY_BYTES),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

async function newSigningFile(): Promise<string> {
  const keys = [
    await generateSigningKey('ES256', 'active'),
    await generateSigningKey('RS256', 'active'),
    // Published from the start so the first rotation never signs with a key clients have not seen.
    await generateSigningKey('ES256', 'next'),
  ];
  return serialiseDocument({ keys });
}

/** Reads `name` from `dir`, creating it with `make()` when absent (without overwriting a concurrent creator). */
async function readOrCreate(dir: string, name: string, make: () => Promise<string> | string): Promise<string> {
  const path = join(dir, name);
  const existing = await readIfExists(path);
  if (existing !== null) return existing;
  await writeSecretFile(path, await make(), { exclusive: true });
  const written = await readIfExists(path);
  if (written === null) throw new ConfigError(`${path}: could not be created`);
  return written;
}

async function loadDevelopmentKeys(dir: string): Promise<Keys> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const signingPath = join(dir, SIGNING_KEYS_FILE);
  const secretsPath = join(dir, SECRETS_FILE);

  const signingText = await readOrCreate(dir, SIGNING_KEYS_FILE, newSigningFile);
  const signing = await parseSigningDocument(signingText, signingPath);
  // A damaged file is reported rather than replaced: new data keys would orphan encrypted data.
  if (!signing.ok) throw new ConfigError(`Development keys are invalid:\n${signing.problems.map((p) => `  - ${p}`).join('\n')}`);

  const secretsText = await readOrCreate(dir, SECRETS_FILE, newSecretsFile);
  let json: unknown;
  try {
    json = JSON.parse(secretsText);
  } catch {
    throw new ConfigError(`${secretsPath}: not valid JSON`);
  }
  const secrets = secretsFileSchema.safeParse(json);
  if (!secrets.success) {
    const lines = issueLines(secrets.error, (path) => `${secretsPath}: ${path.map(String).join('.')}: `);
    throw new ConfigError(`Development keys are invalid:\n${lines.map((l) => `  - ${l}`).join('\n')}`);
  }
  const s = secrets.data;
  const distinct = checkDistinct(s);
  if (distinct.length > 0) throw new ConfigError(`${secretsPath}: ${distinct.join('; ')}`);
  return {
    signing: { keys: toProviderJwks(signing.doc), document: signing.doc },
    cookieKeys: s.cookieKeys,
    dataKeys: s.dataKeys,
    activeDataKeyId: s.activeDataKeyId,
    indexKey: s.indexKey,
    pairwiseSalt: s.pairwiseSalt,
    clientSecretKey: s.clientSecretKey,
  };
}
