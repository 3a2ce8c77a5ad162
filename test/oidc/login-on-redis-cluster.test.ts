/**
 * A whole sign-in on the distributed Redis shapes, each started for this file: a three-master
 * Redis Cluster and a master watched by a Sentinel. Authorization code with PKCE through the
 * password page, code exchange, userinfo, refresh rotation, and single use under a race; on the
 * cluster, each grant's keys (record, token index, tombstone) and each artefact's consumed
 * marker are shown to share one slot.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startStack, type Stack } from '../support/stack.ts';
import { addClient, type TestClient } from '../support/clients.ts';
import { Browser } from '../support/browser.ts';
import { enrolCitizen } from '../support/login.ts';
import { ownClusterMissing, startOwnRedisCluster, startOwnRedisSentinel, type OwnRedisCluster } from '../support/own-redis-cluster.ts';
import { exactlyOneWinner, introspect, offlineCode, redeemCode, refresh, userinfoStatus } from './tokens.ts';

const RACERS = 20;
const password = 'Cluster2026slots';

interface Topology {
  url: string;
  cluster?: OwnRedisCluster;
  close(): Promise<void>;
}

function loginSuite(name: string, start: () => Promise<Topology>) {
  describe(`sign-in on ${name}`, { skip: ownClusterMissing }, () => {
    let topology: Topology;
    let stack: Stack;
    let dept: TestClient;
    let browser: Browser;
    let idNumber: string;

    before(async () => {
      topology = await start();
      stack = await startStack({ env: { REDIS_URL: topology.url } });
      assert.equal(stack.ctx.store.kind, 'redis');
      dept = await addClient(stack, 'dept-cluster', { scope: 'openid profile offline_access' });
      idNumber = (await enrolCitizen(stack, 'zhao-min', password)).idNumber;
      browser = new Browser(stack.issuer);
    });
    after(async () => {
      await dept?.rp.close();
      await stack?.close();
      await topology?.close();
    });

    it('signs in with the password, redeems the code, reads userinfo and rotates the refresh token', async () => {
      const tokens = await redeemCode(stack.issuer, dept, await offlineCode(browser, dept, idNumber, password));
      assert.equal(tokens.status, 200, tokens.text);
      assert.equal(typeof tokens.body.id_token, 'string');
      assert.equal(await userinfoStatus(stack.issuer, tokens.body.access_token as string), 200);
      assert.equal((await introspect(stack.issuer, dept, tokens.body.access_token as string)).active, true);
      const rotated = await refresh(stack.issuer, dept, tokens.body.refresh_token as string);
      assert.equal(rotated.status, 200, rotated.text);
      assert.notEqual(rotated.body.refresh_token, tokens.body.refresh_token);
      assert.equal(await userinfoStatus(stack.issuer, rotated.body.access_token as string), 200);
    });

    it(`lets exactly one of ${RACERS} simultaneous redemptions of a code win, and revokes what it got`, async () => {
      const issued = await offlineCode(browser, dept, idNumber, password);
      const replies = await Promise.all(Array.from({ length: RACERS }, () => redeemCode(stack.issuer, dept, issued)));
      const won = exactlyOneWinner(replies);
      assert.equal((await introspect(stack.issuer, dept, won.body.access_token as string)).active, false);
      assert.equal(await userinfoStatus(stack.issuer, won.body.access_token as string), 401);
      const again = await refresh(stack.issuer, dept, won.body.refresh_token as string);
      assert.equal(again.body.error, 'invalid_grant');
    });

    if (name.includes('Cluster')) {
      it('keeps each grant’s record, token index and tombstone, and each code and its marker, in one slot', async () => {
        // one more live grant next to the revoked one of the race
        const live = await redeemCode(stack.issuer, dept, await offlineCode(browser, dept, idNumber, password));
        assert.equal(live.status, 200, live.text);
        const cluster = topology.cluster!;
        const where = new Map<string, number>();
        for (const [port, keys] of await cluster.keysByNode('*oidc:*')) for (const k of keys) where.set(k, port);
        const slot = async (key: string) => Number(await cluster.cli('CLUSTER', 'KEYSLOT', key));

        const indexes = [...where.keys()].filter((k) => /oidc:g:\{[^}]+\}$/.test(k));
        const tombstones = [...where.keys()].filter((k) => /oidc:gr:\{[^}]+\}$/.test(k));
        assert.ok(indexes.length >= 1, 'a live grant has its token index');
        assert.ok(tombstones.length >= 1, 'the raced grant left its tombstone');
        for (const index of indexes) {
          const record = index.replace(/oidc:g:/, 'oidc:Grant:');
          assert.equal(where.get(record), where.get(index), `${record} is on the node of its index`);
          assert.equal(await slot(record), await slot(index));
          // a client that follows redirections reads the index from any node
          const members = await promisify(execFile)('redis-cli', ['-c', '-p', String(cluster.ports.find((p) => p !== where.get(index))), 'SMEMBERS', index]);
          assert.match(members.stdout, /oidc:AccessToken:\{/, 'the index lists the grant’s access token');
        }
        for (const tomb of tombstones) assert.equal(await slot(tomb), await slot(tomb.replace(/oidc:gr:/, 'oidc:Grant:')));
        const markers = [...where.keys()].filter((k) => k.endsWith(':c'));
        assert.ok(markers.some((k) => k.includes('oidc:AuthorizationCode:')), 'the redeemed codes left their markers');
        for (const marker of markers) {
          const base = marker.slice(0, -2);
          assert.equal(await slot(marker), await slot(base), `${marker} shares its code's slot`);
        }
      });
    }
  });
}

loginSuite('a three-master Redis Cluster', async () => {
  const cluster = await startOwnRedisCluster();
  return { url: cluster.url, cluster, close: () => cluster.close() };
});

loginSuite('a master behind a Redis Sentinel', async () => {
  const sentinel = await startOwnRedisSentinel();
  return { url: sentinel.url, close: () => sentinel.close() };
});
