/** An SMS login through our pages: the phone, then the code read back from the sandbox gateway's outbox. */
import { json, request } from '../http-request.ts';
import type { BenchClient } from '../service.ts';
import { finishFlow, startFlow, submit } from './login.ts';

export const SMS_METHOD = 'sms-otp';

export async function smsLoginOnce(issuer: string, sandboxUrl: string, client: BenchClient, phone: string): Promise<void> {
  const flow = await startFlow(issuer, client, SMS_METHOD);
  const codePage = await submit(flow, flow.page, { phone });
  if (codePage.status !== 200) throw new Error(`sms: after the phone: ${codePage.status}`);
  const texts = json<Array<{ text: string }>>(await request(`${sandboxUrl}/sms/outbox.json?phone=${phone}`), 'outbox');
  const code = texts[0]?.text.match(/(\d{6})/)?.[1];
  if (!code) throw new Error(`sms: no code was texted to ${phone}`);
  await finishFlow(flow, await submit(flow, codePage, { code }));
}
