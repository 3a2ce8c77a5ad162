/**
 * Malformed inputs for the route fuzzer, drawn from a seeded generator so every run sends the
 * same requests: bad percent-escapes, NUL bytes, prototype-pollution keys, oversize fields and
 * bodies, broken compression, forged CSRF tokens and cookies, garbage credentials.
 */
import { gzipSync } from 'node:zlib';

/** mulberry32: small, fast, and the same sequence for the same seed on every platform. */
export function seeded(seed: number) {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    /** `k` distinct items of `list`, in a seeded order */
    sample<T>(list: readonly T[], k: number): T[] {
      const copy = [...list];
      for (let i = copy.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [copy[i], copy[j]] = [copy[j]!, copy[i]!];
      }
      return copy.slice(0, k);
    },
    /** a string of `n` code points from across the planes, controls and surrogates included */
    garbage(n: number): string {
      let s = '';
      for (let i = 0; i < n; i++) {
        const pick = next();
        if (pick < 0.3) s += String.fromCharCode(Math.floor(next() * 0x20));
        else if (pick < 0.6) s += String.fromCharCode(0x20 + Math.floor(next() * 0x5f));
        else if (pick < 0.8) s += String.fromCharCode(0x80 + Math.floor(next() * 0xd780));
        else if (pick < 0.9) s += String.fromCharCode(0xd800 + Math.floor(next() * 0x800));
        else s += String.fromCodePoint(0x10000 + Math.floor(next() * 0xfffff));
      }
      return s;
    },
  };
}
export type Rng = ReturnType<typeof seeded>;

/**
 * Percent-encodes every UTF-16 unit as UTF-8 bytes, a lone surrogate too (as the three bytes a
 * careless encoder writes), where encodeURIComponent would throw.
 */
export function enc(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c >= 0xd800 && c <= 0xdfff) out += [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    else out += encodeURIComponent(ch);
  }
  return out;
}

export const POLLUTION_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

/** What goes in place of a path parameter (already as it appears in the URL). */
export const PATH_SEGMENTS = [
  '%',
  '%E0%A4%A',
  '%ZZ',
  '%00',
  'a%00b',
  '%C0%AE%C0%AE',
  '..%2F..%2Fetc%2Fpasswd',
  '%F0%9F%98%80',
  '%FF%FE',
  '__proto__',
  'constructor',
  'prototype',
  'x'.repeat(3000),
  '%25%32%35',
];

/** Typed field values: the ones a form or JSON field may carry. */
export function fieldValues(r: Rng): string[] {
  return [
    '',
    '\u0000',
    `a\u0000b`,
    '%',
    '%E0%A4%A',
    '__proto__',
    'constructor',
    '字'.repeat(43),
    'x'.repeat(70_000),
    '\ud800',
    '<script>alert(1)</script>',
    "' OR 1=1 --",
    '310101198503122310\u0000',
    r.garbage(40),
  ];
}

/** Forged CSRF tokens: wrong length, right length in non-ASCII (more bytes than characters), controls. */
export const FORGED_CSRF = ['', 'A'.repeat(42), 'A'.repeat(43), 'A'.repeat(44), '字'.repeat(43), 'é'.repeat(43), '\u0000'.repeat(43), '%'.repeat(43)];

/** Raw query strings (after the `?`), deliberately not re-encoded. */
export function queries(r: Rng): string[] {
  return [
    '__proto__[polluted]=1',
    'constructor[prototype][polluted]=1',
    '__proto__=1&constructor=2&prototype=3',
    'a=%',
    'a=%E0%A4%A&lang=%00',
    'lang=en&lang=zh-CN&lang[]=x',
    'state=%00&code=%ZZ&step=%00',
    'client_id=__proto__&redirect_uri=javascript:alert(1)&response_type=code',
    'x=' + 'y'.repeat(6000),
    '&&&==&=&',
    'step=' + enc(r.garbage(30)),
    'notice=%FF',
  ];
}

/** urlencoded bodies as sent (raw), with `csrf` inserted where given. */
export function formBodies(r: Rng, csrf?: string, fields: readonly string[] = ['id_number', 'password', 'reason', 'credential', 'user_code']): string[] {
  const c = csrf === undefined ? '' : `csrf=${enc(csrf)}&`;
  const values = fieldValues(r);
  const some = (v: string) => fields.map((f) => `${f}=${enc(v)}`).join('&');
  return [
    `${c}__proto__[polluted]=1&constructor[prototype][polluted]=1&prototype=1`,
    `${c}__proto__=x&constructor=y`,
    `${c}a=%&b=%E0%A4%A&c=%ZZ`,
    `${c}${fields[0]}=a%00b&${fields[1] ?? 'x'}=%00`,
    `${c}${'a=1&'.repeat(200)}`,
    `${c}${fields[0]}=1&${fields[0]}=2&${fields[0]}[]=3`,
    ...r.sample(values, 5).map((v) => `${c}${some(v)}`),
  ];
}

/** JSON bodies as sent (raw). */
export function jsonBodies(r: Rng): string[] {
  return [
    '{"__proto__":{"polluted":1}}',
    '{"constructor":{"prototype":{"polluted":1}}}',
    '{"token":"__proto__","decision":"constructor"}',
    '{',
    '[' .repeat(3000),
    '"\\u0000"',
    '{"token":"\\ud800","x":1e999999}',
    `{"token":${JSON.stringify(r.garbage(50))}}`,
    `{"token":"${'x'.repeat(5000)}"}`,
    'null',
  ];
}

/** Content-Type / Content-Encoding pairs with bodies that do not match them. */
export function encodings(): Array<{ label: string; headers: Record<string, string>; body: Buffer }> {
  const gz = gzipSync(Buffer.from('a=1&b=2'));
  return [
    { label: 'gzip that is not gzip', headers: { 'content-encoding': 'gzip' }, body: Buffer.from('not gzip at all') },
    { label: 'truncated gzip', headers: { 'content-encoding': 'gzip' }, body: gz.subarray(0, gz.length - 6) },
    { label: 'deflate that is not deflate', headers: { 'content-encoding': 'deflate' }, body: Buffer.from([0xde, 0xad, 0xbe, 0xef]) },
    { label: 'brotli that is not brotli', headers: { 'content-encoding': 'br' }, body: Buffer.from([0xff, 0xff, 0xff, 0x00, 0x01]) },
    { label: 'unknown encoding', headers: { 'content-encoding': 'x-tongban' }, body: Buffer.from('a=1') },
    { label: 'unknown charset', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-42' }, body: Buffer.from('a=1') },
    { label: 'invalid UTF-8 bytes', headers: {}, body: Buffer.from([0x61, 0x3d, 0xc3, 0x28, 0xff, 0xfe, 0x26, 0x62, 0x3d, 0xe2, 0x82]) },
    { label: 'oversize body', headers: {}, body: Buffer.alloc(300_000, 0x61) },
  ];
}

export const CONTENT_TYPES = ['application/json', 'text/plain', 'multipart/form-data; boundary=xyz', 'application/xml', ';;;', 'application/x-www-form-urlencoded; charset=utf-16'];

/** Authorization header values; latin1 strings so UTF-8 bytes go out as they are. */
export function authorizations(r: Rng): string[] {
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
  return [
    'Basic',
    'Basic %%%',
    `Basic ${b64('no-colon-here')}`,
    `Basic ${b64('__proto__:constructor')}`,
    `Basic ${b64('%E0%A4%A:%')}`,
    `Basic ${b64(`${'a'.repeat(3000)}:b`)}`,
    'Bearer',
    'Bearer a b c',
    `Bearer ${'x'.repeat(4000)}`,
    `Bearer ${Buffer.from(r.garbage(20), 'utf8').toString('latin1')}`,
    'DPoP x.y.z',
    'Negotiate ' + b64(r.garbage(8)),
  ];
}

/** Cookie headers: garbled values for our own cookies and the provider's. */
export function cookies(r: Rng): string[] {
  return [
    'tongban_lang=%E0%A4%A',
    'tongban_lang=__proto__; __proto__=1; constructor=2',
    'tongban_counter=%00; tongban_account_state=%; tongban_bind=%ZZ',
    `tongban_counter=${'A'.repeat(32)}; tongban_bind=${'x'.repeat(4000)}`,
    '_session=%; _session.sig=%%; _interaction=__proto__; _interaction.sig=x',
    '_session.legacy=a; _interaction_resume=%E0; _session=' + 'z'.repeat(200),
    '=; ;;; =x; ==',
    Buffer.from(`tongban_lang=${r.garbage(10)}`, 'utf8').toString('latin1'),
  ];
}
