/** Prints the cost per login (cost/cost-per-login.ts). */
import { measureCostPerLogin, type CostReport } from '../cost/cost-per-login.ts';

export const WRITES_TARGET = 2;
export const SESSION_BYTES_TARGET = 2048;
const LOGINS = 30;

export async function runCost(log: (line: string) => void): Promise<{ report: CostReport; lines: string[] }> {
  const report = await measureCostPerLogin(LOGINS, log);
  const f = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));
  const lines = [
    `per login, ${LOGINS} logins one after another, counted by the bench's own PostgreSQL (pg_stat_statements) and Redis (INFO commandstats: ` +
      'commands, those a script runs included; INFO stats: round trips, one per batch of pipelined commands a client waited for):',
  ];
  for (const c of report.costs) {
    lines.push(
      `  ${c.method.padEnd(17)} PostgreSQL: ${f(c.statements)} statements (${f(c.transactions)} transactions), ` +
        `${f(c.writeStatements)} writes (${f(c.rowsWritten)} rows)  ${c.writeStatements <= WRITES_TARGET ? 'met' : 'MISSED'} (goal <= ${WRITES_TARGET} writes); ` +
        `Redis: ${f(c.redisCommands)} commands in ${f(c.redisRoundTrips)} round trips`,
      `    Redis commands: ${Object.entries(c.redisByCommand).map(([k, v]) => `${k} ${f(v)}`).join(', ')}`,
      ...c.topStatements.map((s) => `    ${f(s.perLogin)} x ${s.query}`),
    );
  }
  lines.push(
    `Redis per SSO session: ${Math.round(report.sessionBytes)} bytes in ${f(report.sessionKeys)} keys (session, uid index, device record, share of the person's session set; MEMORY USAGE)  ` +
      `${report.sessionBytes <= SESSION_BYTES_TARGET ? 'met' : 'MISSED'} (goal <= 2 KB); everything a login leaves in Redis until it expires ` +
      `(session, grant, tokens, used-code markers, limit counters): ${Math.round(report.leftPerLoginBytes)} bytes`,
  );
  return { report, lines };
}
