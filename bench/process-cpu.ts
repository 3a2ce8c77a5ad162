/**
 * CPU used so far: by this process (every thread), and by the processes with a given command
 * name, from /proc (Linux): how much PostgreSQL's and Redis's own processes work for a phase, on
 * the same cores as the service. Elsewhere, or when /proc cannot be read, NaN.
 */
import { readFileSync, readdirSync } from 'node:fs';

/** This process's CPU so far, user and system, in milliseconds. */
export function ownCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

const TICKS_PER_SECOND = 100;

export function processCpuMs(names: readonly string[]): number {
  let ticks = 0;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return NaN;
  }
  for (const pid of entries) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      if (!names.includes(comm)) continue;
      // after "pid (comm) ": state is field 3; utime and stime are fields 14 and 15
      const fields = stat.slice(close + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // the process ended between listing and reading
    }
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}
