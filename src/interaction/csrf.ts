/**
 * CSRF tokens for our forms: an HMAC of the interaction id and the form's purpose under a
 * server key. A page from another site cannot know it; it is checked in constant time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export function createCsrf(key: Buffer) {
  const sign = (binding: string) => createHmac('sha256', key).update(`csrf\0${binding}`).digest('base64url');
  return {
    token: (binding: string) => sign(binding),
    valid(binding: string, presented: unknown): boolean {
      if (typeof presented !== 'string' || presented.length !== 43) return false;
      return timingSafeEqual(Buffer.from(sign(binding)), Buffer.from(presented));
    },
  };
}
export type Csrf = ReturnType<typeof createCsrf>;
