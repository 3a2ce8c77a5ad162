import { z } from 'zod';
import { methodBase, formChallengeSchema } from '../kit/schemas.ts';

/**
 * The app's credentials with the housing-fund centre: from configuration in production, or
 * downloaded once from the sandbox's developer console in development and tests.
 */
const credentials = z.union([
  z.object({ sandboxConsole: z.literal(true) }).strict(),
  z.object({ appid: z.string().min(1).max(64), appSecret: z.string().min(32).max(256) }).strict(),
]);

export const configSchema = z
  .object({
    ...methodBase(1),
    /**
     * false (default): a level-1 method creates nobody and links nothing; it signs in a person
     * who already exists. true: the centre's name and ID number create the person (proofing
     * `remote`) and link the fund account.
     */
    enrol: z.boolean().default(false),
    /** the centre's base URL; defaults to `<authoritiesUrl>/housing-fund` */
    baseUrl: z.url({ protocol: /^https?$/ }).optional(),
    credentials: credentials.default({ sandboxConsole: true }),
    challenge: formChallengeSchema,
  })
  .strict();

export type HousingFundConfig = z.infer<typeof configSchema>;
