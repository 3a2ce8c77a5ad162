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
import { addCentres, addStaff } from '../counter/register-staff.ts';
import { cityAppClient } from '../../providers/app-scan/sandbox.ts';
import { demoApps } from '../i18n/demo-ui.ts';

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
    { clientId: 'social-insurance', secret: '', port: ports[0], title: demoApps.socialInsurance },
    { clientId: 'housing', secret: '', port: ports[1], title: demoApps.housing },
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
  await seedCounter(ctx);
  return apps;
}

export const DEMO_STAFF = { staff: citizen('yang-lei'), supervisor: citizen('huang-qiang') };
export const DEMO_KIOSK = 'hall-kiosk-demo';

/** One service centre, a counter clerk and a supervisor (each with a sandbox certificate), the city app and a kiosk. */
async function seedCounter(ctx: AppContext): Promise<void> {
  await addCentres(ctx, { id: 'huangpu-1', name: '黄浦区第一社区事务受理服务中心', district: '黄浦区' });
  await addStaff(ctx, [
    { id_number: DEMO_STAFF.staff.idNumber, name: DEMO_STAFF.staff.name, centre: 'huangpu-1', role: 'counter_staff', display_name: '3 号窗口 杨' },
    { id_number: DEMO_STAFF.supervisor.idNumber, name: DEMO_STAFF.supervisor.name, centre: 'huangpu-1', role: 'counter_supervisor', display_name: '值班主管 黄' },
  ]);
  await ctx.register(cityAppClient(ctx.config.authoritiesUrl!), 'demo');
  await ctx.register(
    {
      client_id: DEMO_KIOSK,
      client_name: '大厅自助服务一体机 Hall kiosk',
      token_endpoint_auth_method: 'none',
      grant_types: ['urn:ietf:params:oauth:grant-type:device_code'],
      subject_type: 'public',
      scope: 'openid profile',
      tongban_kiosk: true,
    },
    'demo',
  );
}
