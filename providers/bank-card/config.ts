import { z } from 'zod';
import { methodBase } from '../kit/schemas.ts';
import { OTP_DEFAULTS, otpConfigSchema } from '../kit/otp.ts';

/**
 * Where the merchant id and API key the bank-verification authority issued come from: given
 * explicitly (production), or fetched once from the sandbox's developer console (development
 * and tests only). `signKey`, when the merchant enabled signed answers, makes signatures required.
 */
const credentials = z.union([
  z
    .object({
      merchantId: z.string().min(1).max(64),
      apiKey: z.string().min(16).max(256),
      signKey: z.string().min(16).max(256).optional(),
    })
    .strict(),
  z.object({ sandboxConsole: z.literal(true) }).strict(),
]);

export const configSchema = z
  .object({
    ...methodBase(2),
    /** base URL of the bank-verification authority; `<authoritiesUrl>/bank` when absent */
    baseUrl: z.url({ protocol: /^https?$/ }).optional(),
    credentials: credentials.default({ sandboxConsole: true }),
    /** policy: a verified ID number not yet known creates the person (proofing `remote`) */
    enrol: z.boolean().default(true),
    otp: otpConfigSchema.default(OTP_DEFAULTS),
  })
  .strict();

export type BankCardConfig = z.infer<typeof configSchema>;
export type BankCredentials = { merchantId: string; apiKey: string; signKey?: string };
