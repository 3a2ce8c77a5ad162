import type { z } from 'zod';

/** the paths of what was wrong in a request, never the values */
export function issuePaths(error: z.ZodError): string[] {
  const paths = error.issues.map((i) => (i.path.length ? i.path.join('.') : '(body)'));
  return [...new Set(paths)];
}

