/**
 * This method has no authority of its own: registration uses the shared population registry
 * and SMS gateway of the sandbox (src/sandbox). Nothing to mount.
 */
import type { MethodSandbox } from '../kit/index.ts';

export const sandbox: MethodSandbox | undefined = undefined;
