import { z } from 'zod';
import { methodBase, passwordRulesSchema, PASSWORD_DEFAULTS } from '../kit/schemas.ts';

export const configSchema = z
  .object({
    ...methodBase(2),
    /** how long a printed code stays valid */
    ttlSeconds: z.number().int().min(300).max(7 * 24 * 3600).default(1800),
    length: z.number().int().min(8).max(12).default(8),
    /** the rules for the password a citizen may choose after the code */
    password: passwordRulesSchema.default(PASSWORD_DEFAULTS),
  })
  .strict();
export type CounterCodeConfig = z.infer<typeof configSchema>;
