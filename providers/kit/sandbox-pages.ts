/** The plain HTML pages of a sandbox authority (authorize and consent screens). */
import type express from 'express';
import { escapeHtml as esc } from '../../src/web/html.ts';

export { esc };

/** the string values of a parsed query or form body; anything else (arrays, objects) is dropped */
export const strings = (o: unknown): Record<string, string> =>
  Object.fromEntries(Object.entries((o ?? {}) as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'));

/** carries an authorize request's parameters through the consent form */
export function hiddenInputs(fields: Readonly<Record<string, unknown>>): string {
  return Object.entries(fields)
    .map(([k, v]) => `<input type="hidden" name="${k}" value="${esc(String(v))}">`)
    .join('');
}

export function page(res: express.Response, title: string, main: string): void {
  res
    .type('html')
    .set('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
    .set('cache-control', 'no-store')
    .send(`<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title>
<style>body{font-family:system-ui,"PingFang SC",sans-serif;margin:2rem;line-height:1.6}li{list-style:none}button{font-size:1rem;padding:.4rem 1rem}</style></head>
<body>${main}</body></html>`);
}
