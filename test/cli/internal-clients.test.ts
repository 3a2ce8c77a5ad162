// test-pass: embedded — the CLI runs on embedded stores whatever the environment says
/**
 * The account page's and the counter console's clients come from ISSUER at every start: no CLI
 * run (with another ISSUER, or none) and no client file can add, change or remove them.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdir, mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/env.ts';
import { createAppContext } from '../../src/app-context.ts';
import { startSandbox } from '../../providers/sandboxes.ts';
import { createPgliteDatabase } from '../../src/store/index.ts';
import { Browser } from '../support/browser.ts';
import { assertExit, runTongban } from '../support/cli.ts';
import { seedDataDir } from '../support/pglite-image.ts';

let tmp: string;
const tongban = (args: readonly string[], env: Record<string, string> = {}) => runTongban(tmp, args, env);

/** Only while no CLI process runs: PGlite's data directory takes one process at a time. */
async function storedClients(): Promise<Array<{ client_id: string; redirect: string }>> {
  const db = await createPgliteDatabase({ dataDir: join(tmp, 'data') });
  try {
    const { rows } = await db.query<{ client_id: string; redirect: string }>(
      `SELECT client_id, metadata->'redirect_uris'->>0 AS redirect FROM clients ORDER BY client_id`,
    );
    return rows;
  } finally {
    await db.close();
  }
}

const hijack = (clientId: string, path: string) => ({
  client_id: clientId,
  client_name: 'Not ours',
  token_endpoint_auth_method: 'none',
  grant_types: ['authorization_code'],
  redirect_uris: [`https://elsewhere.example/${path}/callback`],
  scope: 'openid',
  subject_type: 'public',
  tongban_first_party: true,
});

// CLI processes one after another and a service start: ten minutes leaves room for a busy machine
describe('the service’s own clients', { timeout: 600_000 }, () => {
  before(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'tongban-internal-clients-'));
    await mkdir(join(tmp, 'clients'));
    await mkdir(join(tmp, 'docs'));
    // an already migrated cluster: the first CLI run neither runs initdb nor migrates
    await seedDataDir(join(tmp, 'data'), 'migrated');
  });
  after(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('a clients add run without ISSUER stores nothing for the account page or the counter console', async () => {
    const file = join(tmp, 'docs', 'permits.json');
    await writeFile(file, JSON.stringify({ client_id: 'permits-office', client_name: 'Permits', redirect_uris: ['https://permits.example.gov/callback'] }));
    const run = await tongban(['clients', 'add', file]);
    assertExit(run, 0);
    assert.deepEqual(await storedClients(), [{ client_id: 'permits-office', redirect: 'https://permits.example.gov/callback' }]);
  });

  for (const [clientId, purpose, path] of [
    ['tongban-account', 'the account page', 'account'],
    ['tongban-counter', 'the counter console', 'counter'],
  ] as const) {
    it(`clients add and clients remove refuse ${clientId}, naming ${purpose}, and exit 2`, async () => {
      const file = join(tmp, 'docs', `${clientId}.json`);
      await writeFile(file, JSON.stringify(hijack(clientId, path)));
      const add = await tongban(['clients', 'add', file]);
      assertExit(add, 2);
      assert.ok(add.stderr.includes(file), add.stderr);
      assert.match(add.stderr, new RegExp(`client_id ${clientId} is reserved for ${purpose} \\(/${path}\\): the service builds it from ISSUER at every start, and it cannot be added, changed or removed`));
      const remove = await tongban(['clients', 'remove', clientId]);
      assertExit(remove, 2);
      assert.match(remove.stderr, new RegExp(`client_id ${clientId} is reserved for ${purpose}`));
      assert.deepEqual((await storedClients()).map((c) => c.client_id), ['permits-office']);
    });
  }

  it('a client file with a reserved id stops start-up, naming the file', async () => {
    const file = join(tmp, 'clients', 'account.json');
    await writeFile(file, JSON.stringify(hijack('tongban-account', 'account')));
    try {
      const run = await tongban(['clients', 'add', join(tmp, 'docs', 'permits.json')]);
      assertExit(run, 1);
      assert.ok(run.stderr.includes(file), run.stderr);
      assert.match(run.stderr, /client_id tongban-account is reserved for the account page/);
    } finally {
      await unlink(file);
    }
    assert.deepEqual((await storedClients()).map((c) => c.client_id), ['permits-office']);
  });

  it('the service signs in on /account and /counter with its own ISSUER, even over rows an older version stored', async () => {
    // what earlier versions left behind after a CLI run without ISSUER
    const db = await createPgliteDatabase({ dataDir: join(tmp, 'data') });
    try {
      for (const [id, path] of [['tongban-account', 'account'], ['tongban-counter', 'counter']] as const) {
        await db.query(`INSERT INTO clients (client_id, metadata, source) VALUES ($1, $2, 'internal')`, [
          id,
          JSON.stringify({ ...hijack(id, path), redirect_uris: [`http://localhost:3000/${path}/callback`], response_types: ['code'] }),
        ]);
      }
    } finally {
      await db.close();
    }

    const sandbox = await startSandbox({ port: 0 });
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const issuer = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const ctx = await createAppContext(
      loadConfig({
        NODE_ENV: 'test',
        ISSUER: issuer,
        DATA_DIR: join(tmp, 'data'),
        KEYS_DIR: join(tmp, 'keys'),
        CLIENTS_DIR: join(tmp, 'clients'),
        AUTHORITIES_URL: sandbox.url,
      }),
    );
    server.on('request', ctx.app);
    try {
      for (const page of ['/account', '/counter']) {
        const browser = new Browser(issuer);
        const res = await browser.open(page);
        assert.equal(res.status, 200, `${page}: ${res.text.slice(0, 400)}`);
        assert.match(res.path, /^\/interaction\//, `${page} leads to our sign-in page`);
        assert.match(res.text, /选择登录方式/);
      }
      assert.equal(ctx.clients.find('tongban-account')?.redirect_uris?.[0], `${issuer}/account/callback`);
      assert.equal(ctx.clients.find('tongban-counter')?.redirect_uris?.[0], `${issuer}/counter/callback`);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await ctx.close();
      await sandbox.close();
    }
  });
});
