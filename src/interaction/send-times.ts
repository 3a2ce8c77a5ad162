/**
 * How long a text message takes to send, so that a number that gets no message waits as long
 * as one that does. The last sends' durations are kept, shared by every step of the process
 * (the gateway is one), and a wait is one of them drawn at random: its distribution is that of
 * the real sends from the first one on. A running average would start from a guess and take
 * dozens of sends to reach the gateway's real time, and meanwhile tell the two apart.
 */

const KEPT = 64;
/** the wait before this process has sent anything */
const BEFORE_ANY_MS = 80;

const kept: number[] = [];
let next = 0;

/** records the duration of one real send */
export function recordSendTime(ms: number): void {
  if (kept.length < KEPT) kept.push(ms);
  else kept[next] = ms;
  next = (next + 1) % KEPT;
}

/** a duration to wait instead of sending: one of the recent real sends, at random */
export function sendTimeToMatch(): number {
  if (kept.length === 0) return BEFORE_ANY_MS;
  return kept[Math.floor(Math.random() * kept.length)]!;
}
