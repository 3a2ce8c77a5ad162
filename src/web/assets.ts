/** The static files every page uses: stylesheets, the waiting pages', the slip's and the counter sign-in's scripts, read once at start. */
import { readFileSync } from 'node:fs';
import type { NextFunction, Request, Response } from 'express';

const FILES: Record<string, { type: string; body: Buffer }> = Object.fromEntries(
  (
    [
      ['site.css', 'css'],
      ['elder.css', 'css'],
      ['waiting.js', 'application/javascript'],
      ['print.js', 'application/javascript'],
      ['forward.js', 'application/javascript'],
    ] as const
  ).map(([name, type]) => [name, { type, body: readFileSync(new URL(`./assets/${name}`, import.meta.url)) }]),
);

/** GET /assets/:name */
export function serveAsset(req: Request<{ name: string }>, res: Response, next: NextFunction): void {
  const file = Object.hasOwn(FILES, req.params.name) ? FILES[req.params.name] : undefined;
  if (!file) return next();
  res.type(file.type).setHeader('Cache-Control', 'public, max-age=3600');
  res.send(file.body);
}
