import { createPrivateKey, createPublicKey } from 'node:crypto';
import { z } from 'zod';
import { methodBase } from '../kit/schemas.ts';

const privatePem = z.string().refine((pem) => {
  try {
    return createPrivateKey(pem).asymmetricKeyType === 'rsa';
  } catch {
    return false;
  }
}, 'must be an RSA private key in PEM (PKCS#8)');

const publicPem = z.string().refine((pem) => {
  try {
    return createPublicKey(pem).asymmetricKeyType === 'rsa';
  } catch {
    return false;
  }
}, 'must be an RSA public key in PEM (SPKI)');

/** What the Alipay open-platform console issues to an app. */
const credentials = z
  .object({
    appId: z.string().regex(/^\d{10,32}$/),
    appPrivateKey: privatePem,
    alipayPublicKey: publicPem,
  })
  .strict();

const common = {
  ...methodBase(2),
  /** a certified Alipay user seen for the first time becomes a person (proofing `remote`) */
  enrol: z.boolean().default(true),
  /** defaults: the sandbox under AUTHORITIES_URL; in production https://openauth.alipay.com/oauth2/publicAppAuthorize.htm and https://openapi.alipay.com/gateway.do */
  authorizeUrl: z.url({ protocol: /^https?$/ }).optional(),
  gatewayUrl: z.url({ protocol: /^https?$/ }).optional(),
  stateTtlSeconds: z.number().int().min(60).max(1800).default(600),
};

/**
 * Either the app's credentials from the Alipay console, or (development and tests only)
 * `sandboxConsole: true`: fetch them once from the sandbox's console route.
 */
export const configSchema = z.union([
  z.object({ ...common, credentials, sandboxConsole: z.literal(false).default(false) }).strict(),
  z.object({ ...common, sandboxConsole: z.literal(true).default(true) }).strict(),
]);

export type AlipayConfig = z.infer<typeof configSchema>;
