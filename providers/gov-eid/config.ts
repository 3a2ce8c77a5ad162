import { z } from 'zod';
import { methodBase } from '../kit/schemas.ts';

/** The platform's public signing keys (ES256); several while the platform rotates. */
const ecPublicJwk = z.looseObject({
  kty: z.literal('EC'),
  crv: z.literal('P-256'),
  x: z.string().min(40).max(64),
  y: z.string().min(40).max(64),
  kid: z.string().min(1).max(128).optional(),
});

/** Our app's private decryption key (RSA-OAEP-256): the platform encrypts ID numbers to its public half. */
const rsaPrivateJwk = z.looseObject({
  kty: z.literal('RSA'),
  n: z.string().min(300),
  e: z.string().min(1),
  d: z.string().min(300),
  p: z.string(),
  q: z.string(),
  dp: z.string(),
  dq: z.string(),
  qi: z.string(),
  kid: z.string().max(128).optional(),
});

export const explicitCredentials = z
  .object({
    /** our app's id at the eID platform: the `aud` of every assertion for us */
    appId: z.string().min(1).max(64),
    /** the platform's `iss` */
    platformIssuer: z.string().min(1).max(256),
    platformJwks: z.object({ keys: z.array(ecPublicJwk).min(1).max(10) }),
    ourEncryptionPrivateJwk: rsaPrivateJwk,
  })
  .strict();

export type EidCredentials = z.infer<typeof explicitCredentials>;

export const configSchema = z
  .object({
    ...methodBase(3),
    /** create the person on first sight (the platform proved the ID number remotely) */
    enrol: z.boolean().default(true),
    /** the platform's base URL; `<authoritiesUrl>/eid` when absent */
    platformUrl: z.url({ protocol: /^https?$/ }).optional(),
    /**
     * Credentials the platform issued us: explicit (production), or fetched once from the
     * sandbox's developer console (development and tests only).
     */
    credentials: z
      .union([z.object({ sandboxConsole: z.literal(true) }).strict(), explicitCredentials])
      .default({ sandboxConsole: true }),
    challenge: z
      .object({
        ttlSeconds: z.number().int().min(30).max(300).default(120),
        pollSeconds: z.number().int().min(1).max(10).default(2),
        /** polls one QR may make (about ttl / poll, with room for the "check again" link) */
        maxPolls: z.number().int().min(10).max(500).default(120),
      })
      .strict()
      .default({ ttlSeconds: 120, pollSeconds: 2, maxPolls: 120 }),
  })
  .strict();

export type GovEidConfig = z.infer<typeof configSchema>;
