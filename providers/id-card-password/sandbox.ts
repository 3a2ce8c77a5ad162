/**
 * This method has no authority of its own: registration uses the shared population registry
 * and SMS gateway of the sandbox (src/sandbox). Nothing to mount.
 */
export const sandbox = { authorities: ['registry', 'sms'] as const, router: undefined };
