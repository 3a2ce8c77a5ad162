/**
 * `npm start`: the identity provider. In development (the default) it also starts the sandbox
 * authorities and two demo department apps, on embedded PostgreSQL and an in-process store
 * unless DATABASE_URL / REDIS_URL say otherwise.
 */
import cluster from 'node:cluster';
import { loadConfig, type Config } from './config/env.ts';
import { ConfigError } from './errors.ts';
import { createAppContext } from './app-context.ts';
import { startSandbox } from '../providers/sandboxes.ts';
import { CITIZENS } from './sandbox/citizens.ts';
import { startDepartmentApp } from './demo/department-app.ts';
import { bankCardOf } from '../providers/bank-card/sandbox.ts';
import { socialSecurityCardOf } from '../providers/social-security-card/sandbox.ts';
import { housingFundAccountOf } from '../providers/housing-fund/sandbox.ts';
import { seedDemo, DEMO_CITIZEN, DEMO_PASSWORD, DEMO_KIOSK, DEMO_STAFF } from './demo/seed-demo.ts';
import { log } from './log.ts';
import { listen } from './lifecycle/listener.ts';
import { CLOSE_GRACE_MS, stopGracefully, stopOnSignals } from './lifecycle/shutdown.ts';
import { isPrimaryOf, runPrimary, workersProblem } from './lifecycle/cluster.ts';
import { serveMetrics } from './metrics/index.ts';

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const problem = workersProblem(config);
  if (problem) {
    console.error(problem);
    process.exit(1);
  }
  // WORKERS > 1: this process only supervises; each worker runs the rest of main()
  // (its metrics listener sums the workers' figures)
  if (isPrimaryOf(config)) return runPrimary(config, [async (c) => (await serveMetrics(c, 'cluster')).close]);

  // closed in this order once the listener has drained
  const stops: Array<{ name: string; close(): Promise<unknown> }> = [];

  let sandboxUrl: string | undefined;
  if (config.demo) {
    const sandbox = await startSandbox({ port: config.sandboxPort });
    stops.push({ name: 'sandbox', close: () => sandbox.close() });
    sandboxUrl = sandbox.url;
    // the demo apps run on this machine: back-channel logout must reach 127.0.0.1
    config = { ...config, authoritiesUrl: config.authoritiesUrl ?? sandbox.url, allowLoopbackFetch: true };
  }

  const ctx = await createAppContext(config);
  stops.unshift({ name: 'stores and background tasks', close: () => ctx.close() });
  // a worker's figures are served by its primary
  if (!cluster.isWorker) {
    const metrics = await serveMetrics(config, 'process');
    stops.push({ name: 'metrics listener', close: () => metrics.close() });
  }
  const listener = await listen(ctx.app, config.port, config.host);
  stopOnSignals(
    () => stopGracefully({ listener, timeoutMs: config.shutdownTimeoutMs, closers: stops }),
    config.shutdownTimeoutMs + (stops.length + 2) * CLOSE_GRACE_MS,
  );
  log.info({ port: listener.port, clusterWorker: cluster.isWorker }, 'listening');

  const lines = [
    `Tongban ID is running: ${config.issuer}`,
    `  discovery: ${config.issuer}/.well-known/openid-configuration`,
    `  storage:   ${ctx.db.kind === 'postgres' ? 'PostgreSQL' : `embedded PGlite (${config.dataDir})`}, ${ctx.store.kind === 'redis' ? 'Redis' : 'in-process store'}`,
  ];
  if (config.demo && sandboxUrl) {
    const apps = await seedDemo(ctx, config.demoPorts);
    for (const a of apps) {
      const running = await startDepartmentApp({
        issuer: config.issuer,
        clientId: a.clientId,
        clientSecret: a.secret,
        baseUrl: `http://localhost:${a.port}`,
        title: a.title,
        port: a.port,
      });
      stops.unshift({ name: `demo app ${a.clientId}`, close: () => running.close() });
      lines.push(`  demo app:  ${a.title['zh-CN']} / ${a.title.en}: http://localhost:${a.port}`);
    }
    lines.push(
      `  sandbox authorities: ${sandboxUrl}  (SMS outbox: ${sandboxUrl}/sms/outbox)`,
      '',
      'Synthetic demo citizens:',
      `  ready to sign in: ${DEMO_CITIZEN.name}  ID ${DEMO_CITIZEN.idNumber}  password ${DEMO_PASSWORD}`,
      '  to register (开通) through the login page; codes appear in the SMS outbox:',
      ...CITIZENS.filter((c) => c.key !== DEMO_CITIZEN.key && c.phone)
        .slice(0, 4)
        .map((c) => `    ${c.name}  ID ${c.idNumber}  phone ${c.phone}`),
      `  no phone: ${CITIZENS.find((c) => !c.phone)!.name}  ID ${CITIZENS.find((c) => !c.phone)!.idNumber}  (verify at the counter, then use a counter code)`,
      '',
      `Open http://localhost:${config.demoPorts[0]}, sign in, then open http://localhost:${config.demoPorts[1]}: no second login.`,
      `Other methods for ${DEMO_CITIZEN.name}: bank card ${bankCardOf(DEMO_CITIZEN.key)} (bank phone ${DEMO_CITIZEN.phone}); social-security card ${socialSecurityCardOf(DEMO_CITIZEN.key).cardNo} PIN ${socialSecurityCardOf(DEMO_CITIZEN.key).pin}; housing fund ${housingFundAccountOf(DEMO_CITIZEN.key).account} / ${housingFundAccountOf(DEMO_CITIZEN.key).password}`,
      `  the sandbox's Alipay, WeChat, eID, face, UKey-signer and city-app pages let you pick any synthetic citizen.`,
      `My account: ${config.issuer}/account   City-app simulator (QR approval): ${sandboxUrl}/city-app/`,
      `Counter console: ${config.issuer}/counter  — sign in with the certificate of ${DEMO_STAFF.staff.name} (staff) or ${DEMO_STAFF.supervisor.name} (supervisor) in the sandbox signing simulator.`,
      `Kiosk (device flow): curl -d client_id=${DEMO_KIOSK} -d scope=openid ${config.issuer}/device/auth  → staff type the user_code in the console.`,
    );
  }
  // a worker's start is its 'listening' log line; the primary's is this summary
  if (!cluster.isWorker) console.log(lines.join('\n'));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(1);
  }
  console.error(err);
  process.exit(1);
});
