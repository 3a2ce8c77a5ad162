/** Every area of the admin console and API, one line each (see area.ts). */
import type { AdminArea } from './area.ts';

export const ADMIN_AREAS: readonly AdminArea[] = [
];
