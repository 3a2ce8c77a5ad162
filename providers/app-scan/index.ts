/** `app-scan`: not built yet (disabled). */
import { z } from 'zod';
import { defineMethod } from '../kit/index.ts';

export const method = defineMethod({
  id: 'app-scan',
  configSchema: z.object({ enabled: z.boolean().default(false) }),
  create() {
    throw new Error('app-scan is not available yet');
  },
});
