/**
 * This method's outside calls: the population registry's two-element check (name + ID number)
 * at registration, and the text of the phone check's message (sent by the kit's code step).
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

export function registrationCodeText(code: string, minutes: number): string {
  return `【通办ID】您的开通验证码为 ${code}，${minutes} 分钟内有效。请勿告诉他人。`;
}
