/**
 * The rules a new password must meet, wherever it is set (registration, after a counter code):
 * a minimum length, letters and digits, and not one of the common passwords the policy refuses.
 * Methods get them through the kit (providers/kit/schemas.ts) as part of their settings.
 */
import { z } from 'zod';

export const PASSWORD_MAX_LENGTH = 128;

export const passwordRulesSchema = z
  .object({
    minLength: z.number().int().min(8).max(64).default(8),
    /** common passwords refused (compared without regard to case) */
    refused: z.array(z.string().min(1).max(PASSWORD_MAX_LENGTH)).max(100_000).default([]),
  })
  .strict();
export type PasswordRules = z.infer<typeof passwordRulesSchema>;
export const PASSWORD_DEFAULTS: PasswordRules = { minLength: 8, refused: [] };

// the refused list as a set, built once per settings object (a version's rules do not change)
const refusedSets = new WeakMap<readonly string[], ReadonlySet<string>>();
function refusedSet(list: readonly string[]): ReadonlySet<string> {
  let set = refusedSets.get(list);
  if (!set) {
    set = new Set(list.map((p) => p.toLowerCase()));
    refusedSets.set(list, set);
  }
  return set;
}

/** true when `password` may not be set under `rules` */
export function weakPassword(password: string, rules: PasswordRules): boolean {
  return (
    password.length < rules.minLength ||
    password.length > PASSWORD_MAX_LENGTH ||
    !/\p{L}/u.test(password) ||
    !/\d/.test(password) ||
    refusedSet(rules.refused).has(password.toLowerCase())
  );
}
