/**
 * This method's outside calls: the population registry's two-element check (name + ID number)
 * at registration, and the SMS gateway for the phone check. Both are shared authorities.
 */
import type { Authorities, MessageKey } from '../kit/index.ts';

export async function checkNameAgainstRegistry(
  authorities: Authorities,
  idNumber: string,
  name: string,
): Promise<{ ok: true; requestId: string } | { ok: false; reason: MessageKey }> {
  const { result, requestId } = await authorities.registry.checkNameAndId(idNumber, name);
  return result === 'match' ? { ok: true, requestId } : { ok: false, reason: 'registry_mismatch' };
}

export async function sendRegistrationCode(authorities: Authorities, phone: string, code: string, minutes: number): Promise<void> {
  await authorities.sms.send(phone, `【通办ID】您的开通验证码为 ${code}，${minutes} 分钟内有效。请勿告诉他人。`);
}
