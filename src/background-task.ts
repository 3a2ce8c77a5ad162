/**
 * A task every instance runs in the background on a timer (chaining leftover audit events,
 * closing refusal windows): at once, then every `intervalMs`, never two runs at a time. A failed
 * run is logged and the next one tries again. The returned stop waits for a run in flight.
 */
import { logBackgroundFailure } from './log.ts';

export function runPeriodically(task: () => Promise<unknown>, intervalMs: number, failureMessage: string): () => Promise<void> {
  let running: Promise<unknown> | null = null;
  const tick = () => {
    running ??= task()
      .catch((err: unknown) => logBackgroundFailure(failureMessage, err))
      .finally(() => (running = null));
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
