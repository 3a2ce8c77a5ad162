/**
 * Private Redis topologies for tests, on free ports, never touching the shared Redis:
 * a three-master Redis Cluster (`redis-server --cluster-enabled yes` ×3, then
 * `redis-cli --cluster create`), and a master watched by one Sentinel. No persistence; each
 * lives in its own temporary folder, removed on close.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { createClient } from 'redis';
import { findBinary } from './own-process.ts';

const run = promisify(execFile);

/** false when a cluster can be started here; otherwise why not (a skip reason) */
export const ownClusterMissing: string | false =
  findBinary('redis-server') && findBinary('redis-cli') ? false : 'redis-server and redis-cli are not installed';

export interface OwnRedisCluster {
  /** redis+cluster://127.0.0.1:P1,127.0.0.1:P2,127.0.0.1:P3 */
  url: string;
  ports: number[];
  /** a command sent to one node (the first unless `port`), e.g. CLUSTER KEYSLOT */
  cli(...args: string[]): Promise<string>;
  /** the keys matching `pattern` that each master holds, by port */
  keysByNode(pattern: string): Promise<Map<number, string[]>>;
  /** SIGSTOP to one master: it keeps its connections and answers nothing (thaw it well within 15 s) */
  freeze(port: number): void;
  thaw(port: number): void;
  close(): Promise<void>;
}

export interface OwnRedisSentinel {
  /** redis+sentinel://127.0.0.1:S/<master> */
  url: string;
  masterPort: number;
  sentinelPort: number;
  masterName: string;
  close(): Promise<void>;
}

async function portFree(port: number): Promise<boolean> {
  const server = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    return true;
  } catch {
    return false;
  } finally {
    await new Promise((r) => server.close(r));
  }
}

/** n ports that are free, each with its cluster-bus port (+10000) free too */
async function clusterPorts(n: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < n) {
    const p = 20000 + Math.floor(Math.random() * 30000);
    if (ports.includes(p) || ports.includes(p + 10000) || ports.includes(p - 10000)) continue;
    if ((await portFree(p)) && (await portFree(p + 10000))) ports.push(p);
  }
  return ports;
}

function startServer(args: string[], dir: string): ChildProcess {
  return spawn(findBinary('redis-server')!, args, { stdio: 'ignore', cwd: dir });
}

async function waitFor(what: string, check: () => Promise<boolean>, children: ChildProcess[]): Promise<void> {
  for (let i = 0; ; i++) {
    if (await check().catch(() => false)) return;
    if (i > 400 || children.some((c) => c.exitCode !== null)) throw new Error(`${what} did not come up`);
    await sleep(50);
  }
}

async function reply(port: number, command: string[]): Promise<unknown> {
  const probe = createClient({ url: `redis://127.0.0.1:${port}`, socket: { reconnectStrategy: false } });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    return await probe.sendCommand(command);
  } finally {
    probe.destroy();
  }
}

const answers = async (port: number, command: string[]) => String(await reply(port, command));

async function stopAll(children: ChildProcess[], dir: string): Promise<void> {
  await Promise.all(
    children.map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGCONT');
      child.kill('SIGKILL');
      await exited;
    }),
  );
  rmSync(dir, { recursive: true, force: true });
}

export async function startOwnRedisCluster(): Promise<OwnRedisCluster> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tongban-cluster-'));
  const ports = await clusterPorts(3);
  const children = ports.map((port) =>
    startServer(
      ['--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`, '--cluster-node-timeout', '15000', '--save', '', '--appendonly', 'no', '--dir', dir],
      dir,
    ),
  );
  try {
    for (const port of ports) await waitFor(`the cluster node on ${port}`, async () => (await answers(port, ['PING'])) === 'PONG', children);
    await run(findBinary('redis-cli')!, ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes']);
    // every node must know every slot's owner before a client asks it
    for (const port of ports) {
      await waitFor(`the cluster state on ${port}`, async () => /cluster_state:ok/.test(await answers(port, ['CLUSTER', 'INFO'])), children);
    }
  } catch (err) {
    await stopAll(children, dir);
    throw err;
  }
  return {
    url: `redis+cluster://${ports.map((p) => `127.0.0.1:${p}`).join(',')}`,
    ports,
    cli: (...args) => answers(ports[0]!, args),
    freeze: (port) => void children[ports.indexOf(port)]?.kill('SIGSTOP'),
    thaw: (port) => void children[ports.indexOf(port)]?.kill('SIGCONT'),
    async keysByNode(pattern) {
      const lists = await Promise.all(ports.map((p) => reply(p, ['KEYS', pattern])));
      return new Map(ports.map((p, i) => [p, (lists[i] as string[]).map(String)]));
    },
    close: () => stopAll(children, dir),
  };
}

export async function startOwnRedisSentinel(masterName = 'tongban'): Promise<OwnRedisSentinel> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tongban-sentinel-'));
  const [masterPort, sentinelPort] = await clusterPorts(2);
  const children = [startServer(['--port', String(masterPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], dir)];
  try {
    await waitFor('the master', async () => (await answers(masterPort!, ['PING'])) === 'PONG', children);
    // a Sentinel rewrites its configuration file, so it needs one of its own
    const conf = path.join(dir, 'sentinel.conf');
    writeFileSync(conf, [`port ${sentinelPort}`, 'bind 127.0.0.1', `dir ${dir}`, `sentinel monitor ${masterName} 127.0.0.1 ${masterPort} 1`, ''].join('\n'));
    children.push(startServer([conf, '--sentinel'], dir));
    await waitFor(
      'the sentinel',
      async () => (await answers(sentinelPort!, ['SENTINEL', 'GET-MASTER-ADDR-BY-NAME', masterName])) === `127.0.0.1,${masterPort}`,
      children,
    );
  } catch (err) {
    await stopAll(children, dir);
    throw err;
  }
  return {
    url: `redis+sentinel://127.0.0.1:${sentinelPort}/${masterName}`,
    masterPort: masterPort!,
    sentinelPort: sentinelPort!,
    masterName,
    close: () => stopAll(children, dir),
  };
}
