/**
 * A policy document: everything security admins may change without a deployment, as one JSON
 * value that is versioned in PostgreSQL (policy-versions.ts), exported and imported as is.
 *
 *  - `methods`: per login method, `enabled`, `level`, `kiosk` and the method's other policy
 *    settings (OTP length, lifetime, attempts and resend interval, form and QR lifetimes, the
 *    face-match threshold, enrolment…), checked by the method's own config schema, the one
 *    config/methods.json is checked by. Where a method reaches its authority and with which
 *    credentials is deployment, not policy: those settings stay in config/ and AUTHORITIES_FILE
 *    (they are secret) and a document that names one is refused.
 *  - `clients`: per department app, the fields that override its registration (policy-data.ts).
 *  - `global`: session and token lifetimes, the rate limits and lockouts (rate-limit.ts), and the
 *    rules for a person's password (one password, whichever method sets it).
 */
import { z } from 'zod';
import { levelSchema } from '../validation/fields.ts';
import { clientOverrideSchema } from './policy-data.ts';
import { DEFAULT_SCOPES, type RateScope } from './rate-limit.ts';
import { passwordRulesSchema } from './password-rules.ts';
import { lifetimesSchema } from './lifetimes.ts';

export { DEFAULT_LIFETIMES, lifetimesSchema, type Lifetimes } from './lifetimes.ts';
import type { MethodDefinition } from '../../providers/kit/index.ts';

/** Method settings that say where an authority is and how we prove who we are to it. */
export const DEPLOYMENT_KEYS: ReadonlySet<string> = new Set([
  'credentials',
  'sandboxConsole',
  'trustedCas',
  'baseUrl',
  'platformUrl',
  'authorizeUrl',
  'gatewayUrl',
  'connectUrl',
  'apiUrl',
  'signerUrl',
  'appClientId',
]);

/** Settings that come from `global` into every method that has them (a person has one password). */
const GLOBAL_KEYS: ReadonlySet<string> = new Set(['password']);

const seconds = (max: number) => z.number().int().min(1).max(max);
const DAY = 86_400;

/** One rate limit (a scope of rate-limit.ts), named for what an admin decides. */
export const rateLimitSchema = z
  .object({
    /** failures (or requests) counted within `windowSeconds` before back-off starts */
    failures: z.number().int().min(1).max(10_000_000),
    windowSeconds: seconds(90 * DAY),
    /** the first pause; each next one doubles up to `backoffMaxSeconds` when `escalate` */
    backoffSeconds: seconds(90 * DAY),
    backoffMaxSeconds: seconds(90 * DAY),
    escalate: z.boolean(),
    /** total pause per day after which the limit stops locking (absent: unbounded) */
    budgetSeconds: seconds(DAY).optional(),
    onSuccess: z.enum(['clear', 'refund', 'keep']),
  })
  .strict()
  .refine((r) => r.backoffMaxSeconds >= r.backoffSeconds, { message: 'backoffMaxSeconds must be at least backoffSeconds', path: ['backoffMaxSeconds'] });
export type RateLimitRule = z.infer<typeof rateLimitSchema>;

const SCOPE_NAMES = Object.keys(DEFAULT_SCOPES);
const rateLimitsSchema = z.strictObject(Object.fromEntries(SCOPE_NAMES.map((s) => [s, rateLimitSchema])) as Record<string, typeof rateLimitSchema>);


const methodEntrySchema = z.looseObject({
  enabled: z.boolean(),
  level: levelSchema,
  /** may be offered on a hall kiosk; absent: what the method itself says */
  kiosk: z.boolean().optional(),
});

const clientIdSchema = z.string().regex(/^[a-z0-9][a-z0-9._-]{2,63}$/, 'a client id: lowercase letters, digits, ".", "_" or "-", 3 to 64');

const baseSchema = z
  .object({
    methods: z.record(z.string(), methodEntrySchema),
    clients: z.record(clientIdSchema, clientOverrideSchema.strict()),
    global: z.object({ lifetimes: lifetimesSchema, rateLimits: rateLimitsSchema, password: passwordRulesSchema }).strict(),
  })
  .strict();

/** What the document needs to know of each registered method (providers/registry.ts). */
export type MethodSchemas = ReadonlyArray<Pick<MethodDefinition<unknown>, 'id' | 'configSchema'>>;

export type PolicyDocument = z.infer<typeof baseSchema>;

/** Which global settings each method's schema has (by its defaults): a person has one password, whichever method sets it. */
function globalKeysOf(defs: MethodSchemas): Map<string, ReadonlySet<string>> {
  return new Map(
    defs.map((d) => {
      const r = d.configSchema.safeParse({});
      const keys = r.success && r.data && typeof r.data === 'object' ? Object.keys(r.data as object).filter((k) => GLOBAL_KEYS.has(k)) : [];
      return [d.id, new Set(keys)] as const;
    }),
  );
}

/** The method's settings a document gives (without `kiosk`, with the global ones it takes); undefined when it has no entry. */
export type SettingsOf = (doc: Pick<PolicyDocument, 'methods' | 'global'>, id: string) => Record<string, unknown> | undefined;

export function settingsReader(defs: MethodSchemas): SettingsOf {
  const takes = globalKeysOf(defs);
  return (doc, id) => {
    const entry = doc.methods[id];
    if (!entry) return undefined;
    const { kiosk: _kiosk, ...settings } = entry;
    for (const key of takes.get(id) ?? []) settings[key] = doc.global[key as keyof PolicyDocument['global']];
    return settings;
  };
}

/** The document's schema: its shape, and each method's settings checked by that method's own config schema. */
export function policyDocumentSchemaFor(defs: MethodSchemas) {
  const known = new Map(defs.map((d) => [d.id, d]));
  const settingsOf = settingsReader(defs);
  return baseSchema.superRefine((doc, ctx) => {
    for (const [id, entry] of Object.entries(doc.methods)) {
      const def = known.get(id);
      if (!def) {
        ctx.addIssue({ code: 'custom', path: ['methods', id], message: `unknown method (known: ${[...known.keys()].join(', ')})` });
        continue;
      }
      for (const key of Object.keys(entry)) {
        if (DEPLOYMENT_KEYS.has(key)) ctx.addIssue({ code: 'custom', path: ['methods', id, key], message: 'is deployment configuration (config/, AUTHORITIES_FILE), not policy' });
        if (GLOBAL_KEYS.has(key)) ctx.addIssue({ code: 'custom', path: ['methods', id, key], message: `is set for every method in global.${key}` });
      }
      const r = def.configSchema.safeParse(settingsOf(doc, id));
      if (!r.success) for (const issue of r.error.issues) ctx.addIssue({ code: 'custom', path: ['methods', id, ...issue.path.map(String)], message: issue.message });
    }
    for (const [clientId, rule] of Object.entries(doc.clients)) {
      for (const [i, m] of (rule.allowedMethods ?? []).entries()) {
        if (!known.has(m)) ctx.addIssue({ code: 'custom', path: ['clients', clientId, 'allowedMethods', i], message: `unknown method "${m}"` });
      }
    }
  });
}
export type PolicyDocumentSchema = ReturnType<typeof policyDocumentSchemaFor>;


/** The document's rate limits as the limiter's scopes. */
export function rateScopesOf(doc: PolicyDocument): Record<string, RateScope> {
  return Object.fromEntries(
    Object.entries(doc.global.rateLimits).map(([name, r]) => [
      name,
      {
        threshold: r.failures,
        windowSeconds: r.windowSeconds,
        baseSeconds: r.backoffSeconds,
        maxSeconds: r.backoffMaxSeconds,
        escalate: r.escalate,
        ...(r.budgetSeconds !== undefined ? { budgetSeconds: r.budgetSeconds } : {}),
        onSuccess: r.onSuccess,
      },
    ]),
  );
}

/** A limiter scope as the document writes it. */
export function rateLimitOf(s: RateScope): RateLimitRule {
  return {
    failures: s.threshold,
    windowSeconds: s.windowSeconds,
    backoffSeconds: s.baseSeconds,
    backoffMaxSeconds: s.maxSeconds,
    escalate: s.escalate ?? true,
    ...(s.budgetSeconds !== undefined ? { budgetSeconds: s.budgetSeconds } : {}),
    onSuccess: s.onSuccess ?? 'clear',
  };
}

/** The policy entry of a method from its parsed settings: its policy keys only, and where it may be offered. */
export function methodEntryOf(parsed: Record<string, unknown>, kiosk: boolean | undefined): PolicyDocument['methods'][string] {
  const entry = Object.fromEntries(Object.entries(parsed).filter(([k]) => !DEPLOYMENT_KEYS.has(k) && !GLOBAL_KEYS.has(k)));
  return { ...(entry as { enabled: boolean; level: 1 | 2 | 3 }), ...(kiosk !== undefined ? { kiosk } : {}) };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (v: unknown) => (v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));
// a list longer than this is told by what was added and removed, not printed whole
const LIST_SHOWN = 8;

function listChange(path: string, before: unknown[], after: unknown[]): string {
  const had = new Set(before.map(show));
  const has = new Set(after.map(show));
  const added = [...has].filter((x) => !had.has(x));
  const removed = [...had].filter((x) => !has.has(x));
  const few = (xs: string[]) => (xs.length <= LIST_SHOWN ? xs.join(', ') : `${xs.length} entries`);
  const parts = [added.length ? `+ ${few(added)}` : '', removed.length ? `− ${few(removed)}` : ''].filter(Boolean);
  return `${path}: ${parts.length ? parts.join('; ') : 'reordered'} (${after.length} in all)`;
}

/**
 * What changed from `a` to `b`, one readable line per changed value, in the documents' order:
 * "methods.sms-otp.level: 1 → 2", "clients.tax-portal: — → {…}" (added), long lists by their
 * additions and removals. Equal documents give no lines.
 */
export function diffDocuments(a: unknown, b: unknown, path = ''): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  if (isRecord(a) && isRecord(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((k) => diffDocuments(a[k], b[k], path ? `${path}.${k}` : k));
  }
  if (Array.isArray(a) && Array.isArray(b) && Math.max(a.length, b.length) > LIST_SHOWN) return [listChange(path, a, b)];
  return [`${path}: ${show(a)} → ${show(b)}`];
}
