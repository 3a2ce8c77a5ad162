/**
 * Elder mode (长辈模式): larger text and controls, fewer choices first, plain words. Turned on
 * or off from any page by a plain link (`?elder=1` / `?elder=0`) and remembered in a cookie. The
 * request's choice is kept on the response (`res.locals.elder`) and handed to the views with the
 * language. (Not an AsyncLocalStorage: one of those costs every promise of the process a
 * property and a propagation step, protocol requests included, once any request has used it.)
 */
import type { NextFunction, Request, Response } from 'express';
import { readCookie } from './cookies.ts';

export const ELDER_COOKIE = 'tongban_elder';

/** Whether this response (express's, also as koa's `ctx.res`) is a page for a person who chose elder mode (see elderMode). */
export function elderOf(res: object): boolean {
  return (res as { locals?: { elder?: unknown } }).locals?.elder === true;
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
    res.locals.elder = chosen ?? readCookie(req, ELDER_COOKIE) === '1';
    next();
  };
}
