import { z } from 'zod';

/**
 * The organisation's credentials with the social-security authority: from configuration in
 * production, or downloaded once from the sandbox's developer console in development and tests.
 */
const credentials = z.union([
  z.object({ sandboxConsole: z.literal(true) }).strict(),
  z
    .object({
      orgCode: z.string().min(1).max(32),
      orgToken: z.string().min(16).max(512),
      /** the authority's PIN-encryption key (RSA, SPKI PEM), for RSA-OAEP-256 */
      pinPublicKey: z.string().startsWith('-----BEGIN PUBLIC KEY-----'),
    })
    .strict(),
]);

export const configSchema = z
  .object({
    enabled: z.boolean().default(true),
    level: z.union([z.literal(1), z.literal(2), z.literal(3)]).default(2),
    /** an unknown person whose card the authority vouches for is created (proofing `remote`) */
    enrol: z.boolean().default(true),
    /** the authority's base URL; defaults to `<authoritiesUrl>/social-security` */
    baseUrl: z.url({ protocol: /^https?$/ }).optional(),
    credentials: credentials.default({ sandboxConsole: true }),
    challenge: z
      .object({
        ttlSeconds: z.number().int().min(60).max(1800).default(600),
        maxAttempts: z.number().int().min(1).max(10).default(5),
      })
      .strict()
      .default({ ttlSeconds: 600, maxAttempts: 5 }),
  })
  .strict();

export type SocialSecurityCardConfig = z.infer<typeof configSchema>;
