import { z } from 'zod';
import { methodBase } from '../kit/schemas.ts';

export const configSchema = z
  .object({
    ...methodBase(2),
    /** what the chooser promises; a login never exceeds it nor the approving app session's level */
    level: z.union([z.literal(1), z.literal(2)]).default(2),
    /** the city app's client id: only its access tokens may approve or reject a QR login */
    appClientId: z.string().min(3).max(64).default('city-app'),
    qr: z
      .object({
        ttlSeconds: z.number().int().min(30).max(600).default(120),
        pollSeconds: z.number().int().min(1).max(10).default(2),
      })
      .strict()
      .default({ ttlSeconds: 120, pollSeconds: 2 }),
  })
  .strict();

export type AppScanConfig = z.infer<typeof configSchema>;
