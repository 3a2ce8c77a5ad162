/** Client-credentials grants and introspections, the same calls against any provider. */
import { Phase } from '../load.ts';
import { json, request } from '../http-request.ts';
import type { PhaseTiming } from './timing.ts';

export interface TokenTarget {
  label: string;
  issuer: string;
  clientId: string;
  secret: string;
}

export function basicAuth(clientId: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

export async function clientCredentials(target: TokenTarget): Promise<string> {
  const res = await request(`${target.issuer}/token`, {
    method: 'POST',
    headers: { authorization: basicAuth(target.clientId, target.secret) },
    form: new URLSearchParams({ grant_type: 'client_credentials' }),
  });
  const body = json<{ access_token?: string; error?: string; error_description?: string }>(res, 'client_credentials');
  if (res.status !== 200 || !body.access_token) throw new Error(`client_credentials: ${res.status} ${body.error ?? ''} ${body.error_description ?? ''}`);
  return body.access_token;
}

export async function introspect(target: TokenTarget, token: string): Promise<void> {
  const res = await request(`${target.issuer}/token/introspection`, {
    method: 'POST',
    headers: { authorization: basicAuth(target.clientId, target.secret) },
    form: new URLSearchParams({ token }),
  });
  const body = json<{ active?: boolean; error?: string }>(res, 'introspection');
  if (res.status !== 200 || body.active !== true) throw new Error(`introspection: ${res.status} active=${body.active} ${body.error ?? ''}`);
}

export function clientCredentialsPhase(t: PhaseTiming, target: TokenTarget): Phase {
  return new Phase(`client_credentials (${target.label})`, { ...t, task: () => clientCredentials(target).then(() => undefined) });
}

/**
 * Introspects a token issued to the same client just before each window: the bare provider's
 * in-memory adapter keeps only the most recent 1000 entries, so an older token may be gone.
 */
export function introspectionPhase(t: PhaseTiming, target: TokenTarget): Phase {
  let token = '';
  return new Phase(`introspection (${target.label})`, {
    ...t,
    before: async () => {
      token = await clientCredentials(target);
    },
    task: () => introspect(target, token),
  });
}
