import { z } from 'zod';
import { methodBase } from '../kit/schemas.ts';
import { OTP_DEFAULTS, otpConfigSchema } from '../kit/otp.ts';

export const configSchema = z
  .object({
    ...methodBase(1),
    password: z.object({ minLength: z.number().int().min(8).max(64).default(8) }).strict().default({ minLength: 8 }),
    otp: otpConfigSchema.default(OTP_DEFAULTS),
  })
  .strict();

export type IdCardPasswordConfig = z.infer<typeof configSchema>;
