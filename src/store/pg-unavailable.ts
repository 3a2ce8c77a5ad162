/**
 * Which PostgreSQL failures mean "the database cannot serve us now" rather than "this statement
 * is wrong": those become StoreUnavailable, everything else is rethrown as it was.
 */
import pg from 'pg';
import { StoreUnavailable } from '../errors.ts';

// SQLSTATE: 08 connection exception, 53 insufficient resources (too many connections, out of
// memory or disk), 57014 statement timeout, 57P01-57P05 shutdown / cannot connect now / idle
// session timeout, 25P03 idle-in-transaction timeout
const UNAVAILABLE_SQLSTATE = /^(08...|53...|57014|57P0[1-5]|25P03)$/;
// pg's own messages for a connection that failed, closed or stopped answering
const CONNECTION_FAILURE = /timeout|terminated|connection|not queryable|ended/i;

export function isPgUnavailable(err: unknown): boolean {
  if (!(err instanceof Error) || err instanceof StoreUnavailable) return false;
  const code = (err as { code?: unknown }).code;
  if (err instanceof pg.DatabaseError) return typeof code === 'string' && UNAVAILABLE_SQLSTATE.test(code);
  // no SQLSTATE: a socket error (ECONNREFUSED, ECONNRESET, ETIMEDOUT…) or the driver giving up
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return true;
  return CONNECTION_FAILURE.test(err.message);
}

/** The error to throw: StoreUnavailable for an outage, the error itself otherwise. */
export function pgFailure(err: unknown): unknown {
  return isPgUnavailable(err) ? new StoreUnavailable('postgres', err) : err;
}
