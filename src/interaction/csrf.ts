/**
 * CSRF tokens for our forms: an HMAC of the interaction id and the form's purpose under a
 * server key. A page from another site cannot know it; it is checked in constant time.
 */
import { createHmac } from 'node:crypto';
import { sameSecret } from '../crypto/constant-time.ts';

export function createCsrf(key: Buffer) {
  const sign = (binding: string) => createHmac('sha256', key).update(`csrf\0${binding}`).digest('base64url');
  return {
    token: (binding: string) => sign(binding),
    valid(binding: string, presented: unknown): boolean {
      // a token of 43 characters may still be more than 43 bytes: compared by digest, not as buffers
      return sameSecret(sign(binding), presented);
    },
  };
}
export type Csrf = ReturnType<typeof createCsrf>;
