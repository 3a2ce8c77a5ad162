/**
 * Counter codes are issued by our own counter console, not by an outside authority: the
 * "connector" is the shared state both sides use. Codes come from an alphabet without
 * look-alike characters (no 0/O, 1/I/L) and are kept only as keyed digests.
 */
import { randomInt } from 'node:crypto';
import { z } from 'zod';
import type { OneTimeCodes, SharedState } from '../kit/index.ts';

export const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

export const issuedCode = z.object({
  personId: z.string(),
  staffId: z.string(),
  centreId: z.string(),
  issuedAt: z.number(),
});
export type IssuedCode = z.infer<typeof issuedCode>;

export function generateCode(length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return s;
}

/** What a person typed → the canonical code: case, spaces and dashes do not matter. */
export function normaliseCode(raw: string): string {
  return raw.toUpperCase().replace(/[\s-]/g, '');
}

export const keyOf = (codes: OneTimeCodes, code: string) => `code:${codes.digest(code)}`;

export async function storeCode(shared: SharedState, codes: OneTimeCodes, code: string, entry: IssuedCode, ttl: number): Promise<void> {
  await shared.put(keyOf(codes, code), entry, ttl);
}

/** Single use: of two people typing the same code at once, one gets in. */
export function redeemCode(shared: SharedState, codes: OneTimeCodes, code: string): Promise<IssuedCode | null> {
  return shared.consume(keyOf(codes, code), issuedCode);
}
