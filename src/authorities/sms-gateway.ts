/**
 * SMS gateway. Sending is not idempotent, so a failed call is never retried here:
 * a retry after a timeout could deliver the same code twice.
 */
import { z } from 'zod';
import { callAuthority } from './http.ts';
import type { SmsGateway } from './index.ts';

export interface SmsGatewayOptions {
  /** The gateway's base URL, e.g. `${sandboxUrl}/sms`. */
  baseUrl: string;
  account: string;
  timeoutMs: number;
}

const sendAnswer = z.object({
  code: z.literal('OK'),
  messageId: z.string().min(1).max(128),
});

export function createSmsGateway(opts: SmsGatewayOptions): SmsGateway {
  const url = `${opts.baseUrl.replace(/\/+$/, '')}/v1/send`;
  return {
    async send(phone, text) {
      const answer = await callAuthority({
        authority: 'sms-gateway',
        url,
        method: 'POST',
        body: { account: opts.account, phone, text },
        schema: sendAnswer,
        timeoutMs: opts.timeoutMs,
        retries: 0,
      });
      return { messageId: answer.messageId };
    },
  };
}
