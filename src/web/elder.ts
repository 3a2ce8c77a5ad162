/**
 * Elder mode (长辈模式): larger text and controls, fewer choices first, plain words. Turned on
 * or off from any page by a plain link (`?elder=1` / `?elder=0`) and remembered in a cookie; the
 * page frame and the views read the request's choice without it being passed down to each.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { NextFunction, Request, Response } from 'express';
import { readCookie } from './cookies.ts';

export const ELDER_COOKIE = 'tongban_elder';

const current = new AsyncLocalStorage<{ elder: boolean }>();

/** Whether the page being rendered is for a person who chose elder mode. */
export function isElder(): boolean {
  return current.getStore()?.elder ?? false;
}

/** Renders `fn` as in elder mode or not (for views rendered outside a request, and tests). */
export function inElderMode<T>(elder: boolean, fn: () => T): T {
  return current.run({ elder }, fn);
}

/** The same page with elder mode turned on or off. */
export function withElder(path: string, on: boolean): string {
  const u = new URL(path, 'http://x');
  u.searchParams.set('elder', on ? '1' : '0');
  return u.pathname + u.search;
}

/** Middleware: the choice from `?elder=`, else the cookie; a choice in the query is remembered for a year. */
export function elderMode(secure: boolean) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const query = req.query.elder;
    const chosen = query === '1' ? true : query === '0' ? false : undefined;
    if (chosen !== undefined) {
      res.append('Set-Cookie', `${ELDER_COOKIE}=${chosen ? '1' : '0'}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly${secure ? '; Secure' : ''}`);
    }
    current.run({ elder: chosen ?? readCookie(req, ELDER_COOKIE) === '1' }, next);
  };
}
