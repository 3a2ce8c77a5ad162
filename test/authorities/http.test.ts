/** The shared authority caller's form bodies, raw text and raw bytes, against a local server. */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { callAuthority, callAuthorityWithText, fetchAuthorityBytes } from '../../src/authorities/http.ts';
import { AuthorityUnavailable } from '../../src/errors.ts';

describe('callAuthority transports', () => {
  let server: Server;
  let base: string;
  let seen: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
  /** answers for the next requests; afterwards 200 with `{"ok":true}` */
  let plan: Array<{ status: number; body?: string | Buffer; headers?: Record<string, string> }> = [];

  before(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ headers: req.headers, body: Buffer.concat(chunks).toString() });
        const step = plan.shift() ?? { status: 200, body: '{"ok":true}' };
        res.writeHead(step.status, step.headers ?? {}).end(step.body ?? '');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));
  beforeEach(() => {
    seen = [];
    plan = [];
  });

  const ok = z.object({ ok: z.literal(true) });

  async function failure(p: Promise<unknown>): Promise<AuthorityUnavailable> {
    const err = await p.then(
      () => assert.fail('expected a failure'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof AuthorityUnavailable, `expected AuthorityUnavailable, got ${String(err)}`);
    return err;
  }

  it('still sends JSON bodies by default', async () => {
    assert.deepEqual(await callAuthority({ authority: 't', url: `${base}/j`, body: { a: 1 }, schema: ok, timeoutMs: 10_000, retries: 0 }), { ok: true });
    assert.equal(seen[0]!.headers['content-type'], 'application/json');
    assert.equal(seen[0]!.body, '{"a":1}');
  });

  it('sends a form body, form-encoded, and a caller content-type wins', async () => {
    await callAuthority({ authority: 't', url: `${base}/f`, form: { a: '1 2', b: '张' }, schema: ok, timeoutMs: 10_000, retries: 0 });
    assert.equal(seen[0]!.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.equal(new URLSearchParams(seen[0]!.body).get('b'), '张');
    await callAuthority({
      authority: 't',
      url: `${base}/f`,
      form: { a: '1' },
      headers: { 'Content-Type': 'application/x-www-form-urlencoded;charset=utf-8' },
      schema: ok,
      timeoutMs: 10_000,
      retries: 0,
    });
    assert.equal(seen[1]!.headers['content-type'], 'application/x-www-form-urlencoded;charset=utf-8');
  });

  it('refuses a body and a form together', async () => {
    await assert.rejects(callAuthority({ authority: 't', url: `${base}/f`, body: {}, form: {}, schema: ok, timeoutMs: 10_000, retries: 0 }), TypeError);
    assert.equal(seen.length, 0);
  });

  it('returns the exact answer text alongside the parsed value', async () => {
    const text = '{ "ok" :true,"extra":"\\u0041" }';
    plan = [{ status: 200, body: text }];
    const r = await callAuthorityWithText({ authority: 't', url: `${base}/t`, form: { x: '1' }, schema: ok, timeoutMs: 10_000, retries: 0 });
    assert.deepEqual(r, { value: { ok: true }, text, status: 200 });
  });

  it('keeps form values and answers out of error messages, and honours maxResponseChars', async () => {
    plan = [{ status: 400, body: 'secret-answer' }];
    let err = await failure(callAuthority({ authority: 't', url: `${base}/e?q=secret-query`, form: { pw: 'secret-form' }, schema: ok, timeoutMs: 10_000, retries: 0 }));
    assert.equal(err.kind, 'http');
    assert.doesNotMatch(err.message, /secret/);
    plan = [{ status: 200, body: JSON.stringify({ ok: true, pad: 'x'.repeat(100) }) }];
    err = await failure(callAuthority({ authority: 't', url: `${base}/e`, form: {}, schema: ok, maxResponseChars: 50, timeoutMs: 10_000, retries: 0 }));
    assert.equal(err.kind, 'malformed');
  });

  it('retries a form call only when asked', async () => {
    plan = [{ status: 503 }];
    assert.equal((await failure(callAuthority({ authority: 't', url: `${base}/r`, form: {}, schema: ok, timeoutMs: 10_000, retries: 0 }))).kind, 'http');
    assert.equal(seen.length, 1);
    plan = [{ status: 503 }];
    assert.deepEqual(await callAuthority({ authority: 't', url: `${base}/r`, form: {}, schema: ok, timeoutMs: 10_000, retries: 1 }), { ok: true });
    assert.equal(seen.length, 3);
  });

  it('fetches raw bytes with the answer headers, retrying a 5xx but not a 404', async () => {
    const bytes = Buffer.from([0x30, 0x82, 0x00, 0xff]);
    plan = [{ status: 502 }, { status: 200, body: bytes, headers: { 'cache-control': 'max-age=60' } }];
    const r = await fetchAuthorityBytes({ authority: 't', url: `${base}/b.crl`, method: 'GET', maxResponseBytes: 100, timeoutMs: 10_000, retries: 1 });
    assert.deepEqual(r.bytes, bytes);
    assert.equal(r.headers.get('cache-control'), 'max-age=60');
    assert.equal(seen.length, 2);
    plan = [{ status: 404 }];
    const err = await failure(fetchAuthorityBytes({ authority: 't', url: `${base}/b.crl`, method: 'GET', maxResponseBytes: 100, timeoutMs: 10_000, retries: 1 }));
    assert.equal(err.kind, 'http');
    assert.equal(seen.length, 3);
  });

  describe('a 4xx with a JSON body (an OAuth token endpoint refusing a code)', () => {
    const tokenAnswer = z.union([z.object({ access_token: z.string() }), z.object({ error: z.string(), error_description: z.string().optional() })]);
    const refusal = JSON.stringify({ error: 'invalid_grant', error_description: 'code expired' });
    const call = (more: { readClientErrors?: boolean; retries?: number } = {}) =>
      callAuthorityWithText({ authority: 't', url: `${base}/token`, form: { code: 'c' }, schema: tokenAnswer, timeoutMs: 10_000, retries: 0, ...more });

    it('is the authority unavailable by default, as before', async () => {
      plan = [{ status: 400, body: refusal, headers: { 'content-type': 'application/json' } }];
      const err = await failure(call());
      assert.equal(err.kind, 'http');
      assert.match(err.message, /HTTP 400/);
    });

    it('is an answer, with its status, when the connector reads client errors; never retried', async () => {
      plan = [{ status: 400, body: refusal, headers: { 'content-type': 'application/json' } }];
      const r = await call({ readClientErrors: true, retries: 2 });
      assert.deepEqual(r.value, { error: 'invalid_grant', error_description: 'code expired' });
      assert.equal(r.status, 400);
      assert.equal(seen.length, 1);
      plan = [{ status: 401, body: '{"error":"invalid_client"}' }];
      assert.deepEqual(await callAuthority({ authority: 't', url: `${base}/token`, form: {}, schema: tokenAnswer, timeoutMs: 10_000, retries: 0, readClientErrors: true }), {
        error: 'invalid_client',
      });
      plan = [{ status: 200, body: '{"access_token":"at"}' }];
      assert.deepEqual((await call({ readClientErrors: true })).value, { access_token: 'at' });
    });

    it('is still a failure when the 4xx body is not JSON or not the expected shape, and a 5xx is still retried', async () => {
      plan = [{ status: 400, body: '<html>Bad Request</html>' }];
      assert.equal((await failure(call({ readClientErrors: true }))).kind, 'malformed');
      plan = [{ status: 403, body: '{"unexpected":1}' }];
      assert.equal((await failure(call({ readClientErrors: true }))).kind, 'malformed');
      seen = [];
      plan = [{ status: 503, body: refusal }, { status: 503, body: refusal }];
      const err = await failure(call({ readClientErrors: true, retries: 1 }));
      assert.equal(err.kind, 'http');
      assert.equal(seen.length, 2);
      plan = [{ status: 302, body: refusal, headers: { location: 'http://elsewhere.invalid/' } }];
      assert.equal((await failure(call({ readClientErrors: true }))).kind, 'http');
    });
  });

  it('refuses bytes over maxResponseBytes', async () => {
    plan = [{ status: 200, body: Buffer.alloc(200) }];
    const err = await failure(fetchAuthorityBytes({ authority: 't', url: `${base}/b.crl`, method: 'GET', maxResponseBytes: 100, timeoutMs: 10_000, retries: 1 }));
    assert.equal(err.kind, 'malformed');
    assert.equal(seen.length, 1);
  });
});
