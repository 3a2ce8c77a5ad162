/**
 * The parameters of the policy table, as plain data: built from the method definitions and
 * configuration at start-up, validated by zod, so they can later come from a stored document
 * that security admins edit without the checks changing.
 */
import { z } from 'zod';
import type { Level, LoginMethod } from '../../providers/kit/index.ts';
import { DEFAULT_FACTORS } from './levels.ts';
import { countCacheReload } from '../metrics/index.ts';

const level = z.union([z.literal(1), z.literal(2), z.literal(3)]);

export const methodRuleSchema = z.object({
  /** the level this method reaches alone */
  level,
  /** the RFC 8176 values it proves */
  amr: z.array(z.string()),
  /** may be offered at a hall kiosk (typed codes and passwords, SMS, the city-app QR) */
  kiosk: z.boolean(),
  /** must never be the only way in offered (face recognition) */
  neverAlone: z.boolean(),
  /** may be bound to a signed-in person from the account page */
  bindable: z.boolean(),
});
export type MethodRule = z.infer<typeof methodRuleSchema>;

/** A client's rule; each field overrides what the client's registration says. */
export const clientOverrideSchema = z.object({
  minLevel: level.optional(),
  /** null: every enabled method */
  allowedMethods: z.array(z.string()).nullable().optional(),
  kiosk: z.boolean().optional(),
  /** seconds since the last verification after which the client needs a new one */
  maxAuthAge: z.number().int().positive().optional(),
  /** family proxy at this client: allowed (overrides the registration), and for level-3 requests */
  proxyAllowed: z.boolean().optional(),
  proxyLevel3: z.boolean().optional(),
});

export const policyDataSchema = z.object({
  /** enabled methods, keyed by id, in the order they are offered */
  methods: z.record(z.string(), methodRuleSchema),
  /** which factor each amr value counts as: two different factors reach at least level 2 */
  factors: z.record(z.string(), z.enum(['know', 'have', 'are'])),
  clients: z.record(z.string(), clientOverrideSchema),
});
export type PolicyData = z.infer<typeof policyDataSchema>;
export type Factors = PolicyData['factors'];

/** Where the policy's parameters are read from, at each decision (so a change applies to the next one). */
export interface PolicySource {
  data(): PolicyData;
}

export function staticPolicy(data: PolicyData): PolicySource {
  const checked = policyDataSchema.parse(data);
  // loaded once; a source that reloads counts each reload the same way
  countCacheReload('policy', 'ok');
  return { data: () => checked };
}

type MethodFields = Pick<LoginMethod, 'id' | 'level' | 'amr' | 'neverAlone' | 'bindable' | 'kiosk'> & Partial<Pick<LoginMethod, 'factors'>>;

/** A method's rule from its definition. */
export function methodRuleOf(m: MethodFields): MethodRule {
  return {
    level: m.level as Level,
    amr: [...m.amr],
    kiosk: m.kiosk === true,
    neverAlone: m.neverAlone === true,
    bindable: m.bindable === true,
  };
}

/** The policy data of the enabled methods (each names the factor its amr values count as), with per-client overrides. */
export function policyDataFrom(methods: Iterable<MethodFields>, clients: PolicyData['clients'] = {}): PolicyData {
  const data: PolicyData = { methods: {}, factors: { ...DEFAULT_FACTORS }, clients };
  for (const m of methods) {
    data.methods[m.id] = methodRuleOf(m);
    Object.assign(data.factors, m.factors ?? {});
  }
  return policyDataSchema.parse(data);
}
