import type { z } from 'zod';
import { issuePaths as pathsOf } from '../validation/issues.ts';

/** the paths of what was wrong in a request to a sandbox authority, never the values */
export function issuePaths(error: z.ZodError): string[] {
  return pathsOf(error, { root: '(body)' });
}
