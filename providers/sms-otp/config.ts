import { z } from 'zod';
import { levelSchema } from '../kit/schemas.ts';
import { OTP_DEFAULTS, otpConfigSchema } from '../kit/otp.ts';

export const configSchema = z
  .object({
    enabled: z.boolean().default(true),
    level: levelSchema.default(1),
    otp: otpConfigSchema.default(OTP_DEFAULTS),
  })
  .strict();

export type SmsOtpConfig = z.infer<typeof configSchema>;
