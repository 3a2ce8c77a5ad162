/** Settings shapes every method's config.ts shares. */
import { z } from 'zod';
import { levelSchema } from '../../src/validation/fields.ts';

export { levelSchema };
/** the rules a new password must meet (the policy's `global.password`, laid into the settings of each method that sets one) */
export { passwordRulesSchema, PASSWORD_DEFAULTS, weakPassword, type PasswordRules } from '../../src/policy/password-rules.ts';

/**
 * The settings every method has, spread first into its own schema: off unless configuration
 * turns it on (registering a method enables it nowhere), and its level.
 */
export function methodBase(defaultLevel: 1 | 2 | 3) {
  return { enabled: z.boolean().default(false), level: levelSchema.default(defaultLevel) };
}

/** a one-step form's lifetime and the tries it allows (card + PIN, account + password) */
export const formChallengeSchema = z
  .object({
    ttlSeconds: z.number().int().min(60).max(1800).default(600),
    maxAttempts: z.number().int().min(1).max(10).default(5),
  })
  .strict()
  .default({ ttlSeconds: 600, maxAttempts: 5 });
