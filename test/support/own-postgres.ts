/**
 * A private PostgreSQL cluster for fault tests (initdb + pg_ctl in a temporary folder, on a free
 * port), that a test may stop, restart, freeze and thaw without disturbing the shared one. As
 * root the server runs as the `postgres` user (PostgreSQL refuses to run as root).
 */
import { execFile } from 'node:child_process';
import { chown, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { findBinary, freePort } from './own-process.ts';

const run = promisify(execFile);

function binDir(): string | undefined {
  let versions: string[];
  try {
    versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
  } catch {
    versions = [];
  }
  const dirs = [...versions.map((v) => `/usr/lib/postgresql/${v}/bin`), ...(process.env.PATH ?? '').split(path.delimiter)];
  const initdb = findBinary('initdb', dirs);
  return initdb && findBinary('pg_ctl', [path.dirname(initdb)]) ? path.dirname(initdb) : undefined;
}

const BIN = binDir();
const AS_ROOT = process.getuid?.() === 0;

/** false when a cluster can be started here; otherwise why not (a skip reason) */
export const ownPostgresMissing: string | false = !BIN
  ? 'PostgreSQL server binaries (initdb, pg_ctl) are not installed'
  : AS_ROOT && !findBinary('runuser')
    ? 'runuser is needed to run PostgreSQL as the postgres user'
    : false;

export interface OwnPostgres {
  /** the cluster's `postgres` database as its superuser, trust authentication */
  url: string;
  /** SIGSTOP on the postmaster and every backend: connections stay open, nothing answers */
  freeze(): Promise<void>;
  thaw(): Promise<void>;
  /** pg_ctl stop -m immediate: every connection is cut */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function startOwnPostgres(): Promise<OwnPostgres> {
  if (!BIN) throw new Error(String(ownPostgresMissing));
  const dir = await mkdtemp(path.join(tmpdir(), 'tongban-pg-'));
  const data = path.join(dir, 'data');
  const port = await freePort();
  if (AS_ROOT) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    await chown(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const pg = (tool: string, args: string[]) =>
    AS_ROOT ? run('runuser', ['-u', 'postgres', '--', path.join(BIN, tool), ...args]) : run(path.join(BIN, tool), args);

  await pg('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c fsync=off -c full_page_writes=off`;
  const start = async () => {
    await pg('pg_ctl', ['-D', data, '-l', path.join(dir, 'log'), '-o', options, '-w', '-t', '30', 'start']);
  };
  const stop = async () => {
    await pg('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
  };

  // the postmaster and its children (backends, checkpointer, walwriter…)
  async function processes(): Promise<number[]> {
    const postmaster = Number((await readFile(path.join(data, 'postmaster.pid'), 'utf8')).split('\n')[0]);
    const children: number[] = [];
    for (const entry of await readdir('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
      // pid (comm) state ppid …: comm may contain spaces, so read after the last ')'
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === postmaster) children.push(Number(entry));
    }
    return [postmaster, ...children];
  }
  const signal = async (sig: NodeJS.Signals) => {
    for (const pid of await processes()) {
      try {
        process.kill(pid, sig);
      } catch {
        // gone already
      }
    }
  };

  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    freeze: () => signal('SIGSTOP'),
    thaw: () => signal('SIGCONT'),
    stop,
    start,
    async close() {
      await signal('SIGCONT').catch(() => undefined);
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
