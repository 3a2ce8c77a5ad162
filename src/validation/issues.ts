/**
 * The one way a zod error is put into words. `issuePaths` names where input was wrong and never
 * the values (zod's messages may quote them), for answers from outside and requests we refuse;
 * `describeIssues` adds zod's messages, for our own documents (configuration, client metadata).
 */
import type { z } from 'zod';

/** the distinct paths of what was wrong, at most `max`; `root` names an issue with the whole value */
export function issuePaths(error: z.ZodError, opts: { root?: string; max?: number } = {}): string[] {
  const paths = [...new Set(error.issues.map((i) => (i.path.length ? i.path.join('.') : (opts.root ?? '(root)'))))];
  return opts.max === undefined ? paths : paths.slice(0, opts.max);
}

/** "path: message; …" */
export function describeIssues(error: z.ZodError, root = '(document)'): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : root}: ${i.message}`).join('; ');
}
