/**
 * HTTP to an outside authority: one timeout per attempt, bounded retries for idempotent calls,
 * JSON answers parsed with zod (or, where an authority needs it, the exact text or raw bytes).
 * Every failure becomes AuthorityUnavailable, and by default so does any 4xx; a connector whose
 * authority answers a refusal as a 4xx JSON body (an OAuth token endpoint's
 * `400 {"error":"invalid_grant"}`) asks to read it as an answer instead. Error details name the method, host and path only:
 * bodies and query strings carry personal data.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { z } from 'zod';
import { AuthorityUnavailable } from '../errors.ts';
import { issuePaths } from '../validation/issues.ts';
import { timeAuthorityCall } from '../metrics/index.ts';

interface RequestOptions {
  /** Name used in errors and logs, e.g. 'population-registry'. */
  authority: string;
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** Per attempt, including reading the answer. */
  timeoutMs: number;
  /** Extra attempts after a timeout, network error or 5xx. Only for idempotent calls. */
  retries: number;
}

export interface CallAuthorityOptions<T> extends RequestOptions {
  /** Sent as JSON. */
  body?: unknown;
  /** Sent form-encoded (utf-8) instead of `body`, for authorities that take forms. */
  form?: Record<string, string>;
  schema: z.ZodType<T>;
  /** Answers longer than this are refused as malformed; 1,000,000 unless set. */
  maxResponseChars?: number;
  /**
   * Read a 4xx answer's JSON body with `schema` as an answer (a refusal the person caused, such
   * as an expired authorization code), not as the authority being unavailable. A 4xx body that
   * is not JSON or does not fit `schema` is still a failure; so is any 3xx or 5xx.
   */
  readClientErrors?: boolean;
}

export interface FetchBytesOptions extends RequestOptions {
  /** Checked against Content-Length before reading, and against the bytes read. */
  maxResponseBytes: number;
}

/** Answers larger than this are not something any authority should send us. */
const MAX_RESPONSE_CHARS = 1_000_000;
const BACKOFF_MS = [100, 250, 500];

export async function callAuthority<T>(opts: CallAuthorityOptions<T>): Promise<T> {
  return (await callAuthorityWithText(opts)).value;
}

/** The parsed answer and the exact text it was parsed from, for authorities that sign that text. */
export async function callAuthorityWithText<T>(opts: CallAuthorityOptions<T>): Promise<{ value: T; text: string; status: number }> {
  if (opts.body !== undefined && opts.form !== undefined) throw new TypeError('callAuthority: body and form are exclusive');
  const defaults: Record<string, string> = { accept: 'application/json' };
  let payload: string | undefined;
  if (opts.form !== undefined) {
    payload = new URLSearchParams(opts.form).toString();
    defaults['content-type'] = 'application/x-www-form-urlencoded';
  } else if (opts.body !== undefined) {
    payload = JSON.stringify(opts.body);
    defaults['content-type'] = 'application/json';
  }
  const headers = withDefaults(defaults, opts.headers);
  const maxChars = opts.maxResponseChars ?? MAX_RESPONSE_CHARS;

  return withRetries(opts, async (method, where) => {
    const { text, status } = await attemptOnce(opts, method, where, headers, payload, async (res) => ({ text: await res.text(), status: res.status }), {
      clientErrors: opts.readClientErrors ?? false,
    });
    if (text.length > maxChars) {
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
      const paths = issuePaths(parsed.error, { max: 5 });
      throw new AuthorityUnavailable(opts.authority, 'malformed', `unexpected answer shape (${paths.join(', ')}) from ${where}`);
    }
    return { value: parsed.data, text, status };
  });
}

/** A binary answer (a CRL, say) as bytes, with the response headers for caching decisions. */
export async function fetchAuthorityBytes(opts: FetchBytesOptions): Promise<{ bytes: Buffer; headers: Headers }> {
  const headers = withDefaults({}, opts.headers);
  return withRetries(opts, async (method, where) => {
    const tooLarge = () => new AuthorityUnavailable(opts.authority, 'malformed', `answer too large from ${where}`);
    const answer = await attemptOnce(opts, method, where, headers, undefined, async (res) => {
      // refused before reading: a huge download would only be thrown away
      if (Number(res.headers.get('content-length') ?? 0) > opts.maxResponseBytes) throw tooLarge();
      return { bytes: Buffer.from(await res.arrayBuffer()), headers: res.headers };
    });
    if (answer.bytes.length > opts.maxResponseBytes) throw tooLarge();
    return answer;
  });
}

/** Wraps a failure that another attempt may cure. */
class Retryable extends Error {
  readonly failure: AuthorityUnavailable;
  constructor(failure: AuthorityUnavailable) {
    super(failure.message);
    this.failure = failure;
  }
}

async function withRetries<R>(opts: RequestOptions, attempt: (method: string, where: string) => Promise<R>): Promise<R> {
  const method = opts.method ?? 'POST';
  const where = describe(method, opts.url);
  const retries = Math.max(0, Math.floor(opts.retries));
  // one observation per call, retries included: what the person waited for
  const done = timeAuthorityCall(opts.authority);
  for (let n = 0; ; n++) {
    try {
      const answer = await attempt(method, where);
      done('ok');
      return answer;
    } catch (err) {
      if (!(err instanceof Retryable) || n >= retries) {
        const failure = err instanceof Retryable ? err.failure : err;
        done(failure instanceof AuthorityUnavailable ? failure.kind : 'error');
        throw failure;
      }
      await sleep(BACKOFF_MS[Math.min(n, BACKOFF_MS.length - 1)]!);
    }
  }
}

/** One request: transport failures and 5xx are Retryable, other non-2xx are final (a 4xx is an answer when `clientErrors`). */
async function attemptOnce<R>(
  opts: RequestOptions,
  method: string,
  where: string,
  headers: Record<string, string>,
  payload: string | undefined,
  read: (res: Response) => Promise<R>,
  accept: { clientErrors: boolean } = { clientErrors: false },
): Promise<R> {
  let status: number;
  let answer: R;
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
    answer = await read(res);
  } catch (err) {
    if (err instanceof AuthorityUnavailable) throw err;
    if (isTimeout(err)) {
      throw new Retryable(new AuthorityUnavailable(opts.authority, 'timeout', `no answer within ${opts.timeoutMs} ms from ${where}`));
    }
    throw new Retryable(new AuthorityUnavailable(opts.authority, 'network', `${networkReason(err)} calling ${where}`));
  }

  if (status >= 500) {
    throw new Retryable(new AuthorityUnavailable(opts.authority, 'http', `HTTP ${status} from ${where}`));
  }
  if (accept.clientErrors && status >= 400 && status < 500) return answer;
  if (status < 200 || status >= 300) {
    throw new AuthorityUnavailable(opts.authority, 'http', `unexpected HTTP ${status} from ${where}`);
  }
  return answer;
}

/** The caller's headers win; a default is skipped when the caller set that header in any case. */
function withDefaults(defaults: Record<string, string>, given: Record<string, string> = {}): Record<string, string> {
  const taken = new Set(Object.keys(given).map((k) => k.toLowerCase()));
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(defaults)) if (!taken.has(k)) out[k] = v;
  return { ...out, ...given };
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
