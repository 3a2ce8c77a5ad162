// test-pass: embedded — the CRL connector, no store
/** The CRL connector: one retry, cache until nextUpdate or max-age, fail closed on anything doubtful. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createConnector, configuredCas } from '../../../providers/certificate/connector.ts';
import { otherCaPem, trustedCaPem } from '../../../providers/certificate/sandbox.ts';
import { currentCrl } from '../../../providers/certificate/sandbox-ca.ts';
import { AuthorityUnavailable } from '../../../src/errors.ts';

describe('certificate CRL connector', () => {
  let server: Server;
  let base: string;
  let hits = 0;
  /** what the next answers are: status, and the Cache-Control header */
  let plan: Array<{ status: number; cacheControl?: string; body?: 'crl' | 'junk' }> = [];

  before(async () => {
    server = createServer(async (_req, res) => {
      hits++;
      const step = plan.shift() ?? { status: 200 };
      if (step.status !== 200) {
        res.writeHead(step.status).end();
        return;
      }
      const body = step.body === 'junk' ? Buffer.from('{"not":"a crl"}') : await currentCrl();
      res.writeHead(200, { 'content-type': 'application/pkix-crl', ...(step.cacheControl ? { 'cache-control': step.cacheControl } : {}) }).end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  async function connector(pem?: string) {
    const cas = configuredCas([{ id: 'sandbox', certificate: pem ?? (await trustedCaPem()), crlUrl: `${base}/sandbox.crl` }]);
    return { ca: cas[0]!, c: createConnector({ authoritiesUrl: base, issuer: base, timeoutMs: 500, production: false }, cas) };
  }

  it('caches a CRL until its nextUpdate when the answer says nothing else', async () => {
    const { ca, c } = await connector();
    hits = 0;
    plan = [{ status: 200 }];
    await c.crlOf(ca);
    await c.crlOf(ca);
    assert.equal(hits, 1);
  });

  it('asks again when the answer allowed no caching', async () => {
    const { ca, c } = await connector();
    hits = 0;
    plan = [{ status: 200, cacheControl: 'max-age=0' }, { status: 200, cacheControl: 'max-age=600' }, { status: 200 }];
    await c.crlOf(ca);
    await c.crlOf(ca);
    await c.crlOf(ca);
    assert.equal(hits, 2);
  });

  it('retries once after a 5xx, then gives up as unavailable', async () => {
    const { ca, c } = await connector();
    hits = 0;
    plan = [{ status: 503 }, { status: 200 }];
    await c.crlOf(ca);
    assert.equal(hits, 2);
    const fresh = await connector();
    hits = 0;
    plan = [{ status: 503 }, { status: 502 }, { status: 200 }];
    await assert.rejects(fresh.c.crlOf(fresh.ca), (e: unknown) => e instanceof AuthorityUnavailable && e.kind === 'http');
    assert.equal(hits, 2);
  });

  it('does not retry a 404, and refuses junk or a CRL signed by another CA', async () => {
    let { ca, c } = await connector();
    hits = 0;
    plan = [{ status: 404 }];
    await assert.rejects(c.crlOf(ca), (e: unknown) => e instanceof AuthorityUnavailable && e.kind === 'http');
    assert.equal(hits, 1);
    plan = [{ status: 200, body: 'junk' }];
    await assert.rejects(c.crlOf(ca), (e: unknown) => e instanceof AuthorityUnavailable && e.kind === 'malformed');
    ({ ca, c } = await connector(await otherCaPem()));
    plan = [{ status: 200 }];
    await assert.rejects(c.crlOf(ca), (e: unknown) => e instanceof AuthorityUnavailable && e.kind === 'signature');
  });

  it('is unavailable when the CA cannot be reached at all', async () => {
    const cas = configuredCas([{ id: 'gone', certificate: await trustedCaPem(), crlUrl: 'http://127.0.0.1:1/gone.crl' }]);
    const c = createConnector({ authoritiesUrl: base, issuer: base, timeoutMs: 300, production: false }, cas);
    await assert.rejects(c.crlOf(cas[0]!), (e: unknown) => e instanceof AuthorityUnavailable && e.kind === 'network');
  });
});
