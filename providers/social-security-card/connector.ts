/**
 * The social-security authority's card check: `POST <base>/api/v2/card/verify` with the
 * organisation's bearer token. The PIN travels only inside `pinBlock`, RSA-OAEP-256-encrypted
 * under the authority's key together with the card number, a timestamp and a nonce.
 */
import { constants, createPublicKey, publicEncrypt, randomBytes, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { consoleCredentials } from '../kit/console-credentials.ts';
import { callAuthority, AuthorityUnavailable, ConfigError } from '../kit/core.ts';
import type { MethodEnv } from '../kit/index.ts';
import { checkIdNumber, nameSchema } from '../kit/fields.ts';
import type { SocialSecurityCardConfig } from './config.ts';

export const AUTHORITY = 'social-security';

export type CardCheck =
  | { kind: 'holder'; idNumber: string; name: string; cardStatus: 'normal' | 'lost' | 'frozen' }
  /** a wrong PIN and an unknown card are one outcome to us */
  | { kind: 'refused' }
  | { kind: 'locked' };

export interface CardVerifier {
  verify(cardNo: string, pin: string): Promise<CardCheck>;
}

interface OrgCredentials {
  orgCode: string;
  orgToken: string;
  pinKey: KeyObject;
}

const consoleAnswer = z.object({
  orgCode: z.string().min(1).max(32),
  orgToken: z.string().min(16).max(512),
  pinKey: z.object({ alg: z.literal('RSA-OAEP-256'), spki: z.string().max(4096) }),
});

const verifyAnswer = z.union([
  z.object({
    code: z.literal(0),
    data: z.object({ idNumber: z.string().max(32), name: z.string().max(64), cardStatus: z.enum(['normal', 'lost', 'frozen']) }),
  }),
  z.object({ code: z.literal(1001), msg: z.string(), remainingTries: z.number().int().min(0) }),
  z.object({ code: z.union([z.literal(1002), z.literal(1003)]), msg: z.string() }),
  // any other code: a request the authority refused (1004 bad PIN block, 4001…)
  z.object({ code: z.number().int().refine((c) => c !== 0), msg: z.string().max(500) }),
]);

function rsaKey(pem: string): KeyObject | null {
  try {
    const key = createPublicKey(pem);
    return key.asymmetricKeyType === 'rsa' ? key : null;
  } catch {
    return null;
  }
}

export function createCardVerifier(cfg: SocialSecurityCardConfig, env: MethodEnv): CardVerifier {
  const base = (cfg.baseUrl ?? `${env.authoritiesUrl}/${AUTHORITY}`).replace(/\/+$/, '');
  let fixed: OrgCredentials | null = null;
  if ('orgToken' in cfg.credentials) {
    const pinKey = rsaKey(cfg.credentials.pinPublicKey);
    if (!pinKey) throw new ConfigError('config/methods.json: "social-security-card": credentials.pinPublicKey is not an RSA public key');
    fixed = { orgCode: cfg.credentials.orgCode, orgToken: cfg.credentials.orgToken, pinKey };
  }
  const credentials = consoleCredentials({
    authority: AUTHORITY,
    baseUrl: base,
    schema: consoleAnswer,
    timeoutMs: env.timeoutMs,
    fixed,
    map: (a): OrgCredentials => {
      const pinKey = rsaKey(a.pinKey.spki);
      if (!pinKey) throw new AuthorityUnavailable(AUTHORITY, 'malformed', 'the console’s PIN key is not an RSA public key');
      return { orgCode: a.orgCode, orgToken: a.orgToken, pinKey };
    },
  });

  function pinBlock(key: KeyObject, cardNo: string, pin: string): string {
    const plain = JSON.stringify({ pin, cardNo, ts: Math.floor(Date.now() / 1000), nonce: randomBytes(16).toString('hex') });
    return publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, Buffer.from(plain)).toString('base64');
  }

  return {
    async verify(cardNo, pin) {
      const org = await credentials.get();
      const answer = await callAuthority({
        authority: AUTHORITY,
        url: `${base}/api/v2/card/verify`,
        method: 'POST',
        headers: { authorization: `Bearer ${org.orgToken}` },
        body: { orgCode: org.orgCode, cardNo, pinBlock: pinBlock(org.pinKey, cardNo, pin) },
        schema: verifyAnswer,
        timeoutMs: env.timeoutMs,
        // each call counts against the card's PIN tries: never repeated
        retries: 0,
      });
      if ('data' in answer) {
        const id = checkIdNumber(answer.data.idNumber);
        if (!id.ok || !nameSchema.safeParse(answer.data.name).success) {
          throw new AuthorityUnavailable(AUTHORITY, 'malformed', 'holder data is not a valid ID number and name');
        }
        return { kind: 'holder', idNumber: id.idNumber, name: answer.data.name, cardStatus: answer.data.cardStatus };
      }
      if (answer.code === 1001 || answer.code === 1002) return { kind: 'refused' };
      if (answer.code === 1003) return { kind: 'locked' };
      // the console may have rotated its key since we downloaded it
      credentials.forget();
      throw new AuthorityUnavailable(AUTHORITY, 'http', `request refused with code ${answer.code}`);
    },
  };
}
