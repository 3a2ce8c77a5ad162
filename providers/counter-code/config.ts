import { z } from 'zod';

export const configSchema = z
  .object({
    enabled: z.boolean().default(true),
    level: z.union([z.literal(1), z.literal(2), z.literal(3)]).default(2),
    /** how long a printed code stays valid */
    ttlSeconds: z.number().int().min(300).max(7 * 24 * 3600).default(1800),
    length: z.number().int().min(8).max(12).default(8),
  })
  .strict();
export type CounterCodeConfig = z.infer<typeof configSchema>;
