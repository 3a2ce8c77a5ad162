/**
 * How long a policy change takes to be in force on a second instance: a version saved and
 * announced on the bench's service, timed until a second app context on the same PostgreSQL
 * schema and Redis prefix (in this process, with its own connections) has it; and the same with
 * the announcement left out (a lost message), which the once-a-second version check must catch.
 * On the embedded stores there is no second instance: the change is timed within the one process.
 * The change is harmless (an authorization code's lifetime by one second) and undone at the end.
 */
import { createAppContext, type AppContext } from '../../src/app-context.ts';
import type { PolicyDocument } from '../../src/policy/index.ts';
import { benchAppOptions, benchConfig, type Service } from '../service.ts';
import { median } from '../stats.ts';

const ROUNDS = 10;

async function save(ctx: AppContext, change: (doc: PolicyDocument) => void, reason: string): Promise<number> {
  const doc = structuredClone(ctx.policy.current().document);
  change(doc);
  return ctx.audit.transaction((tx) => ctx.policy.save(tx, doc, { actorId: 'system:bench', reason }));
}

/** milliseconds until `b` has `version` (checked every millisecond; fails after 10 s) */
async function until(b: AppContext, version: number, t0: number): Promise<number> {
  while (b.policy.current().version < version) {
    if (performance.now() - t0 > 10_000) throw new Error(`policy version ${version} did not reach the second instance in 10 s`);
    await new Promise((r) => setTimeout(r, 1));
  }
  return performance.now() - t0;
}

export async function runPolicyPropagation(service: Service): Promise<{ lines: string[]; result: Record<string, unknown> }> {
  const a = service.ctx;
  const shared = Boolean(service.setup.databaseUrl && service.setup.redisUrl);
  const b = shared ? await createAppContext(benchConfig(service.setup, Number(new URL(service.issuer).port)), benchAppOptions(service.setup)) : a;
  const original = a.policy.current().document;
  const announced: number[] = [];
  const silent: number[] = [];
  try {
    for (let i = 0; i < ROUNDS; i++) {
      let t0 = performance.now();
      const v1 = await save(a, (d) => (d.global.lifetimes.authorizationCodeTtl = 60 + ((i % 2) + 1)), 'bench: announced change');
      await a.policy.announce();
      announced.push(await until(b, v1, t0));
      t0 = performance.now();
      const v2 = await save(a, (d) => (d.global.lifetimes.authorizationCodeTtl = 60), 'bench: unannounced change');
      silent.push(await until(b, v2, t0));
    }
  } finally {
    await save(a, (d) => Object.assign(d, structuredClone(original)), 'bench: the policy as it was').catch(() => undefined);
    await a.policy.announce();
    if (b !== a) await b.close();
  }
  const ms = (xs: number[]) => ({ medianMs: Number(median(xs).toFixed(1)), maxMs: Number(Math.max(...xs).toFixed(1)) });
  const line = (label: string, xs: number[]) => `${label}: median ${ms(xs).medianMs} ms, max ${ms(xs).maxMs} ms (${xs.length} changes)`;
  const where = shared ? 'a second instance (same PostgreSQL schema and Redis prefix, its own connections)' : 'the same process (embedded stores: no second instance)';
  return {
    lines: [
      `saved, committed and announced on one instance, in force on ${where}:`,
      line('  announced on policy:changed', announced),
      line('  not announced (the once-a-second version check)', silent),
    ],
    result: { shared, announced: ms(announced), unannounced: ms(silent) },
  };
}
