/**
 * The city app's side: POST /api/methods/app-scan/approve and …/reject, JSON `{ token }`, with
 * the bearer access token of the person signed in to the app. src resolves the token; we get
 * who it belongs to, at what level, and for which client.
 */
import { z } from 'zod';
import type { ApiCaller, Level, MethodApi, MessageKey } from '../kit/index.ts';
import { t, levelOf } from '../kit/core.ts';
import type { AppScanConfig } from './config.ts';
import { answerQr, qrToken, type QrAnswer } from './connector.ts';

const body = z.object({ token: qrToken }).strict();
// RFC 8176 values are short lower-case words; anything else is not passed on to an ID token
const amrValue = z.string().regex(/^[a-z]{2,8}$/);

type Reply = { status: number; body: Record<string, unknown> };

function problem(status: number, code: MessageKey, params: Record<string, string> = {}): Reply {
  return { status, body: { error: code, message: { 'zh-CN': t('zh-CN', code, params), en: t('en', code, params) } } };
}

export function approvalApis(cfg: AppScanConfig): Record<'approve' | 'reject', MethodApi> {
  // an approval stays readable a little past the QR's last second, for the page's next poll
  const pickupSeconds = Math.max(10, cfg.qr.pollSeconds * 3);

  function answering(decide: (caller: ApiCaller) => QrAnswer | Reply, done: string): MethodApi {
    return {
      async handle(ctx, caller, raw) {
        if (caller.clientId !== cfg.appClientId) return problem(403, 'app_scan_wrong_client');
        const parsed = body.safeParse(raw);
        if (!parsed.success) return problem(400, 'invalid_input', { field: 'token' });
        const answer = decide(caller);
        if ('body' in answer) return answer;
        const ok = await answerQr(ctx.shared, parsed.data.token, answer, pickupSeconds);
        // unknown, expired and already answered look the same to the caller
        return ok ? { status: 200, body: { status: done } } : problem(410, 'app_scan_expired');
      },
    };
  }

  return {
    approve: answering((caller) => {
      const appLevel = levelOf(caller.acr);
      if (appLevel === 0) return problem(403, 'app_scan_session_unknown');
      const level = Math.min(appLevel, cfg.level) as Extract<Level, 1 | 2>;
      const amr = [...new Set((caller.amr ?? []).filter((a) => amrValue.safeParse(a).success))].slice(0, 10);
      return { status: 'approved', personId: caller.accountId, level, appLevel, amr };
    }, 'approved'),
    reject: answering(() => ({ status: 'rejected' }), 'rejected'),
  };
}
