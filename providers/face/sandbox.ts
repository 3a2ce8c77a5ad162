import type { MethodSandbox } from '../kit/index.ts';

export const sandbox: MethodSandbox | undefined = undefined;
