/**
 * For one route, a bounded set of malformed requests: wrong methods and content types, bad
 * path parameters and queries, garbled cookies and credentials, broken bodies and encodings,
 * forged CSRF tokens. A route with a live session keeps it, so the checks behind it are reached.
 */
import type { FuzzRequest } from './send.ts';
import {
  authorizations,
  CONTENT_TYPES,
  enc,
  cookies,
  encodings,
  FORGED_CSRF,
  formBodies,
  jsonBodies,
  PATH_SEGMENTS,
  queries,
  type Rng,
} from './inputs.ts';

export interface Route {
  method: 'GET' | 'POST';
  /** with `:name` parameters, e.g. /interaction/:uid/method/:id */
  path: string;
  /** a valid value for each parameter */
  params?: Record<string, string>;
  body?: 'form' | 'json';
  /** form fields to fill with bad values */
  fields?: readonly string[];
  /** session cookies, valid when given */
  cookie?: (path: string) => string;
  /** the session's valid CSRF token, when the route checks one */
  csrf?: string;
  /** a valid Authorization header, when the route takes one */
  authorization?: string;
  /** fewer variants (one of many routes of the same shape) */
  light?: boolean;
}

const WRONG_METHODS = ['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'PROPFIND'];
const CONTENT_TYPE = { form: 'application/x-www-form-urlencoded', json: 'application/json' } as const;

function fill(path: string, params: Record<string, string>, override: Record<string, string> = {}): string {
  return path.replace(/:([a-z]+)/g, (_, name: string) => override[name] ?? params[name] ?? 'x');
}

export function requestsFor(route: Route, r: Rng): FuzzRequest[] {
  const params = route.params ?? {};
  const valid = fill(route.path, params);
  const n = (full: number, light: number) => (route.light ? light : full);
  const base = (path: string, extra: Record<string, string> = {}): Record<string, string> => ({
    ...(route.cookie ? { cookie: route.cookie(path.split('?')[0]!) } : {}),
    ...(route.authorization ? { authorization: route.authorization } : {}),
    accept: r.next() < 0.5 ? 'text/html' : 'application/json',
    ...extra,
  });
  const at = `${route.method} ${route.path}`;
  const out: FuzzRequest[] = [];
  const add = (req: Omit<FuzzRequest, 'label'>, label: string) => out.push({ ...req, label: `${at}: ${label}` });
  const goodBody = route.body === 'json' ? '{}' : route.csrf ? `csrf=${enc(route.csrf)}` : 'a=1';

  const otherMethod = route.method === 'GET' ? 'POST' : 'GET';
  for (const m of [otherMethod, ...r.sample(WRONG_METHODS, n(3, 1))]) {
    add({ method: m, path: valid, headers: base(valid, { 'content-type': CONTENT_TYPE.form }), body: m === 'GET' || m === 'HEAD' ? undefined : goodBody }, `method ${m}`);
  }
  for (const name of Object.keys(params)) {
    for (const seg of r.sample(PATH_SEGMENTS, n(5, 2))) {
      const path = fill(route.path, params, { [name]: seg });
      add({ method: route.method, path, headers: base(path), ...(route.method === 'POST' ? { body: goodBody, headers: base(path, { 'content-type': CONTENT_TYPE[route.body ?? 'form'] }) } : {}) }, `:${name} = ${seg.slice(0, 30)}`);
    }
  }
  for (const q of r.sample(queries(r), n(4, 2))) {
    const path = `${valid}?${q}`;
    add({ method: route.method, path, headers: base(valid), ...(route.method === 'POST' ? { body: goodBody, headers: base(valid, { 'content-type': CONTENT_TYPE[route.body ?? 'form'] }) } : {}) }, `query ${q.slice(0, 40)}`);
  }
  for (const c of r.sample(cookies(r), n(3, 1))) {
    // the garbled cookies come first: a name given twice is read from its first occurrence
    const cookie = route.cookie ? `${c}; ${route.cookie(valid)}` : c;
    add({ method: route.method, path: valid, headers: { ...base(valid), cookie, ...(route.method === 'POST' ? { 'content-type': CONTENT_TYPE[route.body ?? 'form'] } : {}) }, body: route.method === 'POST' ? goodBody : undefined }, `cookie ${c.slice(0, 40)}`);
  }
  for (const a of r.sample(authorizations(r), n(3, 1))) {
    add({ method: route.method, path: valid, headers: { ...base(valid), authorization: a, ...(route.method === 'POST' ? { 'content-type': CONTENT_TYPE[route.body ?? 'form'] } : {}) }, body: route.method === 'POST' ? goodBody : undefined }, `authorization ${a.slice(0, 30)}`);
  }
  // bytes node's client would never send: a NUL and raw UTF-8 in the path
  add({ method: route.method, path: `${valid}\u0000`, headers: base(valid) }, 'NUL byte in the path');
  add({ method: route.method, path: `${valid}/${Buffer.from('身份证', 'utf8').toString('latin1')}`, headers: base(valid) }, 'raw UTF-8 in the path');

  const type = CONTENT_TYPE[route.body ?? 'form'];
  const sendsBody = route.method === 'POST';
  for (const e of r.sample(encodings(), sendsBody ? n(4, 2) : 1)) {
    add({ method: sendsBody ? route.method : 'POST', path: valid, headers: base(valid, { 'content-type': type, ...e.headers }), body: e.body }, e.label);
  }
  if (!sendsBody) return out;

  if (route.body !== 'json') {
    for (const b of r.sample(formBodies(r, route.csrf, route.fields), n(6, 3))) {
      add({ method: 'POST', path: valid, headers: base(valid, { 'content-type': CONTENT_TYPE.form }), body: b }, `form ${b.slice(0, 50)}`);
    }
    if (route.csrf) {
      for (const forged of r.sample(FORGED_CSRF, n(3, 1))) {
        add({ method: 'POST', path: valid, headers: base(valid, { 'content-type': CONTENT_TYPE.form }), body: `csrf=${enc(forged)}&x=1` }, `forged CSRF of ${forged.length} characters`);
      }
    }
  }
  for (const b of r.sample(jsonBodies(r), n(4, 2))) {
    add({ method: 'POST', path: valid, headers: base(valid, { 'content-type': CONTENT_TYPE.json }), body: b }, `JSON ${b.slice(0, 40)}`);
  }
  for (const t of r.sample(CONTENT_TYPES, n(2, 1))) {
    add({ method: 'POST', path: valid, headers: base(valid, { 'content-type': t }), body: goodBody }, `content type ${t}`);
  }
  return out;
}
