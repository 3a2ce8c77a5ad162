/**
 * Every login method the service knows, one line each. Adding a method = a folder in providers/,
 * its line here (and its simulator's in sandboxes.ts). config/methods.json (validated by each
 * method's own schema) enables them.
 */
import { z } from 'zod';
import { ConfigError } from '../src/errors.ts';
import { describeIssues } from '../src/validation/issues.ts';
import type { LoginMethod, MethodDefinition, MethodEnv, MethodRole } from './kit/index.ts';
import { method as idCardPassword } from './id-card-password/index.ts';
import { method as smsOtp } from './sms-otp/index.ts';
import { method as bankCard } from './bank-card/index.ts';
import { method as alipay } from './alipay/index.ts';
import { method as wechat } from './wechat/index.ts';
import { method as govEid } from './gov-eid/index.ts';
import { method as socialSecurityCard } from './social-security-card/index.ts';
import { method as housingFund } from './housing-fund/index.ts';
import { method as face } from './face/index.ts';
import { method as certificate } from './certificate/index.ts';
import { method as appScan } from './app-scan/index.ts';
import { method as counterCode } from './counter-code/index.ts';

// each method's own config type; the registry only needs `enabled`
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const DEFINITIONS: readonly MethodDefinition<any>[] = [
  idCardPassword,
  smsOtp,
  bankCard,
  alipay,
  wechat,
  govEid,
  socialSecurityCard,
  housingFund,
  face,
  certificate,
  appScan,
  counterCode,
];

/** The id of the method playing each role (from the definitions, enabled or not). */
export function methodRoles(): Partial<Record<MethodRole, string>> {
  const roles: Partial<Record<MethodRole, string>> = {};
  for (const def of DEFINITIONS) for (const r of def.roles ?? []) roles[r] ??= def.id;
  return roles;
}

const methodsFile = z.record(z.string(), z.unknown());

/**
 * `over` laid on `base` method by method (a test's settings over config/methods.json): a method
 * `over` names keeps the base's other settings, `enabled` included.
 */
export function overlaySettings(base: unknown, over: unknown): unknown {
  if (over === undefined) return base;
  const b = methodsFile.safeParse(base ?? {});
  const o = methodsFile.safeParse(over);
  if (!b.success || !o.success) return over;
  const out: Record<string, unknown> = { ...b.data };
  for (const [id, v] of Object.entries(o.data)) {
    const prev = out[id];
    out[id] = prev && typeof prev === 'object' && v && typeof v === 'object' ? { ...prev, ...v } : v;
  }
  return out;
}

/** Methods built before, by id, with their parsed settings as JSON: a method whose settings did not change is kept. */
export type BuiltMethods = Map<string, { settings: string; method: LoginMethod }>;

/**
 * The enabled methods, in registry order; a method missing from the settings uses its defaults.
 * With `built` (a new policy version), a method whose settings are unchanged stays the same
 * object (its connector keeps what it fetched); `built` is updated to what this call returns.
 */
export function createMethods(settings: unknown, env: MethodEnv, built?: BuiltMethods): Map<string, LoginMethod> {
  const parsed = methodsFile.safeParse(settings ?? {});
  if (!parsed.success) throw new ConfigError('config/methods.json: must be an object keyed by method id');
  const known = new Set(DEFINITIONS.map((d) => d.id));
  for (const id of Object.keys(parsed.data)) {
    if (!known.has(id)) throw new ConfigError(`config/methods.json: unknown method "${id}" (known: ${[...known].join(', ')})`);
  }
  const methods = new Map<string, LoginMethod>();
  // every method's refusal at once (one line each), so one failed start names all of them
  const problems: string[] = [];
  for (const def of DEFINITIONS) {
    const r = def.configSchema.safeParse(parsed.data[def.id] ?? {});
    if (!r.success) {
      problems.push(`config/methods.json: "${def.id}": ${describeIssues(r.error, '(settings)')}`);
      continue;
    }
    if (!r.data.enabled) continue;
    const key = JSON.stringify(r.data);
    const same = built?.get(def.id);
    if (same?.settings === key) {
      methods.set(def.id, same.method);
      continue;
    }
    try {
      methods.set(def.id, def.create(r.data, env));
      built?.set(def.id, { settings: key, method: methods.get(def.id)! });
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      problems.push(err.message);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems.join('\n'));
  return methods;
}
