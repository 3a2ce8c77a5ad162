import { z } from 'zod';
import { methodBase, formChallengeSchema } from '../kit/schemas.ts';

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
    ...methodBase(2),
    /** an unknown person whose card the authority vouches for is created (proofing `remote`) */
    enrol: z.boolean().default(true),
    /** the authority's base URL; defaults to `<authoritiesUrl>/social-security` */
    baseUrl: z.url({ protocol: /^https?$/ }).optional(),
    credentials: credentials.default({ sandboxConsole: true }),
    challenge: formChallengeSchema,
  })
  .strict();

export type SocialSecurityCardConfig = z.infer<typeof configSchema>;
