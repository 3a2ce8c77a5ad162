/**
 * This method's only outside call: the shared SMS gateway (src/authorities/sms-gateway.ts),
 * which is never retried, so a code is not delivered twice.
 */
export function loginCodeText(code: string, minutes: number): string {
  return `【通办ID】您的登录验证码为 ${code}，${minutes} 分钟内有效。如非本人操作请忽略，切勿告诉他人。`;
}
