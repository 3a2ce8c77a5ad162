import { z } from 'zod';
import { methodBase } from '../kit/schemas.ts';

export const configSchema = z
  .object({
    ...methodBase(2),
    /** how long a printed code stays valid */
    ttlSeconds: z.number().int().min(300).max(7 * 24 * 3600).default(1800),
    length: z.number().int().min(8).max(12).default(8),
  })
  .strict();
export type CounterCodeConfig = z.infer<typeof configSchema>;
