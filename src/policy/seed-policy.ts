/**
 * The first policy version, built on first start from what configured the service before
 * policies were stored: config/methods.json with AUTHORITIES_FILE laid over it (each method's
 * settings checked by its own schema), the rate limits of rate-limit.ts (with the start-up
 * options' overrides) and the provider's lifetimes. After that, the stored versions decide:
 * changing config/methods.json's policy settings does nothing to a running city's policy.
 */
import { z } from 'zod';
import { ConfigError } from '../errors.ts';
import { describeIssues } from '../validation/issues.ts';
import type { MethodDefinition, MethodEnv } from '../../providers/kit/index.ts';
import { DEFAULT_SCOPES, type RateScope } from './rate-limit.ts';
import { methodEntryOf, rateLimitOf, type PolicyDocument, type PolicyDocumentSchema } from './policy-document.ts';
import { lifetimesWith } from './lifetimes.ts';
import { passwordRulesSchema } from './password-rules.ts';


export interface SeedInput {
  /** the registered methods (providers/registry.ts) and the one whose secret is the person's password */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  definitions: readonly MethodDefinition<any>[];
  passwordMethod?: string;
  schema: PolicyDocumentSchema;
  /** config/methods.json with AUTHORITIES_FILE (and a test's settings) laid over it */
  methodSettings: unknown;
  env: MethodEnv;
  /** rate-limit scopes replaced at start-up (tests, the bench) */
  rateScopes?: Record<string, RateScope>;
  ttl?: Partial<Record<'Interaction' | 'AccessToken' | 'Session', number>>;
}

const settingsFile = z.record(z.string(), z.unknown());

export function seedDocument(o: SeedInput): PolicyDocument {
  const file = settingsFile.safeParse(o.methodSettings ?? {});
  if (!file.success) throw new ConfigError('config/methods.json: must be an object keyed by method id');
  const methods: PolicyDocument['methods'] = {};
  let password: unknown = undefined;
  for (const def of o.definitions) {
    const r = def.configSchema.safeParse(file.data[def.id] ?? {});
    if (!r.success) throw new ConfigError(`config/methods.json: "${def.id}": ${describeIssues(r.error, '(settings)')}`);
    const parsed = r.data as Record<string, unknown>;
    if (def.id === o.passwordMethod) password = parsed.password;
    methods[def.id] = methodEntryOf(parsed, kioskOf(def, parsed, o.env));
  }
  const lifetimes = lifetimesWith(o.ttl);
  // an override changes the numbers it names; the rest of the scope stays (as the limiter does)
  const rateLimits = Object.fromEntries(Object.entries(DEFAULT_SCOPES).map(([name, s]) => [name, rateLimitOf({ ...s, ...o.rateScopes?.[name] })]));
  const doc = { methods, clients: {}, global: { lifetimes, rateLimits, password: passwordRulesSchema.parse(password ?? {}) } };
  const checked = o.schema.safeParse(doc);
  if (!checked.success) throw new ConfigError(`the first policy version, from config/: ${describeIssues(checked.error)}`);
  return checked.data;
}

/** Where the method may be offered, as its definition says; unknown when it cannot be built here (it is off, say, without credentials). */
function kioskOf(def: SeedInput['definitions'][number], parsed: unknown, env: MethodEnv): boolean | undefined {
  try {
    return def.create(parsed, env).kiosk === true;
  } catch {
    return undefined;
  }
}
