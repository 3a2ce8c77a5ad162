/** `alipay`: not built yet (disabled). */
import { z } from 'zod';
import { defineMethod } from '../kit/index.ts';

export const method = defineMethod({
  id: 'alipay',
  configSchema: z.object({ enabled: z.boolean().default(false) }),
  create() {
    throw new Error('alipay is not available yet');
  },
});
