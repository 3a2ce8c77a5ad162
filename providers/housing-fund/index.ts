/** `housing-fund`: not built yet (disabled). */
import { z } from 'zod';
import { defineMethod } from '../kit/index.ts';

export const method = defineMethod({
  id: 'housing-fund',
  configSchema: z.object({ enabled: z.boolean().default(false) }),
  create() {
    throw new Error('housing-fund is not available yet');
  },
});
