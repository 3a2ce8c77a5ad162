/**
 * What a policy version means in this process: the login methods built from the document's
 * settings (with this deployment's addresses and credentials from config/ and AUTHORITIES_FILE),
 * the policy table's data, the rate limits and the lifetimes. Built once per version, never per
 * request; the rest of the code reads them through live views (`liveMethods`) that follow the
 * version in force.
 */
import type { LoginMethod, MethodEnv } from '../../providers/kit/index.ts';
import type { BuiltMethods, createMethods } from '../../providers/registry.ts';
import { policyDataFrom, type PolicyData } from './policy-data.ts';
import { DEPLOYMENT_KEYS, rateScopesOf, settingsReader, type Lifetimes, type MethodSchemas, type PolicyDocument } from './policy-document.ts';
import type { RateScope } from './rate-limit.ts';

export interface AppliedPolicy {
  data: PolicyData;
  methods: ReadonlyMap<string, LoginMethod>;
  rateScopes: Record<string, RateScope>;
  lifetimes: Lifetimes;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * `settings`: config/methods.json with AUTHORITIES_FILE laid over it; only its deployment keys
 * are used (the document decides the rest). `built`: methods built before (kept when unchanged).
 */
export function policyBuilder(o: {
  settings: unknown;
  env: MethodEnv;
  /** the registry's methods and its builder (providers/registry.ts) */
  definitions: MethodSchemas;
  createMethods: typeof createMethods;
  built?: BuiltMethods;
}): (doc: PolicyDocument, trial: boolean) => AppliedPolicy {
  const settingsOf = settingsReader(o.definitions);
  const file = isRecord(o.settings) ? o.settings : {};
  const deployment = (id: string) => {
    const s = file[id];
    return isRecord(s) ? Object.fromEntries(Object.entries(s).filter(([k]) => DEPLOYMENT_KEYS.has(k))) : {};
  };
  const built: BuiltMethods = o.built ?? new Map();
  return (doc, trial) => {
    const settings = Object.fromEntries(o.definitions.map((d) => [d.id, { ...(settingsOf(doc, d.id) ?? { enabled: false }), ...deployment(d.id) }]));
    // a trial build must leave the methods in force as they are
    const methods = o.createMethods(settings, o.env, trial ? new Map(built) : built);
    const data = policyDataFrom(methods.values(), doc.clients);
    for (const [id, rule] of Object.entries(data.methods)) {
      const kiosk = doc.methods[id]?.kiosk;
      if (kiosk !== undefined) rule.kiosk = kiosk;
    }
    return { data, methods, rateScopes: rateScopesOf(doc), lifetimes: doc.global.lifetimes };
  };
}

/** A map that is always the methods of the version in force (the chooser, pages and APIs hold it). */
export function liveMethods(current: () => ReadonlyMap<string, LoginMethod>): ReadonlyMap<string, LoginMethod> {
  return {
    get size() {
      return current().size;
    },
    get: (id) => current().get(id),
    has: (id) => current().has(id),
    forEach: (fn, thisArg) => current().forEach(fn, thisArg),
    keys: () => current().keys(),
    values: () => current().values(),
    entries: () => current().entries(),
    [Symbol.iterator]: () => current()[Symbol.iterator](),
  };
}
