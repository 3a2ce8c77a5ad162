/** Starts bench/bare-main.ts in a process of its own and reads where it listens. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { REPO_ROOT } from '../src/config/env.ts';

const announced = z.object({ issuer: z.string().url(), clientId: z.string(), secret: z.string() });

export interface BareProcess extends z.infer<typeof announced> {
  close(): Promise<void>;
}

/** `redisUrl`: the provider keeps its models in that Redis (bare-redis-adapter.ts). */
export async function startBareProcess(o: { redisUrl?: string } = {}): Promise<BareProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'bench', 'bare-main.ts')], {
    env: { ...process.env, NODE_ENV: 'test', BARE_REDIS_URL: o.redisUrl ?? '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const close = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await once(child, 'exit');
  };
  const lines = createInterface({ input: child.stdout });
  const first = await Promise.race([
    once(lines, 'line').then(([line]) => String(line)),
    once(child, 'exit').then(([code]) => Promise.reject(new Error(`the bare provider ended (${String(code)}) before it listened`))),
  ]);
  lines.close();
  child.stdout.resume();
  return { ...announced.parse(JSON.parse(first)), close };
}
