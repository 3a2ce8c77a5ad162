import { z } from 'zod';
import { OTP_DEFAULTS, otpConfigSchema } from '../kit/otp.ts';

export const configSchema = z
  .object({
    enabled: z.boolean().default(true),
    level: z.union([z.literal(1), z.literal(2), z.literal(3)]).default(1),
    otp: otpConfigSchema.default(OTP_DEFAULTS),
  })
  .strict();

export type SmsOtpConfig = z.infer<typeof configSchema>;
