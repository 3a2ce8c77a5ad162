/**
 * REDIS_URL names one of three shapes of Redis:
 *   redis://[user:password@]host:port[/db]                   one server (rediss:// with TLS)
 *   redis+cluster://[user:password@]host:port,host:port,…    a Redis Cluster: some of its nodes,
 *                                                            the rest are discovered
 *   redis+sentinel://[user:password@]host:port,…/master      the master Sentinel names `master`
 *                                                            (failover follows the Sentinels)
 * `rediss+cluster` and `rediss+sentinel` use TLS. Credentials are those of the data nodes.
 */
import { z } from 'zod';

export interface RedisNode {
  host: string;
  port: number;
}

export type RedisTarget =
  | { mode: 'standalone'; url: string }
  | { mode: 'cluster'; nodes: RedisNode[]; tls: boolean; username?: string; password?: string }
  | { mode: 'sentinel'; sentinels: RedisNode[]; masterName: string; tls: boolean; username?: string; password?: string; database: number };

export const REDIS_URL_FORMS =
  'redis://host:port, rediss://host:port, redis+cluster://host:port,host:port,… or redis+sentinel://host:port,…/mastername';

const SHAPE = /^(rediss?)(?:\+(cluster|sentinel))?:\/\/(?:([^@/]*)@)?([^/?#]+)(?:\/([^?#]*))?$/;
const HOST = /^(?:\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)$/;
const MASTER_NAME = /^[A-Za-z0-9._-]{1,128}$/;

function parseNodes(list: string): RedisNode[] | string {
  const nodes: RedisNode[] = [];
  for (const item of list.split(',')) {
    const at = item.lastIndexOf(':');
    const host = at > 0 ? item.slice(0, at) : '';
    const port = Number(item.slice(at + 1));
    if (!HOST.test(host) || !Number.isInteger(port) || port < 1 || port > 65535) return `"${item}" is not host:port`;
    nodes.push({ host: host.replace(/^\[(.*)\]$/, '$1'), port });
  }
  return nodes;
}

function userInfo(raw: string | undefined): { username?: string; password?: string } {
  if (raw === undefined) return {};
  const colon = raw.indexOf(':');
  const user = decodeURIComponent(colon < 0 ? raw : raw.slice(0, colon));
  const password = colon < 0 ? undefined : decodeURIComponent(raw.slice(colon + 1));
  return { ...(user ? { username: user } : {}), ...(password ? { password } : {}) };
}

/** The shape a REDIS_URL names, or why it names none (the reason never repeats a password). */
export function parseRedisUrl(raw: string): RedisTarget | { error: string } {
  const m = SHAPE.exec(raw.trim());
  if (!m) return { error: `not a Redis URL; give ${REDIS_URL_FORMS}` };
  const [, scheme, topology, auth, hosts, path = ''] = m as unknown as [string, string, string | undefined, string | undefined, string, string | undefined];
  const tls = scheme === 'rediss';
  if (topology === undefined) {
    if (!z.url({ protocol: /^rediss?$/ }).safeParse(raw.trim()).success || hosts.includes(',')) {
      return { error: `not a Redis URL; one server is ${scheme}://host:port (several nodes need redis+cluster:// or redis+sentinel://)` };
    }
    return { mode: 'standalone', url: raw.trim() };
  }
  const nodes = parseNodes(hosts);
  if (typeof nodes === 'string') return { error: `${scheme}+${topology}: ${nodes}` };
  let credentials: { username?: string; password?: string };
  try {
    credentials = userInfo(auth);
  } catch {
    return { error: `${scheme}+${topology}: the user name or password is not URL-encoded` };
  }
  if (topology === 'cluster') {
    if (path !== '') return { error: 'redis+cluster: a cluster has one database; give no path (redis+cluster://host:port,host:port)' };
    return { mode: 'cluster', nodes, tls, ...credentials };
  }
  const [masterName = '', db, ...rest] = path.split('/');
  if (!MASTER_NAME.test(masterName) || rest.length > 0 || (db !== undefined && !/^\d{1,2}$/.test(db))) {
    return { error: 'redis+sentinel: give the master name Sentinel knows, e.g. redis+sentinel://host:26379,host:26380/mymaster (optionally /mymaster/db)' };
  }
  return { mode: 'sentinel', sentinels: nodes, masterName, tls, database: db === undefined ? 0 : Number(db), ...credentials };
}

/** host and port only, for messages: a URL may carry a password */
export function describeRedisTarget(target: RedisTarget): string {
  const list = (nodes: RedisNode[]) => nodes.map((n) => `${n.host}:${n.port}`).join(',');
  if (target.mode === 'cluster') return `the Redis Cluster at ${list(target.nodes)}`;
  if (target.mode === 'sentinel') return `the master "${target.masterName}" of the Sentinels at ${list(target.sentinels)}`;
  try {
    const u = new URL(target.url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return '(unparsable URL)';
  }
}

/** REDIS_URL in the environment schema: a clear message for a shape that is not one of the three */
export const redisUrlSchema = z.string().superRefine((raw, ctx) => {
  const parsed = parseRedisUrl(raw);
  if ('error' in parsed) ctx.addIssue({ code: 'custom', message: parsed.error });
});
