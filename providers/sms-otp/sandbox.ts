/**
 * This method has no authority of its own: it texts through the shared SMS gateway of the
 * sandbox (src/sandbox, mounted as `sms`, with its outbox). Nothing to mount.
 */
import type { MethodSandbox } from '../kit/index.ts';

export const sandbox: MethodSandbox | undefined = undefined;
