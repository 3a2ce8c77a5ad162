/**
 * The city app never answers a call of ours: it calls us (api.ts) with its own access token.
 * What joins the login page and the app is one QR record in the method's shared state, keyed
 * by the one-time token the QR carries. This file is that hand-off: open, read, answer once,
 * take once.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { levelSchema } from '../kit/schemas.ts';
import type { SharedState } from '../kit/index.ts';

/** the city app's one name: its sandbox mount, audit and failure control */
export const AUTHORITY = 'city-app';

/** 32 random bytes, base64url: what the QR carries and the app sends back */
export const qrToken = z.string().regex(/^[A-Za-z0-9_-]{43}$/);

const common = { interactionId: z.string().min(1).max(128), expiresAt: z.number().int() };
const record = z.discriminatedUnion('status', [
  z.object({ status: z.literal('waiting'), ...common }),
  z.object({
    status: z.literal('approved'),
    ...common,
    personId: z.string().min(1).max(128),
    level: z.union([z.literal(1), z.literal(2)]),
    appLevel: levelSchema,
    amr: z.array(z.string()).max(10),
  }),
  z.object({ status: z.literal('rejected'), ...common }),
]);
export type QrRecord = z.infer<typeof record>;
export type QrAnswer =
  | { status: 'approved'; personId: string; level: 1 | 2; appLevel: 1 | 2 | 3; amr: string[] }
  | { status: 'rejected' };

const keyOf = (token: string) => `qr:${token}`;
export const secondsLeft = (r: { expiresAt: number }): number => Math.ceil((r.expiresAt - Date.now()) / 1000);

/** A fresh token waiting for the app, bound to the interaction that shows it. */
export async function openQr(shared: SharedState, interactionId: string, ttlSeconds: number): Promise<{ token: string; expiresAt: number }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = Date.now() + ttlSeconds * 1000;
  await shared.put(keyOf(token), { status: 'waiting', interactionId, expiresAt }, ttlSeconds);
  return { token, expiresAt };
}

export async function readQr(shared: SharedState, token: string): Promise<QrRecord | null> {
  const r = await shared.get(keyOf(token), record);
  return r && secondsLeft(r) > 0 ? r : null;
}

/**
 * Records the app's answer. Only a waiting record can be answered, and only once: of concurrent
 * answers the one that sets the token's answer marker first wins. The record itself is replaced,
 * never taken away, so a page polling meanwhile finds it waiting or answered (a missing record
 * makes the page give the QR up). An approval stays readable for at least `pickupSeconds` so a
 * page that polls just after the QR's last second still picks it up.
 */
export async function answerQr(shared: SharedState, token: string, answer: QrAnswer, pickupSeconds: number): Promise<boolean> {
  const seen = await readQr(shared, token);
  if (!seen || seen.status !== 'waiting') return false;
  const ttl = Math.max(secondsLeft(seen), pickupSeconds);
  if (!(await shared.once(`answer:${token}`, ttl))) return false;
  await shared.put(keyOf(token), { ...answer, interactionId: seen.interactionId, expiresAt: Date.now() + ttl * 1000 }, ttl);
  return true;
}

/** Atomically removes the record: the login page takes an answer exactly once. */
export async function takeQr(shared: SharedState, token: string): Promise<QrRecord | null> {
  return shared.consume(keyOf(token), record);
}
