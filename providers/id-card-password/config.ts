import { z } from 'zod';
import { methodBase, passwordRulesSchema, PASSWORD_DEFAULTS } from '../kit/schemas.ts';
import { OTP_DEFAULTS, otpConfigSchema } from '../kit/otp.ts';

export const configSchema = z
  .object({
    ...methodBase(1),
    password: passwordRulesSchema.default(PASSWORD_DEFAULTS),
    otp: otpConfigSchema.default(OTP_DEFAULTS),
  })
  .strict();

export type IdCardPasswordConfig = z.infer<typeof configSchema>;
