/**
 * The login-method contract. A method never sees HTTP requests or sessions: it answers
 * start() with a challenge to show and verify() with an outcome, keeping whatever state it
 * needs in `ctx.state` (ephemeral, bound to the interaction, with a TTL and an attempt count).
 * src/interaction is the only code that turns a verified outcome into a login.
 */
import type { z } from 'zod';
import type { Lang, MessageKey } from '../../src/i18n/messages.ts';
import type { TextKey } from '../../src/i18n/ui.ts';
import type { Words } from '../../src/i18n/words.ts';
import type { Authorities } from '../../src/authorities/index.ts';
import { addMethodMessages } from '../../src/i18n/messages.ts';
import { addMethodText } from '../../src/i18n/method-text.ts';
import type { MethodMessages } from './messages.ts';

export type { Lang, MessageKey, Authorities };
/**
 * Words on a method's pages are catalogue keys: the method's own live in the `text` table of its
 * messages.ts (`<method id>.<name>`), words every method shares in the core's catalogue.
 */
export type { TextKey, Words };
export type Level = 1 | 2 | 3;
export type MethodGroup = 'common' | 'cards' | 'apps';
/** what an amr value proves: something the person knows, has, or is */
export type Factor = 'know' | 'have' | 'are';
export type { MethodMessages };

export interface FieldSpec {
  readonly name: string;
  readonly label: TextKey;
  /** a checkbox submits "yes" when ticked (separate consent, for example) */
  readonly type: 'text' | 'password' | 'tel' | 'checkbox';
  readonly autocomplete?: string;
  readonly inputMode?: 'numeric' | 'text' | 'tel';
  readonly maxLength: number;
  readonly hint?: TextKey;
  /** shown again with what was typed after an error (an ID number, a name, a phone; never a secret) */
  readonly keep?: boolean;
  /** may be left empty (not marked required) */
  readonly optional?: boolean;
}

/** What the page shows next. `step` is echoed back by the page so verify() knows what it got. */
export type Challenge =
  | {
      kind: 'form';
      step: string;
      title: TextKey;
      fields: readonly FieldSpec[];
      submit: TextKey;
      note?: Words;
      /** a page of our own that helps with this form (forgotten password), linked under it */
      help?: { readonly path: string; readonly label: TextKey };
    }
  | {
      kind: 'otp_sent';
      step: string;
      title: TextKey;
      fields: readonly FieldSpec[];
      submit: TextKey;
      sentTo: string;
      /** the page may not say a code was sent, only that one was if the number is known (sign-in by number alone) */
      hedged?: boolean;
      resendAfter: number;
      expiresIn: number;
    }
  /** the browser goes to an authority's page and comes back to ctx.callbackUrl (GET, its query is verify()'s input with step "callback") */
  | { kind: 'redirect'; url: string }
  /**
   * a QR code to scan with another device; the page asks verify() again with step `step` every
   * `pollAfter` seconds (with or without JavaScript) until it is no longer pending
   */
  | { kind: 'qr'; step: string; title: TextKey; payload: string; expiresIn: number; pollAfter: number; note?: Words }
  /**
   * hand-off to a program on this device (the UKey signing software): the page offers `url`
   * (which returns to ctx.callbackUrl) and waits like a QR
   */
  | { kind: 'pending'; step: string; title: TextKey; pollAfter: number; url?: string; note?: Words };

/** Who the method says this is. */
export type PersonClaim =
  /** an existing credential matched: the person is known */
  | { kind: 'credential'; personId: string; credentialId: string }
  /** an authority vouched for this resident ID number (with `enrol`, the person may be created) */
  | { kind: 'id_number'; idNumber: string }
  /**
   * a person already signed in with us elsewhere vouches for this login (the city app's own
   * session approving a QR): the person id comes from our own access token, never from input
   */
  | { kind: 'person'; personId: string }
  /**
   * an account that carries no ID number (WeChat, an uncertified Alipay user): it signs in
   * only once a signed-in person has bound it from the account page
   */
  | { kind: 'external'; method: string; identifier: string };

export interface NewCredential {
  readonly method: string;
  /** the method's identifier in clear (phone, card number, ID number…); stored only as a blind index */
  readonly identifier: string;
  /** an argon2id hash, never the secret itself */
  readonly secretHash?: string;
}

/** A secret a method sets for the person it verified, for itself or for another method (by id). */
export interface PersonCredential {
  readonly method: string;
  /** the identifier in clear; absent: the person's resident ID number */
  readonly identifier?: string;
  /** an argon2id hash, never the secret itself */
  readonly secretHash: string;
}

/**
 * A new person (or new credentials for an existing one), created in one transaction. For an
 * `id_number` claim it means: create the person if new (the method's policy allows it) and
 * bind these credentials; a credential bound to someone else refuses the whole login.
 */
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
      /**
       * credentials to set (or whose secret to replace) on the person, in the login's
       * transaction: a citizen let in by a counter code can choose a password, so they can come
       * back on their own
       */
      credentials?: readonly PersonCredential[];
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

/** One attempt counted by `reserve`, settled once by the caller. */
export interface Attempt {
  /** the secret was wrong: the attempt stays counted; returns the back-off now in force in seconds (0 when none) */
  failed(): Promise<number>;
  /** the secret was right: the account's failures are forgotten (and, for a guess, this device remembered for it) */
  succeeded(): Promise<void>;
  /** nothing was tested (the authority did not answer, the form was stale): the attempt is given back */
  release(): Promise<void>;
}

export type Reservation = ({ ok: true } & Attempt) | { ok: false; retryAfter: number };

export interface RateLimiter {
  /**
   * Check and count in one atomic step per key: refuses when any key is in back-off or has its
   * limit of attempts counted (settled or still in flight), otherwise counts one on each. With
   * a limit of k, at most k attempts get past however requests are timed.
   */
  reserve(keys: readonly RateKey[]): Promise<Reservation>;
  /** forgets the keys */
  reset(keys: readonly RateKey[]): Promise<void>;
  /**
   * Lifts every lock on an account (staff at a counter, after checking the person): its own
   * back-off, its daily cap, and the per-address and per-device back-offs strangers caused.
   */
  resetAccount(account: Account): Promise<void>;
}

/** Whose secret is guessed: a method and its identifier (ID number, phone, card number). */
export interface Account {
  readonly method: string;
  readonly identifier: string;
}

/**
 * The limits of one request (its source address and, when the browser has one, its device).
 * `guess` and `message` choose the keys, so every method limits the same way: a stranger's
 * failures punish the stranger's source, lock the account only briefly, and never lock out a
 * device the owner signed in from before.
 */
export interface RequestLimits extends RateLimiter {
  /** one guess at `account`'s secret, plus any `extra` keys */
  guess(account: Account, extra?: readonly RateKey[]): Promise<Reservation>;
  /** one text message to `phone` (never given back: every send counts, delivered or not) */
  message(phone: string): Promise<Reservation>;
}

/** One-time codes: generated from a CSPRNG, stored only as keyed digests, compared in constant time. */
export interface OneTimeCodes {
  generate(digits: number): string;
  digest(code: string): string;
  matches(digest: string, code: string): boolean;
}

/** Facts the method is started with (from configuration, not per request). */
export interface MethodEnv {
  /** base URL of the outside authorities (the sandbox in development and tests) */
  readonly authoritiesUrl: string;
  readonly issuer: string;
  readonly timeoutMs: number;
  readonly production: boolean;
}

/** State shared across interactions (QR tokens, approvals, replay markers), keyed by the method. */
export interface SharedState {
  get<T>(key: string, schema: z.ZodType<T>): Promise<T | null>;
  put(key: string, value: unknown, ttlSeconds: number): Promise<void>;
  consume<T>(key: string, schema: z.ZodType<T>): Promise<T | null>;
  /** true the first time `key` is seen within `ttlSeconds`: replay detection */
  once(key: string, ttlSeconds: number): Promise<boolean>;
}

export interface MethodContext {
  readonly interactionId: string;
  /** where an authority sends the browser back to (GET); carries the interaction */
  readonly callbackUrl: string;
  readonly shared: SharedState;
  readonly codes: OneTimeCodes;
  readonly sourceIp: string;
  readonly lang: Lang;
  readonly state: ChallengeState;
  readonly credentials: CredentialLookup;
  readonly secrets: SecretHasher;
  readonly limits: RequestLimits;
  readonly authorities: Authorities;
}

/**
 * start() declining to begin: e.g. a method whose every start is a billable request to an
 * authority refuses an address that made too many. The citizen sees the chooser with `reason`.
 */
export interface StartRefused {
  kind: 'refused';
  reason: MessageKey;
  retryAfter?: number;
}

export interface Flow {
  start(ctx: MethodContext): Promise<Challenge | StartRefused>;
  verify(ctx: MethodContext, input: Readonly<Record<string, string>>): Promise<VerifyResult>;
}

/** Who is calling a method API: the person signed in to the app whose access token was presented. */
export interface ApiCaller {
  readonly accountId: string;
  readonly clientId: string;
  readonly acr?: string;
  readonly amr?: readonly string[];
}

/**
 * An HTTP API a method offers to apps (the city app approving a QR login). Mounted by src at
 * POST /api/methods/<method id>/<name>, with a bearer access token and a small JSON body.
 */
export interface MethodApi {
  handle(
    ctx: { readonly shared: SharedState; readonly sourceIp: string },
    caller: ApiCaller,
    body: unknown,
  ): Promise<{ status: number; body: Record<string, unknown> }>;
}

/**
 * A credential staff hand a citizen verified in person (a printed counter code): the counter
 * console finds the method that offers it, never by its id.
 */
export interface StaffIssued {
  /** how long an issued credential lives: the console records it before it exists */
  readonly ttlSeconds: number;
  issue(
    ctx: { readonly shared: SharedState; readonly codes: OneTimeCodes },
    entry: { readonly personId: string; readonly staffId: string; readonly centreId: string },
  ): Promise<{ code: string; expiresIn: number }>;
}

/**
 * A part a method plays that the core must find it by: the method whose identifier is a phone
 * number and sends it codes ('phone-otp'), and the one whose secret is the person's password
 * for their ID number ('password'). Counter recovery and the text-message limits use them.
 */
export type MethodRole = 'phone-otp' | 'password';

export interface LoginMethod {
  readonly id: string;
  readonly group: MethodGroup;
  readonly label: TextKey;
  readonly description: TextKey;
  readonly level: Level;
  readonly amr: readonly string[];
  /** the factor each of its amr values counts as (amr values that prove no factor are absent) */
  readonly factors: Readonly<Record<string, Factor>>;
  /** may be offered on a hall kiosk (a shared device where nothing the citizen carries is needed but what the kiosk can take) */
  readonly kiosk?: boolean;
  /** a method that must never be the only one offered to a client (face recognition) */
  readonly neverAlone?: boolean;
  /** the login flow; `bind` runs it from the account page to attach an `external` account */
  readonly flows: { readonly login: Flow; readonly enrol?: Flow };
  /** true when the login flow may answer with an `external` claim that needs binding first */
  readonly bindable?: boolean;
  readonly api?: Readonly<Record<string, MethodApi>>;
  /** a credential staff issue at the counter */
  readonly staffIssued?: StaffIssued;
}

export interface MethodDefinition<C> {
  readonly id: string;
  /** the one name of the authority it asks (connector, sandbox, audit and failure control); none when it asks no one */
  readonly authority?: string;
  /** its own error codes (zh-CN and en) and their HTTP statuses, and the words of its pages, from its messages.ts */
  readonly messages: MethodMessages;
  /** the parts it plays that the core finds it by (whether or not it is enabled) */
  readonly roles?: readonly MethodRole[];
  readonly configSchema: z.ZodType<C>;
  create(config: C, env: MethodEnv): LoginMethod;
}

/** A method's definition; its messages and page words join the one catalogue as soon as the method is loaded. */
export function defineMethod<C>(def: MethodDefinition<C>): MethodDefinition<C> {
  addMethodMessages(def.messages.messages, def.messages.statuses);
  addMethodText(def.id, def.messages.text ?? {});
  return def;
}

/** What a method's sandbox authority gets from the sandbox process. */
export interface SandboxKit {
  /** the sandbox's base URL, for absolute links and redirects (known once it listens) */
  publicUrl(): string;
  /** consumes a pending `bad_signature` (or other) failure for `authority`, if one was asked for */
  takeFailure(authority: string): string | null;
}

/**
 * A method's simulated authority (`providers/<id>/sandbox.ts`): mounted by the sandbox at
 * `/<authority>`. `tools` are inspection routes outside failure control.
 */
export interface MethodSandbox {
  readonly authority: string;
  create(kit: SandboxKit): { router: import('express').Router; tools?: import('express').Router };
}
