/** `bank-card`: not built yet (disabled). */
import { z } from 'zod';
import { defineMethod } from '../kit/index.ts';

export const method = defineMethod({
  id: 'bank-card',
  configSchema: z.object({ enabled: z.boolean().default(false) }),
  create() {
    throw new Error('bank-card is not available yet');
  },
});
