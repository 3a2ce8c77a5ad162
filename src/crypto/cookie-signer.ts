/**
 * Signs and checks oidc-provider's cookies (its session and interaction cookies and their
 * `.sig` companions), as the `cookies` package asks of a Keygrip: the same HMAC-SHA1 in the same
 * alphabet, so cookies signed before and after are interchangeable, and the first key signs
 * while every key is accepted (rotation). The check goes through our one constant-time
 * comparison; Keygrip's own draws 32 random bytes and computes two more HMACs for each cookie read.
 */
import { createHmac } from 'node:crypto';
import { sameSecret } from './constant-time.ts';

export interface CookieSigner {
  sign(data: string): string;
  verify(data: string, digest: string): boolean;
  /** which key signed `digest` (-1: none) */
  index(data: string, digest: string): number;
}

const URL_SAFE: Record<string, string> = { '/': '_', '+': '-', '=': '' };

function mac(key: string, data: string): string {
  return createHmac('sha1', key).update(data).digest('base64').replace(/[/+=]/g, (c) => URL_SAFE[c]!);
}

export function cookieSigner(keys: readonly string[]): CookieSigner {
  if (keys.length === 0) throw new Error('cookie signer: at least one key is required');
  const index = (data: string, digest: string) => {
    if (typeof digest !== 'string') return -1;
    for (let i = 0; i < keys.length; i++) if (sameSecret(mac(keys[i]!, data), digest)) return i;
    return -1;
  };
  return {
    sign: (data) => mac(keys[0]!, data),
    verify: (data, digest) => index(data, digest) > -1,
    index,
  };
}
