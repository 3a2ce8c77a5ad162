import { z } from 'zod';

export const configSchema = z
  .object({
    enabled: z.boolean().default(true),
    level: z.union([z.literal(1), z.literal(2), z.literal(3)]).default(1),
    password: z.object({ minLength: z.number().int().min(8).max(64).default(8) }).strict().default({ minLength: 8 }),
    otp: z
      .object({
        length: z.number().int().min(6).max(8).default(6),
        ttlSeconds: z.number().int().min(60).max(900).default(300),
        maxAttempts: z.number().int().min(1).max(10).default(5),
        resendSeconds: z.number().int().min(30).max(600).default(60),
      })
      .strict()
      .default({ length: 6, ttlSeconds: 300, maxAttempts: 5, resendSeconds: 60 }),
  })
  .strict();

export type IdCardPasswordConfig = z.infer<typeof configSchema>;
