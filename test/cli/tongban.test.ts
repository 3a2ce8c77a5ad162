// test-pass: embedded — the CLI runs on embedded stores whatever the environment says
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertExit, runTongban, type Run } from '../support/cli.ts';
import { seedDataDir } from '../support/pglite-image.ts';
import { createPgliteDatabase } from '../../src/store/index.ts';
import { verifyClientSecret } from '../../src/crypto/client-secret.ts';

let tmp: string;

/** The CLI in its own process, on folders under `tmp`. */
const tongban = (args: readonly string[], env: Record<string, string> = {}): Promise<Run> => runTongban(tmp, args, env);

/** Rows of a table printed by the CLI, as column arrays (header and title lines skipped). */
function tableRows(output: string, firstColumn: string): string[][] {
  const lines = output.split('\n');
  const header = lines.findIndex((l) => l.startsWith(firstColumn));
  assert.ok(header >= 0, `no table in:\n${output}`);
  return lines.slice(header + 1).filter((l) => l.trim() !== '').map((l) => l.trim().split(/\s+/));
}

async function keyTable(): Promise<{ kid: string; alg: string; status: string }[]> {
  const run = await tongban(['keys', 'list']);
  assertExit(run, 0);
  return tableRows(run.stdout, 'KID').map(([kid, alg, status]) => ({ kid: kid!, alg: alg!, status: status! }));
}

/** Only while no CLI process runs: PGlite's data directory takes one process at a time. */
async function withData<T>(fn: (db: Awaited<ReturnType<typeof createPgliteDatabase>>) => Promise<T>): Promise<T> {
  const db = await createPgliteDatabase({ dataDir: join(tmp, 'data') });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

const permitsApp = {
  client_id: 'permits-office',
  client_name: 'Permits office',
  redirect_uris: ['https://permits.example.gov/callback'],
  tongban_min_level: 2,
};

// The cases share one data folder and run in order: each builds on what the one before left.
// About twenty CLI processes one after another, each loading PGlite: ten minutes leaves room for
// a machine busy with other work.
describe('tongban CLI', { timeout: 600_000 }, () => {
  let secret: string;
  /** the key table `keys list` printed, which `keys rotate` then changes */
  let listed: Awaited<ReturnType<typeof keyTable>>;

  before(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'tongban-cli-'));
    await mkdir(join(tmp, 'clients'));
    await mkdir(join(tmp, 'docs'));
    // the cluster initdb leaves, unpacked (PGlite's initdb is not what these cases test): the
    // first migrate still finds no schema at all
    await seedDataDir(join(tmp, 'data'), 'empty');
  });
  after(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('migrate applies the schema, and a second run applies nothing', async () => {
    const first = await tongban(['migrate']);
    assertExit(first, 0);
    assert.match(first.stdout, /0001_core\.sql/);
    const second = await tongban(['migrate']);
    assertExit(second, 0);
    assert.match(second.stdout, /Nothing to apply/);
    assert.doesNotMatch(second.stdout, /\.sql/);
  });

  it('clients add generates a secret for a confidential app without one, prints it once and stores only its hash', async () => {
    const file = join(tmp, 'docs', 'permits.json');
    await writeFile(file, JSON.stringify(permitsApp));
    const run = await tongban(['clients', 'add', file]);
    assertExit(run, 0);
    assert.match(run.stdout, /Registered client permits-office/);
    const printed = run.stdout.match(/^ {2}([A-Za-z0-9_-]{43})$/m);
    assert.ok(printed, `no secret in:\n${run.stdout}`);
    secret = printed[1]!;

    const stored = await withData(
      async (db) =>
        (await db.query<{ metadata: { client_secret: string }; source: string }>(
          "SELECT metadata, source FROM clients WHERE client_id = 'permits-office'",
        )).rows[0],
    );
    assert.ok(stored);
    assert.equal(stored.source, 'cli');
    assert.notEqual(stored.metadata.client_secret, secret);
    assert.doesNotMatch(JSON.stringify(stored.metadata), new RegExp(secret));
    const { clientSecretKey } = JSON.parse(await readFile(join(tmp, 'keys', 'secrets.json'), 'utf8')) as { clientSecretKey: string };
    assert.ok(verifyClientSecret(stored.metadata.client_secret, secret, Buffer.from(clientSecretKey, 'base64')));
  });

  it('clients list shows the app without its secret or hash', async () => {
    const run = await tongban(['clients', 'list']);
    assertExit(run, 0);
    const row = tableRows(run.stdout, 'CLIENT_ID').find((r) => r[0] === 'permits-office');
    assert.ok(row, run.stdout);
    assert.match(run.stdout, /Permits office/);
    assert.match(run.stdout, /client_secret_basic/);
    assert.match(run.stdout, /authorization_code,refresh_token/);
    assert.equal(row.at(-1), 'cli');
    assert.equal(row.at(-2), 'no');
    assert.equal(row.at(-3), '2');
    assert.ok(!run.stdout.includes(secret), 'the secret is never listed');
    assert.doesNotMatch(run.stdout, /hmac-sha256/);
  });

  it('clients add of an invalid document names the field and exits 2', async () => {
    const file = join(tmp, 'docs', 'bad-redirect.json');
    await writeFile(file, JSON.stringify({ ...permitsApp, client_id: 'bad-app', redirect_uris: ['not a url'] }));
    const run = await tongban(['clients', 'add', file]);
    assertExit(run, 2);
    assert.match(run.stderr, /redirect_uris/);
    assert.ok(run.stderr.includes(file), run.stderr);
    assert.doesNotMatch(run.stdout, /secret/i, 'no secret is shown for an app that was not registered');
  });

  it('clients add of a file that is not JSON exits 2 naming the file', async () => {
    const file = join(tmp, 'docs', 'broken.json');
    await writeFile(file, '{ "client_id": ');
    const run = await tongban(['clients', 'add', file]);
    assertExit(run, 2);
    assert.ok(run.stderr.includes(file), run.stderr);
    assert.match(run.stderr, /not valid JSON/);
  });

  it('clients remove deletes the app; removing it again fails', async () => {
    const removed = await tongban(['clients', 'remove', 'permits-office']);
    assertExit(removed, 0);
    const list = await tongban(['clients', 'list']);
    assertExit(list, 0);
    assert.doesNotMatch(list.stdout, /permits-office/);
    const audited = await withData((db) =>
      db.query<{ n: string }>(`SELECT count(*)::text AS n FROM audit_log WHERE type = 'client.removed' AND client_id = 'permits-office'`),
    );
    assert.equal(audited.rows[0]!.n, '1', 'the removal is in the audit log');
    const again = await tongban(['clients', 'remove', 'permits-office']);
    assertExit(again, 1);
    assert.match(again.stderr, /permits-office/);
  });

  it('keys list shows active ES256 and RS256 keys and a next ES256 key', async () => {
    listed = await keyTable();
    const has = (alg: string, status: string) => listed.some((k) => k.alg === alg && k.status === status);
    assert.ok(has('ES256', 'active'), JSON.stringify(listed));
    assert.ok(has('RS256', 'active'), JSON.stringify(listed));
    assert.ok(has('ES256', 'next'), JSON.stringify(listed));
  });

  it('keys rotate activates the next ES256 key and retires the old one', async () => {
    const before = listed;
    const oldActive = before.find((k) => k.alg === 'ES256' && k.status === 'active')!.kid;
    const oldNext = before.find((k) => k.alg === 'ES256' && k.status === 'next')!.kid;

    const run = await tongban(['keys', 'rotate']);
    assertExit(run, 0);
    assert.match(run.stdout, new RegExp(`activated: .*${oldNext}`));

    const after = await keyTable();
    const active = after.find((k) => k.alg === 'ES256' && k.status === 'active')!.kid;
    assert.notEqual(active, oldActive);
    assert.equal(active, oldNext);
    assert.equal(after.find((k) => k.kid === oldActive)?.status, 'retired');
    assert.ok(after.some((k) => k.alg === 'ES256' && k.status === 'next'), 'a fresh next key is published');

    const events = await withData(
      async (db) => (await db.query<{ type: string }>("SELECT type FROM audit_log WHERE type = 'keys.rotated'")).rows,
    );
    assert.equal(events.length, 1);
  });

  it('keys rotate refuses in production, leaving the key folder alone', async () => {
    const file = join(tmp, 'keys', 'signing-keys.json');
    const before = await readFile(file, 'utf8');
    const run = await tongban(['keys', 'rotate'], {
      NODE_ENV: 'production',
      ISSUER: 'https://id.example.gov',
      AUTHORITIES_URL: 'https://authorities.example.gov',
    });
    assertExit(run, 1);
    assert.match(run.stderr, /TONGBAN_SIGNING_KEYS/);
    assert.equal(await readFile(file, 'utf8'), before);
  });

  it('audit verify reports an intact chain and its head, which then verifies as an anchor', async () => {
    const run = await tongban(['audit', 'verify']);
    assertExit(run, 0);
    assert.match(run.stdout, /OK: [1-9]\d* row\(s\) checked/);
    const head = /Head: (\d+:[0-9a-f]{64})/.exec(run.stdout)?.[1];
    assert.ok(head, run.stdout);
    const anchored = await tongban(['audit', 'verify', '--anchor', head]);
    assertExit(anchored, 0);
    assert.match(anchored.stdout, /anchor \d+ found/);
    const unknown = await tongban(['audit', 'verify', '--anchor', `999999:${'0'.repeat(64)}`]);
    assertExit(unknown, 1);
    assert.match(unknown.stderr, /ANCHOR FAILED: row 999999 is gone/);
    const malformed = await tongban(['audit', 'verify', '--anchor', 'latest']);
    assertExit(malformed, 2);
    assert.match(malformed.stderr, /SEQ:HASH/);
  });

  it('audit verify exits 1 naming the row where the chain was changed', async () => {
    await withData(async (db) => {
      await db.query(`UPDATE audit_log SET data = '{"clientId":"forged"}' WHERE seq = 1`);
    });
    const run = await tongban(['audit', 'verify']);
    assertExit(run, 1);
    assert.match(run.stderr, /BROKEN at seq 1\b/);
  });

  it('help lists the commands and exits 0', async () => {
    const run = await tongban(['help']);
    assertExit(run, 0);
    for (const c of ['migrate', 'clients add', 'clients list', 'clients remove', 'keys list', 'keys rotate', 'audit verify']) {
      assert.ok(run.stdout.includes(c), `usage mentions ${c}`);
    }
    assert.match(run.stdout, /stop the service/);
  });

  it('an unknown command prints the usage and exits 2', async () => {
    const run = await tongban(['frobnicate']);
    assertExit(run, 2);
    assert.match(run.stderr, /unknown command: frobnicate/);
    assert.match(run.stderr, /clients add/);
  });

  it('an invalid environment exits 1 naming the variable', async () => {
    const run = await tongban(['migrate'], { PORT: 'abc' });
    assertExit(run, 1);
    assert.match(run.stderr, /PORT/);
  });
});
