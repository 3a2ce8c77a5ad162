/**
 * Clients for the outside authorities shared by several login methods.
 * Each call has a timeout, retries only when idempotent, parses answers with zod, and throws
 * AuthorityUnavailable (src/errors.ts) when the authority is down, slow or answers garbage.
 */
export interface PopulationRegistry {
  /** Two-element check: does this name belong to this resident ID number? */
  checkNameAndId(idNumber: string, name: string): Promise<{ result: 'match' | 'mismatch' | 'not_found'; requestId: string }>;
}

export interface SmsGateway {
  /** Sends a text message; returns the gateway's message id. Not retried (not idempotent). */
  send(phone: string, text: string): Promise<{ messageId: string }>;
}

export interface Authorities {
  readonly registry: PopulationRegistry;
  readonly sms: SmsGateway;
}

import { SANDBOX_REGISTRY, SANDBOX_SMS_ACCOUNT } from './configure.ts';
import { createPopulationRegistry, type PopulationRegistryOptions } from './population-registry.ts';
import { createSmsGateway, type SmsGatewayOptions } from './sms-gateway.ts';

export { callAuthority, type CallAuthorityOptions } from './http.ts';
export { createPopulationRegistry, type PopulationRegistryOptions } from './population-registry.ts';
export { createSmsGateway, type SmsGatewayOptions } from './sms-gateway.ts';

export interface AuthoritiesOptions {
  /** Base URL of the sandbox authorities; each authority defaults to its path under it. */
  sandboxUrl: string;
  /** Default per-call timeout for every authority (3000 ms). */
  timeoutMs?: number;
  registry?: Partial<PopulationRegistryOptions>;
  sms?: Partial<SmsGatewayOptions>;
}

const DEFAULT_TIMEOUT_MS = 3000;

/** Connectors for the shared authorities; settings not given point at the sandbox. */
export function createAuthorities(opts: AuthoritiesOptions): Authorities {
  const base = opts.sandboxUrl.replace(/\/+$/, '');
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return {
    registry: createPopulationRegistry({
      baseUrl: opts.registry?.baseUrl ?? `${base}/registry`,
      appKey: opts.registry?.appKey ?? SANDBOX_REGISTRY.appKey,
      appId: opts.registry?.appId ?? SANDBOX_REGISTRY.appId,
      timeoutMs: opts.registry?.timeoutMs ?? timeoutMs,
    }),
    sms: createSmsGateway({
      baseUrl: opts.sms?.baseUrl ?? `${base}/sms`,
      account: opts.sms?.account ?? SANDBOX_SMS_ACCOUNT,
      timeoutMs: opts.sms?.timeoutMs ?? timeoutMs,
    }),
  };
}
