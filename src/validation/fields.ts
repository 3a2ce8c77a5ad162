/** Shapes the core and the login methods both check (the kit re-exports them to methods). */
import { z } from 'zod';

/** an assurance level: 1 low, 2 substantial, 3 high */
export const levelSchema = z.union([z.literal(1), z.literal(2), z.literal(3)]);

/** a mainland mobile number, 11 digits */
export const phoneSchema = z.string().regex(/^1[3-9]\d{9}$/);
