/**
 * Local demo only: registers the two demo department apps (secrets generated once into
 * keys/demo-clients.json) and one citizen who can sign in straight away.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AppContext } from '../app-context.ts';
import { generateClientSecret } from '../crypto/client-secret.ts';
import { citizen } from '../sandbox/citizens.ts';

export const DEMO_PASSWORD = 'Tongban2026';
export const DEMO_CITIZEN = citizen('zhang-wei');

export interface DemoApp {
  clientId: string;
  secret: string;
  port: number;
  title: { 'zh-CN': string; en: string };
}

export async function seedDemo(ctx: AppContext, ports: [number, number]): Promise<DemoApp[]> {
  const file = path.join(ctx.config.keysDir, 'demo-clients.json');
  const secrets: Record<string, string> = existsSync(file) ? JSON.parse(await readFile(file, 'utf8')) : {};
  const apps: DemoApp[] = [
    { clientId: 'social-insurance', secret: '', port: ports[0], title: { 'zh-CN': '社保服务', en: 'Social insurance' } },
    { clientId: 'housing', secret: '', port: ports[1], title: { 'zh-CN': '住房保障', en: 'Housing' } },
  ];
  for (const a of apps) {
    a.secret = secrets[a.clientId] ??= generateClientSecret();
    const base = `http://localhost:${a.port}`;
    await ctx.register(
      {
        client_id: a.clientId,
        client_name: `${a.title['zh-CN']} ${a.title.en}`,
        client_secret: a.secret,
        redirect_uris: [`${base}/callback`],
        post_logout_redirect_uris: [`${base}/`],
        backchannel_logout_uri: `${base}/backchannel-logout`,
        backchannel_logout_session_required: true,
        scope: 'openid profile phone proofing offline_access',
      },
      'demo',
    );
  }
  await writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });

  if (!(await ctx.identity.findCredential('id-card-password', DEMO_CITIZEN.idNumber))) {
    const { createSecretHasher } = await import('../crypto/password.ts');
    await ctx.identity.enrol(DEMO_CITIZEN.idNumber, {
      name: DEMO_CITIZEN.name,
      phone: DEMO_CITIZEN.phone ?? undefined,
      proofing: 'remote',
      credentials: [
        { method: 'id-card-password', identifier: DEMO_CITIZEN.idNumber, secretHash: await createSecretHasher(ctx.config.argon2).hash(DEMO_PASSWORD) },
        ...(DEMO_CITIZEN.phone ? [{ method: 'sms-otp', identifier: DEMO_CITIZEN.phone }] : []),
      ],
    });
  }
  return apps;
}
