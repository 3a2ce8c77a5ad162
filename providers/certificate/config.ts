import { z } from 'zod';
import { methodBase } from '../kit/schemas.ts';

const pem = z
  .string()
  .max(20_000)
  .regex(/-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/, 'a PEM certificate');

/** One CA whose certificates we accept, with the CRL it publishes (DER over HTTP). */
export const trustedCaSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/),
    certificate: pem,
    crlUrl: z.url({ protocol: /^https?$/ }),
  })
  .strict();

export const configSchema = z
  .object({
    ...methodBase(3),
    /** may a first sign-in create the person (the CA vouched for the ID number)? */
    enrol: z.boolean().default(true),
    /** the signing software's hand-off address; the sandbox simulator when absent (development only) */
    signerUrl: z.url().optional(),
    nonceTtlSeconds: z.number().int().min(60).max(900).default(300),
    /** explicit trust anchors (production) … */
    trustedCas: z.array(trustedCaSchema).min(1).max(20).optional(),
    /** … or download them once from the sandbox CA's developer console (development, tests) */
    sandboxConsole: z.boolean().optional(),
  })
  .strict()
  .transform((c) => ({ ...c, sandboxConsole: c.sandboxConsole ?? !c.trustedCas }))
  .refine((c) => c.sandboxConsole || c.trustedCas, {
    message: 'either trustedCas or sandboxConsole: true is needed',
    path: ['trustedCas'],
  })
  .refine((c) => !(c.sandboxConsole && c.trustedCas), {
    message: 'trustedCas and sandboxConsole: true exclude each other',
    path: ['sandboxConsole'],
  });

export type CertificateConfig = z.infer<typeof configSchema>;
export type TrustedCaConfig = z.infer<typeof trustedCaSchema>;
