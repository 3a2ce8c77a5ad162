/** Exit codes: 0 done, 1 configuration or runtime failure, 2 the operator's input is wrong. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;
