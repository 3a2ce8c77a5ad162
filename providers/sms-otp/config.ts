import { z } from 'zod';
import { methodBase } from '../kit/schemas.ts';
import { OTP_DEFAULTS, otpConfigSchema } from '../kit/otp.ts';

export const configSchema = z
  .object({
    ...methodBase(1),
    otp: otpConfigSchema.default(OTP_DEFAULTS),
  })
  .strict();

export type SmsOtpConfig = z.infer<typeof configSchema>;
