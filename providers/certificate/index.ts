/** `certificate`: not built yet (disabled). */
import { z } from 'zod';
import { defineMethod } from '../kit/index.ts';

export const method = defineMethod({
  id: 'certificate',
  configSchema: z.object({ enabled: z.boolean().default(false) }),
  create() {
    throw new Error('certificate is not available yet');
  },
});
