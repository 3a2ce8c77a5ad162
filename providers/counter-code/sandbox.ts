/** Counter codes come from our own counter console; there is no outside authority to simulate. */
import type { MethodSandbox } from '../kit/index.ts';

export const sandbox: MethodSandbox | undefined = undefined;
