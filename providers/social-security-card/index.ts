/** `social-security-card`: not built yet (disabled). */
import { z } from 'zod';
import { defineMethod } from '../kit/index.ts';

export const method = defineMethod({
  id: 'social-security-card',
  configSchema: z.object({ enabled: z.boolean().default(false) }),
  create() {
    throw new Error('social-security-card is not available yet');
  },
});
