/**
 * Checks a signed identity assertion from the eID platform and opens the ID number and name
 * it carries for us. A bad signature is not the citizen's doing: the platform (or its key
 * configuration) cannot be trusted right now, so it is AuthorityUnavailable, like a platform
 * that is down. Everything else that is wrong about a well-signed assertion is a stable code.
 */
import { z } from 'zod';
import { compactDecrypt, compactVerify, errors as joseErrors } from 'jose';
import { AuthorityUnavailable, sameSecret } from '../kit/core.ts';
import { checkIdNumber, nameSchema } from '../kit/fields.ts';
import type { MessageKey, SharedState } from '../kit/index.ts';
import { AUTHORITY, type PlatformKeys } from './connector.ts';

/** Clock difference we accept between the platform and us. */
export const CLOCK_TOLERANCE_SECONDS = 30;
/** No assertion may live longer than this (exp - iat). */
export const MAX_LIFETIME_SECONDS = 300;

const jwe = z.string().regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/).max(4096);

const claims = z.object({
  iss: z.string().max(256),
  aud: z.union([z.string().max(256), z.array(z.string().max(256)).max(5)]),
  nonce: z.string().max(128),
  iat: z.number().int(),
  exp: z.number().int(),
  jti: z.string().min(8).max(128),
  /** the network-identity code: pseudonymous, stable per citizen per app */
  sub: z.string().regex(/^[A-Za-z0-9_-]{16,128}$/),
  mode: z.enum(['password', 'face']),
  id_enc: jwe,
  name_enc: jwe,
});

export interface OpenedAssertion {
  readonly idNumber: string;
  readonly name: string;
  readonly networkId: string;
  readonly mode: 'password' | 'face';
  readonly jti: string;
}

export type AssertionOutcome = { ok: true; value: OpenedAssertion } | { ok: false; reason: MessageKey };

async function verifySignature(keys: PlatformKeys, assertion: string): Promise<unknown> {
  try {
    const { payload } = await compactVerify(assertion, keys.verifyKeys, { algorithms: ['ES256'] });
    return JSON.parse(new TextDecoder().decode(payload));
  } catch (err) {
    if (err instanceof joseErrors.JWSSignatureVerificationFailed || err instanceof joseErrors.JWKSNoMatchingKey || err instanceof joseErrors.JOSEAlgNotAllowed) {
      throw new AuthorityUnavailable(AUTHORITY, 'signature', 'assertion signature does not verify against the platform keys');
    }
    throw new AuthorityUnavailable(AUTHORITY, 'malformed', 'assertion is not a well-formed JWS');
  }
}

async function open(keys: PlatformKeys, token: string): Promise<string> {
  try {
    const { plaintext } = await compactDecrypt(token, keys.decryptKey, {
      keyManagementAlgorithms: ['RSA-OAEP-256'],
      contentEncryptionAlgorithms: ['A256GCM'],
    });
    return new TextDecoder('utf-8', { fatal: true }).decode(plaintext);
  } catch {
    // encrypted to another key (ours rotated?) or damaged: the platform's answer is unusable
    throw new AuthorityUnavailable(AUTHORITY, 'malformed', 'an encrypted claim could not be decrypted with our key');
  }
}

/**
 * Order matters: signature, then "is it for us", then replay — an assertion addressed to us
 * is spent the first time we see it, whatever else is wrong with it, so a copy replayed in
 * another interaction is reported as a replay — then nonce and freshness, then decryption.
 */
export async function openAssertion(
  keys: PlatformKeys,
  shared: SharedState,
  assertion: string,
  expected: { nonce: string },
  now = Math.floor(Date.now() / 1000),
): Promise<AssertionOutcome> {
  const parsed = claims.safeParse(await verifySignature(keys, assertion));
  if (!parsed.success) throw new AuthorityUnavailable(AUTHORITY, 'malformed', 'assertion claims have an unexpected shape');
  const c = parsed.data;

  const audiences = Array.isArray(c.aud) ? c.aud : [c.aud];
  if (c.iss !== keys.issuer || audiences.length !== 1 || audiences[0] !== keys.appId) {
    return { ok: false, reason: 'gov_eid_invalid_assertion' };
  }
  if (!(await shared.once(`jti:${c.jti}`, MAX_LIFETIME_SECONDS + 2 * CLOCK_TOLERANCE_SECONDS))) {
    return { ok: false, reason: 'gov_eid_replay' };
  }
  if (!sameSecret(expected.nonce, c.nonce)) return { ok: false, reason: 'gov_eid_invalid_assertion' };
  if (c.iat > now + CLOCK_TOLERANCE_SECONDS || c.exp <= c.iat || c.exp - c.iat > MAX_LIFETIME_SECONDS) {
    return { ok: false, reason: 'gov_eid_invalid_assertion' };
  }
  if (c.exp < now - CLOCK_TOLERANCE_SECONDS) return { ok: false, reason: 'challenge_expired' };

  const id = checkIdNumber(await open(keys, c.id_enc));
  const name = (await open(keys, c.name_enc)).trim();
  if (!id.ok || !nameSchema.safeParse(name).success) {
    throw new AuthorityUnavailable(AUTHORITY, 'malformed', 'decrypted identity is not a valid ID number and name');
  }
  return { ok: true, value: { idNumber: id.idNumber, name, networkId: c.sub, mode: c.mode, jti: c.jti } };
}
