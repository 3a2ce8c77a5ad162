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
