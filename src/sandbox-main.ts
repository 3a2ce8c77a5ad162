/**
 * Runs the sandbox authorities on their own: `tsx src/sandbox-main.ts`.
 * SANDBOX_PORT (default 3900), SANDBOX_HOST (default 127.0.0.1), SANDBOX_PUBLIC_URL (optional).
 */
import { startSandbox } from '../providers/sandboxes.ts';

const rawPort = process.env.SANDBOX_PORT ?? '3900';
const port = Number(rawPort);
if (!/^\d+$/.test(rawPort) || port > 65535) {
  console.error(`SANDBOX_PORT must be a port number (0–65535), got '${rawPort}'`);
  process.exit(1);
}

const running = await startSandbox({
  port,
  host: process.env.SANDBOX_HOST || undefined,
  publicUrl: process.env.SANDBOX_PUBLIC_URL || undefined,
});
console.log(`Sandbox authorities listening on ${running.url} (outbox: ${running.url}/sms/outbox)`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void running.close().then(() => process.exit(0));
  });
}
