/** Builds the MethodContext a login method runs with: state bound to the interaction, limits, codes. */
import { createHmac, randomInt } from 'node:crypto';
import type { z } from 'zod';
import type {
  Account,
  ChallengeState,
  CredentialLookup,
  MethodContext,
  OneTimeCodes,
  SecretHasher,
  SharedState,
} from '../../providers/kit/index.ts';
import type { Authorities } from '../authorities/index.ts';
import type { Lang } from '../i18n/messages.ts';
import type { EphemeralStore } from '../store/ephemeral.ts';
import type { ServiceLimiter } from '../policy/rate-limit.ts';
import { sameSecret } from '../crypto/constant-time.ts';

/** Encrypts method state at rest in the ephemeral store (it can hold ID numbers and card numbers). */
export interface Sealer {
  seal(plain: string, context: string): string;
  unseal(sealed: string, context: string): string;
}

export interface ContextServices {
  issuer: string;
  store: EphemeralStore;
  /** always set by the service; tests that build a context by hand may leave it out */
  sealer?: Sealer;
  credentials: CredentialLookup;
  secrets: SecretHasher;
  limits: ServiceLimiter;
  authorities: Authorities;
  codeKey: Buffer;
}

function parseJson<T>(raw: string | null, schema: z.ZodType<T>, open: (s: string) => string = (s) => s): T | null {
  if (raw === null) return null;
  try {
    const r = schema.safeParse(JSON.parse(open(raw)));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

/**
 * Where a method keeps one interaction's challenge; its counter and throttles add suffixes. The
 * braces are a Redis Cluster hash tag: all of one challenge's keys share a slot, so clearing it
 * is one command.
 */
export const challengeKey = (interactionId: string, methodId: string, flow: string) => `ch:{${interactionId}:${methodId}:${flow}}`;
/** the key of a challenge's attempt counter, beside its state (same hash tag, same slot) */
export const challengeCounterKey = (base: string) => `${base}:n`;

export function challengeState(store: EphemeralStore, base: string, sealer?: Sealer): ChallengeState {
  const counter = challengeCounterKey(base);
  const open = (s: string) => (sealer ? sealer.unseal(s, base) : s);
  const close = (s: string) => (sealer ? sealer.seal(s, base) : s);
  return {
    get: async (schema) => parseJson(await store.get(base), schema, open),
    put: (value, ttl) => store.set(base, close(JSON.stringify(value)), ttl),
    consume: async (schema) => parseJson(await store.consume(base), schema, open),
    async attempt(max, ttl) {
      const n = await store.incr(counter, ttl);
      return { allowed: n <= max, remaining: Math.max(0, max - n) };
    },
    clear: () => store.del([base, counter]),
    async throttle(name, seconds) {
      const key = `${base}:t:${name}`;
      if (await store.setIfAbsent(key, '1', seconds)) return { ok: true };
      return { ok: false, retryAfter: Math.max(1, await store.ttl(key)) };
    },
  };
}

export function sharedState(store: EphemeralStore, methodId: string, sealer?: Sealer): SharedState {
  const k = (key: string) => `m:${methodId}:${key}`;
  const open = (key: string) => (s: string) => (sealer ? sealer.unseal(s, k(key)) : s);
  const close = (key: string, s: string) => (sealer ? sealer.seal(s, k(key)) : s);
  return {
    get: async (key, schema) => parseJson(await store.get(k(key)), schema, open(key)),
    put: (key, value, ttl) => store.set(k(key), close(key, JSON.stringify(value)), ttl),
    consume: async (key, schema) => parseJson(await store.consume(k(key)), schema, open(key)),
    once: (key, ttl) => store.setIfAbsent(k(`once:${key}`), '1', ttl),
  };
}

export function oneTimeCodes(key: Buffer): OneTimeCodes {
  const digest = (code: string) => createHmac('sha256', key).update(`otp\0${code}`).digest('base64url');
  return {
    generate: (digits) => Array.from({ length: digits }, () => randomInt(10)).join(''),
    digest,
    matches: (stored, code) => sameSecret(stored, digest(code)),
  };
}

export function methodContext(
  services: ContextServices,
  call: {
    interactionId: string;
    methodId: string;
    flow: 'login' | 'enrol';
    sourceIp: string;
    lang: Lang;
    callbackUrl?: string;
    /** the browser's known-device id (see device-cookie.ts), when it has one */
    deviceId?: string;
  },
): MethodContext & { refusedAccount(): Account | undefined } {
  const limits = services.limits.forRequest({ sourceIp: call.sourceIp, deviceId: call.deviceId });
  // whose secret a refused guess was at: the audit trail counts refusals per identifier
  let refused: Account | undefined;
  return {
    refusedAccount: () => refused,
    interactionId: call.interactionId,
    callbackUrl: call.callbackUrl ?? `${services.issuer}/interaction/${call.interactionId}/callback/${call.methodId}`,
    shared: sharedState(services.store, call.methodId, services.sealer),
    sourceIp: call.sourceIp,
    lang: call.lang,
    state: challengeState(services.store, challengeKey(call.interactionId, call.methodId, call.flow), services.sealer),
    codes: oneTimeCodes(services.codeKey),
    credentials: services.credentials,
    secrets: services.secrets,
    limits: {
      ...limits,
      async guess(account, extra) {
        const r = await limits.guess(account, extra);
        if (!r.ok) refused = account;
        return r;
      },
    },
    authorities: services.authorities,
  };
}
