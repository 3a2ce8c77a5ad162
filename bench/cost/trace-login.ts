/**
 * Which Redis commands one login (or client-credentials grant) sends, request by request
 * (MONITOR on a Redis of its own):
 *   npx tsx bench/cost/trace-login.ts [password|sms|cc] [count]
 * Keys are shown without the service's prefix and with ids shortened, so a reader sees the
 * pattern (oidc:Session:{…}, rl:{pair:…}); each HTTP request of the flow is announced by the
 * line `>> METHOD /path` before the commands it caused. A few untimed logins run first (caches).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from 'redis';
import { startOwnRedis } from '../../test/support/own-redis.ts';
import { CITIZENS } from '../../src/sandbox/citizens.ts';
import { CookieJar } from '../browser-client.ts';
import { closeAgent, type RequestOptions } from '../http-request.ts';
import { startService } from '../service.ts';
import { loginOnce } from '../phases/login.ts';
import { SMS_METHOD, smsLoginOnce } from '../phases/sms-login.ts';
import { clientCredentials } from '../phases/token-endpoint.ts';

const [kind = 'password', count = '1'] = process.argv.slice(2);
const redis = await startOwnRedis();
const service = await startService({ persons: 4, redisUrl: redis.url });
const marker = createClient({ url: redis.url });
const monitor = createClient({ url: redis.url });
try {
  await Promise.all([marker.connect(), monitor.connect()]);
  const phone = CITIZENS.find((c) => c.phone !== null)!;
  await service.ctx.identity.enrol(phone.idNumber, { name: phone.name, phone: phone.phone!, proofing: 'remote', credentials: [{ method: SMS_METHOD, identifier: phone.phone! }] });
  const cc = { label: 'ours', issuer: service.issuer, clientId: service.client.clientId, secret: service.client.secret };
  const once: () => Promise<unknown> =
    kind === 'sms'
      ? () => smsLoginOnce(service.issuer, service.sandboxUrl, service.client, phone.phone!)
      : kind === 'cc'
        ? () => clientCredentials(cc)
        : () => loginOnce(service.issuer, service.client, service.idNumbers[0]!);
  for (let i = 0; i < 3; i++) await once();

  // every request the flow makes goes through CookieJar.request: announce it in the trace
  const request = CookieJar.prototype.request;
  CookieJar.prototype.request = async function (this: CookieJar, url: string | URL, o: RequestOptions = {}) {
    await marker.echo(`>> ${o.method ?? 'GET'} ${new URL(url).pathname.replace(/\/interaction\/[^/]+/, '/interaction/…')}`);
    return request.call(this, url, o);
  };
  const lines: string[] = [];
  const id = (s: string) => s.replace(/\{[^}]{12,}\}/g, '{…}').replace(/:[A-Za-z0-9_-]{20,}/g, ':…');
  await monitor.monitor((line: string) => {
    const args = [...line.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!);
    const [cmd = '', ...rest] = args;
    if (cmd === 'ECHO') return void lines.push(rest[0]!);
    if (cmd === 'MONITOR' || cmd === 'ping') return;
    lines.push(`   ${cmd} ${rest.map((a) => id(a.replace(service.setup.prefix, '')).slice(0, 60)).join(' ')}`);
  });
  for (let i = 0; i < Number(count); i++) await once();
  await sleep(300);
  CookieJar.prototype.request = request;
  const commands = lines.filter((l) => !l.startsWith('>>') && !/^ {3}(MULTI|EXEC)\b/.test(l)).length;
  console.log(lines.join('\n'));
  console.log(`${commands} commands (MULTI/EXEC not counted) for ${count} ${kind === 'cc' ? 'grant' : `${kind} login`}(s)`);
} finally {
  await marker.close().catch(() => undefined);
  await monitor.close().catch(() => undefined);
  closeAgent();
  await service.close();
  await redis.close();
}
