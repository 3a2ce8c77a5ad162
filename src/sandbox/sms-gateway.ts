/** /sms: the sandbox SMS gateway with a readable outbox. */
import express from 'express';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { sendHtml, outboxPage } from './pages.ts';
import { issuePaths } from './issue-paths.ts';


export interface SmsMessage {
  messageId: string;
  account: string;
  phone: string;
  text: string;
  sentAt: string;
}

export const OUTBOX_LIMIT = 500;

const sendBody = z.object({
  account: z.string().min(1).max(64),
  phone: z.string().regex(/^1[3-9]\d{9}$/),
  text: z.string().min(1).max(500),
});

export function smsRouters(): { api: express.Router; tools: express.Router } {
  // Oldest first; pages reverse it. Bounded so a long-running sandbox does not grow without limit.
  const outbox: SmsMessage[] = [];

  const api = express.Router();
  api.post('/v1/send', (req, res) => {
    const parsed = sendBody.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ code: 'INVALID_PARAM', message: `invalid or missing field: ${issuePaths(parsed.error).join(', ')}` });
      return;
    }
    const message: SmsMessage = { messageId: randomUUID(), ...parsed.data, sentAt: new Date().toISOString() };
    outbox.push(message);
    if (outbox.length > OUTBOX_LIMIT) outbox.splice(0, outbox.length - OUTBOX_LIMIT);
    res.json({ code: 'OK', messageId: message.messageId });
  });

  const tools = express.Router();
  tools.get('/outbox.json', (req, res) => {
    const phone = typeof req.query.phone === 'string' ? req.query.phone : undefined;
    res.json(outbox.filter((m) => phone === undefined || m.phone === phone).reverse());
  });
  tools.get('/outbox', (_req, res) => {
    sendHtml(res, outboxPage([...outbox].reverse(), OUTBOX_LIMIT), { refresh: 5 });
  });
  tools.delete('/outbox', (_req, res) => {
    outbox.length = 0;
    res.json({ ok: true });
  });
  return { api, tools };
}

