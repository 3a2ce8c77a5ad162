/**
 * What the steps of an interaction request share: the request, the service's parts, and what
 * earlier steps found (the interaction, the method, the input, the method's outcome).
 */
import type { Request, Response } from 'express';
import type Provider from 'oidc-provider';
import type { Account, Level, LoginMethod, MethodContext, VerifyResult } from '../../providers/kit/index.ts';
import type { IdentityService } from '../identity/index.ts';
import type { AuditLog, RefusalTally } from '../audit/index.ts';
import type { EphemeralStore } from '../store/ephemeral.ts';
import type { ClientRule } from '../policy/index.ts';
import type { Csrf } from './csrf.ts';
import type { ContextServices } from './method-context.ts';
import type { CompleteDeps } from './complete-login.ts';
import type { Progress } from './progress.ts';
import type { PageCtx } from './views.ts';

export interface InteractionDeps {
  provider: Provider;
  methods: ReadonlyMap<string, LoginMethod>;
  identity: IdentityService;
  audit: AuditLog;
  store: EphemeralStore;
  csrf: Csrf;
  services: ContextServices;
  /** turns a verified outcome into a login */
  complete: CompleteDeps;
  /** refused attempts, counted per window instead of a row each */
  refusals: RefusalTally;
  /** the blind index of a method's identifier (as credentials store it), for refusals about it */
  identifierIndexOf(method: string, identifier: string): string;
  /** the known-device cookie is Secure behind TLS */
  secureCookies?: boolean;
  /**
   * family proxy: after a sign-in, the page where the person chooses to act as themselves or on
   * behalf of a citizen they help (null when no mandate covers this department)
   */
  offerOnBehalf?(o: { uid: string; login: { accountId: string; acr: string; amr: string[]; remember: boolean }; rule: ClientRule; required: Level; params: Record<string, unknown> }): Promise<string | null>;
}

export type Details = Awaited<ReturnType<Provider['interactionDetails']>>;

/** The interaction as the first step found it. */
export interface Loaded {
  details: Details;
  client: NonNullable<Awaited<ReturnType<Provider['Client']['find']>>>;
  rule: ClientRule;
  page: PageCtx;
  required: Level;
  prior: Progress | null;
}

export type Flow = 'login' | 'enrol';

export interface Exchange {
  readonly req: Request;
  readonly res: Response;
  readonly deps: InteractionDeps;
  /** the flow the route serves (the callback and the consent pages: login) */
  readonly flow: Flow;
  loaded?: Loaded;
  method?: LoginMethod;
  /** what the method's verify() gets; absent on a first visit to a method's page */
  input?: Record<string, string>;
  /** the method's context for this request (it notes whose secret a refused guess was at) */
  context?: MethodContext & { refusedAccount(): Account | undefined };
  result?: VerifyResult;
  /** a waiting page's script asks (answers are JSON, see steps/answer-poll.ts) */
  poll?: boolean;
}

/** One step: 'next' hands over to the following step, 'done' when it answered the request. */
export type Step = (x: Exchange) => Promise<'next' | 'done'>;

/** The step's view of what an earlier step must have set (a pipeline out of order fails loudly). */
export function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`interaction pipeline: ${what} is not known yet`);
  return value;
}
