/**
 * The login-method contract. A method never sees HTTP requests or sessions: it answers
 * start() with a challenge to show and verify() with an outcome, keeping whatever state it
 * needs in `ctx.state` (ephemeral, bound to the interaction, with a TTL and an attempt count).
 * src/interaction is the only code that turns a verified outcome into a login.
 */
import type { z } from 'zod';
import type { Lang, MessageKey } from '../../src/i18n/messages.ts';
import type { Authorities } from '../../src/authorities/index.ts';

export type { Lang, MessageKey, Authorities };
export type Level = 1 | 2 | 3;
export type LocalText = { readonly 'zh-CN': string; readonly en: string };
export type MethodGroup = 'common' | 'cards' | 'apps';

export interface FieldSpec {
  readonly name: string;
  readonly label: LocalText;
  readonly type: 'text' | 'password' | 'tel';
  readonly autocomplete?: string;
  readonly inputMode?: 'numeric' | 'text' | 'tel';
  readonly maxLength: number;
  readonly hint?: LocalText;
}

/** What the page shows next. `step` is echoed back by the page so verify() knows what it got. */
export type Challenge =
  | { kind: 'form'; step: string; title: LocalText; fields: readonly FieldSpec[]; submit: LocalText; note?: LocalText }
  | {
      kind: 'otp_sent';
      step: string;
      title: LocalText;
      fields: readonly FieldSpec[];
      submit: LocalText;
      sentTo: string;
      resendAfter: number;
      expiresIn: number;
    }
  | { kind: 'redirect'; url: string }
  | { kind: 'qr'; step: string; title: LocalText; payload: string; expiresIn: number }
  | { kind: 'pending'; step: string; title: LocalText; pollAfter: number };

/** Who the method says this is. */
export type PersonClaim =
  /** an existing credential matched: the person is known */
  | { kind: 'credential'; personId: string; credentialId: string }
  /** an authority vouched for this resident ID number */
  | { kind: 'id_number'; idNumber: string };

export interface NewCredential {
  readonly method: string;
  /** the method's identifier in clear (phone, card number, ID number…); stored only as a blind index */
  readonly identifier: string;
  /** an argon2id hash, never the secret itself */
  readonly secretHash?: string;
}

/** A new person (or new credentials for an existing one), created in one transaction. */
export interface Enrolment {
  readonly name: string;
  readonly phone?: string;
  readonly proofing: 'remote' | 'in_person';
  readonly credentials: readonly NewCredential[];
}

export type VerifyResult =
  | {
      status: 'verified';
      claim: PersonClaim;
      level: Level;
      amr: readonly string[];
      enrol?: Enrolment;
      /** non-personal facts for the audit trail (authority request ids, scores…) */
      evidence: Readonly<Record<string, string | number | boolean>>;
    }
  | { status: 'pending'; challenge: Challenge }
  | {
      status: 'failed';
      reason: MessageKey;
      /** values for the message's placeholders, e.g. { field: '姓名' } */
      params?: Readonly<Record<string, string | number>>;
      retryAfter?: number;
      /** what to show again with the error; the flow's first challenge when absent */
      challenge?: Challenge;
    };

export interface StoredCredential {
  readonly personId: string;
  readonly credentialId: string;
  readonly secretHash: string | null;
  readonly status: 'active' | 'disabled';
}

export interface CredentialLookup {
  find(method: string, identifier: string): Promise<StoredCredential | null>;
  /** true when a person with this resident ID number exists */
  personExists(idNumber: string): Promise<boolean>;
}

export interface SecretHasher {
  hash(secret: string): Promise<string>;
  /** Verifies against `hash`; with null it verifies against a dummy hash so timing is the same, and returns false. */
  verify(hash: string | null, secret: string): Promise<boolean>;
}

/** Ephemeral state of one method within one interaction (one flow). */
export interface ChallengeState {
  get<T>(schema: z.ZodType<T>): Promise<T | null>;
  put(value: unknown, ttlSeconds: number): Promise<void>;
  /** atomically reads and removes the state: of two concurrent callers only one gets it */
  consume<T>(schema: z.ZodType<T>): Promise<T | null>;
  /** counts one attempt; `allowed` is false once more than `max` were made in this state's lifetime */
  attempt(max: number, ttlSeconds: number): Promise<{ allowed: boolean; remaining: number }>;
  clear(): Promise<void>;
  /** a throttle: true when `name` was not used in the last `seconds`; otherwise the seconds left */
  throttle(name: string, seconds: number): Promise<{ ok: true } | { ok: false; retryAfter: number }>;
}

export type RateKey = { readonly scope: string; readonly id: string };

export interface RateLimiter {
  /** refuses early when any key is in back-off */
  check(keys: readonly RateKey[]): Promise<{ ok: true } | { ok: false; retryAfter: number }>;
  /** records a failure on each key; returns the back-off now in force (0 when none) */
  fail(keys: readonly RateKey[]): Promise<number>;
  /** clears the keys after a success */
  reset(keys: readonly RateKey[]): Promise<void>;
}

/** One-time codes: generated from a CSPRNG, stored only as keyed digests, compared in constant time. */
export interface OneTimeCodes {
  generate(digits: number): string;
  digest(code: string): string;
  matches(digest: string, code: string): boolean;
}

export interface MethodContext {
  readonly interactionId: string;
  readonly codes: OneTimeCodes;
  readonly sourceIp: string;
  readonly lang: Lang;
  readonly state: ChallengeState;
  readonly credentials: CredentialLookup;
  readonly secrets: SecretHasher;
  readonly limits: RateLimiter;
  readonly authorities: Authorities;
}

export interface Flow {
  start(ctx: MethodContext): Promise<Challenge>;
  verify(ctx: MethodContext, input: Readonly<Record<string, string>>): Promise<VerifyResult>;
}

export interface LoginMethod {
  readonly id: string;
  readonly group: MethodGroup;
  readonly label: LocalText;
  readonly description: LocalText;
  readonly level: Level;
  readonly amr: readonly string[];
  readonly flows: { readonly login: Flow; readonly enrol?: Flow };
}

export interface MethodDefinition<C> {
  readonly id: string;
  readonly configSchema: z.ZodType<C>;
  create(config: C): LoginMethod;
}

export function defineMethod<C>(def: MethodDefinition<C>): MethodDefinition<C> {
  return def;
}
