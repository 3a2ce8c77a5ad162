import { z } from 'zod';
import { methodBase } from '../kit/schemas.ts';

/**
 * Where the face authority's app id and API key come from: given explicitly (production), or
 * fetched once from the sandbox's developer console (development and tests only).
 */
const credentials = z.union([
  z.object({ appId: z.string().min(1).max(64), apiKey: z.string().min(16).max(256) }).strict(),
  z.object({ sandboxConsole: z.literal(true) }).strict(),
]);

export const configSchema = z
  .object({
    ...methodBase(2),
    /** base URL of the face authority; `<authoritiesUrl>/face` when absent */
    baseUrl: z.url({ protocol: /^https?$/ }).optional(),
    credentials: credentials.default({ sandboxConsole: true }),
    /** policy: the lowest 1:1 similarity score (0–100) that counts as the same person */
    threshold: z.number().min(50).max(100).default(80),
    /** liveness sessions one interaction may start */
    sessionsPerInteraction: z.number().int().min(1).max(10).default(3),
    /** how long the consent and the capture session stay valid, in seconds */
    ttlSeconds: z.number().int().min(60).max(900).default(600),
    /** face alone does not create a person unless an admin allows it */
    enrol: z.boolean().default(false),
  })
  .strict();

export type FaceConfig = z.infer<typeof configSchema>;
export type FaceCredentials = { appId: string; apiKey: string };
