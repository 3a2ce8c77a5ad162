/** Registers test department apps, each with a running demo department app as its back end. */
import { generateClientSecret } from '../../src/crypto/client-secret.ts';
import { startDepartmentApp } from '../../src/demo/department-app.ts';
import type { Stack } from './stack.ts';

export interface TestClient {
  clientId: string;
  secret: string;
  redirectUri: string;
  rp: Awaited<ReturnType<typeof startDepartmentApp>>;
}

export async function addClient(stack: Stack, clientId: string, extra: Record<string, unknown> = {}): Promise<TestClient> {
  const secret = generateClientSecret();
  const rp = await startDepartmentApp({
    issuer: stack.issuer,
    clientId,
    clientSecret: secret,
    baseUrl: 'http://127.0.0.1:0',
    title: { 'zh-CN': clientId, en: clientId },
    port: 0,
  });
  await stack.ctx.register(
    {
      client_id: clientId,
      client_name: `Dept ${clientId}`,
      client_secret: secret,
      redirect_uris: [`${rp.url}/callback`],
      post_logout_redirect_uris: [`${rp.url}/`],
      backchannel_logout_uri: `${rp.url}/backchannel-logout`,
      grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
      ...extra,
    },
    'test',
  );
  return { clientId, secret, redirectUri: `${rp.url}/callback`, rp };
}

export function basic(c: TestClient): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(c.clientId)}:${encodeURIComponent(c.secret)}`).toString('base64')}`;
}

/** Registers a hall kiosk: a public device-flow client whose sign-ins counter staff approve. */
export async function addKiosk(stack: Stack, clientId: string, opts: { name?: string; scope?: string } = {}): Promise<void> {
  await stack.ctx.register(
    {
      client_id: clientId,
      client_name: opts.name ?? 'Kiosk',
      token_endpoint_auth_method: 'none',
      grant_types: ['urn:ietf:params:oauth:grant-type:device_code'],
      subject_type: 'public',
      scope: opts.scope ?? 'openid',
      tongban_kiosk: true,
    },
    'test',
  );
}
