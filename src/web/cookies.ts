/**
 * The one cookie reader. The `cookie` package parses into an object without a prototype and
 * leaves a value it cannot percent-decode as it came, so a garbled cookie is just a wrong value.
 */
import { parseCookie } from 'cookie';

export function readCookie(req: { headers: { cookie?: string } }, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  const value = parseCookie(header)[name];
  return value === '' ? undefined : value;
}
