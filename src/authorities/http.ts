/**
 * JSON over HTTP to an outside authority: one timeout per attempt, bounded retries for
 * idempotent calls, answers parsed with zod. Every failure becomes AuthorityUnavailable.
 * Error details name the method, host and path only: bodies and query strings carry personal data.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { z } from 'zod';
import { AuthorityUnavailable } from '../errors.ts';

export interface CallAuthorityOptions<T> {
  /** Name used in errors and logs, e.g. 'population-registry'. */
  authority: string;
  url: string;
  method?: 'GET' | 'POST';
  body?: unknown;
  headers?: Record<string, string>;
  schema: z.ZodType<T>;
  /** Per attempt, including reading the answer. */
  timeoutMs: number;
  /** Extra attempts after a timeout, network error or 5xx. Only for idempotent calls. */
  retries: number;
}

/** Answers larger than this are not something any authority should send us. */
const MAX_RESPONSE_CHARS = 1_000_000;
const BACKOFF_MS = [100, 250, 500];

export async function callAuthority<T>(opts: CallAuthorityOptions<T>): Promise<T> {
  const method = opts.method ?? 'POST';
  const where = describe(method, opts.url);
  const retries = Math.max(0, Math.floor(opts.retries));
  let attempt = 0;
  for (;;) {
    try {
      return await attemptOnce(opts, method, where);
    } catch (err) {
      if (!(err instanceof Retryable) || attempt >= retries) {
        throw err instanceof Retryable ? err.failure : err;
      }
      await sleep(BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)]!);
      attempt++;
    }
  }
}

/** Wraps a failure that another attempt may cure. */
class Retryable extends Error {
  readonly failure: AuthorityUnavailable;
  constructor(failure: AuthorityUnavailable) {
    super(failure.message);
    this.failure = failure;
  }
}

async function attemptOnce<T>(opts: CallAuthorityOptions<T>, method: string, where: string): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  let payload: string | undefined;
  if (opts.body !== undefined) {
    payload = JSON.stringify(opts.body);
    if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
  }

  let status: number;
  let text: string;
  try {
    const res = await fetch(opts.url, {
      method,
      headers,
      body: payload,
      // A redirect would resend personal data somewhere we did not choose.
      redirect: 'manual',
      signal: AbortSignal.timeout(opts.timeoutMs),
    });
    status = res.status;
    text = await res.text();
  } catch (err) {
    if (isTimeout(err)) {
      throw new Retryable(new AuthorityUnavailable(opts.authority, 'timeout', `no answer within ${opts.timeoutMs} ms from ${where}`));
    }
    throw new Retryable(new AuthorityUnavailable(opts.authority, 'network', `${networkReason(err)} calling ${where}`));
  }

  if (status >= 500) {
    throw new Retryable(new AuthorityUnavailable(opts.authority, 'http', `HTTP ${status} from ${where}`));
  }
  if (status < 200 || status >= 300) {
    throw new AuthorityUnavailable(opts.authority, 'http', `unexpected HTTP ${status} from ${where}`);
  }
  if (text.length > MAX_RESPONSE_CHARS) {
    throw new AuthorityUnavailable(opts.authority, 'malformed', `answer too large from ${where}`);
  }

  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AuthorityUnavailable(opts.authority, 'malformed', `answer is not JSON from ${where}`);
  }
  const parsed = opts.schema.safeParse(json);
  if (!parsed.success) {
    // Paths only: zod messages may quote values from the answer.
    const paths = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || '(root)'))].slice(0, 5);
    throw new AuthorityUnavailable(opts.authority, 'malformed', `unexpected answer shape (${paths.join(', ')}) from ${where}`);
  }
  return parsed.data;
}

function isTimeout(err: unknown): boolean {
  return err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
}

function networkReason(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown } } | null)?.cause;
  return typeof cause?.code === 'string' ? cause.code : 'network error';
}

function describe(method: string, url: string): string {
  try {
    const u = new URL(url);
    return `${method} ${u.host}${u.pathname}`;
  } catch {
    return `${method} (invalid URL)`;
  }
}
