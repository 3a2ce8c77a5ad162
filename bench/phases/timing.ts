/** How long and how wide a phase runs. */
export interface PhaseTiming {
  concurrency: number;
  /** before a phase's first window */
  warmupMs: number;
  /** before each later window */
  rampMs: number;
  durationMs: number;
}
