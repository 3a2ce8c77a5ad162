/** The static files every page uses: stylesheets, the waiting pages', the slip's and the counter sign-in's scripts, read once at start. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { NextFunction, Request, Response } from 'express';

// a strong validator per file, worked out once: a browser revalidating a stale copy gets a 304
const etagOf = (body: Buffer) => `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;

const FILES: Record<string, { type: string; body: Buffer; etag: string }> = Object.fromEntries(
  (
    [
      ['site.css', 'css'],
      ['elder.css', 'css'],
      ['waiting.js', 'application/javascript'],
      ['print.js', 'application/javascript'],
      ['forward.js', 'application/javascript'],
    ] as const
  ).map(([name, type]) => {
    const body = readFileSync(new URL(`./assets/${name}`, import.meta.url));
    return [name, { type, body, etag: etagOf(body) }];
  }),
);

/** GET /assets/:name */
export function serveAsset(req: Request<{ name: string }>, res: Response, next: NextFunction): void {
  const file = Object.hasOwn(FILES, req.params.name) ? FILES[req.params.name] : undefined;
  if (!file) return next();
  res.type(file.type).setHeader('Cache-Control', 'public, max-age=3600');
  // res.send answers 304 when the request's If-None-Match names this ETag
  res.setHeader('ETag', file.etag);
  res.send(file.body);
}
