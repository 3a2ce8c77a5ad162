/**
 * The known-device cookie: a random id the browser keeps after a sign-in, so the rate limits
 * can tell the owner's own device from a stranger's (see RequestLimits.guess). It carries no
 * personal data; the limiter remembers which accounts signed in from it, by blind index only.
 */
import { randomId } from '../crypto/random-pool.ts';
import type { Request, Response } from 'express';
import { readCookie } from '../web/cookies.ts';

const COOKIE = 'tb_device';
const SHAPE = /^[A-Za-z0-9_-]{22}$/;
// the longest a browser keeps a cookie (400 days)
const MAX_AGE_MS = 400 * 86_400_000;

/** The browser's device id: the cookie's, or a new one this request will hand out on a sign-in. */
export function deviceOf(req: Request, res: Response): string {
  const sent = readCookie(req, COOKIE);
  if (sent && SHAPE.test(sent)) return sent;
  return ((res.locals.newDevice as string | undefined) ??= randomId(16));
}

/** After a sign-in: a browser without the cookie gets it (the id the limiter just remembered). */
export function keepDevice(res: Response, secure: boolean): void {
  const id = res.locals.newDevice as string | undefined;
  if (!id) return;
  res.cookie(COOKIE, id, { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: MAX_AGE_MS });
}
