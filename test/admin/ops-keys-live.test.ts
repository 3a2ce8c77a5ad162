/**
 * Signing keys follow a rotation without a restart: keys stored in PostgreSQL (encrypted),
 * publish-next / activate / remove committed on one instance, announced, and swapped into every
 * instance's provider. Checked where departments look: /jwks and the kid of new ID tokens,
 * verified against the published keys. Two instances sharing the stores in the PG pass.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, type Stack } from '../support/stack.ts';
import { sharedBackends, startInstances, clientsKnown, type Instances } from '../support/instances.ts';
import { addClient, type TestClient } from '../support/clients.ts';
import { enrolCitizen } from '../support/login.ts';
import { idTokenKid as kidOf, jwks, waitFor } from './ops-keys-support.ts';

const password = 'Keys2026rotate-live';
const kids = (set: { keys: Array<{ kid?: string }> }) => set.keys.map((k) => k.kid);
const idTokenKid = (issuer: string, jwksFrom: string, dept: TestClient, idNumber: string) => kidOf(issuer, jwksFrom, dept, idNumber, password);

async function rotateOn(stack: Stack): Promise<{ next: string; old: string }> {
  const before = await stack.ctx.signingKeys.list();
  const old = before.find((k) => k.alg === 'ES256' && k.status === 'active')!.kid;
  const next = await stack.ctx.db.transaction((q) => stack.ctx.signingKeys.publishNext(q, 'ES256'));
  await stack.ctx.signingKeys.announce();
  return { next, old };
}

describe('signing keys: a rotation reaches the provider without a restart (one instance)', () => {
  let stack: Stack;
  let dept: TestClient;
  let idNumber: string;
  before(async () => {
    stack = await startStack();
    dept = await addClient(stack, 'dept-keys-one');
    idNumber = (await enrolCitizen(stack, 'li-na', password)).idNumber;
  });
  after(async () => {
    await dept?.rp.close();
    await stack?.close();
  });

  it('takes the key file at start, publishes a next key, signs with it once activated, keeps the old one published, then withdraws it', async () => {
    const stored = await stack.ctx.signingKeys.list();
    assert.deepEqual(new Set(kids(await jwks(stack.issuer))), new Set(stored.filter((k) => k.status !== 'removed').map((k) => k.kid)), 'the stored keys are the published ones');
    const rows = await stack.ctx.db.query<{ jwk_enc: string }>('SELECT jwk_enc FROM signing_keys');
    for (const r of rows.rows) assert.doesNotMatch(r.jwk_enc, /"d"/, 'private keys are stored encrypted');

    const { next, old } = await rotateOn(stack);
    await waitFor('next key published', async () => kids(await jwks(stack.issuer)).includes(next));
    assert.equal(await idTokenKid(stack.issuer, stack.issuer, dept, idNumber), old, 'a published next key does not sign yet');

    await stack.ctx.db.transaction((q) => stack.ctx.signingKeys.activate(q, next));
    await stack.ctx.signingKeys.announce();
    await waitFor('new key signs', async () => (await idTokenKid(stack.issuer, stack.issuer, dept, idNumber)) === next);
    assert.ok(kids(await jwks(stack.issuer)).includes(old), 'the retired key stays published for tokens it signed');
    const statuses = Object.fromEntries((await stack.ctx.signingKeys.list()).map((k) => [k.kid, k.status]));
    assert.equal(statuses[old], 'retired');
    assert.equal(statuses[next], 'active');

    await assert.rejects(stack.ctx.db.transaction((q) => stack.ctx.signingKeys.remove(q, next)), /signs cannot be withdrawn/);
    await stack.ctx.db.transaction((q) => stack.ctx.signingKeys.remove(q, old));
    await stack.ctx.signingKeys.announce();
    await waitFor('retired key withdrawn', async () => !kids(await jwks(stack.issuer)).includes(old));
  });
});

describe('signing keys: a rotation on instance A is seen by instance B', { skip: sharedBackends }, () => {
  let multi: Instances;
  let dept: TestClient;
  let idNumber: string;
  before(async () => {
    multi = await startInstances(2);
    dept = await addClient(multi.stacks[0]!, 'dept-keys-two');
    await clientsKnown(multi.stacks, [dept.clientId]);
    idNumber = (await enrolCitizen(multi.stacks[0]!, 'liu-yang', password)).idNumber;
  });
  after(async () => {
    await dept?.rp.close();
    await multi?.close();
  });

  it('B publishes the next key and signs with it once A activates it, without a restart', async () => {
    const a = multi.stacks[0]!;
    const { next } = await rotateOn(a);
    const published = await waitFor('B publishes the next key', async () => kids(await jwks(multi.direct(1))).includes(next));
    await a.ctx.db.transaction((q) => a.ctx.signingKeys.activate(q, next));
    await a.ctx.signingKeys.announce();
    await waitFor('B signs with the new key', async () => (await jwks(multi.direct(1))).keys.find((k) => k.alg === 'ES256')?.kid === next);
    // through the proxy: sign-ins and tokens land on both instances in turn
    for (let i = 0; i < 2; i++) assert.equal(await idTokenKid(multi.issuer, multi.direct(1), dept, idNumber), next);
    console.log(`# next key published on instance B ${published} ms after the announcement`);
  });
});
