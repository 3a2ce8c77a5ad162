/**
 * The national eID (CTID) platform: create an authentication request for our challenge, then
 * pull its result. Pull, so the method never needs an inbound endpoint. The keys the platform
 * issued us come from config, or once from the sandbox's developer console.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { createLocalJWKSet, type JWTVerifyGetKey } from 'jose';
import { callAuthority, AuthorityUnavailable, ConfigError } from '../kit/core.ts';
import type { MethodEnv } from '../kit/index.ts';
import { explicitCredentials, type EidCredentials, type GovEidConfig } from './config.ts';
import { refuseConsoleInProduction, consoleCredentials } from '../kit/console-credentials.ts';

/** the eID platform's one name: connector, sandbox mount, audit and failure control */
export const AUTHORITY = 'eid';

/** Credentials ready to use: the platform's keys for verifying, ours for decrypting. */
export interface PlatformKeys {
  readonly appId: string;
  readonly issuer: string;
  readonly verifyKeys: JWTVerifyGetKey;
  readonly decryptKey: KeyObject;
}

const created = z.object({
  requestId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
  qrContent: z.url({ protocol: /^https?$/ }).max(512),
  expiresIn: z.number().int().min(1).max(600),
});
export type CreatedRequest = z.infer<typeof created>;

const result = z.discriminatedUnion('status', [
  z.object({ status: z.literal('pending') }),
  z.object({ status: z.literal('expired') }),
  z.object({ status: z.literal('done'), assertion: z.string().min(20).max(16_000) }),
]);
export type RequestResult = z.infer<typeof result>;

export interface EidPlatform {
  keys(): Promise<PlatformKeys>;
  createRequest(challenge: string, audience: string): Promise<CreatedRequest>;
  result(requestId: string): Promise<RequestResult>;
}

/** Turns JWKs into key objects; throws on a key that is not what it claims to be. */
function toKeys(c: EidCredentials): PlatformKeys {
  for (const jwk of c.platformJwks.keys) createPublicKey({ key: jwk, format: 'jwk' });
  const decryptKey = createPrivateKey({ key: c.ourEncryptionPrivateJwk, format: 'jwk' });
  if (decryptKey.asymmetricKeyType !== 'rsa' || (decryptKey.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) {
    throw new Error('the encryption key must be RSA, at least 2048 bits');
  }
  return { appId: c.appId, issuer: c.platformIssuer, verifyKeys: createLocalJWKSet(c.platformJwks), decryptKey };
}

export function createPlatform(cfg: GovEidConfig, env: MethodEnv): EidPlatform {
  const base = (cfg.platformUrl ?? `${env.authoritiesUrl.replace(/\/+$/, '')}/${AUTHORITY}`).replace(/\/+$/, '');
  const creds = cfg.credentials;
  let ready: PlatformKeys | null = null;

  if (!('sandboxConsole' in creds)) {
    try {
      ready = toKeys(creds);
    } catch (err) {
      throw new ConfigError(`config/methods.json: "gov-eid": credentials: ${(err as Error).message}`);
    }
  } else {
    refuseConsoleInProduction(env, 'gov-eid', true, 'give appId, platformIssuer, platformJwks and ourEncryptionPrivateJwk');
  }

  const keys = consoleCredentials({
    authority: AUTHORITY,
    baseUrl: base,
    schema: explicitCredentials,
    timeoutMs: env.timeoutMs,
    fixed: ready,
    map: (c) => {
      try {
        return toKeys(c);
      } catch {
        throw new AuthorityUnavailable(AUTHORITY, 'malformed', 'unusable keys from the developer console');
      }
    },
  });

  return {
    keys() {
      // lazy and once; a failed download is tried again by the next caller
      return keys.get();
    },
    async createRequest(challenge, audience) {
      const { appId } = await this.keys();
      const answer = await callAuthority({
        authority: AUTHORITY,
        url: `${base}/v1/auth/requests`,
        method: 'POST',
        body: { appId, challenge, audience },
        schema: created,
        timeoutMs: env.timeoutMs,
        // creating a request is not idempotent: a retry would leave a second QR behind
        retries: 0,
      });
      if (env.production && !answer.qrContent.startsWith('https://')) {
        throw new AuthorityUnavailable(AUTHORITY, 'malformed', 'QR content is not an https URL');
      }
      return answer;
    },
    async result(requestId) {
      const { appId } = await this.keys();
      return callAuthority({
        authority: AUTHORITY,
        url: `${base}/v1/auth/requests/${encodeURIComponent(requestId)}?appId=${encodeURIComponent(appId)}`,
        method: 'GET',
        schema: result,
        timeoutMs: env.timeoutMs,
        retries: 1,
      });
    },
  };
}
