/**
 * Alipay's open-platform signatures (RSA2 = SHA256withRSA), used by the connector and by the
 * sandbox gateway alike so both sides agree on the exact bytes.
 */
import { createSign, createVerify, type KeyObject } from 'node:crypto';

/** What a request signature covers: every parameter but `sign`, empty ones left out, sorted by key, `k=v` joined by `&`, not URL-encoded. */
export function signingString(params: Readonly<Record<string, string | undefined>>): string {
  return Object.keys(params)
    .filter((k) => k !== 'sign' && params[k] !== undefined && params[k] !== '')
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
}

export function rsa2Sign(content: string, privateKey: KeyObject): string {
  return createSign('RSA-SHA256').update(content, 'utf8').sign(privateKey, 'base64');
}

export function rsa2Verify(content: string, signature: string, publicKey: KeyObject): boolean {
  try {
    return createVerify('RSA-SHA256').update(content, 'utf8').verify(publicKey, signature, 'base64');
  } catch {
    return false;
  }
}

/** 'yyyy-MM-dd HH:mm:ss' in Beijing time (UTC+8, no daylight saving), the gateway's `timestamp`. */
export function beijingTimestamp(now = Date.now()): string {
  return new Date(now + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/** The instant a gateway `timestamp` names, or NaN. */
export function parseBeijingTimestamp(s: string): number {
  return /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(s) ? Date.parse(`${s.replace(' ', 'T')}+08:00`) : NaN;
}

/**
 * The exact text of a top-level member's value in a JSON object. Alipay signs that text as sent,
 * so it has to be cut out of the answer rather than re-serialised. Expects text that JSON.parse accepted.
 */
export function memberText(json: string, name: string): string | null {
  let i = skipWs(json, 0);
  if (json[i] !== '{') return null;
  i++;
  for (;;) {
    i = skipWs(json, i);
    if (json[i] !== '"') return null;
    const keyEnd = stringEnd(json, i);
    if (keyEnd < 0) return null;
    const key = JSON.parse(json.slice(i, keyEnd)) as string;
    i = skipWs(json, keyEnd);
    if (json[i] !== ':') return null;
    const start = skipWs(json, i + 1);
    const end = valueEnd(json, start);
    if (end < 0) return null;
    if (key === name) return json.slice(start, end);
    i = skipWs(json, end);
    if (json[i] !== ',') return null;
    i++;
  }
}

function skipWs(s: string, i: number): number {
  while (i < s.length && (s[i] === ' ' || s[i] === '\n' || s[i] === '\r' || s[i] === '\t')) i++;
  return i;
}

/** Index just past the string starting at `i` (a quote), or -1. */
function stringEnd(s: string, i: number): number {
  for (let j = i + 1; j < s.length; j++) {
    if (s[j] === '\\') j++;
    else if (s[j] === '"') return j + 1;
  }
  return -1;
}

function valueEnd(s: string, i: number): number {
  const c = s[i];
  if (c === '"') return stringEnd(s, i);
  if (c === '{' || c === '[') {
    let depth = 0;
    for (let j = i; j < s.length; j++) {
      const d = s[j];
      if (d === '"') {
        const e = stringEnd(s, j);
        if (e < 0) return -1;
        j = e - 1;
      } else if (d === '{' || d === '[') depth++;
      else if (d === '}' || d === ']') {
        depth--;
        if (depth === 0) return j + 1;
      }
    }
    return -1;
  }
  let j = i;
  while (j < s.length && !/[,}\]\s]/.test(s[j]!)) j++;
  return j > i ? j : -1;
}
